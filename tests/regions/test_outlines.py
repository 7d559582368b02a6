"""Map layers get the real kelurahan/desa outlines of the user's own area only."""

from __future__ import annotations

from typing import Any

from tests.conftest import login


def _outlines(client: Any, username: str) -> list[dict[str, Any]]:
    response = client.get("/api/v1/orgs/outlines", headers=login(client, username))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    return list(body["features"])


def test_outlines_follow_the_organisation_scope(client: Any) -> None:
    polsek = _outlines(client, "operator.klojen")
    assert len(polsek) == 11
    assert {f["properties"]["org_code"] for f in polsek} == {"polsek-klojen"}
    assert "Kiduldalem" in {f["properties"]["name"] for f in polsek}
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in polsek)
    polres = _outlines(client, "operator")
    assert len(polres) == 57
    tegal = _outlines(client, "operator.tegal")
    assert {f["properties"]["region_id"] for f in tegal}.isdisjoint(
        {f["properties"]["region_id"] for f in polres})
    assert client.get("/api/v1/orgs/outlines").status_code == 401
