"""Ghost batches share one BN state: each part applies the momentum to the other's update."""
from milestone import network

MODULE = "network"
EXPLANATION = """\
When the parts update the same running statistics, the momentum is applied once per part (and the
threads race): 0.6 x (0.6 x old + 0.4 x a) + 0.4 x b instead of 0.6 x old + 0.4 x mean(a, b).
Give each part its own copy and merge the copies."""


def _bn_copies(state):
    return state


def _merge_bn_statistics(state, part_states):
    return None


network._bn_copies = _bn_copies
network._merge_bn_statistics = _merge_bn_statistics
