"""Shared fixtures: one migrated database with the demo tenants per run, real HTTP clients."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DEMO_PASSWORD = "siaga-demo-2026"


def _prepare_database(tmp: Path) -> str:
    url = os.environ.get("SIAGA_TEST_DATABASE_URL", "")
    if not url:
        return f"sqlite:///{tmp / 'siaga-test.db'}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return url


@pytest.fixture(scope="session", autouse=True)
def siaga_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Point Siaga at a fresh database with migrations and demo data applied."""
    tmp = tmp_path_factory.mktemp("siaga")
    env = {
        "SIAGA_ENV": "test",
        "SIAGA_DATA_DIR": str(tmp / "data"),
        "SIAGA_DATABASE_URL": _prepare_database(tmp),
        "SIAGA_ALARM_RATE_PER_IP_PER_MINUTE": "100000",
        "SIAGA_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "SIAGA_GPS_RATE_PER_DEVICE_PER_MINUTE": "100000",
        # The test client's address ("testclient") registers every test's devices and tips.
        "SIAGA_DEVICE_REGISTRATIONS_PER_IP_PER_HOUR": "100000",
        "SIAGA_TIPS_PER_IP_PER_HOUR": "100000",
    }
    os.environ.update(env)
    from siaga.config import get_settings
    from siaga.db import get_database, reset_database
    from siaga.demo.load import load_demo
    from siaga.migrate import upgrade

    get_settings.cache_clear()
    reset_database()
    upgrade(get_database().engine)
    with get_database().session() as session:
        load_demo(session, activity=False)
    yield env
    reset_database()


@pytest.fixture()
def app(siaga_env: dict[str, str]) -> Any:
    from siaga.app import create_app

    return create_app()


@pytest.fixture()
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


def login(client: Any, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Authorization headers of a demo staff member."""
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def register_device(client: Any, pin: str | None = "2468") -> dict[str, str]:
    """A fresh citizen device; returns its headers and id."""
    body: dict[str, Any] = {"phone": f"08{uuid.uuid4().int % 10**10:010d}", "name": "Warga Uji"}
    if pin:
        body["pin"] = pin
    response = client.post("/api/v1/devices", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    return {"Authorization": f"Bearer {data['token']}", "device_id": data["device_id"]}


def device_headers(device: dict[str, str]) -> dict[str, str]:
    return {"Authorization": device["Authorization"]}


# Positions inside the demo tenants.
KLOJEN = (-7.9790, 112.6300)
LOWOKWARU = (-7.9460, 112.6150)
SLAWI = (-6.9830, 109.1390)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, env: dict[str, str], extra_env: dict[str, str] | None = None,
                 workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, **env, **(extra_env or {})}
        # A log file, not a pipe: nobody reads a pipe, and a full one would stall the server.
        self.log_path = Path(env["SIAGA_DATA_DIR"]) / f"server-{self.port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "siaga.cli.main", "serve", "--port", str(self.port),
             "--workers", str(workers)],
            env=full_env, stdout=self._log, stderr=subprocess.STDOUT, cwd=REPO,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log_path.read_text(errors="replace")[-4000:])
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self._log.close()


@pytest.fixture()
def live_server(siaga_env: dict[str, str]) -> Iterator[LiveServer]:
    server = LiveServer(siaga_env)
    yield server
    server.stop()
