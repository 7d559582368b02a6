"""The one percentile definition Siaga uses everywhere (linear interpolation, like numpy)."""

from __future__ import annotations

import math
from collections.abc import Iterable


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks.

    The same as numpy's default ("linear"): position (n - 1) * q / 100 in the sorted values.
    Raises ValueError for no values, so callers decide what "no data" means.
    """
    ordered = sorted(float(v) for v in values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError("q must lie in 0..100")
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def median(values: Iterable[float]) -> float:
    """The 50th percentile."""
    return percentile(values, 50)


def percentile_or_none(values: Iterable[float], q: float, *, digits: int = 1) -> float | None:
    """The rounded percentile, or None without values (for reports)."""
    ordered = list(values)
    return round(percentile(ordered, q), digits) if ordered else None
