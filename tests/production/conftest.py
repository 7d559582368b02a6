"""Helpers for production checks: servers in their own process group, databases of their own."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPO, free_port

REDIS_URL = "redis://127.0.0.1:6379/0"
PG_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), 1).close()
        return True
    except OSError:
        return False


def redis_available() -> bool:
    return reachable("127.0.0.1", 6379)


def pg_server_url() -> str | None:
    """A PostgreSQL URL to create databases on: the test one, else the local server."""
    url = os.environ.get("SIAGA_TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        return url
    return PG_SERVER_URL if reachable("127.0.0.1", 5432) else None


class Server:
    """`siaga serve` in its own process group, logging to a file (a pipe would fill and block)."""

    def __init__(self, env: dict[str, str], *, workers: int = 1, port: int | None = None,
                 log: Path | None = None) -> None:
        self.env = {**os.environ, **env}
        self.workers = workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log or Path(env.get("SIAGA_DATA_DIR", "/tmp")) / f"serve-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "siaga.cli.main", "serve", "--port", str(self.port),
                 "--workers", str(self.workers)],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                healthy = httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
                if healthy and (self.workers == 1 or len(self.worker_pids()) >= self.workers):
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-3000:]}")

    def worker_pids(self) -> list[int]:
        """The processes answering requests: the server itself, or its uvicorn workers."""
        assert self.proc is not None
        if self.workers == 1:
            return [self.proc.pid]
        return children(self.proc.pid, recursive=False)

    def kill(self) -> None:
        """SIGKILL the whole process group: no clean-up, no flushing."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()


def children(pid: int, *, recursive: bool = True) -> list[int]:
    """Child processes of pid (Linux /proc), skipping multiprocessing's helper processes."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                cmd = Path(f"/proc/{child}/cmdline").read_bytes()
                if b"resource_tracker" in cmd:
                    continue
                found.append(int(child))
                if recursive:
                    found.extend(children(int(child)))
    return found


def socket_owner(server_port: int, client_port: int, pids: list[int]) -> int | None:
    """Which of these processes holds the server end of a TCP connection (Linux /proc)."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                if local_port == server_port and remote_port == client_port:
                    inode = fields[9]
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                if os.readlink(fd) == target:
                    return pid
    return None


def migrate_and_load(env: dict[str, str]) -> None:
    """Apply migrations and load the demo tenants into the database that env points at."""
    full = {**os.environ, **env}
    # The tenants only: the generated year of activity is tested on its own (tests/demo).
    for args in (["db", "upgrade"], ["demo", "load", "--without-activity"]):
        subprocess.run([sys.executable, "-m", "siaga.cli.main", *args], env=full, check=True,
                       cwd=REPO, stdout=subprocess.DEVNULL, timeout=120)


@contextlib.contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A PostgreSQL database of this test's own, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = pg_server_url()
    if server is None:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    base = make_url(server)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def database_of_its_own(tmp: Path) -> Iterator[dict[str, str]]:
    """Settings for a fresh database (the suite's backend) with the demo tenants loaded."""
    env = {
        "SIAGA_ENV": "test",
        "SIAGA_DATA_DIR": str(tmp / "data"),
        "SIAGA_ALARM_RATE_PER_IP_PER_MINUTE": "100000",
        "SIAGA_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "SIAGA_GPS_RATE_PER_DEVICE_PER_MINUTE": "100000",
        "SIAGA_REDIS_URL": "",
    }
    if os.environ.get("SIAGA_TEST_DATABASE_URL", "").startswith("postgresql"):
        with postgres_database("siaga_prod") as url:
            env["SIAGA_DATABASE_URL"] = url
            migrate_and_load(env)
            yield env
    else:
        env["SIAGA_DATABASE_URL"] = f"sqlite:///{tmp / 'own.db'}"
        migrate_and_load(env)
        yield env


@pytest.fixture()
def own_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    with database_of_its_own(tmp_path) as env:
        yield env


def staff_token(url: str, username: str, password: str = "siaga-demo-2026") -> str:
    response = httpx.post(f"{url}/api/v1/auth/login",
                          json={"username": username, "password": password}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def new_device(client: httpx.Client | Any) -> str:
    body = {"phone": f"08{uuid.uuid4().int % 10**10:010d}", "name": "Warga Uji", "pin": "2468"}
    response = client.post("/api/v1/devices", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: starts servers or runs load (in make test too)")
