"""Answered means stored: SQLite syncs every commit, PostgreSQL's unsafe settings are reported."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text


def test_sqlite_connections_sync_every_commit(tmp_path: Path) -> None:
    # An engine of the embedded default's own, whatever database this run uses.
    from siaga.config import Settings
    from siaga.db import make_engine

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'durability.db'}",
                        data_dir=tmp_path)
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
    finally:
        engine.dispose()


@pytest.mark.parametrize(("values", "named"), [
    ({"synchronous_commit": "off", "fsync": "on"}, ["synchronous_commit"]),
    ({"synchronous_commit": "local", "fsync": "off"}, ["synchronous_commit", "fsync"]),
])
def test_unsafe_postgresql_settings_are_logged_at_start(
        values: dict[str, str], named: list[str], monkeypatch: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    from siaga import durability

    class _PostgresEngine:
        class dialect:  # noqa: N801 - mimics Engine.dialect
            name = "postgresql"

    monkeypatch.setattr(durability, "read_durability_settings", lambda _engine: values)
    with caplog.at_level(logging.WARNING, logger="siaga.durability"):
        problems = durability.check_durability(_PostgresEngine())  # type: ignore[arg-type]
    assert len(problems) == len(named)
    for name in named:
        assert any(f"{name}={values[name]}" in r.getMessage() for r in caplog.records)


def test_safe_postgresql_settings_log_nothing() -> None:
    from siaga.durability import durability_warnings

    assert durability_warnings({"synchronous_commit": "on", "fsync": "on"}) == []


def test_the_running_database_is_checked_without_error(siaga_env: dict[str, str]) -> None:
    from siaga.db import get_database
    from siaga.durability import check_durability, read_durability_settings

    engine = get_database().engine
    if engine.dialect.name == "postgresql":
        values = read_durability_settings(engine)
        assert set(values) == {"synchronous_commit", "fsync"}
    assert isinstance(check_durability(engine), list)
