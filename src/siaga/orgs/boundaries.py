"""Importing village boundaries (one GeoJSON Feature per kelurahan/desa, Kemendagri codes)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import numpy as np
import shapely
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
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"Berkas {path.name} tidak bisa dibaca sebagai teks UTF-8: {exc}") from exc
    return read_boundaries_text(text, source=path.name)


def read_boundaries_text(text: str, *, source: str) -> tuple[list[Village], list[str]]:
    """Parse and check boundary GeoJSON (e.g. an uploaded file); villages and repairs made."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid(f"Berkas {source} bukan GeoJSON yang sah: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise Invalid(f"Berkas {source} bukan GeoJSON FeatureCollection")
    villages: list[Village] = []
    repairs: list[str] = []
    seen: set[str] = set()
    for number, feature in enumerate(data["features"], start=1):
        villages.append(_village(feature, number, repairs))
        if villages[-1].code in seen:
            raise Invalid(f"Fitur ke-{number}: kode {villages[-1].code} muncul dua kali")
        seen.add(villages[-1].code)
    if not villages:
        raise Invalid(f"Berkas {source} tidak berisi satu pun desa/kelurahan")
    return villages, repairs


def _village(feature: Any, number: int, repairs: list[str]) -> Village:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise Invalid(f"Fitur ke-{number} tidak punya properties")
    props = feature["properties"]
    for key in REQUIRED:
        if not isinstance(props.get(key), str) or not props[key].strip():
            raise Invalid(f"Fitur ke-{number} tidak punya '{key}'")
    code = props["code"].strip()
    label = f"{props['name'].strip()} ({code})"
    kec_code, kab_code = props["kecamatan_code"].strip(), props["kabkota_code"].strip()
    if not code.startswith(kec_code + ".") or not kec_code.startswith(kab_code + "."):
        raise Invalid(f"Fitur {label}: kode tidak sesuai kecamatan_code {kec_code} dan "
                      f"kabkota_code {kab_code}")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise Invalid(f"Fitur {label}: geometri harus Polygon atau MultiPolygon")
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise Invalid(f"Fitur {label}: geometri rusak ({exc})") from exc
    if geom.is_empty:
        raise Invalid(f"Fitur {label}: geometri kosong")
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all() or (np.abs(coords[:, 0]) > 180).any() \
            or (np.abs(coords[:, 1]) > 90).any():
        raise Invalid(f"Fitur {label}: koordinat di luar bujur -180..180 / lintang -90..90 "
                      "(urutan GeoJSON: bujur, lintang)")
    if not geom.is_valid:
        reason = explain_validity(geom)
        fixed = make_valid(geom)
        polys = [g for g in getattr(fixed, "geoms", [fixed])
                 if g.geom_type in ("Polygon", "MultiPolygon")]
        if not polys or sum(p.area for p in polys) <= 0:
            raise Invalid(f"Fitur {label}: poligon tidak sah ({reason}) dan tak bisa diperbaiki")
        geom = unary_union(polys)
        repairs.append(f"{label}: {reason} (diperbaiki)")
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
    # The kecamatan decides the Polsek: a village follows its kecamatan's organisation (or the
    # Polres of its kabupaten/kota while the kecamatan has no Polsek yet).
    if parent is not None and level in ("kelurahan", "desa"):
        owner = parent.org_id
        if owner is None and parent.parent_id is not None:
            kab = session.get(Region, parent.parent_id)
            owner = kab.org_id if kab is not None else None
        if owner is not None and region.org_id != owner:
            region.org_id = owner
    session.flush()
    return region


def import_boundaries(session: Session, *, villages: list[Village]) -> dict[str, int]:
    """Create or refresh kabupaten/kota > kecamatan > kelurahan/desa by Kemendagri code."""
    adopt_gazetteer_regions(session, villages=villages)
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
    for parents, key in ((kec, "kecamatan_code"), (kab, "kabkota_code")):
        for code, region in parents.items():
            _place_at_union(region, [v.boundary for v in villages if getattr(v, key) == code])
    session.flush()
    return {"kabkota": len(kab), "kecamatan": len(kec), "villages": len(villages)}


def _place_at_union(region: Region, boundaries: list[str]) -> None:
    """A kecamatan or kabupaten/kota shown at a point inside the union of its villages."""
    point = shapely.union_all([shapely.from_geojson(b) for b in boundaries]).representative_point()
    lat, lon = round(point.y, 6), round(point.x, 6)
    if (region.lat, region.lon, region.coords_approximate) != (lat, lon, False):
        region.lat, region.lon, region.coords_approximate = lat, lon, False


# Regions taken earlier from the `areaid` gazetteer carry its own ids ("kab-", "kec-", "kel-").
_GAZETTEER_PREFIX = {"kabkota": "kab-", "kecamatan": "kec-", "village": "kel-"}


def _plain(name: str) -> str:
    """A name as spellings of the same place agree on it (Warurejo/Warureja, Kidul Dalem)."""
    letters = "".join(ch for ch in name.lower().split("(")[0] if ch.isalpha())
    return letters.replace("o", "a")


def _match(name: str, candidates: dict[str, Region], threshold: float) -> Region | None:
    """The candidate spelt most like `name` (alternative names in brackets count too)."""
    wanted = _plain(name)
    best: tuple[float, Region] | None = None
    for candidate_name, region in candidates.items():
        spellings = [candidate_name, *candidate_name.split("(")[1:]]
        score = max(SequenceMatcher(None, wanted, _plain(s.strip(") "))).ratio()
                    for s in spellings)
        if best is None or score > best[0]:
            best = (score, region)
    return best[1] if best is not None and best[0] >= threshold else None


def adopt_gazetteer_regions(session: Session, *, villages: list[Village]) -> int:
    """Give gazetteer regions of the same places their Kemendagri codes; returns how many.

    A database set up from the gazetteer keeps its region rows (and so every officer, visit and
    alarm that points at them) when real boundaries arrive.
    """
    adopted = 0
    kab_names = {v.kabkota_code: v.kabkota for v in villages}
    for kab_code, kab_name in kab_names.items():
        if session.scalar(select(Region.id).where(Region.source_id == kab_code)) is not None:
            kab = session.scalar(select(Region).where(Region.source_id == kab_code))
        else:
            kab = session.scalar(select(Region).where(
                Region.source_id.startswith(_GAZETTEER_PREFIX["kabkota"]),
                Region.name == kab_name))
            if kab is None:
                continue
            kab.source_id = kab_code
            adopted += 1
        assert kab is not None
        kecs = {v.kecamatan_code: v.kecamatan for v in villages if v.kabkota_code == kab_code}
        adopted += _adopt_children(session, parent=kab, wanted=kecs, prefix="kec-")
        for kec_code in kecs:
            kec = session.scalar(select(Region).where(Region.source_id == kec_code))
            if kec is None:
                continue
            names = {v.code: v.name for v in villages if v.kecamatan_code == kec_code}
            adopted += _adopt_children(session, parent=kec, wanted=names, prefix="kel-")
    session.flush()
    return adopted


def _adopt_children(session: Session, *, parent: Region, wanted: dict[str, str],
                    prefix: str) -> int:
    existing = {code for code in session.scalars(
        select(Region.source_id).where(Region.source_id.in_(list(wanted))))}
    loose = {r.name: r for r in session.scalars(
        select(Region).where(Region.parent_id == parent.id)
        .where(Region.source_id.startswith(prefix)))}
    adopted = 0
    # Same spelling first, so a near spelling never takes a place that has its exact twin.
    for threshold in (1.0, 0.8):
        for code, name in wanted.items():
            if code in existing or not loose:
                continue
            region = _match(name, loose, threshold)
            if region is not None:
                region.source_id = code
                existing.add(code)
                loose = {n: r for n, r in loose.items() if r is not region}
                adopted += 1
    return adopted
