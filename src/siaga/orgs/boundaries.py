"""Importing village boundaries (one GeoJSON Feature per kelurahan/desa, Kemendagri codes)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import mapping, shape
from shapely.ops import unary_union
from shapely.validation import explain_validity, make_valid
from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.errors import Invalid
from siaga.orgs.models import Region

REQUIRED = ("code", "name", "kecamatan", "kecamatan_code", "kabkota", "kabkota_code")


@dataclass
class Village:
    code: str
    name: str
    level: str
    kecamatan_code: str
    kecamatan: str
    kabkota_code: str
    kabkota: str
    boundary: str
    lat: float
    lon: float


def read_boundaries(path: Path) -> tuple[list[Village], list[str]]:
    """Parse and check a boundary file; returns the villages and the repairs made."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"Berkas {path} bukan GeoJSON yang sah: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise Invalid(f"Berkas {path} bukan GeoJSON FeatureCollection")
    villages: list[Village] = []
    repairs: list[str] = []
    seen: set[str] = set()
    for number, feature in enumerate(data["features"], start=1):
        villages.append(_village(feature, number, repairs))
        if villages[-1].code in seen:
            raise Invalid(f"Fitur ke-{number}: kode {villages[-1].code} muncul dua kali")
        seen.add(villages[-1].code)
    if not villages:
        raise Invalid(f"Berkas {path} tidak berisi satu pun desa/kelurahan")
    return villages, repairs


def _village(feature: Any, number: int, repairs: list[str]) -> Village:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise Invalid(f"Fitur ke-{number} tidak punya properties")
    props = feature["properties"]
    for key in REQUIRED:
        if not isinstance(props.get(key), str) or not props[key].strip():
            raise Invalid(f"Fitur ke-{number} tidak punya '{key}'")
    code = props["code"].strip()
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise Invalid(f"Fitur {code}: geometri harus Polygon atau MultiPolygon")
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise Invalid(f"Fitur {code}: geometri rusak ({exc})") from exc
    if geom.is_empty:
        raise Invalid(f"Fitur {code}: geometri kosong")
    if not geom.is_valid:
        reason = explain_validity(geom)
        fixed = make_valid(geom)
        polys = [g for g in getattr(fixed, "geoms", [fixed])
                 if g.geom_type in ("Polygon", "MultiPolygon")]
        if not polys or sum(p.area for p in polys) <= 0:
            raise Invalid(f"Fitur {code}: poligon tidak sah ({reason}) dan tak bisa diperbaiki")
        geom = unary_union(polys)
        repairs.append(f"{code}: {reason} (diperbaiki)")
    point = geom.representative_point()
    last = code.rsplit(".", 1)[-1]
    level = props.get("level") or ("kelurahan" if last.startswith("1") else "desa")
    return Village(
        code=code, name=props["name"].strip(), level=str(level),
        kecamatan_code=props["kecamatan_code"].strip(), kecamatan=props["kecamatan"].strip(),
        kabkota_code=props["kabkota_code"].strip(), kabkota=props["kabkota"].strip(),
        boundary=json.dumps(mapping(geom), separators=(",", ":")),
        lat=round(point.y, 6), lon=round(point.x, 6),
    )


def _upsert(session: Session, *, code: str, name: str, level: str, parent: Region | None,
            lat: float | None, lon: float | None, boundary: str | None) -> Region:
    region = session.scalar(select(Region).where(Region.source_id == code))
    if region is None:
        region = Region(source_id=code, name=name, level=level)
        session.add(region)
    parent_id = parent.id if parent else None
    if region.name != name:
        region.name = name
    if region.level != level:
        region.level = level
    if region.parent_id != parent_id:
        region.parent_id = parent_id
    if boundary is not None:
        if region.boundary != boundary:
            region.boundary = boundary
        if (region.lat, region.lon) != (lat, lon):
            region.lat, region.lon = lat, lon
        if region.coords_approximate is not False:
            region.coords_approximate = False
    session.flush()
    return region


def import_boundaries(session: Session, *, villages: list[Village]) -> dict[str, int]:
    """Create or refresh kabupaten/kota > kecamatan > kelurahan/desa by Kemendagri code."""
    kab: dict[str, Region] = {}
    kec: dict[str, Region] = {}
    for v in villages:
        if v.kabkota_code not in kab:
            level = "kota" if v.kabkota.lower().startswith("kota") else "kabupaten"
            kab[v.kabkota_code] = _upsert(session, code=v.kabkota_code, name=v.kabkota,
                                          level=level, parent=None, lat=None, lon=None,
                                          boundary=None)
        if v.kecamatan_code not in kec:
            kec[v.kecamatan_code] = _upsert(session, code=v.kecamatan_code, name=v.kecamatan,
                                            level="kecamatan", parent=kab[v.kabkota_code],
                                            lat=None, lon=None, boundary=None)
        _upsert(session, code=v.code, name=v.name, level=v.level,
                parent=kec[v.kecamatan_code], lat=v.lat, lon=v.lon, boundary=v.boundary)
    return {"kabkota": len(kab), "kecamatan": len(kec), "villages": len(villages)}
