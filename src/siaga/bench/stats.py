"""Small statistics shared by the benchmarks."""

from __future__ import annotations

from collections.abc import Sequence

from siaga.stats import percentile as shared_percentile


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile (Siaga's one definition, siaga/stats.py); 0 when empty."""
    return shared_percentile(sorted_values, q) if sorted_values else 0.0
