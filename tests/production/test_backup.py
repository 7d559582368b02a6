"""`siaga backup` while the server writes, and `siaga restore` into an empty place."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from siaga.config import Settings
from siaga.errors import Conflict
from siaga.ops.backup import backup_sqlite
from tests.conftest import KLOJEN, REPO
from tests.production.conftest import Server, migrate_and_load, new_device

pytestmark = pytest.mark.slow


def _siaga(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "siaga.cli.main", *args], cwd=REPO,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def _sqlite_env(tmp: Path, name: str) -> dict[str, str]:
    return {"SIAGA_ENV": "test", "SIAGA_DATA_DIR": str(tmp / name),
            "SIAGA_DATABASE_URL": f"sqlite:///{tmp / name / 'siaga.db'}",
            "SIAGA_ALARM_RATE_PER_IP_PER_MINUTE": "100000", "SIAGA_REDIS_URL": ""}


def _alarm_ids(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT client_id FROM alarms")}


def test_backup_under_load_restores_everything_it_confirmed(tmp_path: Path) -> None:
    live = _sqlite_env(tmp_path, "live")
    migrate_and_load(live)
    server = Server(live).start()
    stop = threading.Event()
    confirmed: list[str] = []

    def keep_writing() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            tokens = [new_device(client) for _ in range(20)]
            i = 0
            while not stop.is_set():
                client_id = str(uuid.uuid4())
                response = client.post(
                    "/api/v1/alarms", json={"client_id": client_id, "lat": KLOJEN[0],
                                            "lon": KLOJEN[1]},
                    headers={"Authorization": f"Bearer {tokens[i % len(tokens)]}"})
                if response.status_code == 201:
                    confirmed.append(client_id)
                i += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(confirmed) < 20:
            stop.wait(0.05)
        out = tmp_path / "copies" / "siaga-backup.db"
        result = _siaga(live, "backup", "--out", str(out))
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["backup"] == str(out) and report["bytes"] > 0
        with pytest.raises(Conflict, match="sudah ada"):
            backup_sqlite(Settings(database_url=live["SIAGA_DATABASE_URL"]), out=out)
    finally:
        stop.set()
        writer.join()
        server.stop()
    with sqlite3.connect(out) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    in_backup = _alarm_ids(out)
    assert in_backup and in_backup <= _alarm_ids(tmp_path / "live" / "siaga.db")

    fresh = _sqlite_env(tmp_path, "restored")
    restored = _siaga(fresh, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert _alarm_ids(tmp_path / "restored" / "siaga.db") == in_backup
    refused = _siaga(fresh, "restore", str(out))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert _siaga(fresh, "restore", str(out), "--force").returncode == 0
    assert _alarm_ids(tmp_path / "restored" / "siaga.db") == in_backup
    with sqlite3.connect(tmp_path / "restored" / "siaga.db") as conn:
        users = {row[0] for row in conn.execute("SELECT username FROM users")}
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert {"operator", "admin"} <= users and revision


def test_restore_refuses_what_is_not_a_siaga_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    with sqlite3.connect(junk) as conn:
        conn.execute("CREATE TABLE x (y)")
    result = _siaga(_sqlite_env(tmp_path, "target"), "restore", str(junk))
    assert result.returncode == 2 and "bukan basis data Siaga" in result.stderr
    assert not (tmp_path / "target" / "siaga.db").exists()


def test_backup_of_postgresql_points_to_pg_dump(tmp_path: Path) -> None:
    env = {"SIAGA_ENV": "test", "SIAGA_DATA_DIR": str(tmp_path),
           "SIAGA_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/siaga_none"}
    result = _siaga(env, "backup")
    assert result.returncode == 2 and "pg_dump" in result.stderr
