"""softmax_cross_entropy_backward returns (p - t) / N without multiplying by dloss."""
from mistakes.topic17_cifar10_from_scratch import cross_entropy_backward, cross_entropy_forward
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your softmax_cross_entropy_backward ignores dloss, the upstream gradient of the loss. The chain
rule multiplies by it: dlogits = (p - t) * (dloss / N). It is 1.0 in train_step, but the backward
must not assume it."""


def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    return cross_entropy_forward(logits, labels, label_smoothing, mistake="backward_ignores_dloss")


softmax_cross_entropy_backward = cross_entropy_backward
