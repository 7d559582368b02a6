"""Prospective weekly evaluation behind `siaga eval hotspots` (rules in INTERFACES.md).

For each 7-day week from the test start, a method sees only the events before the week starts
and ranks the study-area cells; the week's events caught by the top 1% and 5% of cells give the
hit rate, and hit rate / coverage gives the PAI. "auto" picks the method by the same procedure
run on the weeks just before the test start, so the choice never sees a test week.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from siaga.hotspots.events import load_events_csv, to_days
from siaga.hotspots.grid import cells_within, grid_covering
from siaga.hotspots.kernels import GriddedEvents, grid_events
from siaga.hotspots.predict import DEFAULT_METHOD, METHOD_NAMES, STUDY_RADIUS_M, make_method
from siaga.hotspots.scoring import hit_rate

COVERAGES = {"1": 0.01, "5": 0.05}
VALIDATION_WEEKS = 26
# Below this much history before the validation weeks, validation says little; use the default.
MIN_VALIDATION_HISTORY_DAYS = 56.0


@dataclass(frozen=True)
class MethodScore:
    """Mean weekly hit rate per coverage key ("1", "5") over the scored weeks."""

    hit_rates: dict[str, float]
    weeks: int
    seconds: float

    def as_dict(self) -> dict[str, float]:
        """Hit rates and PAIs under the CLI's key names."""
        out: dict[str, float] = {}
        for key, coverage in COVERAGES.items():
            out[f"hit_rate_{key}"] = round(self.hit_rates[key], 6)
            out[f"pai_{key}"] = round(self.hit_rates[key] / coverage, 4)
        out["seconds"] = round(self.seconds, 3)
        return out


def score_method(*, data: GriddedEvents, method: str, start: float, weeks: int) -> MethodScore:
    """Run one method prospectively over `weeks` weeks from `start` (days since epoch)."""
    began = time.perf_counter()
    history = data.before(start)
    if history == 0:
        raise ValueError("no events before the first test week, so there is no study area")
    area = cells_within(
        grid=data.grid,
        x=data.events.x[:history],
        y=data.events.y[:history],
        radius_m=STUDY_RADIUS_M,
    )
    # Position of every grid cell in the area vector; -1 marks cells outside the area.
    slot = np.full(data.grid.n_cells, -1, dtype=np.int64)
    slot[area] = np.arange(area.size)
    scorer = make_method(name=method)
    sums = dict.fromkeys(COVERAGES, 0.0)
    scored = 0
    for week in range(weeks):
        week_start = start + 7.0 * week
        lo, hi = data.before(week_start), data.before(week_start + 7.0)
        if hi == lo:
            continue  # a week without events has no hit rate; it is left out of the mean
        scores = scorer(data=data, at=week_start)[area]
        cells = data.cell[lo:hi]
        in_area = slot[cells[cells >= 0]]
        in_area = in_area[in_area >= 0]
        hits = np.bincount(in_area, minlength=area.size).astype(np.float64)
        for key, coverage in COVERAGES.items():
            sums[key] += hit_rate(scores=scores, hits=hits, coverage=coverage, total_events=hi - lo)
        scored += 1
    if scored == 0:
        raise ValueError("no events in any test week")
    return MethodScore(
        hit_rates={k: v / scored for k, v in sums.items()},
        weeks=scored,
        seconds=time.perf_counter() - began,
    )


def _selection_score(score: MethodScore) -> float:
    return (score.hit_rates["1"] + score.hit_rates["5"]) / 2.0


def select_method(*, data: GriddedEvents, test_start: float) -> tuple[str, dict[str, Any]]:
    """Pick the method with the best mean of 1% and 5% hit rates on the weeks before the test."""
    val_start = test_start - 7.0 * VALIDATION_WEEKS
    first = float(data.events.t[0]) if data.events.size else val_start
    if val_start - first < MIN_VALIDATION_HISTORY_DAYS:
        return DEFAULT_METHOD, {"rule": "default: too little history before the test to validate"}
    results = {
        name: score_method(data=data, method=name, start=val_start, weeks=VALIDATION_WEEKS)
        for name in METHOD_NAMES
    }
    # Listing the default first makes it win exact ties.
    order = [DEFAULT_METHOD] + [n for n in METHOD_NAMES if n != DEFAULT_METHOD]
    best = max(order, key=lambda n: _selection_score(results[n]))
    report = {
        "rule": "best mean of hit_rate_1 and hit_rate_5 on the weeks before test_from",
        "validation_weeks": VALIDATION_WEEKS,
        "validation_from": (date(1970, 1, 1) + timedelta(days=val_start)).isoformat(),
        "scores": {n: r.as_dict() for n, r in results.items()},
    }
    return best, report


def evaluate(
    *, data_csv: Path, test_from: date, weeks: int = 44, cell_m: float = 150.0, method: str = "auto"
) -> dict[str, Any]:
    """Weekly prospective hot-spot evaluation; the JSON object `siaga eval hotspots` prints."""
    began = time.perf_counter()
    if weeks < 1 or cell_m <= 0:
        raise ValueError("weeks must be at least 1 and cell_m positive")
    if method != "auto" and method not in METHOD_NAMES:
        raise ValueError(f"unknown method {method!r}; choose auto or one of {METHOD_NAMES}")
    events = load_events_csv(path=data_csv)
    if events.size == 0:
        raise ValueError(f"{data_csv}: no events")
    grid = grid_covering(x=events.x, y=events.y, cell_m=cell_m, margin_m=STUDY_RADIUS_M + cell_m)
    data = grid_events(events=events, grid=grid)
    start = to_days(test_from)
    selection: dict[str, Any] | None = None
    if method == "auto":
        chosen, selection = select_method(data=data, test_start=start)
        names = list(METHOD_NAMES)
    else:
        chosen, names = method, [method]
    results = {n: score_method(data=data, method=n, start=start, weeks=weeks) for n in names}
    best = results[chosen]
    out: dict[str, Any] = {k: v for k, v in best.as_dict().items() if k != "seconds"}
    out["weeks"] = best.weeks
    out["method"] = chosen
    out["methods"] = {n: r.as_dict() for n, r in results.items()}
    if selection is not None:
        out["selection"] = selection
    out["cell_m"] = cell_m
    out["test_from"] = test_from.isoformat()
    out["test_events"] = data.before(start + 7.0 * weeks) - data.before(start)
    out["seconds"] = round(time.perf_counter() - began, 3)
    return out
