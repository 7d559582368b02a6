"""One lifecycle: allowed and refused transitions, and two operators acting on one alarm at once."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.conftest import KLOJEN, device_headers, login, register_device
from tests.dispatch.helpers import make_unit, offset, post_alarm


def _staff(session: Any, username: str) -> Any:
    from sqlalchemy import select

    from siaga.auth.models import User
    from siaga.auth.service import scope_path
    from siaga.auth.staff import Staff

    user = session.scalar(select(User).where(User.username == username))
    return Staff(user, scope_path(session, user=user))


def _state(alarm_id: int, unit_id: int) -> tuple[str, int, str, list[str]]:
    """The alarm's status, its assignment count, the unit's status, the unit's audit trail."""
    from sqlalchemy import func, select

    from siaga.alarms.models import Alarm
    from siaga.audit.models import AuditEntry
    from siaga.db import get_database
    from siaga.dispatch.models import Assignment
    from siaga.units.models import Unit

    with get_database().session() as session:
        alarm = session.get(Alarm, alarm_id)
        unit = session.get(Unit, unit_id)
        assert alarm is not None and unit is not None
        count = session.scalar(select(func.count()).select_from(Assignment)
                               .where(Assignment.alarm_id == alarm_id)) or 0
        trail = list(session.scalars(
            select(AuditEntry.action).where(AuditEntry.target_type == "unit")
            .where(AuditEntry.target_id == str(unit_id)).order_by(AuditEntry.id)))
        return alarm.status, int(count), unit.status, trail


def test_a_stale_dispatch_loses_to_an_acknowledge_and_changes_nothing(client: Any) -> None:
    """Two sessions interleaved: B read the alarm, A acknowledged and committed, B dispatches."""
    from sqlalchemy.orm.exc import StaleDataError

    from siaga.alarms.models import Alarm
    from siaga.alarms.service import acknowledge_alarm
    from siaga.db import get_database
    from siaga.dispatch.service import dispatch_unit

    alarm = post_alarm(client, register_device(client))
    near = offset(*KLOJEN, 500)
    unit = make_unit(lat=near[0], lon=near[1])
    db = get_database()
    late = db.session_factory()
    try:
        seen = late.get(Alarm, alarm["id"])  # operator B's screen read version 1
        assert seen is not None and seen.status == "open"
        with db.session() as first:
            acknowledge_alarm(first, staff=_staff(first, "operator"), alarm_id=alarm["id"])
        with pytest.raises(StaleDataError):
            dispatch_unit(late, staff=_staff(late, "operator"), alarm_id=alarm["id"],
                          unit_id=unit)
        late.rollback()
    finally:
        late.close()
    status, assignments, unit_status, trail = _state(alarm["id"], unit)
    assert (status, assignments, unit_status) == ("acknowledged", 0, "available")
    assert "unit.status" not in trail  # the unit was never taken


def test_acknowledge_and_dispatch_at_the_same_moment_end_consistent(client: Any) -> None:
    """Two operators' requests at once: one consistent state each time; a loser's 409 says why
    in Indonesian."""
    from siaga.alarms.lifecycle import STALE_MESSAGE

    ops = login(client, "operator")
    for _ in range(6):
        other = post_alarm(client, register_device(client))
        spot = offset(*KLOJEN, 400)
        car = make_unit(lat=spot[0], lon=spot[1])
        start = threading.Barrier(2)
        answers: dict[str, Any] = {}

        def act(name: str, url: str, body: dict[str, Any] | None, start: Any = start,
                answers: dict[str, Any] = answers) -> None:
            start.wait()
            answers[name] = client.post(url, json=body, headers=ops)

        threads = [threading.Thread(target=act, args=(
                       "ack", f"/api/v1/alarms/{other['id']}/acknowledge", None)),
                   threading.Thread(target=act, args=(
                       "send", f"/api/v1/alarms/{other['id']}/dispatch", {"unit_id": car}))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert answers["ack"].status_code in (200, 409), answers["ack"].text
        assert answers["send"].status_code in (201, 409), answers["send"].text
        status, assignments, unit_status, _ = _state(other["id"], car)
        if answers["send"].status_code == 201:
            assert (status, assignments, unit_status) == ("dispatched", 1, "dispatched")
        else:
            assert answers["send"].json()["detail"] == STALE_MESSAGE
            assert (status, assignments, unit_status) == ("acknowledged", 0, "available")
        if answers["ack"].status_code == 409:
            assert answers["ack"].json()["detail"] == STALE_MESSAGE
        detail = client.get(f"/api/v1/alarms/{other['id']}", headers=ops).json()
        assert detail["acknowledged_at"] is not None
        assert [e["type"] for e in detail["timeline"]].count("acknowledged") == 1


def test_transitions_allowed_and_refused(client: Any) -> None:
    from siaga.alarms.lifecycle import ALARM_TRANSITIONS, move
    from siaga.alarms.models import Alarm
    from siaga.db import utcnow
    from siaga.dispatch.assignments import ASSIGNMENT_TRANSITIONS, move_assignment
    from siaga.dispatch.models import Assignment
    from siaga.errors import Conflict

    now = utcnow()
    alarm = Alarm(status="open", needs_cancel_confirmation=False)
    for step in ("acknowledged", "dispatched", "en_route", "on_scene", "closed"):
        move(alarm, step, now=now)
    assert alarm.status == "closed"
    with pytest.raises(Conflict):
        move(alarm, "open", now=now)  # nothing leaves "closed"
    back = Alarm(status="on_scene", needs_cancel_confirmation=False)
    with pytest.raises(Conflict):
        move(back, "acknowledged", now=now)  # never backwards
    cancelled = Alarm(status="cancelled", needs_cancel_confirmation=False)
    with pytest.raises(Conflict):
        move(cancelled, "dispatched", now=now)  # confirmed cancellations stay cancelled
    waiting = Alarm(status="cancelled", needs_cancel_confirmation=True)
    move(waiting, "dispatched", now=now)  # an operator may still send a unit
    assert ALARM_TRANSITIONS["closed"] == frozenset()

    task = Assignment(status="dispatched")
    move_assignment(task, "on_scene", now=now)  # a skipped step takes the arrival's time
    assert task.accepted_at == now and task.en_route_at == now
    with pytest.raises(Conflict):
        move_assignment(task, "en_route", now=now)
    move_assignment(task, "cancelled_by_caller", now=now)
    assert task.cancelled_at == now
    with pytest.raises(Conflict):
        move_assignment(task, "cleared", now=now)
    assert all(not ASSIGNMENT_TRANSITIONS[end] for end in
               ("cleared", "cancelled", "cancelled_by_caller"))


def test_refused_transitions_answer_409_over_http(client: Any) -> None:
    device = register_device(client)
    alarm = post_alarm(client, device)
    ops = login(client, "operator")
    closed = client.post(f"/api/v1/alarms/{alarm['id']}/close", headers=ops,
                         json={"outcome": "prank"})
    assert closed.status_code == 200
    assert closed.json()["status_label"] == "Selesai - alarm iseng"
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    refused = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit},
                          headers=ops)
    assert refused.status_code == 409
    assert client.post(f"/api/v1/alarms/{alarm['id']}/acknowledge",
                       headers=ops).status_code == 409
    assert client.post(f"/api/v1/alarms/{alarm['id']}/confirm-cancel",
                       headers=ops).status_code == 409
    mine = client.get(f"/api/v1/alarms/{alarm['id']}", headers=device_headers(device)).json()
    assert mine["status"] == "closed"


def test_dispatch_takes_the_unit_through_the_units_service_audited(client: Any) -> None:
    alarm = post_alarm(client, register_device(client))
    near = offset(*KLOJEN, 600)
    unit = make_unit(lat=near[0], lon=near[1])
    ops = login(client, "operator")
    assert client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit},
                       headers=ops).status_code == 201
    _, _, status, trail = _state(alarm["id"], unit)
    assert status == "dispatched" and trail[-1] == "unit.status"
    other = post_alarm(client, register_device(client))
    busy = client.post(f"/api/v1/alarms/{other['id']}/dispatch", json={"unit_id": unit},
                       headers=ops)
    assert busy.status_code == 409 and "tidak tersedia" in busy.text
    # The refused dispatch left nothing behind on the other alarm.
    detail = client.get(f"/api/v1/alarms/{other['id']}", headers=ops).json()
    assert detail["status"] == "open" and detail["assignments"] == []
