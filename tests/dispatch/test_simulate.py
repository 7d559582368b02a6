"""`siaga simulate` and `siaga bench recommend` through the command line."""

from __future__ import annotations

import json
from typing import Any


def _run(*args: str) -> dict[str, Any]:
    from typer.testing import CliRunner

    from siaga.cli.main import _register, app

    _register()
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output.strip().splitlines()[-1])
    return data


def test_simulate_small_run_nearest_beats_polsek_desk(siaga_env: Any) -> None:
    from sqlalchemy import func, select

    from siaga.alarms.models import Alarm
    from siaga.db import get_database

    with get_database().session() as session:
        before = session.scalar(select(func.count()).select_from(Alarm))
    common = ["simulate", "--org", "polres-malang-kota", "--hours", "3", "--seed", "7",
              "--rate", "6"]
    nearest = _run(*common, "--policy", "nearest")
    polsek = _run(*common, "--policy", "polsek")
    for result in (nearest, polsek):
        assert result["alarms"] >= 5
        assert 0 <= result["reached_within_10_min_share"] <= 1
        assert result["p90_response_s"] >= result["median_response_s"] > 0
    assert nearest["alarms"] == polsek["alarms"]  # same seed, same alarms
    assert polsek["desk_dispatches"] == polsek["alarms"]
    assert nearest["mean_response_s"] < polsek["mean_response_s"]
    assert nearest["reached_within_10_min_share"] >= polsek["reached_within_10_min_share"]
    # The real database is untouched.
    with get_database().session() as session:
        assert session.scalar(select(func.count()).select_from(Alarm)) == before


def test_simulate_refuses_unknown_policy() -> None:
    from typer.testing import CliRunner

    from siaga.cli.main import _register, app

    _register()
    result = CliRunner().invoke(app, ["simulate", "--policy", "random", "--hours", "1"])
    assert result.exit_code == 2


def test_bench_recommend_prints_percentiles() -> None:
    result = _run("bench", "recommend", "--units", "200", "--n", "20")
    assert result["units"] == 200 and result["n"] == 20
    assert 0 < result["p50_ms"] <= result["p99_ms"]
