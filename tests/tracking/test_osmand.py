"""Traccar Client / OsmAnd intake: the three wire forms, units, refusals and their replies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from tests.conftest import KLOJEN, SLAWI
from tests.tracking.helpers import epoch, new_unit, traccar_json, unit_state


def _rejections(unit_id: int) -> list[Any]:
    from siaga.db import get_database
    from siaga.units.models import RejectedFix

    with get_database().session() as session:
        return list(session.scalars(select(RejectedFix).where(RejectedFix.unit_id == unit_id)
                                    .order_by(RejectedFix.id)))


def _history(unit_id: int) -> list[Any]:
    from siaga.db import get_database
    from siaga.units.models import UnitPosition

    with get_database().session() as session:
        return list(session.scalars(select(UnitPosition).where(UnitPosition.unit_id == unit_id)
                                    .order_by(UnitPosition.at)))


def test_query_string_get_as_traccar_client_sends_it(client: Any) -> None:
    unit = new_unit(client)
    ts = epoch(-5)
    query = (f"id={unit['tracker_id']}&timestamp={ts}&lat=-7.97901&lon=112.63012&speed=10.0"
             f"&bearing=87.5&altitude=441.0&accuracy=6.0&batt=81.0")
    response = client.get(f"/gps/osmand?{query}")
    assert response.status_code == 200, response.text
    state = unit_state(client, unit["id"])
    assert state["position"]["lat"] == -7.97901 and state["position"]["lon"] == 112.63012
    assert state["speed_kmh"] == pytest.approx(18.52)  # 10 knots
    assert state["heading"] == 87.5 and state["battery"] == 81.0
    assert state["stale"] is False
    expected = datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert state["position"]["at"].startswith(expected)
    [fix] = _history(unit["id"])
    assert (fix.altitude, fix.accuracy_m, fix.source) == (441.0, 6.0, "osmand")


def test_post_with_query_string_and_deviceid_and_location(client: Any) -> None:
    unit = new_unit(client)
    response = client.post(f"/gps/osmand?deviceid={unit['tracker_id']}"
                           f"&location=-7.9791,112.6302&timestamp={epoch(-3) * 1000}")
    assert response.status_code == 200, response.text
    assert unit_state(client, unit["id"])["position"]["lat"] == -7.9791


def test_form_post(client: Any) -> None:
    unit = new_unit(client)
    body = urlencode({"id": unit["tracker_id"], "lat": "-7.9792", "lon": "112.6303",
                      "timestamp": "2026-01-05 10:00:00", "speed": "0", "bearing": "0"})
    response = client.post("/gps/osmand", content=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, response.text
    state = unit_state(client, unit["id"])
    assert state["position"]["at"].startswith("2026-01-05T10:00:00")
    assert state["stale"] is True  # an old fix: stored, but not live


def test_json_body_of_traccar_client(client: Any) -> None:
    unit = new_unit(client)
    body = traccar_json(unit["tracker_id"], lat=-7.9793, lon=112.6304, ts=epoch(-2),
                        speed_mps=8.3, heading=123.4, battery=0.62)
    response = client.post("/gps/osmand", json=body)
    assert response.status_code == 200, response.text
    state = unit_state(client, unit["id"])
    assert state["position"]["lat"] == -7.9793
    assert state["speed_kmh"] == pytest.approx(29.88)  # 8.3 m/s
    assert state["heading"] == 123.4 and state["battery"] == 62.0
    [fix] = _history(unit["id"])
    assert fix.accuracy_m == 4.8 and fix.altitude == 441.2


def test_timestamps_in_seconds_milliseconds_and_iso(client: Any) -> None:
    unit = new_unit(client)
    base = epoch(-60)
    for stamp in (str(base), str((base + 10) * 1000), "2026-11-22T10:00:00+07:00"):
        response = client.get("/gps/osmand", params={
            "id": unit["tracker_id"], "lat": KLOJEN[0], "lon": KLOJEN[1], "timestamp": stamp})
        assert response.status_code == 200, (stamp, response.text)
    times = sorted(p.at.isoformat() for p in _history(unit["id"]))
    assert "2026-11-22T03:00:00+00:00" in times
    assert len(times) == 3


def test_unknown_id_is_400_json(client: Any) -> None:
    response = client.get("/gps/osmand?id=nobody-knows-me&lat=-7.9&lon=112.6")
    assert response.status_code == 400
    assert response.json()["detail"]["field"] == "id"


@pytest.mark.parametrize("query, field", [
    ("lat=-7.9&lon=112.6", "id"),
    ("id={t}&lon=112.6", "lat"),
    ("id={t}&lat=abc&lon=112.6", "lat"),
    ("id={t}&lat=-7.9&lon=112.6&timestamp=yesterday", "timestamp"),
    ("id={t}&lat=-7.9&lon=112.6&speed=fast", "speed"),
])
def test_malformed_input_is_400_naming_the_field(client: Any, query: str, field: str) -> None:
    unit = new_unit(client)
    response = client.get("/gps/osmand?" + query.format(t=unit["tracker_id"]))
    assert response.status_code == 400, response.text
    assert response.json()["detail"]["field"] == field


def test_malformed_json_body_is_400(client: Any) -> None:
    response = client.post("/gps/osmand", content=b"{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    unit = new_unit(client)
    response = client.post("/gps/osmand", json={"device_id": unit["tracker_id"],
                                                "location": {"coords": {"latitude": 1}}})
    assert response.status_code == 400


def test_zero_fix_is_refused_with_reason_but_answered_200(client: Any) -> None:
    unit = new_unit(client)
    response = client.get(f"/gps/osmand?id={unit['tracker_id']}&lat=0&lon=0&timestamp={epoch()}")
    assert response.status_code == 200  # Traccar Client would resend a non-200 forever
    assert response.json()["status"] == "rejected"
    [rejected] = _rejections(unit["id"])
    assert rejected.reason.startswith("zero_position")
    assert _history(unit["id"]) == []
    assert unit_state(client, unit["id"])["position"] is None


def test_impossible_jump_is_refused_with_reason(client: Any) -> None:
    unit = new_unit(client)
    ts = epoch(-120)
    ok = client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": KLOJEN[0],
                                           "lon": KLOJEN[1], "timestamp": ts})
    assert ok.json() == {"status": "ok"}
    # Malang to Slawi (about 300 km) in one minute.
    jump = client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": SLAWI[0],
                                             "lon": SLAWI[1], "timestamp": ts + 60})
    assert jump.status_code == 200 and jump.json()["status"] == "rejected"
    [rejected] = _rejections(unit["id"])
    assert rejected.reason.startswith("impossible_jump")
    assert unit_state(client, unit["id"])["position"]["lat"] == KLOJEN[0]
    # A car at 100 km/h is fine: 1.67 km in a minute.
    drive = client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": KLOJEN[0] + 0.015,
                                              "lon": KLOJEN[1], "timestamp": ts + 120})
    assert drive.json() == {"status": "ok"}


def test_future_timestamp_is_refused(client: Any) -> None:
    unit = new_unit(client)
    response = client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": KLOJEN[0],
                                                 "lon": KLOJEN[1], "timestamp": epoch(3600)})
    assert response.json()["status"] == "rejected"
    assert _rejections(unit["id"])[0].reason.startswith("future_timestamp")


def test_resent_fix_is_stored_once(client: Any) -> None:
    unit = new_unit(client)
    params = {"id": unit["tracker_id"], "lat": KLOJEN[0], "lon": KLOJEN[1],
              "timestamp": epoch(-1)}
    for _ in range(3):
        assert client.get("/gps/osmand", params=params).json() == {"status": "ok"}
    assert len(_history(unit["id"])) == 1


def test_late_fix_goes_to_history_without_moving_the_unit(client: Any) -> None:
    unit = new_unit(client)
    ts = epoch(-30)
    client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": -7.9790, "lon": 112.63,
                                      "timestamp": ts})
    client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": -7.9700, "lon": 112.63,
                                      "timestamp": ts - 20})
    assert unit_state(client, unit["id"])["position"]["lat"] == -7.9790
    assert len(_history(unit["id"])) == 2


def test_rate_limit_per_device_answers_429(client: Any) -> None:
    from siaga.tracking.intake import gps_limiter

    unit = new_unit(client)
    other = new_unit(client)
    limiter = gps_limiter()
    saved = limiter.limit
    limiter.limit = 3
    try:
        codes = [client.get("/gps/osmand", params={
            "id": unit["tracker_id"], "lat": KLOJEN[0], "lon": KLOJEN[1],
            "timestamp": epoch(-10 + i)}).status_code for i in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        detail = client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": 1,
                                                   "lon": 1}).json()["detail"]
        assert "Terlalu banyak" in detail
        assert client.get("/gps/osmand", params={"id": other["tracker_id"], "lat": KLOJEN[0],
                                                 "lon": KLOJEN[1]}).status_code == 200
    finally:
        limiter.limit = saved


def test_position_event_for_live_screens(client: Any) -> None:
    from siaga.db import get_database
    from siaga.events.models import EventRecord

    unit = new_unit(client)
    client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": KLOJEN[0],
                                      "lon": KLOJEN[1], "timestamp": epoch(-1), "bearing": 45})
    with get_database().session() as session:
        record = session.scalars(select(EventRecord).where(EventRecord.type == "unit.position")
                                 .order_by(EventRecord.id.desc()).limit(1)).one()
        assert record.org_path == "/polda-jatim/polres-malang-kota/polsek-klojen/"
        payload = record.payload["unit"]
    assert payload["id"] == unit["id"] and payload["callsign"] == unit["callsign"]
    assert payload["position"]["lat"] == KLOJEN[0] and payload["heading"] == 45
    assert payload["stale"] is False and payload["status"] == "available"


def test_sos_alarm_from_the_tracker_is_published(client: Any) -> None:
    from siaga.db import get_database
    from siaga.events.models import EventRecord

    unit = new_unit(client)
    client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": KLOJEN[0],
                                      "lon": KLOJEN[1], "alarm": "sos"})
    with get_database().session() as session:
        record = session.scalars(select(EventRecord).where(EventRecord.type == "unit.alarm")
                                 .order_by(EventRecord.id.desc()).limit(1)).one()
    assert record.payload["alarm"] == "sos"
    assert record.payload["unit"]["id"] == unit["id"]
