"""Hit rate and PAI of a ranked set of cells, with ties at the cut shared in expectation."""

from __future__ import annotations

import math

import numpy as np

from siaga.hotspots.grid import FloatArray


def flagged_count(*, coverage: float, area_cells: int) -> int:
    """ceil(coverage x area cells), rounding away float noise such as 0.01 * 300 = 3.0000000004."""
    return min(area_cells, math.ceil(round(coverage * area_cells, 9)))


def expected_hits(*, scores: FloatArray, hits: FloatArray, flagged: int) -> float:
    """Events caught by the top `flagged` cells; cells tied at the cut score count pro rata.

    If m cells tie at the cut and s slots are left for them, a random tie-break would flag each
    with probability s / m, so their events count s / m each.
    """
    if flagged <= 0 or scores.size == 0:
        return 0.0
    flagged = min(flagged, int(scores.size))
    cut = np.partition(scores, scores.size - flagged)[scores.size - flagged]
    above = scores > cut
    tied = scores == cut
    slots = flagged - int(np.count_nonzero(above))
    share = slots / int(np.count_nonzero(tied))
    return float(hits[above].sum() + hits[tied].sum() * share)


def hit_rate(*, scores: FloatArray, hits: FloatArray, coverage: float, total_events: int) -> float:
    """Share of all `total_events` (those outside the area included) caught at this coverage."""
    if total_events <= 0:
        raise ValueError("hit rate is undefined for a week without events")
    flagged = flagged_count(coverage=coverage, area_cells=int(scores.size))
    return expected_hits(scores=scores, hits=hits, flagged=flagged) / total_events
