"""Ranking methods: each turns the events before a time into a risk score for every grid cell.

A method is called as `method(data=..., at=...)` and must look only at events strictly before `at`;
every method here slices the time-sorted events with `data.before(at)` for that reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from siaga.hotspots.grid import FloatArray
from siaga.hotspots.kernels import GriddedEvents, cell_sum, decay, gaussian_spread


class Method(Protocol):
    """Scores every cell of `data.grid` for the week starting at `at` (days since epoch)."""

    def __call__(self, *, data: GriddedEvents, at: float) -> FloatArray: ...


def all_history_counts(*, data: GriddedEvents, at: float) -> FloatArray:
    """Events per cell over all history: the classic hot-spot map."""
    return cell_sum(data=data, lo=0, hi=data.before(at), weights=None)


def previous_week_counts(*, data: GriddedEvents, at: float) -> FloatArray:
    """Events per cell in the 7 days before `at`."""
    return cell_sum(data=data, lo=data.before(at - 7.0), hi=data.before(at), weights=None)


@dataclass(frozen=True)
class KernelDensity:
    """Gaussian KDE of the last `window_days` of events (the common analyst's heat map)."""

    window_days: float = 56.0
    bandwidth_m: float = 100.0

    def __call__(self, *, data: GriddedEvents, at: float) -> FloatArray:
        """Kernel density of the recent window."""
        lo, hi = data.before(at - self.window_days), data.before(at)
        return gaussian_spread(
            data=data, lo=lo, hi=hi, weights=np.ones(hi - lo), bandwidth_m=self.bandwidth_m
        )


@dataclass
class _RunningSpread:
    """Decayed, smoothed history up to `at`, kept so the next week only adds its new events."""

    data: GriddedEvents
    at: float
    hi: int
    total: FloatArray


@dataclass
class RecencyEnsemble:
    """Long-term decayed counts + a short-term near-repeat term + a little spatial smoothing.

    Vehicle theft concentrates in small places that stay hot for years, so the long-term own-cell
    count carries most of the signal; a slow decay lets places that cooled down fall back. A
    short-lived boost for cells hit in the last weeks catches repeats, and spreading a fifth of
    the long-term mass to neighbours (200 m) breaks the many ties between cells with equal small
    counts in favour of cells in busier surroundings. Defaults were tuned on NYC 2015 weeks only.
    """

    long_tau_days: float | None = 1460.0
    short_tau_days: float = 14.0
    short_weight: float = 1.0
    smooth_weight: float = 0.2
    smooth_bandwidth_m: float = 200.0
    _running: _RunningSpread | None = field(default=None, init=False, repr=False, compare=False)

    def __call__(self, *, data: GriddedEvents, at: float) -> FloatArray:
        """Weighted sum of the three components."""
        hi = data.before(at)
        ages = at - data.events.t[:hi]
        long_w = decay(ages_days=ages, tau_days=self.long_tau_days)
        score = cell_sum(data=data, lo=0, hi=hi, weights=long_w)
        if self.short_weight > 0.0:
            # Older events add less than e^-8 of their weight, so they are skipped for speed.
            lo = data.before(at - 8.0 * self.short_tau_days)
            short_w = decay(ages_days=ages[lo:], tau_days=self.short_tau_days)
            score += self.short_weight * cell_sum(data=data, lo=lo, hi=hi, weights=short_w)
        if self.smooth_weight > 0.0:
            score += self.smooth_weight * self._smoothed(data=data, at=at, hi=hi)
        return score

    def _smoothed(self, *, data: GriddedEvents, at: float, hi: int) -> FloatArray:
        # Smoothing all history anew each week dominates the run time; with exponential decay
        # the previous week's sum only needs scaling down and the new events spread on top.
        run = self._running
        if run is None or run.data is not data or at < run.at:
            run = _RunningSpread(data=data, at=at, hi=0, total=np.zeros(data.grid.n_cells))
        else:
            lag = np.array([at - run.at])
            run.total *= decay(ages_days=lag, tau_days=self.long_tau_days)[0]
            run.at = at
        weights = decay(ages_days=at - data.events.t[run.hi : hi], tau_days=self.long_tau_days)
        run.total += gaussian_spread(
            data=data, lo=run.hi, hi=hi, weights=weights, bandwidth_m=self.smooth_bandwidth_m
        )
        run.hi = hi
        self._running = run
        return run.total.copy()
