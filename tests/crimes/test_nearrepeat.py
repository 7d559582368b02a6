"""Near-repeat alerts go to the Bhabinkamtibmas of the incident's kelurahan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from tests.conftest import KLOJEN, login
from tests.crimes.helpers import officer_of, post_incident, region_centre


def _events(incident_id: int) -> list[Any]:
    from siaga.db import get_database
    from siaga.events.models import EventRecord

    with get_database().session() as session:
        rows = session.scalars(select(EventRecord).where(EventRecord.type == "nearrepeat.alert"))
        return [r for r in rows if r.payload["alert"]["incident_id"] == incident_id]


def test_fresh_theft_alerts_the_kelurahan_officer_only(client: Any) -> None:
    lat, lon = region_centre("Sumbersari")
    officer, region_id = officer_of(lat, lon)
    other, _ = officer_of(*KLOJEN)
    assert other != officer
    ops = login(client, "operator")
    response = post_incident(client, ops, crime_type="curanmor",
                             occurred_at=(datetime.now(UTC) - timedelta(hours=2)).isoformat(),
                             lat=lat, lon=lon)
    assert response.status_code == 201, response.text
    incident = response.json()
    assert incident["region_id"] == region_id

    mine = client.get("/api/v1/alerts/mine", headers=login(client, officer)).json()
    alerts = [a for a in mine["items"] if a["incident_id"] == incident["id"]]
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert["crime_type"] == "curanmor" and alert["radius_m"] > 0
    assert datetime.fromisoformat(alert["valid_until"]) > datetime.now(UTC) + timedelta(days=10)
    theirs = client.get("/api/v1/alerts/mine", headers=login(client, other)).json()
    assert not [a for a in theirs["items"] if a["incident_id"] == incident["id"]]

    events = _events(incident["id"])
    assert len(events) == 1
    assert events[0].org_path == incident["org_path"]
    assert events[0].org_path.endswith("/polsek-lowokwaru/")

    officer_headers = login(client, officer)
    read = client.post(f"/api/v1/alerts/{alert['id']}/read", headers=officer_headers)
    assert read.status_code == 200 and read.json()["read_at"]
    assert client.post(f"/api/v1/alerts/{alert['id']}/read",
                       headers=login(client, other)).status_code == 404


def test_old_or_non_theft_incidents_raise_no_alert(client: Any) -> None:
    ops = login(client, "operator")
    old = post_incident(client, ops, crime_type="curanmor",
                        occurred_at=(datetime.now(UTC) - timedelta(days=30)).isoformat(),
                        lat=KLOJEN[0], lon=KLOJEN[1])
    fraud = post_incident(client, ops, crime_type="penipuan",
                          occurred_at=(datetime.now(UTC) - timedelta(hours=1)).isoformat(),
                          lat=KLOJEN[0], lon=KLOJEN[1])
    assert old.status_code == 201 and fraud.status_code == 201
    assert _events(old.json()["id"]) == [] and _events(fraud.json()["id"]) == []
