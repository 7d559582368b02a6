"""The demo tenants: Polres Malang Kota and Polres Tegal on their real village boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.auth.models import User
from siaga.auth.security import hash_password
from siaga.auth.service import create_user
from siaga.demo import places
from siaga.demo.activity import ActivitySummary, load_activity
from siaga.geo import slugify
from siaga.info.models import InfoItem
from siaga.intel.demo import load_intel_demo
from siaga.orgs.boundaries import import_boundaries, read_boundaries
from siaga.orgs.models import Organisation, Region
from siaga.orgs.onboarding import link_kecamatan
from siaga.orgs.service import create_org, regions_changed
from siaga.schools.models import School
from siaga.scorecard.demo import load_scorecard_demo
from siaga.units.demo import load_units_demo, patrol_crews

DEMO_PASSWORD = "siaga-demo-2026"
# Real village boundaries of both tenants, shipped with their licence and source note.
BOUNDARIES = Path(__file__).parent / "boundaries"
_demo_hash: str | None = None


def _demo_password_hash() -> str:
    # Hashing once keeps loading 60+ demo accounts fast; argon2 is slow on purpose.
    global _demo_hash
    if _demo_hash is None:
        _demo_hash = hash_password(DEMO_PASSWORD)
    return _demo_hash


@dataclass
class DemoSummary:
    orgs: int = 0
    kelurahan: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)
    schools: int = 0
    activity: ActivitySummary | None = None


def _org(session: Session, code: str, name: str, level: str, parent: Organisation | None,
         lat: float | None = None, lon: float | None = None, address: str | None = None
         ) -> Organisation:
    found = session.scalar(select(Organisation).where(Organisation.code == code))
    if found is not None:
        return found
    return create_org(session, code=code, name=name, level=level, parent=parent, lat=lat,
                      lon=lon, address=address)


def _user(session: Session, summary: DemoSummary, username: str, role: str,
          org: Organisation | None, full_name: str, **extra: object) -> None:
    found = session.scalar(select(User).where(User.username == username))
    if found is None:
        create_user(session, username=username, password=DEMO_PASSWORD, role=role, org=org,
                    full_name=full_name, password_hash=_demo_password_hash(), **extra)  # type: ignore[arg-type]
    elif found.phone is None and extra.get("phone"):
        found.phone = str(extra["phone"])  # a database loaded before the demo had phones
    summary.users.append((username, role, org.code if org else "-"))


@dataclass(frozen=True)
class Tenant:
    polres_code: str
    polres_name: str
    boundary_file: str
    hq: dict[str, object]
    officers_per_village: bool
    # Demo numbers in the tenant's own area code; the citizen's info menu shows them.
    area_code: str
    mobile_prefix: str


MALANG = Tenant("polres-malang-kota", "Polres Malang Kota", "kota_malang_kelurahan.geojson",
                places.POLRES_MALANG_KOTA, officers_per_village=True, area_code="0341",
                mobile_prefix="08123341")
TEGAL = Tenant("polres-tegal", "Polres Tegal", "kabupaten_tegal_desa.geojson",
               places.POLRES_TEGAL, officers_per_village=False, area_code="0283",
               mobile_prefix="08123283")


def _tenant(session: Session, summary: DemoSummary, *, polda: Organisation,
            tenant: Tenant) -> dict[str, Organisation]:
    """One Polres on its real map: boundaries imported, a Polsek per kecamatan linked to it."""
    villages, _ = read_boundaries(BOUNDARIES / tenant.boundary_file)
    import_boundaries(session, villages=villages)
    kab = session.scalar(select(Region).where(Region.source_id == villages[0].kabkota_code))
    assert kab is not None
    polres = _org(session, tenant.polres_code, tenant.polres_name, "polres", polda,
                  float(tenant.hq["lat"]), float(tenant.hq["lon"]),  # type: ignore[arg-type]
                  str(tenant.hq["address"]))
    kab.org_id = polres.id
    polseks: dict[str, Organisation] = {}
    kecamatan = session.scalars(select(Region).where(Region.parent_id == kab.id)
                                .where(Region.level == "kecamatan").order_by(Region.name))
    for kec in kecamatan:
        # A database loaded by an earlier demo keeps its Polsek (found through the kecamatan).
        linked = session.get(Organisation, kec.org_id) if kec.org_id else None
        polsek = linked if linked is not None and linked.level == "polsek" else _org(
            session, f"polsek-{slugify(kec.name)}", f"Polsek {kec.name}", "polsek", polres,
            kec.lat, kec.lon, f"Kecamatan {kec.name}, {kab.name}")
        link_kecamatan(session, polsek=polsek, kecamatan=[kec])
        if polsek.phone is None:
            polsek.phone = f"{tenant.area_code}-35{len(polseks) + 1:04d}"
        polseks[kec.name] = polsek
        for village in session.scalars(select(Region).where(Region.parent_id == kec.id)
                                       .order_by(Region.source_id)):
            summary.kelurahan += 1
            if tenant.officers_per_village:
                # The demo's log-ins keep the spelling they were first published with.
                known_as = places.OFFICER_SPELLING.get(village.name, village.name)
                _user(session, summary, f"bhabin.{slugify(known_as)}", "petugas", polsek,
                      f"Bhabinkamtibmas {known_as}", region_id=village.id,
                      phone=f"{tenant.mobile_prefix}{summary.kelurahan:04d}")
    summary.orgs += 1 + len(polseks)
    return polseks


def _schools(session: Session, summary: DemoSummary, polseks: dict[str, Organisation]) -> None:
    for name, level, kecamatan in places.TEGAL_SCHOOLS:
        if session.scalar(select(School).where(School.name == name)) is not None:
            continue
        # Only the kecamatan is known: the school stands at a point inside it, marked approximate.
        kec = session.scalar(select(Region).where(Region.level == "kecamatan")
                             .where(Region.org_id == polseks[kecamatan].id))
        assert kec is not None and kec.lat is not None and kec.lon is not None
        session.add(School(name=name, level=level, org_id=polseks[kecamatan].id, lat=kec.lat,
                           lon=kec.lon, coords_approximate=True, aliases=[], brawl_prone=True,
                           dismissal_times={"default": "14:00"}))
        summary.schools += 1


def _crews(session: Session, summary: DemoSummary) -> None:
    """Each patrol unit's officer: an account for /petugas that gets the unit's tasks."""
    for unit, username, full_name in patrol_crews(session):
        org = session.get(Organisation, unit.org_id)
        _user(session, summary, username, "petugas", org, full_name)
        officer = session.scalar(select(User).where(User.username == username))
        if officer is not None and not unit.crew and unit.user_id is None:
            unit.crew, unit.user_id = [officer.username], officer.id


HOTLINES = [
    ("Polisi (Call Center Polri)", "110", "Gratis, 24 jam. Untuk kejahatan dan keadaan darurat."),
    ("Nomor darurat terpadu", "112", "Darurat umum: polisi, ambulans, pemadam kebakaran."),
    ("Pemadam kebakaran", "113", "Kebakaran dan penyelamatan."),
    ("Ambulans (SPGDT)", "119", "Gawat darurat medis."),
    ("Basarnas", "115", "Pencarian dan pertolongan."),
]
TIPS = [
    ("Tekan Bantuan tiga kali",
     "Tombol Bantuan baru mengirim alarm setelah ditekan 3 kali dalam 3 detik. Tetap di "
     "tempat aman dan biarkan HP menyala agar petugas bisa menemukan Anda."),
    ("Kunci ganda kendaraan",
     "Pencurian sepeda motor paling sering terjadi di Kota Malang. Pakai kunci ganda dan parkir "
     "di tempat terang atau berpenjaga, terutama di sekitar kampus dan kos."),
    ("Kenali Bhabinkamtibmas Anda",
     "Setiap kelurahan punya petugas Bhabinkamtibmas. Simpan nomornya untuk laporan yang "
     "tidak darurat."),
    ("Jangan main-main dengan alarm",
     "Laporan palsu menghambat pertolongan bagi orang lain dan dapat dipidana (UU ITE pasal 28)."),
]


def _info(session: Session) -> None:
    if session.scalar(select(InfoItem).limit(1)) is not None:
        return
    for i, (title, phone, body) in enumerate(HOTLINES):
        session.add(InfoItem(kind="hotline", title=title, phone=phone, body=body, position=i))
    for i, (title, body) in enumerate(TIPS):
        session.add(InfoItem(kind="tip", title=title, body=body, position=i))


def load_demo(session: Session, *, activity: bool = True) -> DemoSummary:
    """Create (or complete) the demo tenants; safe to run again."""
    summary = DemoSummary()
    jatim = _org(session, "polda-jatim", "Polda Jawa Timur", "polda", None)
    jateng = _org(session, "polda-jateng", "Polda Jawa Tengah", "polda", None)
    malang = _tenant(session, summary, polda=jatim, tenant=MALANG)
    tegal = _tenant(session, summary, polda=jateng, tenant=TEGAL)
    polres_malang = malang["Klojen"].parent_id
    polres_tegal = tegal["Slawi"].parent_id
    malang_org = session.get(Organisation, polres_malang)
    tegal_org = session.get(Organisation, polres_tegal)
    _user(session, summary, "admin", "admin", None, "Admin Siaga")
    _user(session, summary, "operator", "operator", malang_org, "Operator MCC Malang Kota")
    _user(session, summary, "operator.klojen", "operator", malang["Klojen"],
          "Operator Polsek Klojen")
    _user(session, summary, "pimpinan", "pimpinan", malang_org, "Kabagops Polres Malang Kota")
    _user(session, summary, "operator.tegal", "operator", tegal_org, "Operator Polres Tegal")
    _user(session, summary, "analis", "analis", tegal_org, "Analis Intelkam Polres Tegal")
    _user(session, summary, "pimpinan.tegal", "pimpinan", tegal_org, "Kapolres Tegal")
    _user(session, summary, "petugas.slawi", "petugas", tegal["Slawi"], "Bripka Petugas Slawi")
    _schools(session, summary, tegal)
    _info(session)
    load_units_demo(session)
    session.flush()
    _crews(session, summary)
    regions_changed()
    load_scorecard_demo(session)
    load_intel_demo(session)
    if activity:
        summary.activity = load_activity(session, password_hash=_demo_password_hash())
    return summary
