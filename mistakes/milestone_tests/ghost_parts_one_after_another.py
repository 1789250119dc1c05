"""Ghost batches run their parts one after another in the calling thread: right numbers, no speed-up."""
from milestone import network

MODULE = "network"
EXPLANATION = """\
The point of ghost batches is that the parts run at once, one thread each, while NumPy releases
the interpreter lock. A loop computes the same numbers on one core."""


def _run_parallel(task, count):
    return [task(i) for i in range(count)]


network._run_parallel = _run_parallel
