"""Timers and escalation, driven with a fake clock through the tick function."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.conftest import KLOJEN, login, register_device
from tests.dispatch.helpers import make_unit, post_alarm


def _tick(now: datetime) -> list[Any]:
    from siaga.db import get_database
    from siaga.dispatch.escalation import escalate_due_alarms

    with get_database().session() as session:
        return escalate_due_alarms(session, now=now)


def _created(alarm: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(alarm["created_at"])


def test_unacknowledged_then_undispatched_then_overdue(client: Any) -> None:
    ops = login(client, "operator")
    alarm = post_alarm(client, register_device(client))
    start = _created(alarm)
    assert not [e for e in _tick(start + timedelta(seconds=29)) if e.alarm_id == alarm["id"]]

    first = [e for e in _tick(start + timedelta(seconds=31)) if e.alarm_id == alarm["id"]]
    assert [(e.kind, e.level) for e in first] == [("unacknowledged", 1)]
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["escalation_level"] == 1
    assert detail["timers"]["owner_label"] == "Command center Polres"
    assert detail["timers"]["owner_org_code"] == "polres-malang-kota"
    # Ticking again at the same moment (another worker) records nothing more.
    assert not [e for e in _tick(start + timedelta(seconds=31)) if e.alarm_id == alarm["id"]]

    second = [e for e in _tick(start + timedelta(seconds=61)) if e.alarm_id == alarm["id"]]
    assert [(e.kind, e.level) for e in second] == [("undispatched", 2)]
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["escalation_level"] == 2
    assert detail["timers"]["owner_role"] == "pimpinan"
    assert not detail["timers"]["overdue"]

    third = [e for e in _tick(start + timedelta(seconds=601)) if e.alarm_id == alarm["id"]]
    assert [e.kind for e in third] == ["arrival_overdue"]
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert [e["kind"] for e in detail["escalations"]] == [
        "unacknowledged", "undispatched", "arrival_overdue"]
    assert [e["type"] for e in detail["timeline"]].count("escalated") == 3
    assert detail["version"] >= 4


def test_escalation_is_recorded_in_audit_and_events(client: Any) -> None:
    from sqlalchemy import select

    from siaga.audit.models import AuditEntry
    from siaga.db import get_database
    from siaga.events.models import EventRecord

    alarm = post_alarm(client, register_device(client))
    _tick(_created(alarm) + timedelta(seconds=31))
    with get_database().session() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_id == str(alarm["id"])).where(AuditEntry.target_type == "alarm"))
        assert "alarm.escalate" in list(actions)
        events = session.scalars(select(EventRecord).where(EventRecord.type == "alarm.escalated")
                                 .order_by(EventRecord.id.desc()).limit(50)).all()
    mine = [e for e in events if e.payload["alarm"]["id"] == alarm["id"]]
    assert mine and mine[0].payload["escalation"]["to_role"] == "operator"
    assert mine[0].payload["escalation"]["to_org"] == "polres-malang-kota"
    assert mine[0].payload["alarm"]["escalation_level"] == 1


def test_acknowledged_alarm_skips_level_one_and_dispatch_stops_the_clock(client: Any) -> None:
    ops = login(client, "operator")
    acked = post_alarm(client, register_device(client))
    client.post(f"/api/v1/alarms/{acked['id']}/acknowledge", headers=ops)
    dispatched = post_alarm(client, register_device(client))
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    assert client.post(f"/api/v1/alarms/{dispatched['id']}/dispatch", json={"unit_id": unit},
                       headers=ops).status_code == 201
    start = max(_created(acked), _created(dispatched))
    assert not [e for e in _tick(start + timedelta(seconds=45))
                if e.alarm_id in (acked["id"], dispatched["id"])]
    later = [e for e in _tick(start + timedelta(seconds=61))
             if e.alarm_id in (acked["id"], dispatched["id"])]
    assert [(e.alarm_id, e.kind) for e in later] == [(acked["id"], "undispatched")]
    # The dispatched unit is still on its way after 10 minutes: overdue.
    late = [e for e in _tick(start + timedelta(seconds=601)) if e.alarm_id == dispatched["id"]]
    assert [e.kind for e in late] == ["arrival_overdue"]


def test_arrival_in_time_is_not_overdue(client: Any) -> None:
    ops = login(client, "operator")
    alarm = post_alarm(client, register_device(client))
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    aid = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit},
                      headers=ops).json()["id"]
    client.post(f"/api/v1/dispatch/{aid}/status", json={"status": "on_scene"}, headers=ops)
    assert not [e for e in _tick(_created(alarm) + timedelta(seconds=700))
                if e.alarm_id == alarm["id"]]
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["timers"]["overdue"] is False
    assert detail["escalation_level"] == 0


def test_loop_is_off_in_tests_and_runs_the_tick_when_enabled(monkeypatch: Any) -> None:
    import asyncio

    from siaga.config import get_settings
    from siaga.dispatch import escalation

    assert escalation.loop_enabled() is False
    monkeypatch.setattr(get_settings(), "escalation_loop", True)
    monkeypatch.setattr(get_settings(), "escalation_tick_s", 0.01)
    ticks: list[int] = []
    monkeypatch.setattr(escalation, "_tick", lambda: ticks.append(1) or 0)

    class State:
        pass

    class App:
        state = State()

    async def run() -> None:
        app = App()
        await escalation.start_escalation_loop(app)
        await asyncio.sleep(0.1)
        await escalation.stop_escalation_loop(app)

    asyncio.run(run())
    assert len(ticks) >= 2
