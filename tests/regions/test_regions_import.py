"""siaga regions import: boundaries by Kemendagri code, idempotent, bad input refused whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[2]
MALANG = ROOT / "../shared/data/regions/kota_malang_kelurahan.geojson"


def _import(siaga_env: dict[str, str], path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "siaga.cli.main", "regions", "import", str(path)],
                          text=True, capture_output=True, env={**os.environ, **siaga_env},
                          timeout=120)


def _square(code: str, name: str, lon: float, lat: float, size: float = 0.01) -> dict[str, object]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"code": code, "name": name, "kecamatan": "Kec Uji",
                           "kecamatan_code": code.rsplit(".", 1)[0], "kabkota": "Kabupaten Uji",
                           "kabkota_code": code.rsplit(".", 2)[0], "level": "desa"}}


def _region_count() -> int:
    from siaga.db import get_database
    from siaga.orgs.models import Region

    with get_database().session() as session:
        return int(session.scalar(select(func.count(Region.id))) or 0)


def test_import_twice_changes_nothing(siaga_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "uji.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _square("99.01.01.2001", "Desa Satu", 130.0, -2.0),
        _square("99.01.01.2002", "Desa Dua", 130.01, -2.0),
    ]}))
    first = _import(siaga_env, path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"kabkota": 1, "kecamatan": 1, "villages": 2}
    count = _region_count()
    second = _import(siaga_env, path)
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert _region_count() == count


def test_bad_input_is_refused_and_writes_nothing(siaga_env: dict[str, str],
                                                 tmp_path: Path) -> None:
    before = _region_count()
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    result = _import(siaga_env, broken)
    assert result.returncode != 0 and "GeoJSON" in result.stderr
    no_code = tmp_path / "nocode.geojson"
    feature = _square("98.01.01.2001", "Tanpa Kode", 131.0, -2.0)
    del feature["properties"]["code"]  # type: ignore[attr-defined]
    no_code.write_text(json.dumps({"type": "FeatureCollection", "features": [
        _square("98.01.01.2002", "Baik", 131.02, -2.0), feature]}))
    result = _import(siaga_env, no_code)
    assert result.returncode != 0 and "'code'" in result.stderr
    assert _region_count() == before


def test_real_malang_file_imports(siaga_env: dict[str, str]) -> None:
    if not MALANG.exists():
        return
    result = _import(siaga_env, MALANG)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"kabkota": 1, "kecamatan": 5, "villages": 57}


def test_gazetteer_regions_keep_their_rows_when_real_boundaries_arrive(
        siaga_env: dict[str, str], tmp_path: Path) -> None:
    from siaga.db import get_database
    from siaga.orgs.models import Region

    # A database set up earlier from the areaid gazetteer, with its own ids and spellings.
    with get_database().session() as session:
        kab = Region(source_id="kab-uji-9701", name="Kabupaten Lama Uji", level="kabupaten")
        session.add(kab)
        session.flush()
        kec = Region(source_id="kec-uji-9701", name="Sido Mulyo", level="kecamatan",
                     parent_id=kab.id)
        session.add(kec)
        session.flush()
        desa = Region(source_id="kel-uji-9701", name="Kidul Dalem", level="desa",
                      parent_id=kec.id, lat=-2.5, lon=135.0, coords_approximate=True)
        session.add(desa)
        session.flush()
        desa_id = desa.id
    feature = _square("97.01.01.2001", "Kiduldalem", 135.0, -2.5)
    feature["properties"].update({"kecamatan": "Sidamulya",  # type: ignore[attr-defined]
                                  "kabkota": "Kabupaten Lama Uji"})
    path = tmp_path / "lama.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    count = _region_count()
    result = _import(siaga_env, path)
    assert result.returncode == 0, result.stderr
    assert _region_count() == count  # adopted, not duplicated
    with get_database().session() as session:
        adopted = session.get(Region, desa_id)
        assert adopted is not None
        assert (adopted.source_id, adopted.name, adopted.coords_approximate) == (
            "97.01.01.2001", "Kiduldalem", False)
        assert adopted.boundary is not None
