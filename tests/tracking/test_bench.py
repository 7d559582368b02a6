"""`siaga bench gps` against a live server: every fix acknowledged is stored."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from tests.conftest import DEMO_PASSWORD


def test_bench_gps_reports_the_named_figures(live_server: Any) -> None:
    from siaga.bench.gps import run_gps_bench
    from siaga.db import get_database
    from siaga.units.models import UnitPosition

    with get_database().session() as session:
        before = session.scalar(select(func.count()).select_from(UnitPosition))
    result = asyncio.run(run_gps_bench(url=live_server.url, n=300, concurrency=8,
                                       user="admin", password=DEMO_PASSWORD, units=20,
                                       org="polsek-sukun"))
    assert {"sent", "stored", "throughput_per_s", "p50_ms", "p99_ms"} <= set(result)
    assert result["sent"] == 300 and result["stored"] == 300 and result["errors"] == 0
    assert result["throughput_per_s"] > 0 and result["p99_ms"] >= result["p50_ms"] > 0
    with get_database().session() as session:
        after = session.scalar(select(func.count()).select_from(UnitPosition))
    assert after - before == 300
