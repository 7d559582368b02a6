"""Database engine and sessions, SQLite write serialisation, Core write helpers.

The base, column types and clock live in `siaga.orm` (re-exported here).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Engine, Table, create_engine, event, text
from sqlalchemy.orm import (
    ORMExecuteState,
    Session,
    SessionTransaction,
    sessionmaker,
)
from sqlalchemy.sql.expression import Executable

import siaga.models  # noqa: F401  (every mapper must be known before the first query)
from siaga.config import Settings, get_settings
from siaga.orm import NAMING as NAMING
from siaga.orm import Base as Base
from siaga.orm import JSONType as JSONType
from siaga.orm import UTCDateTime as UTCDateTime
from siaga.orm import simulated_clock as simulated_clock
from siaga.orm import utcnow as utcnow

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


def _take_write_turn(session: Session) -> None:
    """This process's SQLite write turn for the session's transaction (released at its end)."""
    if not session.info.get(_LOCK_KEY):
        _sqlite_write_lock.acquire()
        session.info[_LOCK_KEY] = True


def _install_sqlite_write_lock(factory: sessionmaker[Session]) -> None:
    @event.listens_for(factory, "before_flush")
    def _acquire(session: Session, _ctx: Any, _instances: Any) -> None:
        _take_write_turn(session)

    @event.listens_for(factory, "do_orm_execute")
    def _acquire_for_dml(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            _take_write_turn(state.session)

    @event.listens_for(factory, "after_transaction_end")
    def _release(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None and session.info.pop(_LOCK_KEY, False):
            _sqlite_write_lock.release()


def take_turns(session: Session, *, space: int, keys: Iterable[int]) -> None:
    """Make transactions that decide on the same keys take turns until each commits.

    PostgreSQL: one advisory transaction lock per key, taken in key order (two batches never
    deadlock). SQLite has one writer at a time: this process's write turn is taken now, before
    the reads that decide what to write (one worker per SQLite database, see OPERATIONS)."""
    wanted = sorted(set(keys))
    if not wanted:
        return
    if session.get_bind().dialect.name == "sqlite":
        _take_write_turn(session)
        session.connection()  # the session's transaction holds the turn from here on
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:space, k) FROM "
                         "(SELECT unnest(CAST(:keys AS integer[])) AS k ORDER BY 1) AS ordered"),
                    {"space": space, "keys": wanted})


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
    if session.get_bind().dialect.name == "sqlite":
        _take_write_turn(session)
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
