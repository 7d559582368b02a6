"""SIGKILL in the middle of an alarm load: nothing confirmed is lost, nothing is doubled."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from siaga.alarms.models import Alarm
from tests.conftest import KLOJEN
from tests.production.conftest import Server, new_device

pytestmark = pytest.mark.slow
CLIENTS = 16
ALARMS_PER_CLIENT = 5


@dataclass
class Phone:
    """A queue of alarms, each sent until the server answers; each from a device of its own
    (a device's second press while its alarm is active would join it, not open a new one)."""

    tokens: list[str]
    client_ids: list[str] = field(default_factory=lambda: [str(uuid.uuid4())
                                                           for _ in range(ALARMS_PER_CLIENT)])
    confirmed: dict[str, tuple[int, int]] = field(default_factory=dict)  # client_id: (status, id)
    unanswered: list[str] = field(default_factory=list)

    def send(self, url: str, client_id: str) -> bool:
        try:
            response = httpx.post(f"{url}/api/v1/alarms", timeout=10,
                                  json={"client_id": client_id, "lat": KLOJEN[0],
                                        "lon": KLOJEN[1]},
                                  headers={"Authorization": "Bearer "
                                           + self.tokens[self.client_ids.index(client_id)]})
        except httpx.HTTPError:
            return False
        assert response.status_code in (200, 201), response.text
        self.confirmed[client_id] = (response.status_code, response.json()["id"])
        return True

    def run(self, url: str, stop: threading.Event) -> None:
        for client_id in self.client_ids:
            if stop.is_set() or not self.send(url, client_id):
                self.unanswered.append(client_id)


def _count(engine: Engine, client_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Alarm)
                               .where(Alarm.client_id == client_id)) or 0)


def test_confirmed_alarms_survive_sigkill_and_retries_do_not_duplicate(
    siaga_env: dict[str, str], tmp_path: Path,
) -> None:
    # The suite's own database (SQLite or PostgreSQL): the kill must not harm it either.
    env = {**siaga_env, "SIAGA_REDIS_URL": "", "SIAGA_DATA_DIR": str(tmp_path)}
    server = Server(env).start()
    with httpx.Client(base_url=server.url, timeout=10) as client:
        phones = [Phone(tokens=[new_device(client) for _ in range(ALARMS_PER_CLIENT)])
                  for _ in range(CLIENTS)]
    stop = threading.Event()
    threads = [threading.Thread(target=p.run, args=(server.url, stop)) for p in phones]
    for thread in threads:
        thread.start()
    total = CLIENTS * ALARMS_PER_CLIENT
    deadline = time.monotonic() + 60
    while (sum(len(p.confirmed) for p in phones) < total // 3
           and time.monotonic() < deadline):
        time.sleep(0.005)
    server.kill()
    stop.set()
    for thread in threads:
        thread.join()
    answered = sum(len(p.confirmed) for p in phones)
    assert 0 < answered < total, "the kill should land mid-way through the load"

    restarted = Server(env, port=server.port).start()
    try:
        engine = create_engine(env["SIAGA_DATABASE_URL"])
        for phone in phones:
            for client_id, (status, alarm_id) in phone.confirmed.items():
                assert status == 201
                with engine.connect() as conn:
                    stored = conn.scalar(select(Alarm.client_id).where(Alarm.id == alarm_id))
                assert stored == client_id, "an alarm confirmed with 201 was lost"
        retried = 0
        for phone in phones:
            for client_id in phone.unanswered:
                assert phone.send(restarted.url, client_id)
                retried += 1
        assert retried == total - answered
        for phone in phones:
            for client_id in phone.client_ids:
                assert _count(engine, client_id) == 1, client_id
        engine.dispose()
    finally:
        restarted.stop()
