"""Database engine, sessions and the portable column types every model uses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, DateTime, Engine, MetaData, Table, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import (
    DeclarativeBase,
    ORMExecuteState,
    Session,
    SessionTransaction,
    sessionmaker,
)
from sqlalchemy.sql.expression import Executable
from sqlalchemy.types import TypeDecorator

from siaga.config import Settings, get_settings

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


# SQLite allows one writer at a time; its busy handler sleeps in growing steps, which wrecks
# tail latency under load. Serialising write transactions in-process keeps waits short and fair.
_sqlite_write_lock = threading.Lock()
_LOCK_KEY = "siaga_write_lock"


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before anyone is answered, so an alarm answered 201
        # survives a power cut, not only a crash. The group-commit writers pay one sync per
        # batch, not per alarm.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()


def _install_sqlite_write_lock(factory: sessionmaker[Session]) -> None:
    @event.listens_for(factory, "before_flush")
    def _acquire(session: Session, _ctx: Any, _instances: Any) -> None:
        if not session.info.get(_LOCK_KEY):
            _sqlite_write_lock.acquire()
            session.info[_LOCK_KEY] = True

    @event.listens_for(factory, "do_orm_execute")
    def _acquire_for_dml(state: ORMExecuteState) -> None:
        if (state.is_insert or state.is_update or state.is_delete) and not state.session.info.get(
            _LOCK_KEY
        ):
            _sqlite_write_lock.acquire()
            state.session.info[_LOCK_KEY] = True

    @event.listens_for(factory, "after_transaction_end")
    def _release(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None and session.info.pop(_LOCK_KEY, False):
            _sqlite_write_lock.release()


def table_of(model: type[Base]) -> Table:
    """The Core table behind a mapped class."""
    return cast(Table, model.__table__)


def execute_write(
    session: Session, statement: Executable, params: dict[str, Any] | list[dict[str, Any]]
) -> Any:
    """Run a Core INSERT/UPDATE/DELETE (one row, or many from a list) in the session's
    transaction, skipping the ORM.

    For rows written on every request (audit, events, timelines) the unit of work costs more
    than the write. On SQLite the statement first takes this process's write turn, exactly as a
    flush would, so Core and ORM writers never wait on each other's database lock.
    """
    if not session.info.get(_LOCK_KEY) and session.get_bind().dialect.name == "sqlite":
        _sqlite_write_lock.acquire()
        session.info[_LOCK_KEY] = True
    return session.connection().execute(statement, params)


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database, tuned per backend."""
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=16,
            max_overflow=16,
        )
        _install_sqlite_pragmas(engine)
        return engine
    # A database that does not answer must fail a request in seconds, not hang it for minutes.
    return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True,
                         connect_args={"connect_timeout": 5})


class Database:
    """The engine and session factory of one process."""

    def __init__(self, settings: Settings) -> None:
        import siaga.models  # noqa: F401  (every mapper must be known before the first query)

        self.settings = settings
        self.engine = make_engine(settings)
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)
        if settings.is_sqlite:
            _install_sqlite_write_lock(self.session_factory)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        session = self.session_factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


_database: Database | None = None
_database_lock = threading.Lock()


def get_database() -> Database:
    """The process-wide database, created on first use."""
    global _database
    with _database_lock:
        if _database is None:
            _database = Database(get_settings())
        return _database


def reset_database() -> None:
    """Forget the process-wide database (tests and CLI switch settings)."""
    global _database
    with _database_lock:
        if _database is not None:
            _database.dispose()
        _database = None
