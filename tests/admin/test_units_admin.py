"""Units from /admin: tracker ids only for admins, a new id, retire, edit, setup text and QR."""

from __future__ import annotations

from typing import Any

from tests.admin.helpers import audit_rows, polres_admin
from tests.conftest import KLOJEN, login
from tests.tracking.helpers import epoch, new_unit


def _fix(client: Any, tracker_id: str) -> int:
    return int(client.get("/gps/osmand", params={"id": tracker_id, "lat": KLOJEN[0],
                                                 "lon": KLOJEN[1],
                                                 "timestamp": epoch()}).status_code)


def test_tracker_id_only_for_admins(client: Any) -> None:
    unit = new_unit(client)
    assert unit["tracker_id"]
    for user in ("operator", "pimpinan"):
        seen = client.get(f"/api/v1/units/{unit['id']}", headers=login(client, user)).json()
        assert seen["tracker_id"] is None, user
        listed = client.get("/api/v1/units", headers=login(client, user)).json()["items"]
        assert all(u["tracker_id"] is None for u in listed)
    as_admin = client.get(f"/api/v1/units/{unit['id']}", headers=login(client, "admin")).json()
    assert as_admin["tracker_id"] == unit["tracker_id"]


def test_regenerated_tracker_id_replaces_the_old_one(client: Any) -> None:
    unit = new_unit(client)
    assert _fix(client, unit["tracker_id"]) == 200
    response = client.post(f"/api/v1/units/{unit['id']}/tracker-id",
                           headers=login(client, "admin"))
    assert response.status_code == 200
    fresh = response.json()["tracker_id"]
    assert fresh != unit["tracker_id"] and len(fresh) == 32 and int(fresh, 16) >= 0
    assert _fix(client, unit["tracker_id"]) == 400
    assert _fix(client, fresh) == 200
    [row] = audit_rows("unit.tracker_regenerate", unit["id"])
    assert fresh not in str(row.detail)


def test_retired_unit_leaves_the_map_and_its_gps_stops(client: Any) -> None:
    unit = new_unit(client)
    admin = login(client, "admin")
    retired = client.post(f"/api/v1/units/{unit['id']}/retire", headers=admin)
    assert retired.status_code == 200 and retired.json()["retired_at"]
    ids = {u["id"] for u in client.get("/api/v1/units", headers=admin).json()["items"]}
    assert unit["id"] not in ids
    with_retired = client.get("/api/v1/units", params={"retired": True}, headers=admin).json()
    assert unit["id"] in {u["id"] for u in with_retired["items"]}
    assert _fix(client, unit["tracker_id"]) == 400
    assert client.post(f"/api/v1/units/{unit['id']}/retire", headers=admin).status_code == 409
    assert audit_rows("unit.retire", unit["id"])


def test_edit_unit_audited_and_scoped(client: Any) -> None:
    unit = new_unit(client)
    admin = login(client, "admin")
    callsign = unit["callsign"] + "-B"
    edited = client.patch(f"/api/v1/units/{unit['id']}", headers=admin, json={
        "callsign": callsign, "kind": "motorbike", "crew": ["Bripda Ani", "Briptu Budi"]})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["callsign"], edited.json()["kind"], edited.json()["crew"]) == (
        callsign, "motorbike", ["Bripda Ani", "Briptu Budi"])
    [row] = audit_rows("unit.update", unit["id"])
    assert row.detail["kind"] == ["car", "motorbike"]
    tegal = polres_admin(client, "polres-tegal")
    for method, path in [("PATCH", f"/api/v1/units/{unit['id']}"),
                         ("POST", f"/api/v1/units/{unit['id']}/retire"),
                         ("POST", f"/api/v1/units/{unit['id']}/tracker-id"),
                         ("GET", f"/api/v1/units/{unit['id']}/setup"),
                         ("GET", f"/api/v1/units/{unit['id']}/qr.svg")]:
        response = client.request(method, path, headers=tegal,
                                  json={"kind": "car"} if method == "PATCH" else None)
        assert response.status_code == 404, path
    operator = login(client, "operator")
    assert client.patch(f"/api/v1/units/{unit['id']}", headers=operator,
                        json={"kind": "car"}).status_code == 403
    assert client.get(f"/api/v1/units/{unit['id']}/setup", headers=operator).status_code == 403


def test_setup_text_and_qr_codes(client: Any) -> None:
    unit = new_unit(client)
    admin = login(client, "admin")
    setup = client.get(f"/api/v1/units/{unit['id']}/setup", headers=admin)
    assert setup.status_code == 200
    body = setup.json()
    assert body["traccar_url"].endswith("/gps/osmand")
    assert body["traccar_device_id"] == unit["tracker_id"]
    assert body["traccar_qr_text"] == f"{body['traccar_url']}?id={unit['tracker_id']}"
    assert any(unit["tracker_id"] in line for line in body["instructions"])
    svg = client.get(f"/api/v1/units/{unit['id']}/qr.svg", headers=admin)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.lstrip().startswith("<svg")
    png = client.get(f"/api/v1/units/{unit['id']}/qr.png", headers=admin)
    assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    # A car has no officer account, so OwnTracks (which signs in as the officer) does not fit.
    assert body["owntracks_qr_text"] is None
    no_owntracks = client.get(f"/api/v1/units/{unit['id']}/qr.svg",
                              params={"app": "owntracks"}, headers=admin)
    assert no_owntracks.status_code == 409 and "OwnTracks" in no_owntracks.text


def test_owntracks_setup_for_an_officer_unit(client: Any) -> None:
    from tests.admin.helpers import STRONG, new_account

    officer = new_account(client, role="petugas", org="polsek-klojen")
    unit = new_unit(client, kind="officer")
    admin = login(client, "admin")
    linked = client.patch(f"/api/v1/units/{unit['id']}", headers=admin,
                          json={"officer_id": officer["id"]})
    assert linked.status_code == 200 and linked.json()["user_id"] == officer["id"]
    body = client.get(f"/api/v1/units/{unit['id']}/setup", headers=admin).json()
    assert body["owntracks_user"] == officer["username"]
    assert body["owntracks_qr_text"].startswith("owntracks:///config?inline=")
    qr = client.get(f"/api/v1/units/{unit['id']}/qr.png", params={"app": "owntracks"},
                    headers=admin)
    assert qr.status_code == 200
    assert STRONG not in body["owntracks_qr_text"]
