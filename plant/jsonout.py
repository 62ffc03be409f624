"""JSON that is always valid and safe: numbers plain, never NaN or Infinity.

A value that does not exist (an IRR of a cash flow that never changes sign, a year the target is
never met) or is not finite becomes ``null``, and a key ``<key>_reason`` beside it says why. Every
JSON the project writes (``plant run``, ``mc``, ``sensitivity``, ``optimize``, ``summary.json``,
the app's downloads) goes through :func:`dumps`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

REASONS = {
    "irr": "no discount rate brings the NPV to zero: the cash flow does not change sign",
    "payback_yr": "the cumulative cash flow does not turn positive within the plant's life",
    "discounted_payback_yr": (
        "the discounted cumulative cash flow does not turn positive within the plant's life"
    ),
    "year_target_met": "the target is met in no year of the plant's life",
    "off_spec_statement": "the scenario leaves no product off spec on purpose",
    "nameplate_needed_t_per_yr": "no product is on spec: no nameplate meets the target",
    "feed_needed_t_per_yr": "no product is on spec: no feed meets the target",
}
"""Why a value is null, for the keys that are null by their nature."""
DEFAULT_REASON = "not defined for these inputs, or not a finite number"


def plain(x) -> Any:
    """numpy scalars and arrays as Python numbers and lists, tuples as lists; NaN and +-Infinity as
    None."""
    if isinstance(x, Mapping):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, str) or x is None:
        return x
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return int(x)
    a = np.asarray(x)
    if a.dtype == bool or a.dtype.kind in "USO":
        return plain(a.tolist()) if a.dtype.kind == "O" else a.tolist()
    a = a.astype(float)
    if a.ndim == 0:
        v = float(a)
        return v if math.isfinite(v) else None
    return [plain(row) for row in a]


def with_reasons(tree):
    """``tree`` with ``<key>_reason`` beside every key whose value is null or holds nulls (unless
    the tree says why already)."""
    if isinstance(tree, list):
        return [with_reasons(v) for v in tree]
    if not isinstance(tree, dict):
        return tree
    out = {}
    for k, v in tree.items():
        out[k] = with_reasons(v)
        null = v is None or (isinstance(v, list) and any(x is None for x in v))
        if null and not str(k).endswith("_reason") and f"{k}_reason" not in tree:
            out[f"{k}_reason"] = REASONS.get(str(k), DEFAULT_REASON)
    return out


def dumps(data, indent: int | None = 2) -> str:
    """``data`` as JSON text: plain numbers, nulls with their reasons, never NaN or Infinity."""
    return json.dumps(with_reasons(plain(data)), indent=indent, allow_nan=False)
