"""Two workers on PostgreSQL with Redis: events and limits cross worker boundaries."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.conftest import KLOJEN
from tests.production.conftest import (
    REDIS_URL,
    Server,
    migrate_and_load,
    new_device,
    postgres_database,
    redis_available,
    socket_owner,
    staff_token,
)
from tests.production.test_ops import samples, value

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not redis_available(), reason="Redis is not reachable on 127.0.0.1:6379"),
]
ALARMS = 40


def _sockets_on_both_workers(server: Server, token: str) -> list[tuple[ClientConnection, int]]:
    pids = server.worker_pids()
    assert len(pids) == 2, pids
    held: list[tuple[ClientConnection, int]] = []
    # The kernel hands each connection to whichever worker accepts first; a busy machine can
    # favour one for a long run, so surplus sockets are closed and the other gets time to accept.
    for _ in range(200):
        ticket = httpx.post(f"{server.url}/api/v1/auth/ws-ticket", timeout=10,
                            headers={"Authorization": f"Bearer {token}"}).json()["ticket"]
        ws = connect(f"ws://127.0.0.1:{server.port}/ws/ops?ticket={ticket}", open_timeout=10)
        assert json.loads(ws.recv(timeout=10))["type"] == "hello"
        owner = socket_owner(server.port, ws.socket.getsockname()[1], pids)
        assert owner in pids
        if sum(1 for _, o in held if o == owner) >= 2:
            ws.close()
            time.sleep(0.05)
            continue
        held.append((ws, owner))
        if len(held) == 4:
            return held
    pytest.fail("the kernel never gave a WebSocket to the second worker")


def _collect(ws: ClientConnection, wanted: set[str], got: set[str], deadline: float) -> None:
    while not wanted <= got and time.monotonic() < deadline:
        try:
            message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        except TimeoutError:
            return
        if message.get("type") == "alarm.created":
            got.add(message["alarm"]["client_id"])


def test_alarm_reaches_websockets_on_every_worker(tmp_path: Path) -> None:
    with postgres_database("siaga_workers") as url:
        env = {
            "SIAGA_ENV": "test", "SIAGA_DATA_DIR": str(tmp_path / "data"),
            "SIAGA_DATABASE_URL": url, "SIAGA_REDIS_URL": REDIS_URL,
            "SIAGA_ALARM_RATE_PER_IP_PER_MINUTE": "100000",
            "SIAGA_LOGIN_ATTEMPTS_PER_MINUTE": "5",
        }
        migrate_and_load(env)
        server = Server(env, workers=2).start()
        try:
            token = staff_token(server.url, "operator")
            held = _sockets_on_both_workers(server, token)
            wanted: set[str] = set()
            with httpx.Client(base_url=server.url, timeout=10) as client:
                # One device per alarm: a second press while active joins the first.
                devices = [new_device(client) for _ in range(ALARMS)]
            received: list[set[str]] = [set() for _ in held]
            deadline = time.monotonic() + 30
            readers = [threading.Thread(target=_collect, args=(ws, wanted, got, deadline))
                       for (ws, _), got in zip(held, received, strict=True)]
            for i in range(ALARMS):
                client_id = str(uuid.uuid4())
                wanted.add(client_id)
                # A fresh connection per alarm lets the kernel spread them over both workers.
                response = httpx.post(
                    f"{server.url}/api/v1/alarms", timeout=10,
                    json={"client_id": client_id, "lat": KLOJEN[0], "lon": KLOJEN[1]},
                    headers={"Authorization": f"Bearer {devices[i % len(devices)]}"})
                assert response.status_code == 201, response.text
            for reader in readers:
                reader.start()
            for reader in readers:
                reader.join()
            for (_, owner), got in zip(held, received, strict=True):
                missing = wanted - got
                assert not missing, f"socket on worker {owner} missed {len(missing)} alarms"
            for _ in range(4):  # whichever worker answers, the figures cover both
                metrics = samples(httpx.get(f"{server.url}/metrics", timeout=10).text)
                assert value(metrics, "siaga_alarms_created_total") == ALARMS
                assert value(metrics, "siaga_websocket_clients") == len(held)
            for ws, _ in held:
                ws.close()
            _login_throttle_is_shared(server.url, limit=5)
        finally:
            server.stop()


def _login_throttle_is_shared(url: str, *, limit: int) -> None:
    probe = f"probe-{uuid.uuid4().hex[:8]}"
    statuses: list[Any] = []
    for _ in range(limit * 3):
        response = httpx.post(f"{url}/api/v1/auth/login", timeout=10,
                              json={"username": probe, "password": "salah-sekali"})
        statuses.append(response.status_code)
    # Per-process windows would admit up to limit x workers attempts.
    assert statuses.count(401) == limit, statuses
    assert statuses.count(429) == limit * 2, statuses
