"""Ghost batches keep the BN running statistics of the last part only, not the mean of the parts'."""
import numpy as np

from milestone import network

MODULE = "network"
EXPLANATION = """\
Each part updates its own copy of the running statistics; keeping one part's copy throws the other
parts' batch statistics away. Write the mean of the parts' updated values into the state."""


def _merge_bn_statistics(state, part_states):
    for key, stats in state.items():
        if isinstance(stats, dict):
            for name, arr in stats.items():
                arr[...] = np.asarray(part_states[-1][key][name], arr.dtype)


network._merge_bn_statistics = _merge_bn_statistics
