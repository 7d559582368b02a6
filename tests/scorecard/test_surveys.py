"""Citizens' survey from /warga (anonymous or with a device) and aggregation by Polres."""

from __future__ import annotations

from typing import Any

from tests.conftest import SLAWI, device_headers, login, register_device
from tests.scorecard.helpers import field_names


def _summary(client: Any, user: str) -> dict[str, dict[str, Any]]:
    response = client.get("/api/v1/scorecard/surveys/summary", headers=login(client, user))
    assert response.status_code == 200, response.text
    return {row["org_code"]: row for row in response.json()["items"]}


def test_polres_list_is_public(client: Any) -> None:
    codes = {o["code"] for o in client.get("/api/v1/survey/polres").json()["items"]}
    assert {"polres-tegal", "polres-malang-kota"} <= codes


def test_answers_are_aggregated_by_polres(client: Any) -> None:
    before = _summary(client, "admin")
    tegal_before = before.get("polres-tegal", {"good": 0, "poor": 0, "total": 0,
                                               "from_citizens": 0})
    anonymous = client.post("/api/v1/survey", json={"polres": "polres-tegal", "rating": "baik"})
    assert anonymous.status_code == 201, anonymous.text
    by_place = client.post("/api/v1/survey", json={"lat": SLAWI[0], "lon": SLAWI[1],
                                                   "rating": "kurang", "comment": "Lambat"})
    assert by_place.status_code == 201 and by_place.json()["polres_code"] == "polres-tegal"
    device = register_device(client)
    first = client.post("/api/v1/survey", json={"polres": "polres-malang-kota",
                                                "rating": "kurang"},
                        headers=device_headers(device))
    assert first.status_code == 201
    again = client.post("/api/v1/survey", json={"polres": "polres-malang-kota",
                                                "rating": "baik"},
                        headers=device_headers(device))
    assert again.status_code == 200 and again.json()["replaced"] is True
    after = _summary(client, "admin")
    tegal = after["polres-tegal"]
    assert tegal["good"] - tegal_before["good"] == 1
    assert tegal["poor"] - tegal_before["poor"] == 1
    assert tegal["from_citizens"] - tegal_before["from_citizens"] == 2
    malang_before = before.get("polres-malang-kota", {"total": 0, "good": 0})
    assert after["polres-malang-kota"]["total"] - malang_before["total"] == 1
    assert after["polres-malang-kota"]["good"] - malang_before["good"] == 1
    # Each Polres's leader sees only their own row.
    assert set(_summary(client, "pimpinan.tegal")) == {"polres-tegal"}
    assert set(_summary(client, "pimpinan")) <= {"polres-malang-kota"}


def test_summary_includes_the_entered_questionnaire(client: Any) -> None:
    response = client.get("/api/v1/scorecard/surveys/summary", params={"year": 2023},
                          headers=login(client, "pimpinan.tegal"))
    row = response.json()["items"][0]
    assert (row["good"], row["needs_improvement"], row["poor"]) == (85, 56, 15)
    assert row["from_tallies"] == 156 and row["satisfaction_pct"] == 54.5


def test_bad_answers_name_the_field(client: Any) -> None:
    cases = [({"polres": "polres-tegal", "rating": "mantap"}, "rating"),
             ({"rating": "baik"}, "polres"),
             ({"polres": "polsek-slawi", "rating": "baik"}, "polres"),
             ({"polres": "polres-tegal", "rating": "baik", "comment": "x" * 1001}, "comment"),
             ({"lat": 95, "lon": 1, "rating": "baik"}, "lat")]
    for body, field in cases:
        response = client.post("/api/v1/survey", json=body)
        assert 400 <= response.status_code < 500, (body, response.text)
        assert field in field_names(response), (body, response.json())
