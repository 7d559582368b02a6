"""Alarm intake's group-commit writer: races between workers, retries and a database that fails.

Two writers stand in for two worker processes sharing one database.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from siaga.alarms import service
from siaga.alarms.models import Alarm
from siaga.alarms.service import NewAlarm, create_alarms
from siaga.auth.security import token_digest
from siaga.db import get_database
from siaga.errors import TooManyRequests, Unavailable
from siaga.groupcommit import GroupCommitWriter
from tests.conftest import KLOJEN, register_device


def _new_alarm(device: dict[str, str], client_id: str | None = None) -> NewAlarm:
    token = device["Authorization"].removeprefix("Bearer ")
    return NewAlarm(token_digest=token_digest(token), client_id=client_id or str(uuid.uuid4()),
                    lat=KLOJEN[0], lon=KLOJEN[1], accuracy_m=10.0, triggered_at=None,
                    kind="panic", client_ip="127.0.0.1")


def _store(session: Session, alarms: list[NewAlarm]) -> list[Any]:
    return create_alarms(session, alarms=alarms)


def _stored(client_id: str) -> int:
    with get_database().session() as session:
        return int(session.scalar(select(func.count()).select_from(Alarm)
                                  .where(Alarm.client_id == client_id)) or 0)


def _race(alarms: list[NewAlarm]) -> list[Any]:
    """Each alarm sent at once through its own writer (two workers); the outcomes."""
    writers = [GroupCommitWriter(f"worker-{i}", _store) for i in range(len(alarms))]
    outcomes: list[Any] = []

    def send(writer: GroupCommitWriter[NewAlarm, Any], alarm: NewAlarm) -> None:
        try:
            outcomes.append(writer.store_sync(alarm))
        except Exception as exc:  # collected and asserted below
            outcomes.append(exc)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(writers, alarms,
                                                                         strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for writer in writers:
        writer.stop()
    return outcomes


def test_the_same_client_id_racing_on_two_workers_is_stored_once(client: Any,
                                                                  monkeypatch: Any) -> None:
    device = register_device(client)
    alarm = _new_alarm(device)
    real_locate = service.locate
    first = threading.Event()

    def slow_first_locate(*args: Any, **kwargs: Any) -> Any:
        if not first.is_set():
            first.set()
            threading.Event().wait(0.5)  # the other worker's resend arrives meanwhile
        return real_locate(*args, **kwargs)

    monkeypatch.setattr(service, "locate", slow_first_locate)
    outcomes = _race([alarm, alarm])
    assert sorted(o.created for o in outcomes) == [False, True], outcomes
    assert outcomes[0].summary.id == outcomes[1].summary.id
    assert _stored(alarm.client_id) == 1


def test_a_client_id_racing_from_two_phones_is_stored_once_and_refused_once(
        client: Any, monkeypatch: Any) -> None:
    """Phones of their own do not wait for each other; when both looked before either stored,
    the loser's insert fails on the unique client id and its retry refuses it (409), no 500."""
    client_id = str(uuid.uuid4())
    alarms = [_new_alarm(register_device(client), client_id) for _ in range(2)]
    both_looked = threading.Barrier(2, timeout=10)
    real_locate = service.locate

    def locate_after_both_looked(*args: Any, **kwargs: Any) -> Any:
        both_looked.wait()  # each worker has seen no alarm with this client id
        return real_locate(*args, **kwargs)

    if get_database().engine.dialect.name != "sqlite":
        # (SQLite has one writer at a time in a process, see siaga.db: the second batch looks
        # only after the first committed, so there is no window to force; same outcome.)
        monkeypatch.setattr(service, "locate", locate_after_both_looked)
    outcomes = _race(alarms)
    created = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert [o.created for o in created] == [True], outcomes
    assert len(refused) == 1 and getattr(refused[0], "status_code", None) == 409, refused
    assert _stored(client_id) == 1


def test_a_retried_batch_does_not_spend_the_device_rate_limit_twice(client: Any,
                                                                     monkeypatch: Any) -> None:
    monkeypatch.setattr(service, "_limiters", {})
    monkeypatch.setenv("SIAGA_ALARM_RATE_PER_DEVICE_PER_MINUTE", "2")
    from siaga.config import get_settings

    get_settings.cache_clear()
    try:
        device = register_device(client)
        alarms = [_new_alarm(device), _new_alarm(device)]
        with pytest.raises(OperationalError), get_database().session() as session:
            assert all(not isinstance(o, Exception) for o in _store(session, alarms))
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))
        with get_database().session() as session:
            stored = _store(session, alarms)
        # The second press joins the first (one alarm per emergency) but still counts.
        assert [o.created for o in stored] == [True, False]
        assert stored[0].summary.id == stored[1].summary.id
        with get_database().session() as session:
            (third,) = _store(session, [_new_alarm(device)])
        assert isinstance(third, TooManyRequests)
    finally:
        get_settings.cache_clear()


def test_a_database_that_cannot_write_answers_every_sender_503() -> None:
    def locked(session: Session, items: list[int]) -> list[int]:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    writer: GroupCommitWriter[int, int] = GroupCommitWriter("locked", locked)
    try:
        with pytest.raises(Unavailable) as refused:
            writer.store_sync(1, timeout=10)
        assert refused.value.status_code == 503
    finally:
        writer.stop()


def test_one_bad_item_does_not_sink_the_batch_and_nobody_is_left_waiting() -> None:
    entered, gate = threading.Event(), threading.Event()
    batches: list[list[int]] = []

    def picky(session: Session, items: list[int]) -> list[int]:
        if items == [0]:
            entered.set()
            gate.wait(10)  # holds the writer while 1, 13 and 2 queue up behind it
        batches.append(items)
        if 13 in items:
            raise ValueError("unlucky")
        return [item * 2 for item in items]

    writer: GroupCommitWriter[int, int] = GroupCommitWriter("picky", picky)
    results: dict[int, Any] = {}
    done = threading.Event()

    def answer(item: int) -> Any:
        def record(outcome: Any) -> None:
            results[item] = outcome
            if len(results) == 4:
                done.set()
        return record

    try:
        writer.submit(0, answer(0))
        assert entered.wait(10)
        for item in (1, 13, 2):
            writer.submit(item, answer(item))
        gate.set()
        assert done.wait(10)
    finally:
        writer.stop()
    assert [1, 13, 2] in batches  # stored together first, then one by one
    assert results[1] == 2 and results[2] == 4
    assert isinstance(results[13], ValueError)
