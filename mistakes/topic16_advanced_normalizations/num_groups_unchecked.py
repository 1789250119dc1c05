"""Does not check num_groups: C=6 with 4 groups fails deep inside reshape with numpy's message."""
from solutions.topic16_advanced_normalizations import norms as ref
from solutions.topic16_advanced_normalizations.norms import *

MODULE = "norms"
EXPLANATION = """\
Your groupnorm_forward does not check num_groups, so C=6 with 4 groups fails inside NumPy's
reshape with a message naming neither number. Check first: if C % num_groups, raise
ValueError(f"num_groups={num_groups} does not divide C={C}")."""


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    N, C, H, W = x.shape
    x.reshape(N, num_groups, C // num_groups, H, W)  # numpy's own error, naming neither C nor G
    return ref.groupnorm_forward(x, gamma, beta, num_groups, eps)
