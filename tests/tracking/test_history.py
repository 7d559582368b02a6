"""History: downsampling old fixes, and the statement count of the intake hot path."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import typer
from sqlalchemy import event, select
from typer.testing import CliRunner

from tests.tracking.helpers import new_unit


def test_downsample_keeps_one_fix_per_minute_for_old_data(client: Any) -> None:
    from siaga.cli import units as units_cli
    from siaga.db import get_database, utcnow
    from siaga.units.models import UnitPosition

    unit = new_unit(client)
    old = (utcnow() - timedelta(days=40)).replace(second=0, microsecond=0)
    recent = utcnow() - timedelta(hours=1)
    with get_database().session() as session:
        for minute in range(3):
            for second in (0, 10, 20, 30, 40, 50):
                session.add(UnitPosition(unit_id=unit["id"], lat=-7.97, lon=112.63,
                                         at=old + timedelta(minutes=minute, seconds=second),
                                         source="osmand"))
        for second in range(0, 60, 5):
            session.add(UnitPosition(unit_id=unit["id"], lat=-7.97, lon=112.63,
                                     at=recent + timedelta(seconds=second), source="osmand"))
    app = typer.Typer()
    groups = {"unit": typer.Typer()}
    units_cli.register(app, groups)
    result = CliRunner().invoke(app, ["tracking", "downsample", "--older-than-days", "30"])
    assert result.exit_code == 0, result.output
    with get_database().session() as session:
        kept = session.scalars(select(UnitPosition.at).where(UnitPosition.unit_id == unit["id"])
                               .order_by(UnitPosition.at)).all()
    old_kept = [t for t in kept if t < utcnow() - timedelta(days=30)]
    assert old_kept == [old + timedelta(minutes=m) for m in range(3)]
    assert len(kept) - len(old_kept) == 12  # recent history untouched


def test_storing_a_batch_takes_a_handful_of_statements(client: Any) -> None:
    from siaga.db import get_database, utcnow
    from siaga.tracking.protocols import Fix
    from siaga.tracking.service import store_fixes

    units = [new_unit(client) for _ in range(5)]
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.split()[0].upper())

    engine = get_database().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for size in (1, 20):
            statements.clear()
            now = utcnow()
            fixes = [Fix(tracker_id=units[i % 5]["tracker_id"], lat=-7.97 + i * 1e-5,
                         lon=112.63, at=now - timedelta(seconds=60 - i), source="osmand")
                     for i in range(size)]
            with get_database().session() as session:
                results = store_fixes(session, fixes=fixes)
            assert all(r.status == "stored" for r in results)
            # SELECT the units' details (only when not cached) and their last positions; one
            # event per unit moved; INSERT positions and UPDATE units as one executemany each,
            # however many fixes the batch holds.
            moved = min(size, 5)
            assert len([s for s in statements if s in ("SELECT", "INSERT", "UPDATE")]) <= (
                4 + moved), (size, statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
