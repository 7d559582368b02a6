"""Closing with outcomes, flagging devices after three false alarms, blocking, rate limits."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import KLOJEN, device_headers, login, register_device
from tests.dispatch.helpers import make_unit, post_alarm


def _close(client: Any, alarm_id: int, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/api/v1/alarms/{alarm_id}/close", json=body, headers=headers)


def test_genuine_close_records_category_and_crime_type(client: Any) -> None:
    ops = login(client, "operator")
    device = register_device(client)
    alarm = post_alarm(client, device)
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit}, headers=ops)
    response = _close(client, alarm["id"], ops, outcome="genuine", category="crime",
                      crime_type="curanmor", note="motor dicuri di parkiran kos")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "closed"
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["closure"]["outcome"] == "genuine"
    assert detail["closure"]["crime_type_label"].startswith("Pencurian kendaraan bermotor")
    assert detail["closure"]["closed_by"] == "Operator MCC Malang Kota"
    assert detail["response_times"]["close_s"] is not None
    assert detail["timeline"][-1]["type"] == "closed"
    # Closing releases the unit.
    from siaga.db import get_database
    from siaga.units.models import Unit

    with get_database().session() as session:
        assert session.get(Unit, unit).status == "available"  # type: ignore[union-attr]
    assert _close(client, alarm["id"], ops, outcome="prank").status_code == 409


def test_close_validation(client: Any) -> None:
    ops = login(client, "operator")
    alarm = post_alarm(client, register_device(client))
    cases = [
        ({"outcome": "genuine"}, "category"),
        ({"outcome": "genuine", "category": "crime"}, "crime_type"),
        ({"outcome": "genuine", "category": "crime", "crime_type": "alien"}, "crime_type"),
        ({"outcome": "genuine", "category": "medical", "crime_type": "curanmor"}, "crime_type"),
        ({"outcome": "prank", "category": "fire"}, "category"),
        ({"outcome": "whatever"}, "outcome"),
    ]
    for body, field in cases:
        r = _close(client, alarm["id"], ops, **body)
        assert r.status_code == 422, (body, r.text)
        detail = r.json()["detail"]
        fields = [d["field"] for d in detail] if isinstance(detail, list) else [detail["field"]]
        assert field in fields, (body, detail)
    assert _close(client, alarm["id"], login(client, "pimpinan"),
                  outcome="duplicate").status_code == 403
    assert _close(client, alarm["id"], ops, outcome="genuine",
                  category="medical").status_code == 200


def test_third_false_alarm_flags_the_device_and_its_alarms_still_arrive(client: Any) -> None:
    ops = login(client, "operator")
    device = register_device(client)
    for outcome in ("false_alarm", "duplicate", "prank", "false_alarm"):
        alarm = post_alarm(client, device)
        assert _close(client, alarm["id"], ops, outcome=outcome).status_code == 200
        if outcome == "prank":  # the duplicate did not count: two so far
            me = client.get("/api/v1/devices/me", headers=device_headers(device)).json()
            assert me["flagged"] is False
    me = client.get("/api/v1/devices/me", headers=device_headers(device)).json()
    assert me["flagged"] is True and me["blocked"] is False
    # Still accepted, marked for the operator.
    fresh = post_alarm(client, device)
    assert fresh["device_flagged"] is True
    listed = client.get("/api/v1/alarms?status=open&limit=1000", headers=ops).json()["items"]
    assert any(a["id"] == fresh["id"] and a["device_flagged"] for a in listed)


def test_two_false_alarms_do_not_flag(client: Any) -> None:
    ops = login(client, "operator")
    device = register_device(client)
    for _ in range(2):
        alarm = post_alarm(client, device)
        _close(client, alarm["id"], ops, outcome="prank")
    assert client.get("/api/v1/devices/me",
                      headers=device_headers(device)).json()["flagged"] is False
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.devices.models import Device

    with get_database().session() as session:
        row = session.scalar(select(Device).where(Device.public_id == device["device_id"]))
        assert row is not None and row.false_alarm_count == 2


def test_block_and_unblock_a_device_is_audited(client: Any) -> None:
    from sqlalchemy import select

    from siaga.audit.models import AuditEntry
    from siaga.db import get_database

    ops = login(client, "operator")
    device = register_device(client)
    alarm = post_alarm(client, device)
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["device_id"] == device["device_id"]
    url = f"/api/v1/devices/{device['device_id']}"
    assert client.post(f"{url}/block", json={"reason": ""}, headers=ops).status_code == 422
    # Only operators whose area the device sent alarms to may block it.
    assert client.post(f"{url}/block", json={"reason": "iseng berulang"},
                       headers=login(client, "operator.tegal")).status_code == 404
    assert client.post(f"{url}/block", json={"reason": "iseng berulang"},
                       headers=login(client, "bhabin.kauman")).status_code == 403
    blocked = client.post(f"{url}/block", json={"reason": "iseng berulang"}, headers=ops)
    assert blocked.status_code == 200 and blocked.json()["blocked"] is True
    refused = client.post("/api/v1/alarms", headers=device_headers(device),
                          json={"client_id": str(uuid.uuid4()), "lat": KLOJEN[0],
                                "lon": KLOJEN[1]})
    assert refused.status_code == 403
    unblocked = client.post(f"{url}/unblock", json={"reason": "sudah dibina"}, headers=ops)
    assert unblocked.status_code == 200 and unblocked.json()["blocked"] is False
    # Accepted again: the press joins the device's alarm that is still active.
    assert post_alarm(client, device, expect=200)["id"] == alarm["id"]
    with get_database().session() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.detail, AuditEntry.actor_user_id)
            .where(AuditEntry.action.in_(("device.block", "device.unblock")))
            .order_by(AuditEntry.id.desc()).limit(2)).all()
    assert [r.action for r in rows] == ["device.unblock", "device.block"]
    assert rows[1].detail["reason"] == "iseng berulang" and rows[1].actor_user_id is not None
    assert client.post("/api/v1/devices/00000000-0000-0000-0000-000000000000/block",
                       json={"reason": "tidak ada"}, headers=ops).status_code == 404


def test_rate_limits_answer_429_with_a_message(client: Any, monkeypatch: Any) -> None:
    from siaga.alarms import service
    from siaga.config import get_settings

    monkeypatch.setattr(service, "_limiters", {})
    monkeypatch.setattr(get_settings(), "alarm_rate_per_device_per_minute", 2)
    device = register_device(client)
    post_alarm(client, device)
    post_alarm(client, device, expect=200)  # joins the first, and counts
    body = {"client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1]}
    third = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
    assert third.status_code == 429
    assert "110" in str(third.json()["detail"])
    # Per address: many devices behind one address (the test client's).
    monkeypatch.setattr(service, "_limiters", {})
    monkeypatch.setattr(get_settings(), "alarm_rate_per_device_per_minute", 100)
    monkeypatch.setattr(get_settings(), "alarm_rate_per_ip_per_minute", 2)
    created = []
    for _ in range(3):
        other = register_device(client)
        created.append(client.post(
            "/api/v1/alarms", headers=device_headers(other),
            json={"client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1]}))
    codes = [r.status_code for r in created]
    assert codes[:2] == [201, 201] and codes[2] == 429, codes


def test_closing_an_incident_closes_the_alarms_merged_into_it(client: Any) -> None:
    from sqlalchemy import select

    from siaga.audit.models import AuditEntry
    from siaga.db import get_database
    from tests.dispatch.helpers import offset
    from tests.events.helpers import next_of_type, socket_url

    ops = login(client, "operator")
    # Five phones within 100 m: one emergency. B is merged into A; C into D, then D into A.
    first, b, c, d, grouped = (
        post_alarm(client, register_device(client), *offset(KLOJEN[0], KLOJEN[1], 20 * k))
        for k in range(5))
    for alarm, into in ((b, first), (c, d), (d, first)):
        merged = client.post(f"/api/v1/alarms/{alarm['id']}/merge", headers=ops,
                             json={"into_id": into["id"]})
        assert merged.status_code == 200, merged.text
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    sent = client.post(f"/api/v1/alarms/{b['id']}/dispatch", json={"unit_id": unit}, headers=ops)
    assert sent.status_code == 201, sent.text
    together = {first["id"], b["id"], c["id"], d["id"]}

    with client.websocket_connect(socket_url(client, ops)) as ws:
        assert ws.receive_json()["type"] == "hello"
        response = _close(client, first["id"], ops, outcome="genuine", category="medical",
                          note="pingsan di pasar, dibawa ke RS")
        assert response.status_code == 200, response.text
        closed_events = set()
        while closed_events != together:
            closed_events.add(next_of_type(ws, "alarm.closed")["alarm"]["id"])

    for alarm_id in together:
        detail = client.get(f"/api/v1/alarms/{alarm_id}", headers=ops).json()
        assert detail["status"] == "closed" and detail["outcome"] == "genuine", detail["status"]
        assert detail["closure"]["outcome"] == "genuine"
        assert detail["timeline"][-1]["type"] == "closed"
        if alarm_id != first["id"]:
            note = detail["timeline"][-1]["note"]
            assert note.startswith(f"Ditutup bersama alarm #{first['id']}"), note
        assert all(a["status"] != "dispatched" for a in detail["assignments"])
    # Grouped by place but never merged: an operator still decides about it.
    alone = client.get(f"/api/v1/alarms/{grouped['id']}", headers=ops).json()
    assert alone["status"] == "open"
    with get_database().session() as session:
        audited = session.scalars(select(AuditEntry.target_id).where(
            AuditEntry.action == "alarm.close",
            AuditEntry.target_id.in_([str(i) for i in together | {grouped["id"]}]))).all()
    assert sorted(audited) == sorted(str(i) for i in together)
    # The unit sent to a merged alarm is free again.
    from siaga.units.models import Unit

    with get_database().session() as session:
        assert session.get(Unit, unit).status == "available"  # type: ignore[union-attr]
