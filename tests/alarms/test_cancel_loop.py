"""A caller's cancel after an operator acted closes the loop; the duress PIN only looks like one."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import KLOJEN, device_headers, login, register_device
from tests.dispatch.helpers import make_unit, offset, post_alarm


def _events(alarm_id: int) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.events.models import EventRecord

    with get_database().session() as session:
        rows = session.scalars(select(EventRecord).order_by(EventRecord.id)).all()
        return [{"type": r.type, **r.payload} for r in rows
                if isinstance(r.payload.get("alarm"), dict)
                and r.payload["alarm"].get("id") == alarm_id]


def _unit_status(unit_id: int) -> str:
    from siaga.db import get_database
    from siaga.units.models import Unit

    with get_database().session() as session:
        unit = session.get(Unit, unit_id)
        assert unit is not None
        return unit.status


def _phone() -> str:
    return f"08{uuid.uuid4().int % 10**10:010d}"


def _open_ids(client: Any, headers: dict[str, str]) -> set[int]:
    items = client.get("/api/v1/alarms?status=open&limit=1000", headers=headers).json()["items"]
    return {a["id"] for a in items}


def _dispatched(client: Any, pin: str = "2468", duress_pin: str | None = None
                ) -> tuple[dict[str, str], dict[str, Any], int, int]:
    body: dict[str, Any] = {"phone": f"08{uuid.uuid4().int % 10**10:010d}", "name": "Warga Batal",
                            "pin": pin}
    if duress_pin:
        body["duress_pin"] = duress_pin
    registered = client.post("/api/v1/devices", json=body)
    assert registered.status_code == 201, registered.text
    device = {"Authorization": f"Bearer {registered.json()['token']}"}
    alarm = post_alarm(client, device)
    near = offset(*KLOJEN, 700)
    unit = make_unit(kind="motorbike", lat=near[0], lon=near[1], username="bhabin.kauman")
    sent = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit},
                       headers=login(client, "operator"))
    assert sent.status_code == 201, sent.text
    return device, alarm, unit, sent.json()["id"]


def test_cancel_after_dispatch_calls_the_unit_off_and_waits_for_the_operator(client: Any) -> None:
    device, alarm, unit, assignment = _dispatched(client)
    ops = login(client, "operator")
    cancel = client.post(f"/api/v1/alarms/{alarm['id']}/cancel", json={"pin": "2468"},
                         headers=device)
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"

    # The unit is free again and its task ended "Dibatalkan pelapor".
    assert _unit_status(unit) == "available"
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    [task] = detail["assignments"]
    assert task["status"] == "cancelled_by_caller" and task["status_label"] == "Dibatalkan pelapor"
    assert detail["assigned_unit"] is None
    # The officer's phone hears it at once: its own assignment's event with the new status.
    sent = [e for e in _events(alarm["id"]) if e["type"] == "alarm.assignment"]
    assert sent[-1]["assignment"]["id"] == assignment
    assert sent[-1]["assignment"]["status"] == "cancelled_by_caller"
    officer = login(client, "bhabin.kauman")
    tasks = client.get("/api/v1/dispatch/mine", headers=officer).json()["items"]
    assert all(t["assignment"]["id"] != assignment for t in tasks)

    # Still in the operators' queue until one confirms.
    assert detail["needs_cancel_confirmation"] is True
    assert detail["status_label"] == "Dibatalkan pelapor - perlu konfirmasi"
    assert alarm["id"] in _open_ids(client, ops)
    confirmed = client.post(f"/api/v1/alarms/{alarm['id']}/confirm-cancel", headers=ops)
    assert confirmed.status_code == 200
    assert confirmed.json()["needs_cancel_confirmation"] is False
    assert confirmed.json()["status_label"] == "Dibatalkan pelapor"
    assert alarm["id"] not in _open_ids(client, ops)
    again = client.post(f"/api/v1/alarms/{alarm['id']}/confirm-cancel", headers=ops)
    assert again.status_code == 409
    timeline = [e["type"] for e in client.get(f"/api/v1/alarms/{alarm['id']}",
                                              headers=ops).json()["timeline"]]
    assert timeline[-3:] == ["cancelled", "unit.cancelled_by_caller", "cancel_confirmed"]


def test_operator_may_still_send_a_unit_after_the_caller_cancelled(client: Any) -> None:
    device, alarm, _unit, _ = _dispatched(client)
    ops = login(client, "operator")
    assert client.post(f"/api/v1/alarms/{alarm['id']}/cancel", json={"pin": "2468"},
                       headers=device).status_code == 200
    spot = offset(*KLOJEN, 300)
    other = make_unit(lat=spot[0], lon=spot[1])
    sent = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": other},
                       headers=ops)
    assert sent.status_code == 201, sent.text
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["status"] == "dispatched" and detail["needs_cancel_confirmation"] is False
    assert "reopened" in [e["type"] for e in detail["timeline"]]
    # The caller sees the truth: a unit is coming after all.
    mine = client.get(f"/api/v1/alarms/{alarm['id']}", headers=device).json()
    assert mine["status"] == "dispatched" and mine["assigned_unit"]["status"] == "dispatched"


def test_cancel_before_anyone_acted_needs_no_confirmation(client: Any) -> None:
    device = register_device(client)
    alarm = post_alarm(client, device)
    assert client.post(f"/api/v1/alarms/{alarm['id']}/cancel", json={"pin": "2468"},
                       headers=device_headers(device)).status_code == 200
    ops = login(client, "operator")
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["needs_cancel_confirmation"] is False
    assert alarm["id"] not in _open_ids(client, ops)


def test_duress_pin_looks_like_a_cancel_but_keeps_the_alarm_active(client: Any) -> None:
    device, alarm, unit, assignment = _dispatched(client, pin="2468", duress_pin="8642")
    ops = login(client, "operator")
    real = client.post(f"/api/v1/alarms/{alarm['id']}/cancel", json={"pin": "8642"},
                       headers=device)
    assert real.status_code == 200
    shown = real.json()
    # The phone is told exactly what a cancel tells it.
    assert shown["status"] == "cancelled" and shown["duress"] is False
    assert shown["priority"] == 0 and shown["needs_cancel_confirmation"] is False
    mine = client.get(f"/api/v1/alarms/{alarm['id']}", headers=device).json()
    assert mine["status"] == "cancelled" and mine["assigned_unit"] is None
    assert mine["cancellable_until"] is None
    assert [e["type"] for e in mine["timeline"]][-1] == "cancelled"
    assert "ancaman" not in str(mine) and "darurat" not in str(mine)
    assert mine["duress"] is False and mine["priority"] == 0
    assert all(a["status"] == "cancelled_by_caller" for a in mine["assignments"])
    # A second cancel is refused as on any cancelled alarm; position updates stop the same way.
    assert client.post(f"/api/v1/alarms/{alarm['id']}/cancel", json={"pin": "2468"},
                       headers=device).status_code == 409
    assert client.post(f"/api/v1/alarms/{alarm['id']}/location", headers=device,
                       json={"lat": KLOJEN[0], "lon": KLOJEN[1]}).status_code == 409

    # Staff see the truth: still active, raised, marked, the unit still on its way.
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["status"] == "dispatched" and detail["duress"] is True
    assert detail["priority"] == 1 and detail["needs_cancel_confirmation"] is False
    assert detail["timeline"][-1]["type"] == "duress"
    assert detail["assignments"][0]["status"] == "dispatched"
    assert _unit_status(unit) == "dispatched"
    assert alarm["id"] in _open_ids(client, ops)
    updated = [e for e in _events(alarm["id"]) if e["type"] == "alarm.updated"]
    assert updated[-1]["alarm"]["duress"] is True
    assert not any(e["type"] == "alarm.cancelled" for e in _events(alarm["id"]))
    assert assignment == detail["assignments"][0]["id"]


def test_duress_pin_must_differ_and_needs_a_cancel_pin(client: Any) -> None:
    same = client.post("/api/v1/devices", json={"phone": _phone(), "name": "A",
                                                "pin": "1357", "duress_pin": "1357"})
    assert same.status_code == 422 and "berbeda" in same.text
    alone = client.post("/api/v1/devices", json={"phone": _phone(), "name": "A",
                                                 "duress_pin": "1357"})
    assert alone.status_code == 422
    ok = client.post("/api/v1/devices", json={"phone": _phone(), "name": "A",
                                              "pin": "1357", "duress_pin": "7531"})
    assert ok.status_code == 201
    headers = {"Authorization": f"Bearer {ok.json()['token']}"}
    me = client.get("/api/v1/devices/me", headers=headers).json()
    assert me["has_pin"] is True and me["has_duress_pin"] is True
    # Both are stored hashed like the cancel PIN, never as digits.
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.devices.models import Device

    with get_database().session() as session:
        row = session.scalar(select(Device).where(Device.public_id == ok.json()["device_id"]))
        assert row is not None and row.duress_pin_hash and "7531" not in row.duress_pin_hash
        assert row.duress_pin_hash != row.pin_hash


def test_a_repeat_press_after_duress_shows_the_active_alarm_again(client: Any) -> None:
    device, alarm, _unit, _ = _dispatched(client, pin="2468", duress_pin="8642")
    assert client.post(f"/api/v1/alarms/{alarm['id']}/cancel", json={"pin": "8642"},
                       headers=device).status_code == 200
    again = post_alarm(client, device, expect=200)
    assert again["id"] == alarm["id"] and again["status"] == "dispatched"
    assert again["duress"] is False  # the phone still never learns of the duress
