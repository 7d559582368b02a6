"""Helpers for the tracking tests: fresh units through the admin API, Traccar Client payloads."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from tests.conftest import login


def new_unit(client: Any, *, org: str = "polsek-klojen", kind: str = "car") -> dict[str, Any]:
    """A unit with its own tracker id, registered by the demo admin."""
    tag = uuid.uuid4().hex[:10]
    response = client.post("/api/v1/units", headers=login(client, "admin"), json={
        "callsign": f"T-{tag}".upper(), "org": org, "kind": kind, "tracker_id": f"trk-{tag}"})
    assert response.status_code == 201, response.text
    return dict(response.json())


def epoch(offset_s: float = 0.0) -> int:
    return int(time.time() + offset_s)


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def unit_state(client: Any, unit_id: int, user: str = "operator") -> dict[str, Any]:
    response = client.get(f"/api/v1/units/{unit_id}", headers=login(client, user))
    assert response.status_code == 200, response.text
    return dict(response.json())


def traccar_json(device_id: str, *, lat: float, lon: float, ts: float, speed_mps: float = 8.3,
                 heading: float = 123.4, battery: float = 0.62) -> dict[str, Any]:
    """The body Traccar Client 9 (transistorsoft background geolocation) posts."""
    return {
        "location": {
            "event": "motionchange",
            "is_moving": True,
            "uuid": str(uuid.uuid4()),
            "timestamp": iso(ts),
            "odometer": 1234.5,
            "coords": {"latitude": lat, "longitude": lon, "accuracy": 4.8, "speed": speed_mps,
                       "speed_accuracy": 0.5, "heading": heading, "heading_accuracy": 10.0,
                       "altitude": 441.2, "altitude_accuracy": 3.1, "ellipsoidal_altitude": 441.2},
            "activity": {"type": "in_vehicle", "confidence": 100},
            "battery": {"is_charging": False, "level": battery},
            "extras": {},
        },
        "device_id": device_id,
    }
