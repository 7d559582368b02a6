"""Helpers for the geofence tests: rules through the API, recorded tracks, one evaluator tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from tests.conftest import login


def add_rule(client: Any, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/geofence/rules", headers=login(client, "admin"), json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def drop_rule(client: Any, rule_id: int) -> None:
    response = client.delete(f"/api/v1/geofence/rules/{rule_id}",
                             headers=login(client, "admin"))
    assert response.status_code == 200, response.text


def send_fix(client: Any, tracker_id: str, lat: float, lon: float, at: datetime) -> None:
    """One fix from the unit's Traccar Client, measured at `at`."""
    response = client.get("/gps/osmand", params={"id": tracker_id, "lat": lat, "lon": lon,
                                                 "timestamp": int(at.timestamp())})
    assert response.status_code == 200, response.text


def evaluate(at: datetime | None = None) -> None:
    """One tick of the evaluator, as the background loop runs it."""
    from siaga.db import get_database
    from siaga.geofence.evaluator import evaluate_rules

    with get_database().session() as session:
        evaluate_rules(session, at=at or now())


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def ago(minutes: float) -> datetime:
    return now() - timedelta(minutes=minutes)


def alerts(client: Any, *, rule_id: int, user: str = "operator", status: str | None = None,
           unit_id: int | None = None) -> list[dict[str, Any]]:
    """This rule's alerts (about this unit only, when given: other tests' units share the
    demo's Polsek and may fall silent or stray too)."""
    params = {"status": status} if status else {}
    response = client.get("/api/v1/geofence/alerts", headers=login(client, user), params=params)
    assert response.status_code == 200, response.text
    return [a for a in response.json()["items"] if a["rule_id"] == rule_id
            and (unit_id is None or a["unit_id"] == unit_id)]


def alert_events(alert_id: int) -> list[dict[str, Any]]:
    from siaga.db import get_database
    from siaga.events.models import EventRecord

    with get_database().session() as session:
        rows = session.scalars(select(EventRecord).where(EventRecord.type == "geofence.alert")
                               .order_by(EventRecord.id))
        return [dict(r.payload) for r in rows if r.payload.get("alert_id") == alert_id]


def wib_window(minutes_before: int, minutes_after: int) -> tuple[str, str]:
    """A WIB "HH:MM" window around now."""
    local = now().astimezone(UTC) + timedelta(hours=7)
    start = local - timedelta(minutes=minutes_before)
    end = local + timedelta(minutes=minutes_after)
    return f"{start:%H:%M}", f"{end:%H:%M}"
