"""The loss takes log(softmax(z)) after the max subtraction: log(0) = -inf where p underflows."""
from mistakes.topic17_cifar10_from_scratch import cross_entropy_backward, cross_entropy_forward
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
You subtract each row's maximum, compute the probabilities, then take their log. A probability
that underflows to 0 (a logit far below the row's maximum) gives log(0) = -inf, and the loss
becomes inf or nan. Compute the log-probabilities directly (log-softmax): log_p = s -
np.log(np.exp(s).sum(axis=1, keepdims=True)) with s the shifted logits; exp(log_p) gives p for the
backward."""


def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    return cross_entropy_forward(logits, labels, label_smoothing, mistake="log_of_softmax")


softmax_cross_entropy_backward = cross_entropy_backward
