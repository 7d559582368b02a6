"""Event data placed on a grid, and the weighted sums every ranking method is built from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siaga.hotspots.events import Events
from siaga.hotspots.grid import FloatArray, Grid, IntArray, neighbourhood

# Events per block when spreading kernels: bounds memory for fine grids and long histories.
_BLOCK = 4096
# Gaussians are cut at this many bandwidths; the mass beyond is under 1.2%.
_TRUNCATE = 3.0


@dataclass(frozen=True)
class GriddedEvents:
    """Time-sorted events with the grid cell of each (-1 where an event falls off the grid)."""

    events: Events
    grid: Grid
    cell: IntArray

    def before(self, at: float) -> int:
        """Number of events strictly before `at`: the only ones a forecast for `at` may use."""
        return self.events.count_before(at)


def grid_events(*, events: Events, grid: Grid) -> GriddedEvents:
    """Attach cell ids to events, once, so that weekly scoring is pure array work."""
    return GriddedEvents(events=events, grid=grid, cell=grid.cell_of(events.x, events.y))


def cell_sum(*, data: GriddedEvents, lo: int, hi: int, weights: FloatArray | None) -> FloatArray:
    """Per-cell sum of the weights of events lo..hi-1 (unit weights when None)."""
    cells = data.cell[lo:hi]
    on_grid = cells >= 0
    w = None if weights is None else weights[on_grid]
    return np.bincount(cells[on_grid], weights=w, minlength=data.grid.n_cells).astype(np.float64)


def gaussian_spread(
    *, data: GriddedEvents, lo: int, hi: int, weights: FloatArray, bandwidth_m: float
) -> FloatArray:
    """Per-cell sum of each event's weight spread by a Gaussian kernel of the given bandwidth.

    Each event's kernel is evaluated at cell centres from its exact position and normalised to
    its weight, so smoothing moves risk between cells without creating or losing any.
    """
    grid = data.grid
    out = np.zeros(grid.n_cells + 1, dtype=np.float64)
    cut2 = (_TRUNCATE * bandwidth_m) ** 2
    for start in range(lo, hi, _BLOCK):
        stop = min(hi, start + _BLOCK)
        cells, d2 = neighbourhood(
            grid=grid,
            x=data.events.x[start:stop],
            y=data.events.y[start:stop],
            reach_m=_TRUNCATE * bandwidth_m,
        )
        k = np.where((d2 <= cut2) & (cells >= 0), np.exp(-d2 / (2.0 * bandwidth_m**2)), 0.0)
        norm = k.sum(axis=1)
        # An event whose whole kernel misses every cell centre (bandwidth far below the cell
        # size) keeps its weight in its own cell, as plain counting would.
        alone = norm <= 0.0
        own = data.cell[start:stop]
        k[alone, k.shape[1] // 2] = 1.0
        norm[alone] = 1.0
        k *= (weights[start - lo : stop - lo] / norm)[:, None]
        valid = cells >= 0
        valid[alone & (own < 0)] = False
        out[:-1] += np.bincount(cells[valid], weights=k[valid], minlength=grid.n_cells)
    return out[:-1]


def decay(*, ages_days: FloatArray, tau_days: float | None) -> FloatArray:
    """Exponential recency weights exp(-age / tau); tau None means every event weighs 1."""
    if tau_days is None:
        return np.ones_like(ages_days)
    return np.exp(-ages_days / tau_days)
