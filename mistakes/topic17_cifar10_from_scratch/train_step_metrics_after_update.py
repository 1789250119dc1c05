"""train_step reports the loss and accuracy of a second forward pass, after the SGD update."""
from solutions.topic17_cifar10_from_scratch import pipeline as ref
from solutions.topic17_cifar10_from_scratch.pipeline import *

MODULE = "pipeline"
EXPLANATION = """\
Your train_step reports the loss and accuracy of a forward pass run after the update. Report
those of the step itself, measured before sgd_step changes the weights: the loss returned by
softmax_cross_entropy_forward and the accuracy of the logits of the same forward pass (one forward
per step, which also keeps batch norm's running statistics updated once)."""


def train_step(net, params, state, velocity, x, y, lr, momentum=0.9, weight_decay=5e-4,
               nesterov=True, label_smoothing=0.0):
    ref.train_step(net, params, state, velocity, x, y, lr, momentum, weight_decay, nesterov,
                   label_smoothing)
    logits, _ = net.forward(params, state, x, True)
    loss, _ = ref.softmax_cross_entropy_forward(logits, y, label_smoothing)
    return loss, float(ref.np.mean(logits.argmax(axis=1) == y))
