"""A small in-process memo for expensive, deterministic solves, keyed by the exact values of their
inputs.

A solve asked again with byte-identical inputs (the app re-running the model after an economic
lever moved, a batch varying one parameter the solve never sees) returns the stored result
instead of solving again. The key is a digest of the pickled inputs, so a hit needs every
number equal to the bit: the result never depends on what was solved before, only the time does.
Stored results are made read-only, so that no caller can change what the next one receives.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import numpy as np

T = TypeVar("T")


class Memo:
    """The last ``size`` results of one solve, by the digest of their inputs (thread-safe)."""

    def __init__(self, size: int):
        self.size = size
        self._store: OrderedDict[bytes, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, inputs, compute: Callable[[], T]) -> T:
        """The result for ``inputs`` (any picklable value: arrays, dataclasses, strings), from the
        memo or from ``compute()``, which is then stored frozen."""
        key = hashlib.blake2b(pickle.dumps(inputs, protocol=5), digest_size=20).digest()
        with self._lock:
            if key in self._store:
                self._store.move_to_end(key)
                return self._store[key]  # type: ignore[return-value]
        value = compute()
        _freeze(value)
        with self._lock:
            self._store[key] = value
            while len(self._store) > self.size:
                self._store.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._store.clear()


def _freeze(value, seen=None) -> None:
    """Every array reachable through dataclass fields, tuples, lists and dicts made read-only."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _freeze(getattr(value, f.name), seen)
    elif isinstance(value, (tuple, list)):
        for v in value:
            _freeze(v, seen)
    elif isinstance(value, dict):
        for v in value.values():
            _freeze(v, seen)
