"""Small numerical helpers shared across layers."""
from __future__ import annotations

import numpy as np


def safe_ratio(num, den, default: float = 0.0) -> np.ndarray:
    """``num / den`` element-wise, ``default`` where ``den`` is not positive (no warnings, no NaN)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    ok = den > 0
    return np.where(ok, num / np.where(ok, den, 1.0), default)
