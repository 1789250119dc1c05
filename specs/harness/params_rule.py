"""The rule "params are never modified", as a learner's block must keep it.

A block receives `params`, a dict of arrays the caller (the optimizer, a checkpoint) also holds.
Keeping the values is not enough: a block that casts its weights and assigns the copies back
(`params[k] = params[k].astype(x.dtype)`) leaves equal values in the dict, yet the caller's dict
now holds arrays the optimizer never sees, and perhaps another dtype. So after the call the dict
must hold the same keys, the very same array objects, with their dtypes and values.
"""

from __future__ import annotations

import numpy as np

from .failure import fail


class ParamsWatch:
    """What `params` holds before a call: each key's array object, its dtype and its values."""

    def __init__(self, params: dict):
        self.objects = dict(params)
        self.copies = {key: np.array(value, copy=True) for key, value in params.items()}

    def expect_untouched(self, params: dict, functions: str) -> None:
        """Fail unless `params` holds the same keys, array objects, dtypes and values as before."""
        if set(params) != set(self.objects):
            changed = sorted(set(params) ^ set(self.objects))
            fail(f"{functions} added or removed keys of params ({', '.join(changed)}). params "
                 f"belongs to the caller: read it, never change it.")
        for key, before in self.objects.items():
            now = params[key]
            if now is not before:
                dtype = ("" if getattr(now, "dtype", None) == before.dtype
                         else f", {getattr(now, 'dtype', type(now).__name__)} instead of {before.dtype}")
                fail(f"{functions} put another array into params[{key!r}] (a copy{dtype}), so the "
                     f"caller's dict no longer holds the array it passed in: the optimizer and any "
                     f"checkpoint would update one array while the network reads another. Keep a "
                     f"cast or a copy in a local variable (w = params[{key!r}].astype(x.dtype)), "
                     f"never assign it back into params.")
            if now.dtype != before.dtype or not np.array_equal(now, self.copies[key]):
                fail(f"{functions} modified params[{key!r}] in place. Parameters change only in "
                     f"the optimizer's step, never here.")
