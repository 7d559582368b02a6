"""Method registry and the forecast the app calls: risk per grid cell for the coming week."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from siaga.hotspots.events import events_from_points, to_days
from siaga.hotspots.grid import cells_within, grid_covering, projection_for
from siaga.hotspots.kernels import grid_events
from siaga.hotspots.methods import (
    KernelDensity,
    Method,
    RecencyEnsemble,
    all_history_counts,
    previous_week_counts,
)
from siaga.hotspots.sepp import SelfExcitingProcess

# Cells farther than this from every past event are not part of the study area.
STUDY_RADIUS_M = 300.0

# Chosen by prospective evaluation on NYC vehicle-theft weeks of 2015 (see evaluation.py).
DEFAULT_METHOD = "ensemble"

_FACTORIES: dict[str, Callable[[], Method]] = {
    "counts": lambda: all_history_counts,
    "prev_week": lambda: previous_week_counts,
    "kde": KernelDensity,
    "ensemble": RecencyEnsemble,
    "sepp": SelfExcitingProcess,
}
METHOD_NAMES: tuple[str, ...] = tuple(_FACTORIES)


def make_method(*, name: str) -> Method:
    """A fresh instance of the named method (some keep warm-start state between weeks)."""
    try:
        return _FACTORIES[name]()
    except KeyError:
        raise ValueError(f"unknown hotspot method {name!r}; choose from {METHOD_NAMES}") from None


@dataclass(frozen=True)
class CellRisk:
    """One square cell of the forecast grid: its centre, side length and risk score."""

    lat: float
    lon: float
    size_m: float
    score: float


MAX_GRID_CELLS = 4_000_000
TILE_DEG = 0.25


def _predict_by_tile(*, past: Sequence[tuple[datetime, float, float]], at: datetime,
                     cell_m: float, method: str, limit: int | None) -> list[CellRisk]:
    tiles: dict[tuple[int, int], list[tuple[datetime, float, float]]] = {}
    for event in past:
        key = (int(np.floor(event[1] / TILE_DEG)), int(np.floor(event[2] / TILE_DEG)))
        tiles.setdefault(key, []).append(event)
    cells = [cell for group in tiles.values()
             for cell in predict_cells(events=group, at=at, cell_m=cell_m, method=method,
                                       limit=limit)]
    cells.sort(key=lambda c: (-c.score, c.lat, c.lon))
    return cells[:limit] if limit is not None else cells


def predict_cells(
    *,
    events: Sequence[tuple[datetime, float, float]],
    at: datetime,
    cell_m: float = 150.0,
    method: str = DEFAULT_METHOD,
    limit: int | None = None,
) -> list[CellRisk]:
    """Cells near past (time, lat, lon) events, riskiest first, for the week from `at`."""
    scorer = make_method(name=method)
    cutoff = to_days(at)
    past = [e for e in events if to_days(e[0]) < cutoff]
    if not past:
        return []
    lat = np.array([e[1] for e in past], dtype=np.float64)
    lon = np.array([e[2] for e in past], dtype=np.float64)
    projection = projection_for(lon=lon, lat=lat)
    evs = events_from_points(points=past, projection=projection)
    grid = grid_covering(x=evs.x, y=evs.y, cell_m=cell_m, margin_m=STUDY_RADIUS_M + cell_m)
    if grid.n_cells > MAX_GRID_CELLS:
        # Events of several distant cities (a Polda, or a stray point far away) would need a
        # grid of billions of cells; each city is predicted on its own grid instead.
        return _predict_by_tile(past=past, at=at, cell_m=cell_m, method=method, limit=limit)
    area = cells_within(grid=grid, x=evs.x, y=evs.y, radius_m=STUDY_RADIUS_M)
    scores = scorer(data=grid_events(events=evs, grid=grid), at=cutoff)[area]
    # Stable order on equal scores so that repeated calls return the same list.
    order = np.lexsort((area, -scores))
    if limit is not None:
        order = order[:limit]
    cx, cy = grid.centres(area[order])
    c_lon, c_lat = projection.to_lonlat(cx, cy)
    return [
        CellRisk(lat=float(la), lon=float(lo), size_m=cell_m, score=float(s))
        for la, lo, s in zip(c_lat, c_lon, scores[order], strict=True)
    ]
