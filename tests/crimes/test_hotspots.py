"""The hotspot layer and the crime-prone places of the Malang study."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import login
from tests.crimes.helpers import post_incident

# Two clusters in Lowokwaru: a dense one near the campuses and a lighter one.
DENSE = (-7.9525, 112.6145)
LIGHT = (-7.9390, 112.6000)


def _seed(client: Any, headers: dict[str, str]) -> None:
    now = datetime.now(UTC)
    for i in range(12):
        for (lat, lon), every in ((DENSE, 1), (LIGHT, 3)):
            if i % every:
                continue
            response = post_incident(
                client, headers, crime_type="penggelapan",
                occurred_at=(now - timedelta(days=20 + i, hours=i)).isoformat(),
                lat=lat + 0.0002 * (i % 3), lon=lon + 0.0002 * (i % 2))
            assert response.status_code == 201, response.text


def test_hotspot_layer_is_geojson_ranked_by_risk(client: Any) -> None:
    ops = login(client, "operator")
    _seed(client, ops)
    for horizon in ("week", "shift"):
        response = client.get(f"/api/v1/hotspots?type=penggelapan&horizon={horizon}&limit=20",
                              headers=ops)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["type"] == "FeatureCollection"
        props = body["properties"]
        assert props["horizon"] == horizon and props["crime_type"] == "penggelapan"
        assert props["events_used"] >= 16
        assert (props["shift"] in ("pagi", "siang", "malam")) == (horizon == "shift")
        features = body["features"]
        assert 0 < len(features) <= 20
        ring = features[0]["geometry"]["coordinates"][0]
        assert features[0]["geometry"]["type"] == "Polygon" and len(ring) == 5
        assert ring[0] == ring[-1]
        risks = [f["properties"]["risk"] for f in features]
        assert risks == sorted(risks, reverse=True) and risks[0] == 1.0
        assert [f["properties"]["rank"] for f in features] == list(range(1, len(features) + 1))
        if horizon == "week":
            # Over a week the denser cluster leads; a shift's own hours may favour the other.
            top = features[0]["properties"]
            assert abs(top["lat"] - DENSE[0]) < 0.003 and abs(top["lon"] - DENSE[1]) < 0.003


def test_hotspot_layer_respects_scope_and_input(client: Any) -> None:
    tegal = login(client, "operator.tegal")
    body = client.get("/api/v1/hotspots?type=penggelapan", headers=tegal).json()
    assert body["features"] == [] and body["properties"]["events_used"] == 0
    assert client.get("/api/v1/hotspots?horizon=month",
                      headers=tegal).status_code == 422
    assert client.get("/api/v1/hotspots?org=polsek-klojen", headers=tegal).status_code == 404


def test_crime_prone_places_are_labelled_and_scoped(client: Any) -> None:
    polres = client.get("/api/v1/hotspots/places", headers=login(client, "operator")).json()
    names = {f["properties"]["name"] for f in polres["features"]}
    assert "Kampus Universitas Brawijaya" in names and "Terminal Arjosari" in names
    assert len(polres["features"]) >= 30
    point = polres["features"][0]
    assert point["geometry"]["type"] == "Point" and len(point["geometry"]["coordinates"]) == 2
    klojen = client.get("/api/v1/hotspots/places",
                        headers=login(client, "operator.klojen")).json()
    assert {f["properties"]["polsek"] for f in klojen["features"]} == {"Polsek Klojen"}
    tegal = client.get("/api/v1/hotspots/places", headers=login(client, "operator.tegal")).json()
    assert tegal["features"] == []


def test_the_riskiest_cell_of_every_shift_reads_one(client: Any) -> None:
    """The shift forecast mixes all events with that shift's; whichever shift it is, the top
    cell is 1.0 and the rest relative to it (it once peaked at 0.59 in some hours)."""
    from siaga.crimes.layer import forecast_cells
    from siaga.db import get_database

    _seed(client, login(client, "operator"))
    now = datetime.now(UTC)
    with get_database().session() as session:
        for hours_ahead in range(0, 24, 4):
            ranked, shift, used = forecast_cells(
                session, scope="/", crime_type="penggelapan", horizon="shift",
                at=now + timedelta(hours=hours_ahead), limit=20)
            assert shift is not None and used >= 16
            risks = [risk for _, risk in ranked]
            assert risks[0] == 1.0 and all(0.0 <= r <= 1.0 for r in risks), (shift.name, risks)
