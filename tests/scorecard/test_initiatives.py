"""Strategy tracking: the study's strategies as initiatives, and their CRUD."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.conftest import login
from tests.scorecard.helpers import field_names

BASE = "/api/v1/scorecard/initiatives"


def test_demo_loads_the_studys_strategies(client: Any) -> None:
    items = client.get(BASE, headers=login(client, "pimpinan.tegal")).json()["items"]
    demo = [i for i in items if "Rekomendasi" in (i["description"] or "")]
    terms = [i["term"] for i in demo]
    assert terms.count("short") == 3 and terms.count("medium") == 3 and terms.count("long") == 4
    satgas = next(i for i in demo if "Satgas" in i["title"])
    assert satgas["owner"] and "brawls" in satgas["kpi_keys"]
    assert satgas["kpis"][0]["name"]


def test_create_update_delete_with_validation(client: Any) -> None:
    headers = login(client, "pimpinan.tegal")
    body = {"term": "short", "title": "Patroli jam pulang sekolah SMKN 2 Slawi",
            "owner": "Kapolsek Slawi", "deadline": (date.today() + timedelta(days=30)).isoformat(),
            "kpi_keys": ["brawls", "prevention_activities"]}
    for change, field in [({"term": "besok"}, "term"), ({"kpi_keys": ["nope"]}, "kpi_keys"),
                          ({"progress": 101}, "progress"), ({"owner": ""}, "owner"),
                          ({"status": "done", "progress": 50}, "progress")]:
        response = client.post(BASE, json={**body, **change}, headers=headers)
        assert 400 <= response.status_code < 500, (change, response.text)
        assert field in field_names(response), (change, response.json())
    created = client.post(BASE, json=body, headers=headers)
    assert created.status_code == 201, created.text
    again = client.post(BASE, json=body, headers=headers)
    assert again.status_code == 409 and "title" in field_names(again)
    item_id = created.json()["id"]
    late = {**body, "deadline": (date.today() - timedelta(days=1)).isoformat(),
            "status": "in_progress", "progress": 40}
    updated = client.put(f"{BASE}/{item_id}", json=late, headers=headers)
    assert updated.status_code == 200 and updated.json()["overdue"] is True
    analis = login(client, "analis")
    assert client.get(f"{BASE}/{item_id}", headers=analis).status_code == 200
    assert client.delete(f"{BASE}/{item_id}", headers=analis).status_code == 403
    assert client.delete(f"{BASE}/{item_id}", headers=headers).status_code == 204
    assert client.get(f"{BASE}/{item_id}", headers=headers).status_code == 404
