"""Onboarding from /admin: upload a boundary file, create the Polres, rename a Polsek."""

from __future__ import annotations

import json
import random
from typing import Any

from tests.admin.helpers import polres_admin, tag
from tests.conftest import login


def boundary_file(kab_code: str, lat0: float, lon0: float) -> bytes:
    """A made-up kabupaten: two kecamatan, three desa of about 2 x 2 km each."""
    features = []
    for i, (kec, desa) in enumerate([(1, 1), (1, 2), (2, 1)]):
        west = lon0 + i * 0.02
        ring = [[west, lat0], [west + 0.02, lat0], [west + 0.02, lat0 + 0.02],
                [west, lat0 + 0.02], [west, lat0]]
        kec_code = f"{kab_code}.0{kec}"
        features.append({"type": "Feature", "geometry": {"type": "Polygon",
                                                         "coordinates": [ring]},
                         "properties": {"code": f"{kec_code}.200{desa}",
                                        "name": f"Desa Uji {kec}-{desa}",
                                        "kecamatan": f"Kecamatan Uji {kec}",
                                        "kecamatan_code": kec_code,
                                        "kabkota": f"Kabupaten Uji {kab_code}",
                                        "kabkota_code": kab_code}})
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_upload_create_review_and_rename(client: Any) -> None:
    admin = login(client, "admin")
    kab = f"9{random.randint(1, 9)}.{random.randint(10, 99)}"
    t = tag()
    lat0, lon0 = -3.0 - random.random(), 120.0 + random.random()
    upload = client.post("/api/v1/admin/onboarding/boundaries", headers=admin,
                         files={"file": ("uji.geojson", boundary_file(kab, lat0, lon0),
                                         "application/geo+json")})
    assert upload.status_code == 200, upload.text
    assert [k["code"] for k in upload.json()["kabkota"]] == [kab]
    created = client.post("/api/v1/admin/onboarding/polres", headers=admin, json={
        "code": f"polres-uji-{t}", "name": f"Polres Uji {t}", "kabkota_code": kab,
        "polda_code": f"polda-uji-{t}", "polda_name": "Polda Uji"})
    assert created.status_code == 201, created.text
    polsek = created.json()["polsek"]
    assert len(polsek) == 2 and all(p["kecamatan"] for p in polsek)
    again = client.post("/api/v1/admin/onboarding/polres", headers=admin, json={
        "code": f"polres-lain-{t}", "name": "Polres Lain", "kabkota_code": kab,
        "polda_code": f"polda-uji-{t}", "polda_name": "Polda Uji"})
    assert again.status_code == 409 and "sudah dicakup" in again.text
    first = polsek[0]["code"]
    renamed = client.patch(f"/api/v1/admin/orgs/{first}", headers=admin,
                           json={"name": "Polsek Uji Kota", "phone": "0411-123456"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Polsek Uji Kota"
    review = client.get(f"/api/v1/admin/onboarding/polres/polres-uji-{t}", headers=admin).json()
    assert "Polsek Uji Kota" in {p["name"] for p in review["polsek"]}


def test_onboarding_is_for_national_admins(client: Any) -> None:
    tegal = polres_admin(client, "polres-tegal")
    upload = client.post("/api/v1/admin/onboarding/boundaries", headers=tegal,
                         files={"file": ("uji.geojson", boundary_file("98.01", -4.0, 121.0),
                                         "application/geo+json")})
    assert upload.status_code == 403
    bad = client.post("/api/v1/admin/onboarding/boundaries", headers=login(client, "admin"),
                      files={"file": ("rusak.geojson", b"{not json", "application/geo+json")})
    assert bad.status_code == 422 and "GeoJSON" in bad.text
    assert client.post("/api/v1/admin/onboarding/boundaries", headers=login(client, "operator"),
                       files={"file": ("x.geojson", b"{}", "application/geo+json")}
                       ).status_code == 403
