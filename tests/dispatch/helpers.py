"""Factories for the dispatch tests: units with a fresh GPS fix, alarms through the API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from tests.conftest import KLOJEN, device_headers


def make_unit(*, kind: str = "car", lat: float | None = None, lon: float | None = None,
              org: str = "polsek-klojen", username: str | None = None,
              position_at: datetime | None = None, status: str = "available") -> int:
    """A unit registered under `org` with a GPS fix at (lat, lon) now; returns its id."""
    from sqlalchemy import select

    from siaga.auth.models import User
    from siaga.db import get_database, utcnow
    from siaga.orgs.service import org_by_code
    from siaga.units.models import Unit
    from siaga.units.service import create_unit

    with get_database().session() as session:
        user = (session.scalar(select(User).where(User.username == username))
                if username else None)
        unit = create_unit(session, callsign=f"T-{kind[:3].upper()}-{uuid.uuid4().hex[:8]}",
                           org=org_by_code(session, code=org), kind=kind, user=user)
        if lat is not None and lon is not None:
            unit.lat, unit.lon = lat, lon
            unit.position_at = position_at or utcnow()
        unit.status = status
        session.flush()
        unit_id = session.get(Unit, unit.id)
        assert unit_id is not None
        return unit.id


def set_unit(unit_id: int, **values: Any) -> None:
    from siaga.db import get_database
    from siaga.units.models import Unit

    with get_database().session() as session:
        unit = session.get(Unit, unit_id)
        assert unit is not None
        for key, value in values.items():
            setattr(unit, key, value)


def post_alarm(client: Any, device: dict[str, str], lat: float = KLOJEN[0],
               lon: float = KLOJEN[1], expect: int = 201) -> dict[str, Any]:
    """Press Help on the device: 201 for a new alarm, 200 when it joins the device's active one."""
    body = {"client_id": str(uuid.uuid4()), "lat": lat, "lon": lon, "accuracy_m": 10}
    response = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
    assert response.status_code == expect, response.text
    data: dict[str, Any] = response.json()
    return data


def offset(lat: float, lon: float, north_m: float, east_m: float = 0.0) -> tuple[float, float]:
    """A point this many metres north/east of (lat, lon)."""
    import math

    return (lat + north_m / 111_320.0,
            lon + east_m / (111_320.0 * math.cos(math.radians(lat))))
