"""Self-exciting point process on a grid (Mohler et al. 2011 JASA; grid form of the 2015 trial).

Intensity in cell n at time t: mu_n + sum over past events i of
theta * omega * exp(-omega (t - t_i)) * Gaussian_sigma(distance to event i), fitted by EM with
stochastic declustering: each event is split into "background" and "triggered by event j".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from siaga.hotspots.grid import FloatArray, IntArray
from siaga.hotspots.kernels import GriddedEvents, gaussian_spread


@dataclass(frozen=True)
class SeppFit:
    """Fitted parameters: background rate per cell per day, and the triggering kernel."""

    mu: FloatArray
    theta: float
    omega: float
    sigma_m: float


@dataclass(frozen=True)
class _Pairs:
    """Close event pairs of one data set, ordered by the later event's index."""

    data: GriddedEvents
    later: IntArray
    lag: FloatArray
    d2: FloatArray


def _close_pairs(*, data: GriddedEvents, radius_m: float, max_lag_days: float) -> _Pairs:
    """Every (earlier, later) pair within `radius_m` and `max_lag_days`, found once per data set.

    Events are time-sorted, so the pairs among the first `hi` events are exactly the prefix
    with later < hi: a fit for time `at` takes that prefix and sees nothing from `at` on.
    """
    xy = np.column_stack((data.events.x, data.events.y))
    found = cKDTree(xy).query_pairs(radius_m, output_type="ndarray").astype(np.int64)
    found = found.reshape(-1, 2)
    # query_pairs gives i < j in no set order; sorting by (later, earlier) makes the prefix
    # rule hold and the sums come out the same whichever events the tree was built on.
    earlier, later = found[:, 0], found[:, 1]
    order = np.lexsort((earlier, later))
    earlier, later = earlier[order], later[order]
    lag = data.events.t[later] - data.events.t[earlier]
    keep = (lag > 0.0) & (lag <= max_lag_days)
    earlier, later, lag = earlier[keep], later[keep], lag[keep]
    d2 = (xy[later, 0] - xy[earlier, 0]) ** 2 + (xy[later, 1] - xy[earlier, 1]) ** 2
    return _Pairs(data=data, later=later, lag=lag, d2=d2)


@dataclass
class SelfExcitingProcess:
    """Weekly forecasts from a SEPP refitted on all events before each forecast time.

    The last fit seeds the next one (warm start), which changes only how fast EM converges:
    every fit still uses nothing at or after its forecast time.
    """

    radius_m: float = 500.0
    max_lag_days: float = 90.0
    # Addresses are geocoded, so many events share exact coordinates; the floor keeps the
    # Gaussian from collapsing onto them.
    min_sigma_m: float = 25.0
    max_iterations: int = 200
    # EM stops once no kernel parameter moves by more than this fraction in one step.
    tolerance: float = 1e-3
    last: SeppFit | None = None
    _pairs: _Pairs | None = field(default=None, init=False, repr=False, compare=False)

    def fit(self, *, data: GriddedEvents, at: float) -> SeppFit:
        """EM estimate from the events before `at`."""
        hi = data.before(at)
        n_cells = data.grid.n_cells
        if hi == 0:
            return SeppFit(mu=np.zeros(n_cells), theta=0.0, omega=1.0, sigma_m=self.min_sigma_m)
        cells = data.cell[:hi]
        cell_area = data.grid.cell_m**2
        span = max(1.0, at - float(data.events.t[0]))
        if self._pairs is None or self._pairs.data is not data:
            self._pairs = _close_pairs(
                data=data, radius_m=self.radius_m, max_lag_days=self.max_lag_days
            )
        n_pairs = int(np.searchsorted(self._pairs.later, hi, side="left"))
        later = self._pairs.later[:n_pairs]
        lag = self._pairs.lag[:n_pairs]
        d2 = self._pairs.d2[:n_pairs]
        on_grid = cells >= 0
        safe_cells = np.where(on_grid, cells, 0)
        prev = self.last
        # A previous fit with no triggering would pin EM at theta = 0, so it restarts cold.
        theta, omega, sigma = 0.1, 0.1, 100.0
        if prev is not None and prev.theta > 0.0:
            theta, omega, sigma = prev.theta, prev.omega, prev.sigma_m
        mu = np.bincount(cells[on_grid], minlength=n_cells) / span
        for _ in range(self.max_iterations):
            trig = (
                theta
                * omega
                * np.exp(-omega * lag - d2 / (2.0 * sigma**2))
                / (2 * math.pi * sigma**2)
            )
            background = np.where(on_grid, mu[safe_cells] / cell_area, 0.0)
            total = background + np.bincount(later, weights=trig, minlength=hi)
            total = np.maximum(total, 1e-300)
            p_trig = trig / total[later]
            p_back = background / total
            mu = np.bincount(cells[on_grid], weights=p_back[on_grid], minlength=n_cells) / span
            mass = float(p_trig.sum())
            if mass < 1e-9:
                theta = 0.0
                break
            new_omega = max(1.0 / self.max_lag_days, mass / float((p_trig * lag).sum()))
            new_sigma = math.sqrt(float((p_trig * d2).sum()) / (2.0 * mass))
            new_sigma = min(max(new_sigma, self.min_sigma_m), self.radius_m / 3.0)
            step = max(
                abs(mass / hi - theta) / theta,
                abs(new_omega - omega) / omega,
                abs(new_sigma - sigma) / sigma,
            )
            theta, omega, sigma = mass / hi, new_omega, new_sigma
            if step < self.tolerance:
                break
        fit = SeppFit(mu=mu, theta=theta, omega=omega, sigma_m=sigma)
        self.last = fit
        return fit

    def __call__(self, *, data: GriddedEvents, at: float) -> FloatArray:
        """Expected events per cell over the 7 days from `at`."""
        fit = self.fit(data=data, at=at)
        score = 7.0 * fit.mu
        if fit.theta <= 0.0:
            return score
        # Offspring expected within the week from each past event; older ones add nothing.
        lo = data.before(at - 20.0 / fit.omega)
        hi = data.before(at)
        ages = at - data.events.t[lo:hi]
        weeks_share = np.exp(-fit.omega * ages) * (1.0 - math.exp(-7.0 * fit.omega))
        return score + gaussian_spread(
            data=data, lo=lo, hi=hi, weights=fit.theta * weeks_share, bandwidth_m=fit.sigma_m
        )
