"""softmax_cross_entropy_forward ignores label smoothing."""

from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"



def softmax_cross_entropy_forward(logits, labels, label_smoothing=0.0):
    return ref.softmax_cross_entropy_forward(logits, labels, 0.0)
