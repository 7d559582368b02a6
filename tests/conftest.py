"""Shared fixtures: a fresh copy of one migrated demo database per test module, HTTP clients.

The database is migrated and the demo tenants loaded once per run (the template); every test
module then works on a copy of its own (SQLite: the file copied; PostgreSQL: CREATE DATABASE
... TEMPLATE), so no module sees what another wrote. Tests inside a module share their copy and
must not depend on each other's order (the suite runs in random order, pytest-randomly).
`SIAGA_TEST_DATABASE_PER=test` gives every test a copy of its own instead: a test that passes
only after another wrote what it reads then fails (module fixtures that write take
`database_scope`, so they follow).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DEMO_PASSWORD = "siaga-demo-2026"

BASE_ENV = {
    "SIAGA_ENV": "test",
    "SIAGA_ALARM_RATE_PER_IP_PER_MINUTE": "100000",
    "SIAGA_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
    "SIAGA_GPS_RATE_PER_DEVICE_PER_MINUTE": "100000",
    # The test client's address ("testclient") registers every test's devices and tips.
    "SIAGA_DEVICE_REGISTRATIONS_PER_IP_PER_HOUR": "100000",
    "SIAGA_TIPS_PER_IP_PER_HOUR": "100000",
}


def forget_process_state() -> None:
    """Drop what this process remembers of the database it last used: settings, engine,
    lookup caches keyed by ids, and rate-limit windows (a new database starts them afresh)."""
    from siaga.alarms import cancel as alarm_cancel
    from siaga.alarms import service as alarm_service
    from siaga.auth import service as auth_service
    from siaga.config import get_settings
    from siaga.db import reset_database
    from siaga.devices import guards as device_guards
    from siaga.dispatch import recommend
    from siaga.intel.entities import gazetteer_changed
    from siaga.orgs.service import regions_changed
    from siaga.scorecard import surveys
    from siaga.tips import service as tip_service
    from siaga.tracking import intake as tracking_intake
    from siaga.tracking.service import forget_units

    get_settings.cache_clear()
    reset_database()
    regions_changed()
    gazetteer_changed()
    forget_units()
    tracking_intake.forget_caches()
    recommend._polres_cache.clear()
    for limiters in (auth_service._login_limiters, alarm_service._limiters,
                     device_guards._limiters):
        limiters.clear()
    alarm_cancel._wrong_pins.reset()
    surveys._limiter.reset()
    tip_service._limiter = None
    tracking_intake._limiter = None
    tracking_intake._backlog = None
    tracking_intake._unknown_ids = None
    tracking_intake._blocked_until.clear()


class TemplateDatabase:
    """The migrated database with the demo tenants, built once; copies of it for modules."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.pg_url = os.environ.get("SIAGA_TEST_DATABASE_URL", "")
        self.copies = 0
        self.copy_seconds: list[float] = []
        self.drop_seconds: list[float] = []
        # PostgreSQL takes seconds to drop a database under load: it happens while the next
        # module runs.
        self._dropper = ThreadPoolExecutor(1, thread_name_prefix="siaga-test-drop")
        self._drops: list[Future[None]] = []
        if self.pg_url:
            from sqlalchemy import create_engine
            from sqlalchemy.engine import make_url

            self.pg = make_url(self.pg_url)
            self.admin = create_engine(self.pg.set(database="postgres"),
                                       isolation_level="AUTOCOMMIT")
            self.url = self.pg_url
            self._drop_leftovers()
            self._execute(f'CREATE DATABASE "{self.pg.database}"')
        else:
            self.path = tmp / "template.db"
            self.url = f"sqlite:///{self.path}"

    def _execute(self, sql: str) -> list[Any]:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            result = conn.execute(text(sql))
            return list(result) if result.returns_rows else []

    def _drop_leftovers(self) -> None:
        """The template and any module copies an interrupted earlier run left behind."""
        prefix = f"{self.pg.database}_m"
        for (name,) in self._execute("SELECT datname FROM pg_database"):
            copy = name.startswith(prefix) and name[len(prefix):].isdigit()
            if name == self.pg.database or copy:
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def build(self) -> None:
        from siaga.db import get_database
        from siaga.demo.load import load_demo
        from siaga.migrate import upgrade

        os.environ["SIAGA_DATABASE_URL"] = self.url
        forget_process_state()
        upgrade(get_database().engine)
        with get_database().session() as session:
            load_demo(session, activity=False)
        # Every connection closed: PostgreSQL copies only an unused template, and SQLite has
        # then folded its write-ahead log into the file.
        forget_process_state()

    def copy(self) -> str:
        """A new database holding exactly the template's contents; its URL."""
        self.copies += 1
        started = time.perf_counter()
        if self.pg_url:
            name = f"{self.pg.database}_m{self.copies:03d}"
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg.database}"')
            url = self.pg.set(database=name).render_as_string(hide_password=False)
        else:
            path = self.tmp / f"module-{self.copies:03d}.db"
            # The backup API copies a consistent image, write-ahead log included.
            source, target = sqlite3.connect(self.path), sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            url = f"sqlite:///{path}"
        self.copy_seconds.append(time.perf_counter() - started)
        return url

    def drop(self, url: str) -> None:
        if self.pg_url:
            self._drops.append(self._dropper.submit(self._drop, url))
        else:
            self._drop(url)

    def _drop(self, url: str) -> None:
        started = time.perf_counter()
        if self.pg_url:
            from sqlalchemy.engine import make_url

            self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
        else:
            path = Path(url.removeprefix("sqlite:///"))
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        self.drop_seconds.append(time.perf_counter() - started)

    def close(self) -> None:
        self._dropper.shutdown(wait=True)
        for dropped in self._drops:
            dropped.result()  # a drop that failed fails the run's teardown
        if self.pg_url:
            self._execute(f'DROP DATABASE IF EXISTS "{self.pg.database}" WITH (FORCE)')
            self.admin.dispose()


_template: TemplateDatabase | None = None


@pytest.fixture(scope="session")
def siaga_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateDatabase]:
    """The demo database every module's copy starts from (built on first use)."""
    global _template
    tmp = tmp_path_factory.mktemp("siaga")
    os.environ.update({**BASE_ENV, "SIAGA_DATA_DIR": str(tmp / "data")})
    _template = TemplateDatabase(tmp)
    _template.build()
    yield _template
    forget_process_state()
    _template.close()


def database_scope(fixture_name: str, config: pytest.Config) -> str:
    """Each module's own copy; each test's with SIAGA_TEST_DATABASE_PER=test (module fixtures
    that write to the database take this scope too)."""
    return "function" if os.environ.get("SIAGA_TEST_DATABASE_PER") == "test" else "module"


@pytest.fixture(scope=database_scope, autouse=True)
def siaga_env(siaga_template: TemplateDatabase) -> Iterator[dict[str, str]]:
    """Point Siaga (this process, and servers started with this env) at the module's own copy
    of the demo database."""
    env = {**BASE_ENV, "SIAGA_DATA_DIR": os.environ["SIAGA_DATA_DIR"],
           "SIAGA_DATABASE_URL": siaga_template.copy()}
    os.environ.update(env)
    forget_process_state()
    yield env
    forget_process_state()
    siaga_template.drop(env["SIAGA_DATABASE_URL"])


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("randomly"):
        # Shown even with -q (pytest-randomly's own line is a header, which -q hides).
        seed = config.getoption("randomly_seed")
        terminalreporter.write_line(f"random order; the same order again: -p randomly "
                                    f"--randomly-seed={seed}")
    if _template is None or not _template.copy_seconds:
        return
    copies, drops = _template.copy_seconds, _template.drop_seconds
    terminalreporter.write_line(
        f"module databases: {len(copies)} copies, {sum(copies):.1f} s to copy "
        f"(mean {sum(copies) / len(copies):.3f} s), {sum(drops):.1f} s to drop"
        f"{' (in the background)' if _template.pg_url else ''}")


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
