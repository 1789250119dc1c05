"""The step breakdown adds the layers' seconds over both threads: layers outgrow the step."""
from milestone import instrument

MODULE = "instrument"
EXPLANATION = """\
Two threads that each spend 1 s in convolutions during the same second add up to 2 s; reported as
the step's, the layers outgrow the step and "the rest" reads 0. Divide by the parts that ran at
once (`concurrency`)."""

_breakdown = instrument.InstrumentedLayers.breakdown


def breakdown(self):
    saved, self.concurrency = self.concurrency, 1
    try:
        return _breakdown(self)
    finally:
        self.concurrency = saved


instrument.InstrumentedLayers.breakdown = breakdown
