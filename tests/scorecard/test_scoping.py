"""Leaders see only their own organisation's scorecard, entries and initiatives."""

from __future__ import annotations

from typing import Any

from tests.conftest import login
from tests.scorecard.helpers import kpi, scorecard, yearly


def test_malang_cannot_see_tegal(client: Any) -> None:
    malang = login(client, "pimpinan")
    response = client.get("/api/v1/scorecard", params={"org": "polres-tegal"}, headers=malang)
    assert response.status_code == 404
    assert client.get("/api/v1/scorecard/dashboard", params={"org": "polsek-slawi"},
                      headers=malang).status_code == 404
    assert client.get("/api/v1/scorecard/report", params={"org": "polres-tegal",
                                                          "month": "2023-01"},
                      headers=malang).status_code == 404
    own = scorecard(client, "pimpinan", year=2022)
    assert own["org"]["code"] == "polres-malang-kota"
    assert yearly(own, "brawls") == {}
    assert kpi(own, "personnel_fill")["value"] is None
    figures = client.get("/api/v1/scorecard/figures", headers=malang).json()
    assert all(f["org_code"] != "polres-tegal" for f in figures["items"])
    initiatives = client.get("/api/v1/scorecard/initiatives", headers=malang).json()
    assert initiatives["total"] == 0


def test_malang_cannot_change_tegal_entries(client: Any) -> None:
    tegal = login(client, "pimpinan.tegal")
    figure = client.get("/api/v1/scorecard/figures", params={"metric": "brawls"},
                        headers=tegal).json()["items"][0]
    malang = login(client, "pimpinan")
    body = {"metric": "brawls", "year": figure["year"], "value": 0}
    assert client.put(f"/api/v1/scorecard/figures/{figure['id']}", json=body,
                      headers=malang).status_code == 404
    assert client.delete(f"/api/v1/scorecard/figures/{figure['id']}",
                         headers=malang).status_code == 404
    initiative = client.get("/api/v1/scorecard/initiatives", headers=tegal).json()["items"][0]
    assert client.delete(f"/api/v1/scorecard/initiatives/{initiative['id']}",
                         headers=malang).status_code == 404


def test_admin_sees_everything_and_drills_down(client: Any) -> None:
    card = scorecard(client, "admin", year=2022)
    assert card["org"]["code"] == "semua"
    assert yearly(card, "brawls")[2022] == 30
    dash = client.get("/api/v1/scorecard/dashboard", params={"org": "polres-tegal"},
                      headers=login(client, "admin")).json()
    codes = {row["code"] for row in dash["polsek"]}
    assert "polsek-slawi" in codes and len(codes) == 18
