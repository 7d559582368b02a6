"""What real trackers send at the edges: heartbeats, SOS in JSON, backlogs, impossible values."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import DEMO_PASSWORD, KLOJEN
from tests.tracking.helpers import epoch, new_unit, traccar_json, unit_state


def _count_positions(unit_id: int) -> int:
    from siaga.db import get_database
    from siaga.units.models import UnitPosition

    with get_database().session() as session:
        return int(session.scalar(select(func.count()).select_from(UnitPosition)
                                  .where(UnitPosition.unit_id == unit_id)) or 0)


def _last_alarm(unit_id: int) -> Any:
    from siaga.db import get_database
    from siaga.events.models import EventRecord

    with get_database().session() as session:
        records = session.scalars(select(EventRecord).where(EventRecord.type == "unit.alarm")
                                  .order_by(EventRecord.id.desc())).all()
        return next((r.payload for r in records if r.payload["unit"]["id"] == unit_id), None)


def test_query_heartbeat_without_position_is_200_and_stores_nothing(client: Any) -> None:
    unit = new_unit(client)
    response = client.get(f"/gps/osmand?id={unit['tracker_id']}&timestamp={epoch()}&batt=80")
    assert response.status_code == 200, response.text
    assert _count_positions(unit["id"]) == 0
    assert unit_state(client, unit["id"])["position"] is None


def test_traccar_10_json_heartbeat_without_coords_is_200(client: Any) -> None:
    unit = new_unit(client)
    for body in ({"device_id": unit["tracker_id"]},
                 {"device_id": unit["tracker_id"],
                  "location": {"timestamp": "2026-06-30T10:00:00Z", "heartbeat": True,
                               "battery": {"level": 0.5, "is_charging": False}}}):
        response = client.post("/gps/osmand", json=body)
        assert response.status_code == 200, response.text
    assert _count_positions(unit["id"]) == 0


def test_heartbeat_from_unknown_id_is_still_400(client: Any) -> None:
    response = client.get("/gps/osmand?id=nobody-here&timestamp=1")
    assert response.status_code == 400
    assert response.json()["detail"]["field"] == "id"
    response = client.post("/gps/osmand", json={"device_id": "nobody-here"})
    assert response.status_code == 400


@pytest.mark.parametrize("where", ["location", "extras"])
def test_sos_in_traccar_9_json_raises_the_alarm(client: Any, where: str) -> None:
    unit = new_unit(client)
    body = traccar_json(unit["tracker_id"], lat=KLOJEN[0], lon=KLOJEN[1], ts=epoch(-1))
    if where == "location":
        body["location"]["alarm"] = "sos"
    else:
        body["location"]["extras"] = {"alarm": "sos"}
    response = client.post("/gps/osmand", json=body)
    assert response.status_code == 200, response.text
    alarm = _last_alarm(unit["id"])
    assert alarm is not None and alarm["alarm"] == "sos"
    assert _count_positions(unit["id"]) == 1


def test_sos_in_a_heartbeat_raises_the_alarm(client: Any) -> None:
    unit = new_unit(client)
    response = client.get(f"/gps/osmand?id={unit['tracker_id']}&alarm=sos")
    assert response.status_code == 200, response.text
    assert _last_alarm(unit["id"])["alarm"] == "sos"
    assert _count_positions(unit["id"]) == 0


def test_backlog_of_150_old_fixes_is_accepted_and_newest_wins(client: Any) -> None:
    from siaga.tracking.intake import gps_limiter

    unit = new_unit(client)
    limiter = gps_limiter()
    saved = limiter.limit
    limiter.limit = 10
    try:
        live = client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": KLOJEN[0],
                                                 "lon": KLOJEN[1], "timestamp": epoch(-1)})
        assert live.status_code == 200
        start = epoch(-3600)
        codes = set()
        # Sent newest first (as some apps flush their buffer), then oldest first.
        order = list(range(150))
        for i in order[75:][::-1] + order[:75]:
            response = client.get("/gps/osmand", params={
                "id": unit["tracker_id"], "lat": KLOJEN[0] + i * 0.0001, "lon": KLOJEN[1],
                "timestamp": start + i * 20})
            codes.add(response.status_code)
        assert codes == {200}
    finally:
        limiter.limit = saved
    assert _count_positions(unit["id"]) == 151
    assert unit_state(client, unit["id"])["position"]["lat"] == KLOJEN[0]


@pytest.mark.parametrize("extra, field", [
    ("speed=1e308", "speed"), ("speed=nan", "speed"), ("speed=inf", "speed"),
    ("bearing=400", "bearing"), ("altitude=1e9", "altitude"), ("accuracy=nan", "accuracy"),
    ("batt=150", "batt"), ("lat=95", "lat"), ("lat=nan", "lat"), ("lon=200", "lon"),
])
def test_impossible_values_are_422_naming_the_field(client: Any, extra: str, field: str) -> None:
    unit = new_unit(client)
    params = {"id": unit["tracker_id"], "lat": str(KLOJEN[0]), "lon": str(KLOJEN[1])}
    key, value = extra.split("=")
    params[key] = value
    response = client.get("/gps/osmand", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]["field"] == field
    assert _count_positions(unit["id"]) == 0


def test_json_booleans_and_huge_speed_are_422(client: Any) -> None:
    unit = new_unit(client)
    body = traccar_json(unit["tracker_id"], lat=KLOJEN[0], lon=KLOJEN[1], ts=epoch(-1))
    body["location"]["coords"]["latitude"] = True
    response = client.post("/gps/osmand", json=body)
    assert response.status_code == 422 and response.json()["detail"]["field"] == "lat"
    body = traccar_json(unit["tracker_id"], lat=KLOJEN[0], lon=KLOJEN[1], ts=epoch(-1),
                        speed_mps=1e300)
    response = client.post("/gps/osmand", json=body)
    assert response.status_code == 422 and response.json()["detail"]["field"] == "speed"
    body = traccar_json(unit["tracker_id"], lat=KLOJEN[0], lon=KLOJEN[1], ts=epoch(-1),
                        battery=3.0)
    response = client.post("/gps/osmand", json=body)
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "battery.level"


def _basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{DEMO_PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_owntracks_empty_post_is_200_empty_list(client: Any) -> None:
    response = client.post("/gps/owntracks", content=b"", headers=_basic("bhabin.kauman"))
    assert response.status_code == 200 and response.json() == []
    response = client.post("/gps/owntracks", json={"_type": "waypoints", "waypoints": []},
                           headers=_basic("bhabin.kauman"))
    assert response.status_code == 200 and response.json() == []


def test_owntracks_impossible_velocity_is_422(client: Any) -> None:
    body = {"_type": "location", "lat": -7.96, "lon": 112.62, "tst": epoch(-2), "vel": 5000}
    response = client.post("/gps/owntracks", json=body, headers=_basic("bhabin.kauman"))
    assert response.status_code == 422
    assert response.json()["detail"]["field"] == "vel"
