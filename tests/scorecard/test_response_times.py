"""Response-time KPIs computed from alarms created, acknowledged and closed over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import device_headers, login, register_device
from tests.scorecard.helpers import kpi, scorecard

BUMIJAWA = (-7.1600, 109.1100)
WIB = ZoneInfo("Asia/Jakarta")


def _alarm(client: Any) -> int:
    device = register_device(client)
    body = {"client_id": str(uuid.uuid4()), "lat": BUMIJAWA[0], "lon": BUMIJAWA[1]}
    response = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
    assert response.status_code == 201, response.text
    assert response.json()["org_code"] == "polsek-bumijawa"
    return int(response.json()["id"])


def _unit() -> int:
    from siaga.db import get_database, utcnow
    from siaga.orgs.service import org_by_code
    from siaga.units.service import create_unit

    with get_database().session() as session:
        unit = create_unit(session, callsign=f"SC-{uuid.uuid4().hex[:8]}",
                           org=org_by_code(session, code="polsek-bumijawa"), kind="car",
                           user=None)
        unit.lat, unit.lon, unit.position_at = BUMIJAWA[0], BUMIJAWA[1], utcnow()
        session.flush()
        return unit.id


def _set_times(alarm_id: int, created: datetime, ack_s: float, on_scene_min: float) -> None:
    from sqlalchemy import select

    from siaga.alarms.models import Alarm
    from siaga.db import get_database
    from siaga.dispatch.models import Assignment

    with get_database().session() as session:
        alarm = session.get(Alarm, alarm_id)
        assert alarm is not None
        alarm.created_at = created
        alarm.acknowledged_at = created + timedelta(seconds=ack_s)
        for assignment in session.scalars(select(Assignment).where(
                Assignment.alarm_id == alarm_id)):
            assignment.dispatched_at = created + timedelta(seconds=ack_s + 20)
            assignment.on_scene_at = created + timedelta(minutes=on_scene_min)
        alarm.closed_at = created + timedelta(minutes=on_scene_min + 30)


def _snapshot(client: Any, year: int, month: int) -> dict[str, Any]:
    card = scorecard(client, "pimpinan.tegal", org="polsek-bumijawa", year=year, month=month)
    response = kpi(card, "alarm_response")
    ack = kpi(card, "alarm_acknowledgement")
    dash = client.get("/api/v1/scorecard/dashboard",
                      params={"org": "polsek-bumijawa", "year": year, "month": month},
                      headers=login(client, "pimpinan.tegal")).json()
    return {"n": response["detail"].get("n", 0),
            "within": response["detail"].get("within_target", 0),
            "ack_n": ack["detail"].get("n", 0), "response": response, "ack": ack,
            "buckets": {b["label"]: b["count"] for b in dash["response_times"]["buckets"]},
            "hours": dash["alarms_by_hour"]["hours"]}


def test_response_kpis_from_alarms(client: Any) -> None:
    base = datetime.now(UTC) - timedelta(minutes=30)
    local = base.astimezone(WIB)
    before = _snapshot(client, local.year, local.month)

    ops = login(client, "operator.tegal")
    ids = [_alarm(client) for _ in range(4)]
    for alarm_id in ids:
        assert client.post(f"/api/v1/alarms/{alarm_id}/acknowledge",
                           headers=ops).status_code == 200
        sent = client.post(f"/api/v1/alarms/{alarm_id}/dispatch", json={"unit_id": _unit()},
                           headers=ops)
        assert sent.status_code == 201, sent.text
    for alarm_id in ids[:3]:
        closed = client.post(f"/api/v1/alarms/{alarm_id}/close", headers=ops,
                             json={"outcome": "genuine", "category": "medical"})
        assert closed.status_code == 200, closed.text
    prank = client.post(f"/api/v1/alarms/{ids[3]}/close", headers=ops, json={"outcome": "prank"})
    assert prank.status_code == 200, prank.text
    for alarm_id, ack_s, on_scene_min in zip(ids, (5, 8, 40, 2), (4, 8, 15, 1), strict=True):
        _set_times(alarm_id, base, ack_s, on_scene_min)

    after = _snapshot(client, local.year, local.month)
    # The prank is left out of arrival statistics; its acknowledgement still counts.
    assert after["n"] - before["n"] == 3
    assert after["within"] - before["within"] == 2
    assert after["ack_n"] - before["ack_n"] == 4
    assert after["buckets"]["0-5"] - before["buckets"]["0-5"] == 1
    assert after["buckets"]["5-10"] - before["buckets"]["5-10"] == 1
    assert after["buckets"]["15-20"] - before["buckets"]["15-20"] == 1
    # Alarms by hour count every citizen alarm, the prank included (it came in at that hour).
    assert after["hours"][local.hour] - before["hours"][local.hour] == 4
    if before["n"] == 0:
        assert after["response"]["value"] == 66.7
        assert after["response"]["detail"]["median_min"] == 8.0
        assert after["response"]["light"] == "red"
        assert after["ack"]["value"] == 6.5
        assert after["ack"]["detail"]["within_10s"] == 3
        assert after["ack"]["light"] == "green"


def test_the_ten_minute_target_comes_from_settings(client: Any) -> None:
    card = scorecard(client, "pimpinan.tegal")
    assert "10 menit" in kpi(card, "alarm_response")["target_text"]
    dash = client.get("/api/v1/scorecard/dashboard",
                      headers=login(client, "pimpinan.tegal")).json()
    assert dash["response_times"]["target_min"] == 10


def test_arrival_on_scene_from_dispatch_counts_before_closing(client: Any) -> None:
    from siaga.alarms.models import Alarm
    from siaga.db import get_database, utcnow
    from siaga.dispatch.models import Assignment
    from siaga.orgs.service import org_by_code
    from siaga.units.service import create_unit

    with get_database().session() as session:
        unit = create_unit(session, callsign=f"SC-{uuid.uuid4().hex[:8]}",
                           org=org_by_code(session, code="polsek-bumijawa"), kind="car",
                           user=None)
        unit.lat, unit.lon, unit.position_at = BUMIJAWA[0], BUMIJAWA[1], utcnow()
        session.flush()
        unit_id = unit.id
    base = datetime.now(UTC) - timedelta(minutes=40)
    local = base.astimezone(WIB)
    before = _snapshot(client, local.year, local.month)
    alarm_id = _alarm(client)
    ops = login(client, "operator.tegal")
    assert client.post(f"/api/v1/alarms/{alarm_id}/acknowledge", headers=ops).status_code == 200
    sent = client.post(f"/api/v1/alarms/{alarm_id}/dispatch", json={"unit_id": unit_id},
                       headers=ops)
    assert sent.status_code == 201, sent.text
    with get_database().session() as session:
        alarm = session.get(Alarm, alarm_id)
        assignment = session.get(Assignment, sent.json()["id"])
        assert alarm is not None and assignment is not None
        alarm.created_at, alarm.acknowledged_at = base, base + timedelta(seconds=6)
        assignment.on_scene_at = base + timedelta(minutes=3)
        alarm.closed_at, alarm.status, alarm.outcome = (base + timedelta(minutes=35), "closed",
                                                        "genuine")
    after = _snapshot(client, local.year, local.month)
    assert after["n"] - before["n"] == 1
    # Arrival after 3 minutes counts, not the closing 35 minutes later.
    assert after["within"] - before["within"] == 1
