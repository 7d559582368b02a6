"""A staged alarm for the replay tests: one unit dispatched, one 2 km away, one 10 km away,
each with GPS fixes posted through /gps/osmand around the alarm time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tests.conftest import KLOJEN, device_headers, login, register_device
from tests.dispatch.helpers import offset, post_alarm


@dataclass
class Staged:
    alarm_id: int
    assigned: dict[str, Any]
    near: dict[str, Any]
    far: dict[str, Any]
    operator: dict[str, str]


def _unit(org: str = "polsek-klojen") -> dict[str, Any]:
    """A car unit with its own tracker id, straight in the database."""
    from siaga.db import get_database
    from siaga.orgs.service import org_by_code
    from siaga.units.service import create_unit

    tracker_id = f"uji-replay-{uuid.uuid4().hex}"
    callsign = f"R-{uuid.uuid4().hex[:6].upper()}"
    with get_database().session() as session:
        unit = create_unit(session, callsign=callsign, org=org_by_code(session, code=org),
                           kind="car", tracker_id=tracker_id)
        session.flush()
        return {"id": unit.id, "callsign": callsign, "tracker_id": tracker_id}


def _post_fixes(client: Any, unit: dict[str, Any], points: list[tuple[float, float]],
                times: list[datetime]) -> None:
    for (lat, lon), at in zip(points, times, strict=True):
        response = client.get("/gps/osmand", params={
            "id": unit["tracker_id"], "lat": lat, "lon": lon, "speed": 10,
            "timestamp": int(at.timestamp())})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "ok", response.text


def stage(client: Any) -> Staged:
    """Alarm at Klojen; the assigned unit drives in from 1.5 km north over four minutes."""
    operator = login(client, "operator")
    device = register_device(client)
    alarm = post_alarm(client, device, *KLOJEN)
    triggered = datetime.fromisoformat(alarm["triggered_at"])
    times = [triggered - timedelta(minutes=4 - i) for i in range(5)]
    assigned, near, far = _unit(), _unit(), _unit()
    _post_fixes(client, assigned, [offset(*KLOJEN, 1500 - 300 * i) for i in range(5)], times)
    _post_fixes(client, near, [offset(*KLOJEN, 0, 2000 + 10 * i) for i in range(5)], times)
    _post_fixes(client, far, [offset(*KLOJEN, -10_000, 10 * i) for i in range(5)], times)
    response = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch",
                           json={"unit_id": assigned["id"]}, headers=operator)
    assert response.status_code == 201, response.text
    # The caller moves a little while help comes.
    moved = offset(*KLOJEN, 40, 20)
    response = client.post(f"/api/v1/alarms/{alarm['id']}/location",
                           json={"lat": moved[0], "lon": moved[1], "accuracy_m": 8},
                           headers=device_headers(device))
    assert response.status_code == 200, response.text
    return Staged(alarm_id=alarm["id"], assigned=assigned, near=near, far=far,
                  operator=operator)
