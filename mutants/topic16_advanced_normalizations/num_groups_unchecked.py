"""Does not check num_groups: C=6 with 4 groups fails deep inside reshape with numpy's message."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    N, C, H, W = x.shape
    x.reshape(N, num_groups, C // num_groups, H, W)  # numpy's own error, naming neither C nor G
    return ref.groupnorm_forward(x, gamma, beta, num_groups, eps)
