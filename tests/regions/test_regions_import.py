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
