"""Alarms from known places land in their real kelurahan; borders are marked approximate."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import shapely

from siaga.orgs.spatial import PolygonIndex
from tests.conftest import device_headers, login, register_device

BOUNDARIES = Path(__file__).resolve().parents[2] / "src/siaga/demo/boundaries"
MALANG = BOUNDARIES / "kota_malang_kelurahan.geojson"

# (lat, lon, kelurahan, polsek): landmarks, each checked against the shipped polygon itself.
KNOWN = [
    (-7.9826, 112.6308, "Kiduldalem", "polsek-klojen"),      # Alun-alun Malang
    (-7.9525, 112.6144, "Ketawanggede", "polsek-lowokwaru"),  # Universitas Brawijaya
    (-7.9770, 112.6340, "Klojen", "polsek-klojen"),           # east of the Alun-alun
    (-6.9830, 109.1390, "Slawi Wetan", "polsek-slawi"),       # Slawi, Kabupaten Tegal
]


def _features() -> list[dict[str, Any]]:
    return list(json.loads(MALANG.read_text())["features"])


def _polygon(name: str) -> shapely.Geometry:
    return next(shapely.from_geojson(json.dumps(f["geometry"])) for f in _features()
                if f["properties"]["name"] == name)


def _send(client: Any, lat: float, lon: float) -> dict[str, Any]:
    device = register_device(client)
    response = client.post("/api/v1/alarms", headers=device_headers(device),
                           json={"client_id": str(uuid.uuid4()), "lat": lat, "lon": lon})
    assert response.status_code == 201, response.text
    staff = client.get(f"/api/v1/alarms/{response.json()['id']}",
                       headers=login(client, "admin"))
    assert staff.status_code == 200, staff.text
    return dict(staff.json())


def test_the_known_points_lie_in_the_shipped_polygons() -> None:
    for lat, lon, name, _ in KNOWN[:3]:
        assert _polygon(name).contains(shapely.points(lon, lat)), name


def test_alarms_from_known_places_reach_the_right_kelurahan_and_polsek(client: Any) -> None:
    for lat, lon, name, polsek in KNOWN:
        alarm = _send(client, lat, lon)
        assert (alarm["region_name"], alarm["org_code"]) == (name, polsek), (lat, lon)
        assert alarm["region_approximate"] is False


def test_a_point_on_a_border_goes_to_a_neighbour_marked_approximate(client: Any) -> None:
    # A corner of Kiduldalem's outline that no polygon holds: on the border (or in a sliver).
    polygons = [shapely.from_geojson(json.dumps(f["geometry"])) for f in _features()]
    lon, lat = next(c for c in shapely.get_coordinates(_polygon("Kiduldalem").exterior)
                    if not any(p.contains(shapely.points(*c)) for p in polygons))
    alarm = _send(client, float(lat), float(lon))
    assert alarm["region_name"] is not None and alarm["org_code"] is not None
    assert alarm["region_approximate"] is True


def test_far_from_every_village_is_outside_but_still_routed(client: Any) -> None:
    # 3 km south of Kota Malang's southern edge: no kelurahan, yet a Malang command sees it.
    alarm = _send(client, -8.0750, 112.6300)
    assert alarm["region_name"] is None
    assert alarm["org_code"] is not None


def test_index_prefers_the_inside_and_gives_up_beyond_a_kilometre() -> None:
    features = _features()
    index = PolygonIndex([(i, json.dumps(f["geometry"])) for i, f in enumerate(features)])
    names = [f["properties"]["name"] for f in features]
    alun = index.locate(-7.9826, 112.6308)
    assert alun is not None and names[alun.key] == "Kiduldalem"
    assert (alun.distance_m, alun.approximate) == (0.0, False)
    assert index.locate(-7.0, 112.0) is None
    far = index.nearest(-7.0, 112.0)
    assert far is not None and far.distance_m > 100_000


def test_the_information_menu_names_the_kelurahan_and_officer_of_the_polygon(client: Any) -> None:
    menu = client.get("/api/v1/info", params={"lat": -7.9826, "lon": 112.6308}).json()
    assert menu["kelurahan"] == "Kiduldalem"
    assert menu["bhabinkamtibmas"]["name"] == "Bhabinkamtibmas Kidul Dalem"
    assert menu["nearest_polsek"]["name"] == "Polsek Klojen"
    campus = client.get("/api/v1/info", params={"lat": -7.9525, "lon": 112.6144}).json()
    assert campus["kelurahan"] == "Ketawanggede"
    assert campus["bhabinkamtibmas"]["name"] == "Bhabinkamtibmas Ketawanggede"


def test_each_kelurahan_is_shown_inside_its_own_polygon() -> None:
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.orgs.models import Region

    with get_database().session() as session:
        rows = session.scalars(select(Region).where(Region.source_id.startswith("35.73."))
                               .where(Region.level == "kelurahan")).all()
        assert len(rows) == 57
        for region in rows:
            assert region.boundary is not None and region.lat is not None
            inside = shapely.from_geojson(region.boundary)
            assert inside.contains(shapely.points(region.lon, region.lat)), region.name
