"""Bhabinkamtibmas over several desa: in the citizens' information menu and in coverage."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.admin.helpers import audit_rows, new_account, polres_admin
from tests.conftest import login


def _villages(polsek: str, n: int) -> list[tuple[int, str, float, float]]:
    from siaga.db import get_database
    from siaga.orgs.models import Organisation, Region

    with get_database().session() as session:
        rows = session.execute(
            select(Region.id, Region.name, Region.lat, Region.lon)
            .join(Organisation, Organisation.id == Region.org_id)
            .where(Organisation.code == polsek)
            .where(Region.level.in_(("kelurahan", "desa"))).where(Region.boundary.is_not(None))
            .order_by(Region.name)).all()
    assert len(rows) >= n
    return [(r.id, r.name, float(r.lat), float(r.lon)) for r in rows[-n:]]


def test_one_officer_covers_two_desa_shown_to_citizens_and_in_coverage(client: Any) -> None:
    tegal = polres_admin(client, "polres-tegal")
    officer = new_account(client, role="petugas", org="polsek-slawi", by=tegal,
                          phone="0857-1234-5678", full_name="Aipda Wahyu Bhabin")
    villages = _villages("polsek-slawi", 2)
    for region_id, _name, _lat, _lon in villages:
        response = client.put(f"/api/v1/roster/bhabin/{region_id}", headers=tegal,
                              json={"user_id": officer["id"]})
        assert response.status_code == 200, response.text
        assert response.json()["officer"]["name"] == "Aipda Wahyu Bhabin"
        assert audit_rows("bhabin.assign", region_id)
    for _region_id, name, lat, lon in villages:
        menu = client.get("/api/v1/info", params={"lat": lat, "lon": lon}).json()
        assert menu["kelurahan"] == name
        assert menu["bhabinkamtibmas"] == {"name": "Aipda Wahyu Bhabin",
                                           "phone": "0857-1234-5678", "kelurahan": name}
    coverage = client.get("/api/v1/visits/coverage", params={"org": "polsek-slawi"},
                          headers=login(client, "pimpinan.tegal")).json()
    rows = {r["region_id"]: r for r in coverage["kelurahan"]}
    for region_id, *_ in villages:
        assert rows[region_id]["officers"] == ["Aipda Wahyu Bhabin"]
    listed = client.get("/api/v1/roster/bhabin", params={"org": "polsek-slawi"},
                        headers=tegal).json()["items"]
    assert {v["region_id"] for v in listed if v["officer"] and
            v["officer"]["id"] == officer["id"]} == {v[0] for v in villages}


def test_bhabin_assignment_scope_and_checks(client: Any) -> None:
    tegal = polres_admin(client, "polres-tegal")
    [(malang_region, *_)] = _villages("polsek-klojen", 1)
    [(slawi_region, *_)] = _villages("polsek-slawi", 1)
    tegal_officer = new_account(client, role="petugas", org="polsek-slawi", by=tegal)
    malang_officer = new_account(client, role="petugas", org="polsek-klojen")
    assert client.put(f"/api/v1/roster/bhabin/{malang_region}", headers=tegal,
                      json={"user_id": tegal_officer["id"]}).status_code == 404
    assert client.put(f"/api/v1/roster/bhabin/{slawi_region}", headers=tegal,
                      json={"user_id": malang_officer["id"]}).status_code == 404
    analyst = new_account(client, role="analis", org="polres-tegal", by=tegal)
    not_officer = client.put(f"/api/v1/roster/bhabin/{slawi_region}", headers=tegal,
                             json={"user_id": analyst["id"]})
    assert not_officer.status_code == 422 and "petugas" in not_officer.text
    assert client.put(f"/api/v1/roster/bhabin/{slawi_region}",
                      headers=login(client, "operator.tegal"),
                      json={"user_id": tegal_officer["id"]}).status_code == 403
