"""Units for the command center: listing and scope, stale flag, status changes, track export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from tests.conftest import KLOJEN, LOWOKWARU, login
from tests.tracking.helpers import epoch, new_unit, unit_state


def _all_units(client: Any, user: str, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/units", params={"limit": 1000, **params},
                          headers=login(client, user))
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_demo_units_exist_with_the_listed_shape(client: Any) -> None:
    page = _all_units(client, "operator")
    assert page["total"] == len(page["items"])
    by_callsign = {u["callsign"]: u for u in page["items"]}
    for polsek in ("KLOJEN", "BLIMBING", "LOWOKWARU", "SUKUN", "KEDUNGKANDANG"):
        assert by_callsign[f"PIKET-{polsek}"]["kind"] == "desk"
        assert by_callsign[f"R4-{polsek}"]["kind"] == "car"
        assert by_callsign[f"R2-{polsek}"]["kind"] == "motorbike"
    assert {f"R4-MAKOTA-{i}" for i in range(1, 5)} <= set(by_callsign)
    # An operator never sees tracker ids (all a spoofed fix needs); an admin does.
    assert all(u["tracker_id"] is None for u in page["items"])
    as_admin = {u["callsign"]: u for u in _all_units(client, "admin")["items"]}
    assert as_admin["R2-KLOJEN"]["tracker_id"] == "mlg-klojen-r2"
    # The duty desk stands at its Polsek's office, wherever the office was placed.
    from siaga.db import get_database
    from siaga.orgs.models import Organisation
    with get_database().session() as session:
        office = session.query(Organisation).filter_by(code="polsek-klojen").one()
        office_at = (office.lat, office.lon)
    desk = by_callsign["PIKET-KLOJEN"]
    assert (desk["position"]["lat"], desk["position"]["lon"]) == office_at
    assert desk["stale"] is False
    for unit in page["items"]:
        assert {"id", "callsign", "status", "position", "kind", "org_code", "heading",
                "speed_kmh", "stale"} <= set(unit)
        if unit["position"] is not None:
            assert set(unit["position"]) == {"lat", "lon", "at"}
    # Other tests add cars to Polres Tegal too; the demo's own are named after each Polsek.
    tegal_ids = {u["id"] for u in _all_units(client, "operator.tegal", kind="car")["items"]}
    tegal = [u for u in _all_units(client, "admin", kind="car")["items"]
             if u["id"] in tegal_ids and u["tracker_id"] and u["tracker_id"].startswith("tgl-")]
    assert len(tegal) == 18 and all(u["org_code"].startswith("polsek-") for u in tegal)


def test_demo_units_load_again_without_duplicates(client: Any) -> None:
    from siaga.db import get_database
    from siaga.units.demo import load_units_demo

    with get_database().session() as session:
        assert load_units_demo(session) == 0


def test_list_is_scoped_by_organisation(client: Any) -> None:
    klojen = new_unit(client, org="polsek-klojen")
    lowokwaru = new_unit(client, org="polsek-lowokwaru")
    tegal = new_unit(client, org="polsek-slawi")

    def ids(user: str) -> set[int]:
        return {u["id"] for u in _all_units(client, user)["items"]}

    polres = ids("operator")
    assert {klojen["id"], lowokwaru["id"]} <= polres and tegal["id"] not in polres
    polsek = ids("operator.klojen")
    assert klojen["id"] in polsek and lowokwaru["id"] not in polsek
    assert tegal["id"] in ids("operator.tegal") and klojen["id"] not in ids("operator.tegal")
    assert {klojen["id"], tegal["id"]} <= ids("admin")
    assert tegal["id"] in ids("analis")
    other = login(client, "operator.klojen")
    assert client.get(f"/api/v1/units/{lowokwaru['id']}", headers=other).status_code == 404
    assert client.get(f"/api/v1/units/{lowokwaru['id']}/track.geojson",
                      headers=other).status_code == 404


def test_list_needs_staff_and_pages(client: Any) -> None:
    assert client.get("/api/v1/units").status_code == 401
    assert client.get("/api/v1/units", headers=login(client, "bhabin.kauman")).status_code == 403
    ops = login(client, "operator")
    page = client.get("/api/v1/units?limit=2&offset=1", headers=ops).json()
    assert len(page["items"]) == 2 and page["total"] > 2
    assert client.get("/api/v1/units?limit=1001", headers=ops).status_code == 422
    cars = client.get("/api/v1/units?kind=car&status=available", headers=ops).json()["items"]
    assert cars and all(u["kind"] == "car" and u["status"] == "available" for u in cars)


def test_stale_after_the_configured_minutes(client: Any, monkeypatch: Any) -> None:
    from siaga.config import get_settings

    unit = new_unit(client)
    assert unit_state(client, unit["id"])["stale"] is True  # never sent a fix
    client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": KLOJEN[0],
                                      "lon": KLOJEN[1], "timestamp": epoch(-120)})
    assert unit_state(client, unit["id"])["stale"] is False
    monkeypatch.setattr(get_settings(), "gps_stale_minutes", 1)
    assert unit_state(client, unit["id"])["stale"] is True


def test_operator_changes_status_audited_and_published(client: Any) -> None:
    from siaga.audit.models import AuditEntry
    from siaga.db import get_database
    from siaga.events.models import EventRecord

    unit = new_unit(client)
    ops = login(client, "operator")
    response = client.post(f"/api/v1/units/{unit['id']}/status", headers=ops,
                           json={"status": "out_of_service", "note": "ban bocor"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "out_of_service"
    with get_database().session() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "unit.status")
                                .where(AuditEntry.target_id == str(unit["id"]))).one()
        assert entry.detail["from"] == "available" and entry.detail["to"] == "out_of_service"
        event = session.scalars(select(EventRecord).where(EventRecord.type == "unit.status")
                                .order_by(EventRecord.id.desc()).limit(1)).one()
        assert event.payload["unit"]["id"] == unit["id"]
        assert event.payload["previous"] == "available"
    bad = client.post(f"/api/v1/units/{unit['id']}/status", headers=ops, json={"status": "nap"})
    assert bad.status_code == 422
    officer = login(client, "bhabin.kauman")
    assert client.post(f"/api/v1/units/{unit['id']}/status", headers=officer,
                       json={"status": "available"}).status_code == 403
    tegal = login(client, "operator.tegal")
    assert client.post(f"/api/v1/units/{unit['id']}/status", headers=tegal,
                       json={"status": "available"}).status_code == 404


def test_set_unit_status_for_other_services(client: Any) -> None:
    from siaga.db import get_database
    from siaga.units.models import Unit
    from siaga.units.service import set_unit_status

    unit = new_unit(client)
    with get_database().session() as session:
        row = session.get(Unit, unit["id"])
        set_unit_status(session, unit=row, status="dispatched", actor=None)
        before = row.status_changed_at
        set_unit_status(session, unit=row, status="dispatched", actor=None)  # no change
        assert row.status_changed_at == before
    assert unit_state(client, unit["id"])["status"] == "dispatched"


def test_admin_registers_units_with_unique_callsign_and_tracker(client: Any) -> None:
    admin = login(client, "admin")
    unit = new_unit(client)
    again = client.post("/api/v1/units", headers=admin, json={
        "callsign": unit["callsign"], "org": "polsek-klojen"})
    assert again.status_code == 409
    same_tracker = client.post("/api/v1/units", headers=admin, json={
        "callsign": unit["callsign"] + "X", "org": "polsek-klojen",
        "tracker_id": unit["tracker_id"]})
    assert same_tracker.status_code == 409
    assert client.post("/api/v1/units", headers=login(client, "operator"), json={
        "callsign": "X-1", "org": "polsek-klojen"}).status_code == 403
    assert client.post("/api/v1/units", headers=admin, json={
        "callsign": "X-2", "org": "polsek-nowhere"}).status_code == 404


def test_track_geojson(client: Any) -> None:
    unit = new_unit(client, org="polsek-lowokwaru")
    start = epoch(-600)
    for i in range(4):
        client.get("/gps/osmand", params={
            "id": unit["tracker_id"], "lat": LOWOKWARU[0] + i * 0.001, "lon": LOWOKWARU[1],
            "timestamp": start + i * 60, "speed": 20})
    ops = login(client, "operator")
    response = client.get(f"/api/v1/units/{unit['id']}/track.geojson", headers=ops)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    line, *points = data["features"]
    assert line["geometry"]["type"] == "LineString"
    assert line["geometry"]["coordinates"][0] == [LOWOKWARU[1], LOWOKWARU[0]]
    assert len(line["geometry"]["coordinates"]) == 4 and line["properties"]["points"] == 4
    assert [p["geometry"]["type"] for p in points] == ["Point"] * 4
    assert points[1]["properties"]["speed_kmh"] == 37.04
    assert points[0]["properties"]["at"] < points[-1]["properties"]["at"]
    since = datetime.fromtimestamp(start + 90, UTC).isoformat()
    until = datetime.fromtimestamp(start + 150, UTC).isoformat()
    window = client.get(f"/api/v1/units/{unit['id']}/track.geojson",
                        params={"since": since, "until": until}, headers=ops).json()
    assert window["features"][0]["properties"]["points"] == 1
    empty = client.get(f"/api/v1/units/{unit['id']}/track.geojson", headers=ops, params={
        "since": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}).json()
    assert empty["features"][0]["geometry"]["coordinates"] == []


def test_event_payload_matches_the_api_shape(client: Any) -> None:
    from siaga.db import get_database, utcnow
    from siaga.units.models import Unit
    from siaga.units.service import unit_out, unit_payload

    unit = new_unit(client)
    client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": KLOJEN[0],
                                      "lon": KLOJEN[1], "timestamp": epoch(-3), "speed": 3,
                                      "bearing": 10, "batt": 50})
    now = utcnow()
    with get_database().session() as session:
        row = session.get(Unit, unit["id"])
        assert unit_payload(row, org_code="polsek-klojen", now=now) == unit_out(
            row, org_code="polsek-klojen", now=now).model_dump(mode="json")
