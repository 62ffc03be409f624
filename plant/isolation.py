"""Failures isolated per sample, so that one bad sample never takes the others of a batch down.

An error that says which samples failed (``PlantError.failing``) drops just those, and the rest run
again; otherwise the batch is split in halves, down to the single samples that fail.

Splitting costs about k log2(N) extra evaluations of shrinking size for k failures among N; nothing
is spent when none fails. Each failure keeps its reason, the message of the error that stopped it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from plant.errors import PlantError


def _failing(exc: BaseException, n: int) -> np.ndarray | None:
    """The samples (of ``n``) an error says failed (PlantError.failing), or None if it does not
    say."""
    mask = getattr(exc, "failing", None)
    if mask is None:
        return None
    mask = np.asarray(mask, dtype=bool)
    if mask.size == 1:
        return np.full(n, bool(mask.flat[0])) if mask.flat[0] else None
    if mask.shape != (n,) or not mask.any():
        return None
    return mask


def reason_of(exc: BaseException) -> str:
    """The reason a sample failed: the model's own message, or the kind of an internal error."""
    if isinstance(exc, PlantError):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"


def kind_of(reason: str) -> str:
    """A reason with its numbers and sample counts left out, so that the same kind of failure with
    other values counts once."""
    reason = re.sub(r" \(in \d+ of \d+ samples\)", "", reason)
    return re.sub(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", "#", reason)


@dataclass(frozen=True)
class Failures:
    """The samples that failed, of ``total``: sample index -> reason."""

    reasons: dict[int, str]
    total: int

    @property
    def count(self) -> int:
        return len(self.reasons)

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    def mask(self) -> np.ndarray:
        """True for the samples that failed, (total,)."""
        m = np.zeros(self.total, dtype=bool)
        m[list(self.reasons)] = True
        return m

    def summary(self) -> dict:
        """``count``, ``share`` and ``reasons`` (kind of reason -> samples), the most frequent
        first, and the first failing ``samples`` (index -> reason, up to ten)."""
        kinds = Counter(kind_of(r) for r in self.reasons.values())
        first = sorted(self.reasons)[:10]
        return {
            "count": self.count,
            "share": self.share,
            "reasons": dict(kinds.most_common()),
            "samples": {str(i): self.reasons[i] for i in first},
        }


def isolate(
    evaluate: Callable[[np.ndarray], object], n: int
) -> tuple[list[tuple[np.ndarray, object]], Failures]:
    """``evaluate(indices)`` on all ``n`` samples, or, where that fails, on halves of them down to
    single samples. Returns the pieces that succeeded, as (sample indices, result), in sample order,
    and the failures."""
    pieces: list[tuple[np.ndarray, object]] = []
    reasons: dict[int, str] = {}

    def attempt(idx: np.ndarray) -> None:
        while len(idx):
            try:
                pieces.append((idx, evaluate(idx)))
                return
            except (KeyboardInterrupt, SystemExit, MemoryError):
                raise
            except Exception as exc:  # every failure is the sample's, reported with it
                bad = _failing(exc, len(idx))
                if bad is None and len(idx) > 1:  # not known which: try each half
                    half = len(idx) // 2
                    attempt(idx[:half])
                    attempt(idx[half:])
                    return
                bad = np.ones(len(idx), dtype=bool) if bad is None else bad
                for i in idx[bad]:
                    reasons[int(i)] = reason_of(exc)
                idx = idx[~bad]  # the others again, without the samples that failed

    attempt(np.arange(n))
    return pieces, Failures(reasons, n)
