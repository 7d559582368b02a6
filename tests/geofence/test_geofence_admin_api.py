"""Editing rules from /admin: edit, switch off and on, delete (audited, admins only); a zone
from a region or the shift's hotspot cells; who is on duty comes from the piket roster."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.admin.helpers import audit_rows
from tests.conftest import KLOJEN, login
from tests.geofence.helpers import add_rule, alerts, drop_rule, evaluate, send_fix
from tests.tracking.helpers import new_unit

PASSWORD = "Patroli-Malam-Klojen-77!"


def _region(client: Any, name: str) -> dict[str, Any]:
    page = client.get("/api/v1/orgs/outlines", headers=login(client, "admin"))
    assert page.status_code == 200, page.text
    return next(f["properties"] for f in page.json()["features"]
                if f["properties"]["name"] == name)


def _tegal_admin(client: Any) -> dict[str, str]:
    """Headers of an admin of Polres Tegal (outside Malang's scope)."""
    username = f"admin.tegal.{uuid.uuid4().hex[:6]}"
    made = client.post("/api/v1/admin/users", headers=login(client, "admin"), json={
        "username": username, "password": PASSWORD, "role": "admin", "org": "polres-tegal",
        "full_name": "Admin Polres Tegal"})
    assert made.status_code == 201, made.text
    return login(client, username, PASSWORD)


def test_rule_is_edited_switched_off_and_on_and_deleted_with_audit(client: Any) -> None:
    admin = login(client, "admin")
    unit = new_unit(client, org="polsek-klojen")
    rule = add_rule(client, name="Diam 10 menit", kind="unit_silent", org="polsek-klojen",
                    silent_minutes=10)
    assert rule["threshold_label"] == "Diam 10 menit" and rule["org_name"] == "Polsek Klojen"
    at = datetime.now(UTC).replace(microsecond=0)
    send_fix(client, unit["tracker_id"], *KLOJEN, at - timedelta(minutes=20))
    evaluate(at)
    [alert] = alerts(client, rule_id=rule["id"], unit_id=unit["id"])
    # Raising the threshold past the silence resolves the alert and opens none.
    body = {"name": "Diam 30 menit", "kind": "unit_silent", "org": "polsek-klojen",
            "silent_minutes": 30, "days": [1, 2, 3, 4, 5, 6, 7]}
    edited = client.put(f"/api/v1/geofence/rules/{rule['id']}", headers=admin, json=body)
    assert edited.status_code == 200, edited.text
    assert edited.json()["name"] == "Diam 30 menit" and edited.json()["silent_minutes"] == 30
    assert edited.json()["window_label"].startswith("Senin, Selasa")
    [done] = alerts(client, rule_id=rule["id"], unit_id=unit["id"])
    assert done["id"] == alert["id"] and done["status"] == "resolved"
    evaluate(at)
    assert len(alerts(client, rule_id=rule["id"], unit_id=unit["id"])) == 1
    [entry] = audit_rows("geofence.rule_update", rule["id"])
    # Switched off: no alert even when the unit falls silent past the new limit.
    off = client.patch(f"/api/v1/geofence/rules/{rule['id']}", headers=admin,
                       json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    evaluate(at + timedelta(minutes=30))
    assert len(alerts(client, rule_id=rule["id"], unit_id=unit["id"])) == 1
    listed = client.get("/api/v1/geofence/rules", headers=admin).json()["items"]
    assert [r["active"] for r in listed if r["id"] == rule["id"]] == [False]
    on = client.patch(f"/api/v1/geofence/rules/{rule['id']}", headers=admin,
                      json={"active": True})
    assert on.status_code == 200 and on.json()["active"] is True
    evaluate(at + timedelta(minutes=30))
    assert len(alerts(client, rule_id=rule["id"], unit_id=unit["id"])) == 2
    assert audit_rows("geofence.rule_off", rule["id"])
    assert audit_rows("geofence.rule_on", rule["id"])
    for user in ("operator", "pimpinan"):
        assert client.put(f"/api/v1/geofence/rules/{rule['id']}", headers=login(client, user),
                          json=body).status_code == 403
        assert client.patch(f"/api/v1/geofence/rules/{rule['id']}", headers=login(client, user),
                            json={"active": False}).status_code == 403
    foreign = client.put(f"/api/v1/geofence/rules/{rule['id']}",
                         headers=_tegal_admin(client), json=body)
    assert foreign.status_code == 404
    bad = client.put(f"/api/v1/geofence/rules/{rule['id']}", headers=admin,
                     json={**body, "silent_minutes": 0})
    assert bad.status_code == 422 and "silent_minutes" in bad.text
    drop_rule(client, rule["id"])
    assert audit_rows("geofence.rule_delete", rule["id"])
    assert client.patch(f"/api/v1/geofence/rules/{rule['id']}", headers=admin,
                        json={"active": True}).status_code == 404
    assert entry is not None


def test_zone_from_a_kelurahan_is_stored_with_its_boundary(client: Any) -> None:
    region = _region(client, "Kauman")
    rule = add_rule(client, name="Kauman malam", kind="zone_uncovered", org="polres-malang-kota",
                    zone_source="region", region_id=region["region_id"], start_time="22:00",
                    end_time="02:00")
    try:
        assert rule["zone"]["type"] in ("Polygon", "MultiPolygon")
        assert "Kauman" in rule["zone_label"]
        assert rule["window_label"] == "Setiap hari · 22:00–02:00 WIB"
    finally:
        drop_rule(client, rule["id"])


def test_a_zone_must_lie_in_the_rules_organisation(client: Any) -> None:
    region = _region(client, "Kauman")  # Klojen, Malang
    response = client.post("/api/v1/geofence/rules", headers=login(client, "admin"), json={
        "name": "Salah satuan", "kind": "zone_uncovered", "org": "polres-tegal",
        "zone_source": "region", "region_id": region["region_id"]})
    assert response.status_code == 422 and "region_id" in response.text
    assert "di luar wilayah satuan" in response.text


def test_hotspot_cells_preview_is_for_admins_in_scope(client: Any) -> None:
    ok = client.get("/api/v1/geofence/hotspot-cells?org=polres-malang-kota&top=3",
                    headers=login(client, "admin"))
    assert ok.status_code == 200, ok.text
    assert ok.json()["type"] == "FeatureCollection"
    assert ok.json()["properties"]["shift"] in ("pagi", "siang", "malam")
    assert len(ok.json()["features"]) <= 3
    assert client.get("/api/v1/geofence/hotspot-cells?org=polres-malang-kota",
                      headers=login(client, "operator")).status_code == 403
    assert client.get("/api/v1/geofence/hotspot-cells?org=polres-malang-kota",
                      headers=_tegal_admin(client)).status_code == 404
    assert client.get("/api/v1/geofence/hotspot-cells?org=polres-tegal&top=99",
                      headers=login(client, "admin")).status_code == 422
    bad = client.post("/api/v1/geofence/rules", headers=login(client, "admin"), json={
        "name": "x", "kind": "zone_uncovered", "org": "polres-tegal",
        "zone_source": "hotspots"})
    assert bad.status_code == 422 and "hotspot_top_n" in bad.text


def _officer(client: Any) -> int:
    made = client.post("/api/v1/admin/users", headers=login(client, "admin"), json={
        "username": f"piket.{uuid.uuid4().hex[:8]}", "password": PASSWORD,
        "role": "petugas", "org": "polsek-klojen", "full_name": "Bripka Piket Uji"})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _officer_unit(client: Any, user_id: int) -> dict[str, Any]:
    unit = new_unit(client, org="polsek-klojen")
    linked = client.patch(f"/api/v1/units/{unit['id']}", headers=login(client, "admin"),
                          json={"officer_id": user_id})
    assert linked.status_code == 200, linked.text
    return unit


def _shift(client: Any, start: datetime, end: datetime, user_id: int) -> None:
    made = client.post("/api/v1/roster/shifts", headers=login(client, "admin"), json={
        "org": "polsek-klojen", "starts_at": start.isoformat(), "ends_at": end.isoformat(),
        "label": "Piket uji geofence", "duties": [{"desk": "Patroli", "user_id": user_id}]})
    assert made.status_code == 201, made.text


def test_the_piket_roster_decides_who_is_on_duty_else_the_units_status(client: Any) -> None:
    t0 = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # 10:00 WIB, long past
    on_duty, off_duty = _officer(client), _officer(client)
    rostered_on, rostered_off = _officer_unit(client, on_duty), _officer_unit(client, off_duty)
    unrostered = new_unit(client, org="polsek-klojen")
    _shift(client, t0 - timedelta(hours=1), t0 + timedelta(hours=7), on_duty)
    _shift(client, t0 - timedelta(hours=12), t0 - timedelta(hours=4), off_duty)
    for unit in (rostered_off, unrostered):
        send_fix(client, unit["tracker_id"], *KLOJEN, t0 - timedelta(minutes=30))
    rule = add_rule(client, name="Diam 10 menit (piket)", kind="unit_silent",
                    org="polsek-klojen", silent_minutes=10)
    try:
        evaluate(t0)
        # On the roster now, and nothing sent since the shift began: silent since 09:00 WIB.
        [a] = alerts(client, rule_id=rule["id"], unit_id=rostered_on["id"])
        assert a["message"] == (f"{rostered_on['callsign']} belum mengirim posisi sejak piket "
                                "mulai 09.00 WIB (60 menit)")
        # Rostered, but the shift ended: off duty, however long it says nothing.
        assert alerts(client, rule_id=rule["id"], unit_id=rostered_off["id"]) == []
        # Not on the roster: its status (in service) makes it on duty.
        [c] = alerts(client, rule_id=rule["id"], unit_id=unrostered["id"])
        assert c["message"].endswith("WIB (30 menit)")
    finally:
        drop_rule(client, rule["id"])
