"""Known points of Kota Malang fall in their real kelurahan; far points fall nowhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siaga.orgs.spatial import PolygonIndex

ROOT = Path(__file__).resolve().parents[2]
MALANG = ROOT / "../shared/data/regions/kota_malang_kelurahan.geojson"


def test_known_malang_points() -> None:
    if not MALANG.exists():
        pytest.skip("shared boundary data not present")
    features = json.loads(MALANG.read_text())["features"]
    names = [f["properties"]["name"] for f in features]
    index = PolygonIndex([(i, json.dumps(f["geometry"])) for i, f in enumerate(features)])
    alun = index.locate(-7.9826, 112.6308)
    brawijaya = index.locate(-7.9525, 112.6144)
    assert alun is not None and names[alun[0]] == "Kiduldalem" and alun[1] == 0.0
    assert brawijaya is not None and names[brawijaya[0]] == "Ketawanggede"
    assert index.locate(-7.0, 112.0) is None
