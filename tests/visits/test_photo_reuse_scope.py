"""The photo-reuse flag names only visits of the visit's own organisation."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import SLAWI, login
from tests.visits.helpers import make_image, post_visit, region_of


def test_reuse_of_another_organisations_photo_is_counted_not_named(client: Any) -> None:
    kauman = region_of("bhabin.kauman")
    seed = uuid.uuid4().int
    original = make_image(seed)
    malang = post_visit(client, login(client, "bhabin.kauman"), [original],
                        lat=kauman["lat"], lon=kauman["lon"], accuracy_m=15)
    assert malang.status_code == 201, malang.text
    malang_id = malang.json()["id"]
    slawi = login(client, "petugas.slawi")
    same = post_visit(client, slawi, [original], lat=SLAWI[0], lon=SLAWI[1], accuracy_m=15)
    assert same.status_code == 201, same.text
    flag = next(f for f in same.json()["flags"] if f["code"] == "photo_reused")
    assert flag["visits"] == [] and flag["elsewhere"] == 1
    assert f"#{malang_id}" not in flag["msg"] and "1 kunjungan satuan lain" in flag["msg"]
    near = post_visit(client, slawi, [make_image(seed, size=(240, 180), quality=60)],
                      lat=SLAWI[0], lon=SLAWI[1], accuracy_m=15)
    similar = next(f for f in near.json()["flags"] if f["code"] == "photo_similar")
    assert malang_id not in similar["visits"] and f"#{malang_id}" not in similar["msg"]
    # Slawi's own earlier visit is named to Slawi.
    assert same.json()["id"] in similar["visits"]
