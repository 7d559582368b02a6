"""Polsek details from /admin: address, phone and office position feed the info menu and desk."""

from __future__ import annotations

from typing import Any

from tests.admin.helpers import audit_rows, polres_admin
from tests.conftest import login


def _desk(client: Any, org: str) -> dict[str, Any]:
    units = client.get("/api/v1/units", params={"kind": "desk"},
                       headers=login(client, "admin")).json()["items"]
    [desk] = [u for u in units if u["org_code"] == org]
    return desk


def test_polsek_details_move_the_desk_and_reach_citizens(client: Any) -> None:
    from tests.admin.test_bhabin import _villages

    admin = login(client, "admin")
    orgs = client.get("/api/v1/admin/orgs", headers=polres_admin(client, "polres-tegal")).json()
    assert {o["code"] for o in orgs["items"]} >= {"polres-tegal", "polsek-slawi"}
    assert not [o for o in orgs["items"] if o["code"] == "polsek-sukun"]
    sukun = next(o for o in client.get("/api/v1/admin/orgs", headers=admin).json()["items"]
                 if o["code"] == "polsek-sukun")
    lat, lon = round(sukun["lat"] + 0.001, 6), round(sukun["lon"] + 0.001, 6)
    response = client.patch("/api/v1/admin/orgs/polsek-sukun", headers=admin, json={
        "address": "Jl. Keben No. 2, Sukun, Kota Malang", "phone": "(0341) 801110",
        "lat": lat, "lon": lon})
    assert response.status_code == 200, response.text
    assert response.json()["phone"] == "(0341) 801110"
    row = audit_rows("org.update", _org_id("polsek-sukun"))[-1]
    assert row.detail["phone"][1] == "(0341) 801110"
    desk = _desk(client, "polsek-sukun")
    assert (desk["position"]["lat"], desk["position"]["lon"]) == (lat, lon)
    [(_region, _name, vlat, vlon)] = _villages("polsek-sukun", 1)
    menu = client.get("/api/v1/info", params={"lat": vlat, "lon": vlon}).json()
    assert menu["nearest_polsek"]["name"] == "Polsek Sukun"
    assert menu["nearest_polsek"]["phone"] == "(0341) 801110"
    assert menu["nearest_polsek"]["address"] == "Jl. Keben No. 2, Sukun, Kota Malang"
    assert (menu["nearest_polsek"]["lat"], menu["nearest_polsek"]["lon"]) == (lat, lon)


def test_org_details_scope(client: Any) -> None:
    tegal = polres_admin(client, "polres-tegal")
    assert client.patch("/api/v1/admin/orgs/polsek-klojen", headers=tegal,
                        json={"phone": "1"}).status_code == 404
    assert client.patch("/api/v1/admin/orgs/polsek-slawi", headers=login(client, "operator"),
                        json={"phone": "1"}).status_code == 403
    outside = client.patch("/api/v1/admin/orgs/polsek-slawi", headers=tegal,
                           json={"lat": 48.85, "lon": 2.29})
    assert outside.status_code == 422 and "lat" in outside.text


def _org_id(code: str) -> int:
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.orgs.models import Organisation

    with get_database().session() as session:
        return int(session.scalar(select(Organisation.id).where(Organisation.code == code)) or 0)
