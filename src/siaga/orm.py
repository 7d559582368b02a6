"""The declarative base, the portable column types every model uses, and the clock.

Models import this module only, never `siaga.db` (which opens engines and imports every model):
that keeps the model registry free of an import cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both SQLite (which has no zones) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Siaga stores timezone-aware UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONType = JSON


# Only `siaga demo load` sets this: it replays a year of activity through the real services,
# which stamp their rows with utcnow(). A context variable keeps it to the loading thread.
_simulated_now: ContextVar[datetime | None] = ContextVar("siaga_simulated_now", default=None)


def utcnow() -> datetime:
    """Now, timezone-aware UTC (the simulated time while `simulated_clock` is set)."""
    return _simulated_now.get() or datetime.now(UTC)


@contextmanager
def simulated_clock(at: datetime) -> Iterator[None]:
    """Let utcnow() answer `at` in this thread until the block ends (demo history only)."""
    token = _simulated_now.set(at.astimezone(UTC))
    try:
        yield
    finally:
        _simulated_now.reset(token)
