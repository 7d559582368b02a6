"""The public information menu, and admins editing it."""

from __future__ import annotations

from typing import Any

from tests.conftest import KLOJEN, login


def test_menu_shows_hotlines_nearest_polsek_and_my_bhabinkamtibmas(client: Any) -> None:
    menu = client.get(f"/api/v1/info?lat={KLOJEN[0]}&lon={KLOJEN[1]}").json()
    assert any(h["phone"] == "110" for h in menu["hotlines"])
    assert menu["nearest_polsek"]["name"] == "Polsek Klojen"
    assert menu["kelurahan"]
    assert menu["bhabinkamtibmas"]["kelurahan"] == menu["kelurahan"]
    assert menu["tips"]


def test_menu_without_location_still_lists_hotlines(client: Any) -> None:
    menu = client.get("/api/v1/info").json()
    assert menu["hotlines"] and menu["nearest_polsek"] is None
    assert client.get("/api/v1/info?lat=95&lon=0").status_code == 422


def test_admin_edits_menu_and_it_is_audited(client: Any) -> None:
    admin = login(client, "admin")
    created = client.post("/api/v1/info/items", headers=admin, json={
        "kind": "notice", "title": "Patroli malam diperketat", "body": "Mulai pekan ini.",
        "org_code": "polres-malang-kota"})
    assert created.status_code == 201
    item = created.json()
    menu = client.get(f"/api/v1/info?lat={KLOJEN[0]}&lon={KLOJEN[1]}").json()
    assert any(n["title"] == "Patroli malam diperketat" for n in menu["notices"])
    elsewhere = client.get("/api/v1/info?lat=-6.983&lon=109.139").json()
    assert all(n["title"] != "Patroli malam diperketat" for n in elsewhere["notices"])
    updated = client.put(f"/api/v1/info/items/{item['id']}", headers=admin, json={
        "kind": "notice", "title": "Patroli malam", "org_code": "polres-malang-kota"})
    assert updated.status_code == 200 and updated.json()["title"] == "Patroli malam"
    assert client.delete(f"/api/v1/info/items/{item['id']}", headers=admin).status_code == 204

    from sqlalchemy import select

    from siaga.audit.models import AuditEntry
    from siaga.db import get_database

    with get_database().session() as session:
        actions = session.scalars(select(AuditEntry.action)
                                  .where(AuditEntry.target_id == str(item["id"]))
                                  .where(AuditEntry.target_type == "infoitem")).all()
    assert actions.count("info.save") == 2 and "info.delete" in actions


def test_only_admins_edit_the_menu(client: Any) -> None:
    body = {"kind": "tip", "title": "x"}
    assert client.post("/api/v1/info/items", json=body).status_code == 401
    operator = login(client, "operator")
    assert client.post("/api/v1/info/items", json=body, headers=operator).status_code == 403
    bad = client.post("/api/v1/info/items", json={"kind": "gossip", "title": ""},
                      headers=login(client, "admin"))
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["detail"]} >= {"kind", "title"}
