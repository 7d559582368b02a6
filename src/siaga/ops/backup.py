"""Online backup and restore of the SQLite database (PostgreSQL uses pg_dump; see OPERATIONS.md)."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from siaga.config import Settings
from siaga.errors import Conflict, Invalid

PAGES_PER_STEP = 1024


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    tables: int


def sqlite_path(settings: Settings) -> Path:
    """The database file behind a SQLite URL; refuses other databases."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() != "sqlite":
        raise Invalid("siaga backup/restore menangani SQLite; untuk PostgreSQL gunakan pg_dump "
                      "dan pg_restore (lihat docs/OPERATIONS.md)", field="database_url")
    if not url.database or url.database == ":memory:":
        raise Invalid("Basis data SQLite di memori tidak bisa dicadangkan", field="database_url")
    return Path(url.database)


def default_backup_path(settings: Settings) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return settings.data_dir / "backups" / f"siaga-{stamp}.db"


def _check(conn: sqlite3.Connection, *, what: str) -> int:
    result = conn.execute("PRAGMA integrity_check").fetchone()
    if not result or result[0] != "ok":
        raise Invalid(f"{what} rusak: {result[0] if result else 'tidak terbaca'}")
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in names:
        raise Invalid(f"{what} bukan basis data Siaga (tabel alembic_version tidak ada)")
    return len(names)


def backup_sqlite(settings: Settings, *, out: Path | None = None) -> BackupResult:
    """Copy the live database page by page (consistent while the server keeps writing)."""
    source_path = sqlite_path(settings)
    if not source_path.exists():
        raise Invalid(f"Basis data tidak ditemukan: {source_path}")
    target = out or default_backup_path(settings)
    if target.exists():
        raise Conflict(f"Berkas cadangan sudah ada: {target}", field="out")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        # Small steps let the server's writers in between; SQLite restarts a step whose pages
        # another connection changed, so the copy is one consistent snapshot.
        source.backup(copy, pages=PAGES_PER_STEP)
        tables = _check(copy, what="Salinan")
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    os.replace(partial, target)
    return BackupResult(path=target, bytes=target.stat().st_size, tables=tables)


def restore_sqlite(settings: Settings, *, backup: Path, force: bool = False) -> BackupResult:
    """Replace the database with a backup; refuses to overwrite one that exists unless forced."""
    target = sqlite_path(settings)
    if not backup.is_file():
        raise Invalid(f"Berkas cadangan tidak ditemukan: {backup}", field="file")
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        tables = _check(source, what="Berkas cadangan")
        if target.exists() and target.stat().st_size > 0 and not force:
            raise Conflict(f"Basis data {target} sudah ada; tambahkan --force untuk menimpanya "
                           "(hentikan server terlebih dahulu)", field="force")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Writing through SQLite (not copying the file) keeps the WAL and its readers coherent.
        live = sqlite3.connect(target, timeout=30)
        try:
            source.backup(live)
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _check(live, what="Basis data hasil pemulihan")
        finally:
            live.close()
    finally:
        source.close()
    return BackupResult(path=target, bytes=target.stat().st_size, tables=tables)
