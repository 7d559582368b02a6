"""Ranking methods on synthetic crime: a persistent hot spot, background noise, repeat bursts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from siaga.hotspots.events import Events
from siaga.hotspots.grid import Grid, LocalProjection, grid_covering
from siaga.hotspots.kernels import GriddedEvents, grid_events
from siaga.hotspots.predict import METHOD_NAMES, make_method, predict_cells
from siaga.hotspots.sepp import SelfExcitingProcess

HOT = (1225.0, 1875.0)  # metres; the centre of one 150 m cell
SIDE_M = 3000.0
DAYS = 200.0
MALANG = LocalProjection(lon0=112.63, lat0=-7.98)


def _synthetic(seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Background noise, a hot spot (~1 event / 4 days within ~40 m), and two repeat bursts."""
    rng = np.random.default_rng(seed)
    n_bg = 400
    t = [rng.uniform(0.0, DAYS, n_bg)]
    x = [rng.uniform(0.0, SIDE_M, n_bg)]
    y = [rng.uniform(0.0, SIDE_M, n_bg)]
    n_hot = 50
    t.append(rng.uniform(0.0, DAYS, n_hot))
    x.append(HOT[0] + rng.normal(0.0, 20.0, n_hot))
    y.append(HOT[1] + rng.normal(0.0, 20.0, n_hot))
    for cx, cy, start in ((400.0, 500.0, 30.0), (2500.0, 600.0, 120.0)):
        t.append(start + rng.exponential(2.0, 6))
        x.append(cx + rng.normal(0.0, 15.0, 6))
        y.append(cy + rng.normal(0.0, 15.0, 6))
    return np.concatenate(t), np.concatenate(x), np.concatenate(y)


def _data(t: np.ndarray, x: np.ndarray, y: np.ndarray, grid: Grid | None = None) -> GriddedEvents:
    order = np.argsort(t, kind="stable")
    events = Events(t=t[order], x=x[order], y=y[order], projection=None)
    if grid is None:
        grid = grid_covering(x=events.x, y=events.y, cell_m=150.0, margin_m=450.0)
    return grid_events(events=events, grid=grid)


@pytest.mark.parametrize("name", ["counts", "kde", "ensemble", "sepp"])
def test_planted_hotspot_ranks_first(name: str) -> None:
    data = _data(*_synthetic())
    scores = make_method(name=name)(data=data, at=DAYS)
    top = int(np.argmax(scores))
    assert top == int(data.grid.cell_of(np.array([HOT[0]]), np.array([HOT[1]]))[0])


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_no_method_sees_events_at_or_after_the_forecast_time(name: str) -> None:
    t, x, y = _synthetic()
    at = 100.0
    past = t < at
    base = _data(t[past], x[past], y[past])
    # The future holds a huge new hot spot, including events exactly at `at`.
    future_t = np.concatenate([t, np.full(30, at), at + np.linspace(0.0, 5.0, 30)])
    future_x = np.concatenate([x, np.full(60, 2000.0)])
    future_y = np.concatenate([y, np.full(60, 2000.0)])
    full = _data(future_t, future_x, future_y, grid=base.grid)
    expected = make_method(name=name)(data=base, at=at)
    got = make_method(name=name)(data=full, at=at)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name", ["ensemble", "sepp"])
def test_week_by_week_updates_match_a_fresh_fit(name: str) -> None:
    data = _data(*_synthetic())
    rolling = make_method(name=name)
    for at in (60.0, 67.0, 74.0, 150.0):
        got = rolling(data=data, at=at)
    fresh = make_method(name=name)(data=data, at=150.0)
    if name == "ensemble":
        np.testing.assert_allclose(got, fresh, rtol=1e-9, atol=1e-12)
    else:
        # A warm start only changes where EM begins; it stops within tolerance of the same fit.
        np.testing.assert_allclose(got, fresh, rtol=1e-2, atol=1e-4 * float(fresh.max()))


def test_ensemble_favours_a_fresh_burst_over_an_old_one() -> None:
    rng = np.random.default_rng(3)
    t = np.concatenate([rng.uniform(0.0, 10.0, 5), rng.uniform(95.0, 99.0, 5)])
    x = np.concatenate([np.full(5, 300.0), np.full(5, 1500.0)]) + rng.normal(0.0, 10.0, 10)
    y = np.full(10, 300.0) + rng.normal(0.0, 10.0, 10)
    data = _data(t, x, y)
    scores = make_method(name="ensemble")(data=data, at=100.0)
    old, fresh = data.grid.cell_of(np.array([300.0, 1500.0]), np.array([300.0, 300.0]))
    assert scores[fresh] > scores[old]
    # All-history counts cannot tell the two apart.
    counts = make_method(name="counts")(data=data, at=100.0)
    assert counts[fresh] == counts[old]


def _hawkes(
    rng: np.random.Generator, *, theta: float, omega: float, sigma: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Branching simulation: uniform background, offspring exp(omega) later, sigma away."""
    n_bg = 600
    gen = [(rng.uniform(0, 400, n_bg), rng.uniform(0, 5000, n_bg), rng.uniform(0, 5000, n_bg))]
    while gen[-1][0].size:
        pt, px, py = gen[-1]
        kids = rng.poisson(theta, pt.size)
        parent = np.repeat(np.arange(pt.size), kids)
        gen.append(
            (
                pt[parent] + rng.exponential(1.0 / omega, parent.size),
                px[parent] + rng.normal(0.0, sigma, parent.size),
                py[parent] + rng.normal(0.0, sigma, parent.size),
            )
        )
    return tuple(np.concatenate([g[i] for g in gen]) for i in range(3))  # type: ignore[return-value]


def test_sepp_recovers_triggering_parameters() -> None:
    t, x, y = _hawkes(np.random.default_rng(11), theta=0.5, omega=0.5, sigma=40.0)
    data = _data(t, x, y)
    fit = SelfExcitingProcess().fit(data=data, at=400.0)
    assert 0.35 < fit.theta < 0.65
    assert 0.3 < fit.omega < 0.8
    assert 30.0 < fit.sigma_m < 55.0


def _as_points(t: np.ndarray, x: np.ndarray, y: np.ndarray) -> list[tuple[datetime, float, float]]:
    lon, lat = MALANG.to_lonlat(x, y)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        (start + timedelta(days=float(d)), float(la), float(lo))
        for d, la, lo in zip(t, lat, lon, strict=True)
    ]


def test_predict_cells_puts_the_hotspot_first_and_ignores_the_future() -> None:
    points = _as_points(*_synthetic())
    at = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=DAYS)
    cells = predict_cells(events=points, at=at, limit=10)
    assert len(cells) == 10
    assert [c.score for c in cells] == sorted((c.score for c in cells), reverse=True)
    hot_lon, hot_lat = MALANG.to_lonlat(np.array([HOT[0]]), np.array([HOT[1]]))
    # The top cell's centre is within one cell diagonal of the planted spot.
    dx = (cells[0].lon - hot_lon[0]) * 111_320 * np.cos(np.radians(hot_lat[0]))
    dy = (cells[0].lat - hot_lat[0]) * 110_574
    assert np.hypot(dx, dy) < 150.0 * 1.5
    later = points + [(at, cells[-1].lat, cells[-1].lon)] * 50
    assert predict_cells(events=later, at=at, limit=10) == cells


def test_predict_cells_without_history_is_empty() -> None:
    assert predict_cells(events=[], at=datetime(2024, 1, 1, tzinfo=UTC)) == []


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown hotspot method"):
        make_method(name="crystal_ball")
