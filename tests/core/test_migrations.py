"""The migrations are one linear history that builds exactly the schema the models describe."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

import siaga.models  # noqa: F401  (registers every table)
from siaga.db import Base
from siaga.migrate import MIGRATIONS_DIR, alembic_config, upgrade


@pytest.fixture()
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    """A database of its own, apart from the suite's shared one, on the dialect under test."""
    url = os.environ.get("SIAGA_TEST_DATABASE_URL", "")
    if not url:
        engine = create_engine(f"sqlite:///{tmp_path / 'migrations.db'}")
        yield engine
        engine.dispose()
        return
    name = f"siaga_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(make_url(url).set(database=name))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _run(engine: Engine, action: str, revision: str) -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def test_history_has_one_head() -> None:
    config = alembic_config(create_engine("sqlite://"))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"migrations have several heads, merge them: {heads}"
    assert MIGRATIONS_DIR.is_dir()


def test_migrations_build_what_the_models_describe(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    assert _differences(empty_engine) == []


def test_every_revision_downgrades_and_upgrades_again(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    _run(empty_engine, "downgrade", "base")
    with empty_engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == ()
    _run(empty_engine, "upgrade", "heads")
    assert _differences(empty_engine) == []
