"""An officer in danger: an SOS from the unit's GPS app opens an officer_sos alarm ahead of
citizens' alarms, and a repeat SOS joins it."""

from __future__ import annotations

from typing import Any

from tests.conftest import KLOJEN, login, register_device
from tests.dispatch.helpers import offset, post_alarm
from tests.tracking.helpers import epoch, new_unit, traccar_json


def _sos_alarms(client: Any, callsign: str) -> list[dict[str, Any]]:
    items = client.get("/api/v1/alarms?status=open&limit=1000",
                       headers=login(client, "operator")).json()["items"]
    return [a for a in items if a["unit_callsign"] == callsign]


def test_sos_from_traccar_client_opens_an_officer_in_danger_alarm(client: Any) -> None:
    citizen = post_alarm(client, register_device(client))  # waiting longer than the SOS
    unit = new_unit(client)
    spot = offset(*KLOJEN, 350, 120)
    sent = client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": spot[0],
                                             "lon": spot[1], "timestamp": epoch(),
                                             "accuracy": 7, "alarm": "sos"})
    assert sent.status_code == 200, sent.text
    [alarm] = _sos_alarms(client, unit["callsign"])
    assert alarm["kind"] == "officer_sos" and alarm["priority"] == 2
    assert (alarm["lat"], alarm["lon"]) == spot and alarm["accuracy_m"] == 7
    assert alarm["org_code"] == "polsek-klojen" and alarm["unit_id"] == unit["id"]
    assert alarm["fix_at"] is not None
    # Ahead of the citizen's older alarm in the operators' queue.
    items = client.get("/api/v1/alarms?status=open&limit=1000",
                       headers=login(client, "operator")).json()["items"]
    ids = [a["id"] for a in items]
    assert ids.index(alarm["id"]) < ids.index(citizen["id"])
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=login(client, "operator"))
    assert detail.json()["timeline"][0]["note"] == f"SOS petugas: {unit['callsign']}"

    # A repeat SOS (Traccar Client 9 JSON, alarm in location.extras) joins it.
    body = traccar_json(unit["tracker_id"], lat=spot[0] + 0.0002, lon=spot[1], ts=epoch(1))
    body["location"]["extras"] = {"alarm": "sos"}
    assert client.post("/gps/osmand", json=body).status_code == 200
    [same] = _sos_alarms(client, unit["callsign"])
    assert same["id"] == alarm["id"] and same["lat"] == spot[0] + 0.0002
    timeline = client.get(f"/api/v1/alarms/{alarm['id']}",
                          headers=login(client, "operator")).json()["timeline"]
    assert [e["type"] for e in timeline] == ["created", "joined"]
    # Not visible to another Polres.
    assert client.get(f"/api/v1/alarms/{alarm['id']}",
                      headers=login(client, "operator.tegal")).status_code == 404


def test_sos_heartbeat_without_position_uses_the_units_last_fix(client: Any) -> None:
    unit = new_unit(client)
    spot = offset(*KLOJEN, -420, 260)
    assert client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": spot[0],
                                             "lon": spot[1], "timestamp": epoch()}
                      ).status_code == 200
    assert _sos_alarms(client, unit["callsign"]) == []  # a plain fix raises nothing
    assert client.get(f"/gps/osmand?id={unit['tracker_id']}&alarm=sos").status_code == 200
    [alarm] = _sos_alarms(client, unit["callsign"])
    assert (alarm["lat"], alarm["lon"]) == spot


def test_other_tracker_alarms_raise_no_officer_alarm(client: Any) -> None:
    unit = new_unit(client)
    assert client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": KLOJEN[0],
                                             "lon": KLOJEN[1], "timestamp": epoch(),
                                             "alarm": "lowBattery"}).status_code == 200
    assert _sos_alarms(client, unit["callsign"]) == []
