"""Onboarding a Polres over imported boundaries: its Polda, its Polsek, and their kecamatan."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import shapely
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.errors import Conflict, Invalid, NotFound
from siaga.geo import slugify
from siaga.orgs.boundaries import Village, import_boundaries
from siaga.orgs.models import Organisation, Region
from siaga.orgs.service import create_org, regions_changed

if TYPE_CHECKING:
    from siaga.auth.models import User

POLSEK_MAP_COLUMNS = ("kecamatan_code", "polsek_code", "polsek_name")
ORG_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
VILLAGE_LEVELS = ("kelurahan", "desa")


@dataclass
class PolsekGroup:
    code: str
    name: str
    kecamatan_codes: list[str] = field(default_factory=list)


@dataclass
class PolresCreated:
    polres: str
    polsek: list[PolsekGroup]

    def as_json(self) -> dict[str, Any]:
        return {"polres": self.polres, "polsek": [asdict(p) for p in self.polsek]}


def after_commit_regions_changed(session: Session) -> None:
    """Refresh the locator once this transaction commits (not before: others would cache the
    old state)."""
    event.listen(session, "after_commit", lambda _s: regions_changed(), once=True)


def import_villages(session: Session, *, villages: list[Village], actor: User | None,
                    source: str) -> dict[str, int]:
    """Import checked boundaries (see boundaries.read_boundaries_text), audited."""
    counts = import_boundaries(session, villages=villages)
    audit(session, action="regions.import", target=None, actor=actor,
          detail={**counts, "file": source})
    after_commit_regions_changed(session)
    return counts


def parse_polsek_map(text: str) -> list[PolsekGroup]:
    """Read a `kecamatan_code,polsek_code,polsek_name` CSV; every bad line is named."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in POLSEK_MAP_COLUMNS if c not in columns]
    extra = [c for c in columns if c not in POLSEK_MAP_COLUMNS]
    if missing or extra:
        problems = []
        if missing:
            problems.append("kolom tidak ada: " + ", ".join(missing))
        if extra:
            problems.append("kolom tidak dikenal: " + ", ".join(extra))
        raise Invalid("Peta Polsek harus berkolom " + ",".join(POLSEK_MAP_COLUMNS) + " ("
                      + "; ".join(problems) + ")", field="polsek_map")
    groups: dict[str, PolsekGroup] = {}
    seen: dict[str, int] = {}
    errors: list[str] = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        kec, code, name = (row.get(c, "") for c in POLSEK_MAP_COLUMNS)
        if not (kec or code or name):
            continue
        if not kec or not code or not name:
            errors.append(f"baris {number}: kecamatan_code, polsek_code dan polsek_name wajib "
                          "diisi")
        elif not ORG_CODE.match(code):
            errors.append(f"baris {number}: polsek_code '{code}' hanya boleh huruf kecil, "
                          "angka dan tanda hubung")
        elif kec in seen:
            errors.append(f"baris {number}: kecamatan {kec} sudah dipetakan di baris "
                          f"{seen[kec]}")
        elif code in groups and groups[code].name != name:
            errors.append(f"baris {number}: {code} sudah bernama '{groups[code].name}'")
        else:
            seen[kec] = number
            groups.setdefault(code, PolsekGroup(code=code, name=name)).kecamatan_codes.append(kec)
    if errors:
        raise Invalid("Peta Polsek ditolak: " + "; ".join(errors), field="polsek_map")
    if not groups:
        raise Invalid("Peta Polsek kosong", field="polsek_map")
    return list(groups.values())


def _kabkota(session: Session, code: str) -> Region:
    kab = session.scalar(select(Region).where(Region.source_id == code)
                         .where(Region.level.in_(("kabupaten", "kota"))))
    if kab is None:
        raise NotFound(f"Kabupaten/kota {code} belum diimpor; jalankan dulu `siaga regions "
                       "import BERKAS.geojson`", field="kabkota")
    return kab


def _centre(session: Session, kecamatan_ids: list[int]) -> tuple[float | None, float | None]:
    """The representative point of these kecamatan's villages (inside their union)."""
    rows = session.execute(select(Region.boundary, Region.lat, Region.lon)
                           .where(Region.parent_id.in_(kecamatan_ids))
                           .where(Region.level.in_(VILLAGE_LEVELS))).all()
    shapes = [shapely.from_geojson(r.boundary) for r in rows if r.boundary]
    if shapes:
        point = shapely.union_all(shapes).representative_point()
        return round(point.y, 6), round(point.x, 6)
    located = [(r.lat, r.lon) for r in rows if r.lat is not None and r.lon is not None]
    if located:
        return located[0]
    return None, None


def _free_code(session: Session, code: str) -> bool:
    return session.scalar(select(Organisation.id).where(Organisation.code == code)) is None


def _default_groups(session: Session, kab: Region, kecamatan: list[Region]) -> list[PolsekGroup]:
    groups = []
    taken: set[str] = set()
    for kec in kecamatan:
        code = f"polsek-{slugify(kec.name)}"
        if code in taken or not _free_code(session, code):
            # Another Polres already has a Polsek of that name (kecamatan names repeat).
            code = f"polsek-{slugify(kec.name)}-{slugify(kab.name)}"
        taken.add(code)
        groups.append(PolsekGroup(code=code, name=f"Polsek {kec.name}",
                                  kecamatan_codes=[kec.source_id]))
    return groups


def _check_map(kab: Region, kecamatan: list[Region], groups: list[PolsekGroup]) -> None:
    known = {k.source_id for k in kecamatan}
    mapped = [c for g in groups for c in g.kecamatan_codes]
    unknown = [c for c in mapped if c not in known]
    if unknown:
        raise Invalid(f"Peta Polsek menyebut kecamatan yang bukan bagian dari {kab.name}: "
                      + ", ".join(unknown), field="polsek_map")
    left = [f"{k.name} ({k.source_id})" for k in kecamatan if k.source_id not in mapped]
    if left:
        raise Invalid("Peta Polsek belum mencakup kecamatan: " + ", ".join(left),
                      field="polsek_map")


def add_polres(
    session: Session, *, code: str, name: str, kabkota_code: str, polda_code: str,
    polda_name: str, polsek_map: list[PolsekGroup] | None = None, actor: User | None = None,
) -> PolresCreated:
    """A Polres over an imported kabupaten/kota with its Polsek linked to their kecamatan."""
    for value, label in ((code, "code"), (polda_code, "polda_code")):
        if not ORG_CODE.match(value):
            raise Invalid(f"Kode satuan '{value}' hanya boleh huruf kecil, angka dan tanda "
                          "hubung", field=label)
    if not name.strip() or not polda_name.strip():
        raise Invalid("Nama Polres dan Polda wajib diisi", field="name")
    kab = _kabkota(session, kabkota_code)
    if kab.org_id is not None:
        other = session.get(Organisation, kab.org_id)
        raise Conflict(f"{kab.name} sudah dicakup {other.name if other else 'satuan lain'}"
                       f" ({other.code if other else kab.org_id})", field="kabkota")
    if not _free_code(session, code):
        raise Conflict(f"Kode satuan {code} sudah dipakai", field="code")
    kecamatan = list(session.scalars(select(Region).where(Region.parent_id == kab.id)
                                     .where(Region.level == "kecamatan")
                                     .order_by(Region.source_id)))
    if not kecamatan:
        raise Invalid(f"{kab.name} belum punya kecamatan; impor batas desanya dulu",
                      field="kabkota")
    groups = polsek_map if polsek_map is not None else _default_groups(session, kab, kecamatan)
    _check_map(kab, kecamatan, groups)
    clashes = [g.code for g in groups if not _free_code(session, g.code) or g.code == code]
    if clashes:
        raise Conflict("Kode Polsek sudah dipakai: " + ", ".join(clashes), field="polsek_map")
    polda = session.scalar(select(Organisation).where(Organisation.code == polda_code))
    if polda is None:
        polda = create_org(session, code=polda_code, name=polda_name.strip(), level="polda",
                           parent=None)
    elif polda.level != "polda":
        raise Invalid(f"{polda_code} adalah {polda.level}, bukan Polda", field="polda_code")
    by_code = {k.source_id: k for k in kecamatan}
    lat, lon = _centre(session, [k.id for k in kecamatan])
    polres = create_org(session, code=code, name=name.strip(), level="polres", parent=polda,
                        lat=lat, lon=lon)
    kab.org_id = polres.id
    for group in groups:
        members = [by_code[c] for c in group.kecamatan_codes]
        plat, plon = _centre(session, [k.id for k in members])
        polsek = create_org(session, code=group.code, name=group.name, level="polsek",
                            parent=polres, lat=plat, lon=plon,
                            address=f"Kecamatan {', '.join(k.name for k in members)}, {kab.name}")
        link_kecamatan(session, polsek=polsek, kecamatan=members)
    result = PolresCreated(polres=code, polsek=groups)
    audit(session, action="org.add_polres", target=polres, actor=actor, org_path=polres.path,
          detail={"kabkota": kabkota_code, **result.as_json()})
    session.flush()
    after_commit_regions_changed(session)
    return result


def link_kecamatan(session: Session, *, polsek: Organisation, kecamatan: list[Region]) -> None:
    """Route these kecamatan and every village in them to the Polsek."""
    ids = [k.id for k in kecamatan]
    for kec in kecamatan:
        kec.org_id = polsek.id
    session.flush()
    session.execute(update(Region).where(Region.parent_id.in_(ids))
                    .where(Region.level.in_(VILLAGE_LEVELS)).values(org_id=polsek.id)
                    .execution_options(synchronize_session="fetch"))
    after_commit_regions_changed(session)


def polsek_groups(session: Session, *, polres: Organisation) -> list[PolsekGroup]:
    """Each Polsek of a Polres with the kecamatan codes it covers (for review screens)."""
    polseks = session.scalars(select(Organisation).where(Organisation.parent_id == polres.id)
                              .order_by(Organisation.code)).all()
    out = []
    for p in polseks:
        codes = session.scalars(select(Region.source_id).where(Region.org_id == p.id)
                                .where(Region.level == "kecamatan").order_by(Region.source_id))
        out.append(PolsekGroup(code=p.code, name=p.name, kecamatan_codes=list(codes)))
    return out


def update_office(
    session: Session, *, org: Organisation, actor: User | None, name: str | None = None,
    address: str | None = None, phone: str | None = None, lat: float | None = None,
    lon: float | None = None,
) -> Organisation:
    """Rename a Polres/Polsek or set its office address, phone and position; audited."""
    changes: dict[str, Any] = {}
    if name is not None:
        if not name.strip():
            raise Invalid("Nama satuan tidak boleh kosong", field="name")
        changes["name"] = name.strip()
    if address is not None:
        changes["address"] = address.strip() or None
    if phone is not None:
        if phone.strip() and not re.fullmatch(r"[0-9+() -]{3,40}", phone.strip()):
            raise Invalid("Nomor telepon hanya boleh angka, spasi, +, -, ( dan )", field="phone")
        changes["phone"] = phone.strip() or None
    if (lat is None) != (lon is None):
        raise Invalid("Lintang dan bujur kantor diisi bersama", field="lat")
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Invalid("Posisi kantor di luar jangkauan lintang/bujur", field="lat")
        changes["lat"], changes["lon"] = lat, lon
    before = {k: getattr(org, k) for k in changes}
    for key, value in changes.items():
        setattr(org, key, value)
    session.flush()
    audit(session, action="org.update_office", target=org, actor=actor, org_path=org.path,
          detail={"before": before, "after": changes})
    after_commit_regions_changed(session)
    return org
