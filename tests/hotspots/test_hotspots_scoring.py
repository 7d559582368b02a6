"""Scoring rules of `siaga eval hotspots`, checked against small hand-computed cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from siaga.hotspots.evaluation import evaluate
from siaga.hotspots.grid import Grid, cells_within
from siaga.hotspots.scoring import expected_hits, flagged_count, hit_rate


def test_flagged_count_is_ceiling_without_float_noise() -> None:
    assert flagged_count(coverage=0.01, area_cells=300) == 3  # 0.01 * 300 is 3.0000000000000004
    assert flagged_count(coverage=0.05, area_cells=201) == 11  # ceil(10.05)
    assert flagged_count(coverage=0.01, area_cells=58) == 1
    assert flagged_count(coverage=0.05, area_cells=58) == 3


def test_ties_at_the_cut_share_their_hits() -> None:
    scores = np.array([5.0, 3.0, 3.0, 3.0, 1.0, 0.0])
    hits = np.array([1.0, 0.0, 2.0, 1.0, 4.0, 0.0])
    # Two slots: cell 0 for sure, then one slot for three cells tied at 3 -> 1 + (0+2+1) / 3.
    assert expected_hits(scores=scores, hits=hits, flagged=2) == pytest.approx(2.0)
    # Four slots take every tied cell whole.
    assert expected_hits(scores=scores, hits=hits, flagged=4) == pytest.approx(4.0)


def test_events_outside_the_area_count_in_the_denominator() -> None:
    scores = np.array([2.0, 1.0, 0.0, 0.0])
    hits = np.array([1.0, 1.0, 0.0, 0.0])
    # Two of the week's five events fell outside the area; coverage 0.25 flags one cell.
    assert hit_rate(scores=scores, hits=hits, coverage=0.25, total_events=5) == pytest.approx(0.2)


def test_study_area_is_cells_with_centre_within_300_m() -> None:
    grid = Grid(x0=-1000.0, y0=-1000.0, cell_m=100.0, nx=20, ny=20)
    # One event on a cell centre: centres at (i, j) * 100 m with i^2 + j^2 <= 9 -> 29 cells.
    area = cells_within(grid=grid, x=np.array([50.0]), y=np.array([50.0]), radius_m=300.0)
    assert area.size == 29


def _write(path: Path, rows: list[tuple[str, float, float]]) -> None:
    lines = ["date,x_m,y_m"] + [f"{d},{x},{y}" for d, x, y in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_evaluate_tiny_example_by_hand(tmp_path: Path) -> None:
    hot, warm = (50.0, 50.0), (5050.0, 50.0)
    history = [("2024-01-01 10:00", *hot)] * 3 + [("2024-01-02 10:00", *warm)]
    week = [
        ("2024-02-05 00:00", *hot),  # exactly at the week start: a test event, not history
        ("2024-02-06 12:00", 150.0, 50.0),  # in the area, in a cell that scores 0
        ("2024-02-07 12:00", 2550.0, 50.0),  # over 300 m from any past event: outside the area
    ]
    csv = tmp_path / "events.csv"
    _write(csv, history + week)
    out = evaluate(data_csv=csv, test_from=date(2024, 2, 5), weeks=1, cell_m=100.0, method="counts")
    # Area: 29 + 29 cells. 1% flags ceil(0.58) = 1 cell (the hot one): 1 of 3 events.
    # 5% flags ceil(2.9) = 3: hot, warm, then one slot shared by the 56 zero cells, one of which
    # holds a test event -> (1 + 0 + 1/56) / 3.
    assert out["hit_rate_1"] == pytest.approx(1 / 3, abs=1e-6)
    assert out["pai_1"] == pytest.approx(100 / 3, abs=1e-3)
    assert out["hit_rate_5"] == pytest.approx((1 + 1 / 56) / 3, abs=1e-6)
    assert out["pai_5"] == pytest.approx((1 + 1 / 56) / 3 / 0.05, abs=1e-3)
    assert out["weeks"] == 1
    assert out["method"] == "counts"
    assert out["test_events"] == 3


def test_evaluate_reads_lon_lat_columns(tmp_path: Path) -> None:
    csv = tmp_path / "lonlat.csv"
    rows = ["uid,date_single,longitude,latitude"]
    rows += [f"{i},2024-01-0{1 + i % 5} 08:00,112.6300,-7.9800" for i in range(5)]
    rows += ["9,2024-01-03 08:00,112.6500,-7.9600", "10,2024-01-09 09:30,112.6300,-7.9800"]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = evaluate(data_csv=csv, test_from=date(2024, 1, 8), weeks=1, method="counts")
    assert out["hit_rate_1"] == pytest.approx(1.0)
    assert out["weeks"] == 1


def test_auto_falls_back_to_the_default_without_history_to_validate(tmp_path: Path) -> None:
    csv = tmp_path / "short.csv"
    _write(csv, [("2024-01-01 10:00", 50.0, 50.0), ("2024-01-09 10:00", 50.0, 50.0)])
    out = evaluate(data_csv=csv, test_from=date(2024, 1, 8), weeks=1, cell_m=100.0)
    assert out["method"] == "ensemble"
    assert out["selection"]["rule"].startswith("default")
    assert set(out["methods"]) == {"counts", "prev_week", "kde", "ensemble", "sepp"}
    assert out["hit_rate_1"] == pytest.approx(1.0)
