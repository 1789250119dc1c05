"""layernorm2d_forward and instancenorm_forward do not pass eps on to groupnorm_forward."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your layernorm2d_forward and instancenorm_forward call groupnorm_forward without passing eps on,
so the default 1e-5 is used whatever eps they were given. Pass it: groupnorm_forward(x, gamma,
beta, num_groups=1, eps=eps) (and num_groups=x.shape[1] for InstanceNorm)."""


def layernorm2d_forward(x, gamma, beta, eps=1e-5):
    return ref.groupnorm_forward(x, gamma, beta, 1)


def instancenorm_forward(x, gamma, beta, eps=1e-5):
    return ref.groupnorm_forward(x, gamma, beta, x.shape[1])
