"""One-click dispatch and the officer's status steps, through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import KLOJEN, device_headers, login, register_device
from tests.dispatch.helpers import make_unit, offset, post_alarm


def _unit_status(unit_id: int) -> str:
    from siaga.db import get_database
    from siaga.units.models import Unit

    with get_database().session() as session:
        unit = session.get(Unit, unit_id)
        assert unit is not None
        return unit.status


def _events(alarm_id: int) -> list[str]:
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.events.models import EventRecord

    with get_database().session() as session:
        rows = session.scalars(select(EventRecord).order_by(EventRecord.id)).all()
        return [r.type for r in rows
                if isinstance(r.payload.get("alarm"), dict)
                and r.payload["alarm"]["id"] == alarm_id]


def _audit_actions(target_id: int) -> list[str]:
    from sqlalchemy import select

    from siaga.audit.models import AuditEntry
    from siaga.db import get_database

    with get_database().session() as session:
        return list(session.scalars(select(AuditEntry.action)
                                    .where(AuditEntry.target_type == "alarm")
                                    .where(AuditEntry.target_id == str(target_id))))


def test_dispatch_flow_from_operator_to_officer_to_citizen(client: Any) -> None:
    device = register_device(client)
    alarm = post_alarm(client, device)
    near = offset(*KLOJEN, 800)
    unit = make_unit(kind="motorbike", lat=near[0], lon=near[1], username="bhabin.kauman")
    ops = login(client, "operator")

    response = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit},
                           headers=ops)
    assert response.status_code == 201, response.text
    assignment = response.json()
    assert assignment["status"] == "dispatched" and assignment["unit_id"] == unit
    assert assignment["dispatched_by"] == "Operator MCC Malang Kota"
    assert assignment["eta_s"] > 0
    assert _unit_status(unit) == "dispatched"

    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["status"] == "dispatched"
    assert detail["acknowledged_at"] is not None  # dispatching implies acknowledging
    assert [e["type"] for e in detail["timeline"]] == ["created", "acknowledged", "dispatched"]
    assert detail["response_times"]["dispatch_s"] is not None

    # The citizen sees who is coming and when.
    mine = client.get(f"/api/v1/alarms/{alarm['id']}", headers=device_headers(device)).json()
    coming = mine["assigned_unit"]
    assert coming["callsign"].startswith("T-MOT") and coming["kind"] == "motorbike"
    assert coming["status"] == "dispatched" and coming["eta_s"] > 0 and coming["eta_at"]

    # The officer's phone lists the task with navigation links.
    officer = login(client, "bhabin.kauman")
    tasks = client.get("/api/v1/dispatch/mine", headers=officer).json()["items"]
    task = next(t for t in tasks if t["alarm"]["id"] == alarm["id"])
    assert task["navigation_url"].startswith(
        "https://www.google.com/maps/dir/?api=1&destination=")
    assert task["geo_url"].startswith("geo:")
    assert task["alarm"]["caller_phone"].startswith("+62")
    aid = task["assignment"]["id"]
    for step, alarm_status, unit_status in [("accepted", "dispatched", "dispatched"),
                                            ("en_route", "en_route", "en_route"),
                                            ("on_scene", "on_scene", "on_scene")]:
        r = client.post(f"/api/v1/dispatch/{aid}/status", json={"status": step},
                        headers=officer)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == step
        assert client.get(f"/api/v1/alarms/{alarm['id']}",
                          headers=ops).json()["status"] == alarm_status
        assert _unit_status(unit) == unit_status
    back = client.post(f"/api/v1/dispatch/{aid}/status", json={"status": "en_route"},
                       headers=officer)
    assert back.status_code == 409
    mine = client.get(f"/api/v1/alarms/{alarm['id']}", headers=device_headers(device)).json()
    assert mine["assigned_unit"]["status"] == "on_scene"
    assert mine["assigned_unit"]["status_label"] == "Tiba di lokasi"
    assert mine["response_times"]["arrival_s"] is not None

    done = client.post(f"/api/v1/dispatch/{aid}/status", json={"status": "cleared"},
                       headers=officer)
    assert done.status_code == 200
    assert _unit_status(unit) == "available"
    assert client.get("/api/v1/dispatch/mine", headers=officer).json()["total"] == sum(
        1 for t in tasks if t["alarm"]["id"] != alarm["id"])

    types = _events(alarm["id"])
    assert "alarm.dispatched" in types and types.count("alarm.assignment") == 4
    assert "alarm.dispatch" in _audit_actions(alarm["id"])


def test_dispatch_event_and_unit_event_are_recorded(client: Any) -> None:
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.events.models import EventRecord

    alarm = post_alarm(client, register_device(client))
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    ops = login(client, "operator")
    assert client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit},
                       headers=ops).status_code == 201
    with get_database().session() as session:
        rows = session.scalars(select(EventRecord).order_by(EventRecord.id.desc())
                               .limit(5)).all()
    by_type: dict[str, Any] = {}
    for row in rows:  # newest first: an earlier test's events never stand in for these
        by_type.setdefault(row.type, row.payload)
    assert by_type["alarm.dispatched"]["alarm"]["id"] == alarm["id"]
    assert by_type["alarm.dispatched"]["alarm"]["status"] == "dispatched"
    assert by_type["alarm.dispatched"]["assignment"]["unit_id"] == unit
    assert by_type["unit.status"]["unit"]["id"] == unit
    assert by_type["unit.status"]["unit"]["status"] == "dispatched"


def test_a_busy_unit_cannot_be_sent_twice(client: Any) -> None:
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    ops = login(client, "operator")
    first = post_alarm(client, register_device(client))
    second = post_alarm(client, register_device(client))
    assert client.post(f"/api/v1/alarms/{first['id']}/dispatch", json={"unit_id": unit},
                       headers=ops).status_code == 201
    again = client.post(f"/api/v1/alarms/{first['id']}/dispatch", json={"unit_id": unit},
                        headers=ops)
    assert again.status_code == 409
    busy = client.post(f"/api/v1/alarms/{second['id']}/dispatch", json={"unit_id": unit},
                       headers=ops)
    assert busy.status_code == 409
    assert client.get(f"/api/v1/alarms/{second['id']}", headers=ops).json()["status"] == "open"


def test_dispatch_refuses_other_polres_units_and_closed_alarms(client: Any) -> None:
    ops = login(client, "operator")
    alarm = post_alarm(client, register_device(client))
    tegal_unit = make_unit(org="polres-tegal", lat=KLOJEN[0], lon=KLOJEN[1])
    r = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": tegal_unit},
                    headers=ops)
    assert r.status_code == 404
    assert client.post(f"/api/v1/alarms/{alarm['id']}/close", json={"outcome": "duplicate"},
                       headers=ops).status_code == 200
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    r = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit},
                    headers=ops)
    assert r.status_code == 409


def test_only_the_units_officer_or_an_operator_moves_the_assignment(client: Any) -> None:
    ops = login(client, "operator")
    alarm = post_alarm(client, register_device(client))
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1], username="bhabin.kauman")
    aid = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit},
                      headers=ops).json()["id"]
    stranger = login(client, "petugas.slawi")
    url = f"/api/v1/dispatch/{aid}/status"
    assert client.post(url, json={"status": "accepted"}, headers=stranger).status_code == 404
    officer = login(client, "bhabin.kauman")
    assert client.post(url, json={"status": "cancelled"}, headers=officer).status_code == 403
    assert client.post(url, json={"status": "teleported"}, headers=officer).status_code == 422
    recalled = client.post(url, json={"status": "cancelled"}, headers=ops)
    assert recalled.status_code == 200 and recalled.json()["status"] == "cancelled"
    assert _unit_status(unit) == "available"


def test_active_assignments_list_for_the_queue(client: Any) -> None:
    ops = login(client, "operator")
    alarm = post_alarm(client, register_device(client))
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit}, headers=ops)
    items = client.get("/api/v1/dispatch/assignments", headers=ops).json()["items"]
    assert any(a["alarm_id"] == alarm["id"] and a["unit_id"] == unit for a in items)
    tegal = client.get("/api/v1/dispatch/assignments",
                       headers=login(client, "operator.tegal")).json()["items"]
    assert not any(a["alarm_id"] == alarm["id"] for a in tegal)


def test_a_step_pressed_without_signal_is_stamped_when_it_was_pressed(client: Any) -> None:
    """The officer's phone keeps a press made without signal and sends it later with how long
    ago it was pressed (its own clock): the arrival counts from the press, so response-time
    figures do not suffer from a dead zone; never before the previous step, never in future."""
    from datetime import UTC, datetime, timedelta

    from siaga.alarms.models import Alarm
    from siaga.db import get_database
    from siaga.dispatch.models import Assignment

    alarm = post_alarm(client, register_device(client))
    unit = make_unit(kind="motorbike", lat=KLOJEN[0], lon=KLOJEN[1], username="bhabin.kauman")
    ops = login(client, "operator")
    aid = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit},
                      headers=ops).json()["id"]
    raised, dispatched = (datetime.now(UTC) - timedelta(minutes=m) for m in (21, 20))
    with get_database().session() as session:
        row = session.get(Assignment, aid)
        stored = session.get(Alarm, alarm["id"])
        assert row is not None and stored is not None
        row.dispatched_at = dispatched
        stored.created_at = stored.triggered_at = raised
    officer = login(client, "bhabin.kauman")

    def press(step: str, seconds_ago: float) -> dict[str, Any]:
        r = client.post(f"/api/v1/dispatch/{aid}/status", headers=officer,
                        json={"status": step, "pressed_seconds_ago": seconds_ago})
        assert r.status_code == 200, r.text
        return dict(r.json())

    def at(value: str) -> datetime:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))

    # A phone that claims a press from before the dispatch: held at the dispatch.
    accepted = press("accepted", 1e300)
    assert abs((at(accepted["accepted_at"]) - dispatched).total_seconds()) < 1
    # Arrival pressed 8 minutes ago in a dead zone, sent now: stamped 8 minutes ago.
    before = datetime.now(UTC)
    arrived = press("on_scene", 8 * 60)
    assert abs((at(arrived["on_scene_at"]) - (before - timedelta(minutes=8))).total_seconds()) < 5
    assert at(arrived["en_route_at"]) == at(arrived["on_scene_at"])  # implied by the arrival
    # A negative count (a clock set back meanwhile) stamps the step when it arrives.
    cleared = press("cleared", -50)
    assert abs((at(cleared["cleared_at"]) - datetime.now(UTC)).total_seconds()) < 5

    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["response_times"]["arrival_s"] == pytest.approx(13 * 60, abs=10)
    line = next(e for e in detail["timeline"] if e["type"] == "unit.on_scene")
    assert abs((at(line["at"]) - at(arrived["on_scene_at"])).total_seconds()) < 1
    refused = client.post(f"/api/v1/dispatch/{aid}/status", headers=officer,
                          json={"status": "cleared", "pressed_seconds_ago": "kemarin"})
    assert refused.status_code == 422
