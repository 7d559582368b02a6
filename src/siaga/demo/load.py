"""The demo tenants: Polres Malang Kota and Polres Tegal, with regions, staff and schools."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.auth.models import User
from siaga.auth.security import hash_password
from siaga.auth.service import create_user
from siaga.demo import places
from siaga.geo import slugify
from siaga.info.models import InfoItem
from siaga.intel.demo import load_intel_demo
from siaga.orgs.models import Organisation
from siaga.orgs.regions import read_kabupaten, spread_around, upsert_region
from siaga.orgs.service import create_org, regions_changed
from siaga.schools.models import School
from siaga.scorecard.demo import load_scorecard_demo
from siaga.units.demo import load_units_demo

DEMO_PASSWORD = "siaga-demo-2026"
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
    if session.scalar(select(User).where(User.username == username)) is None:
        create_user(session, username=username, password=DEMO_PASSWORD, role=role, org=org,
                    full_name=full_name, password_hash=_demo_password_hash(), **extra)  # type: ignore[arg-type]
    summary.users.append((username, role, org.code if org else "-"))


def _tenant(session: Session, summary: DemoSummary, *, polda: Organisation, polres_code: str,
            polres_name: str, province: str, kabupaten: str,
            centres: dict[str, tuple[float, float]], hq: dict[str, object],
            spread_m: float, officers_per_kelurahan: bool) -> dict[str, Organisation]:
    polres = _org(session, polres_code, polres_name, "polres", polda, float(hq["lat"]),  # type: ignore[arg-type]
                  float(hq["lon"]), str(hq["address"]))  # type: ignore[arg-type]
    data = read_kabupaten(province=province, kabupaten=kabupaten)
    kab_region = upsert_region(session, source_id=data.source_id, name=data.name,
                               level="kota" if data.name.startswith("Kota") else "kabupaten",
                               parent=None, lat=polres.lat, lon=polres.lon, org_id=polres.id)
    polseks: dict[str, Organisation] = {}
    for kec in data.kecamatan:
        lat, lon = centres[kec.name]
        polsek = _org(session, f"polsek-{slugify(kec.name)}", f"Polsek {kec.name}", "polsek",
                      polres, lat, lon, f"Kecamatan {kec.name}, {data.name}")
        polseks[kec.name] = polsek
        kec_region = upsert_region(session, source_id=kec.source_id, name=kec.name,
                                   level="kecamatan", parent=kab_region, lat=lat, lon=lon,
                                   org_id=polsek.id)
        for i, (source_id, name, postal) in enumerate(kec.kelurahan):
            klat, klon = spread_around(lat, lon, i, len(kec.kelurahan), spread_m)
            level = "kelurahan" if data.name.startswith("Kota") else "desa"
            region = upsert_region(session, source_id=source_id, name=name, level=level,
                                   parent=kec_region, lat=klat, lon=klon, org_id=polsek.id,
                                   postal_code=postal)
            summary.kelurahan += 1
            if officers_per_kelurahan:
                _user(session, summary, f"bhabin.{slugify(name)}", "petugas", polsek,
                      f"Bhabinkamtibmas {name}", region_id=region.id)
    summary.orgs += 1 + len(polseks)
    return polseks


def _schools(session: Session, summary: DemoSummary, polseks: dict[str, Organisation]) -> None:
    for name, level, kecamatan in places.TEGAL_SCHOOLS:
        if session.scalar(select(School).where(School.name == name)) is not None:
            continue
        lat, lon = places.TEGAL_KECAMATAN[kecamatan]
        session.add(School(name=name, level=level, org_id=polseks[kecamatan].id, lat=lat,
                           lon=lon, coords_approximate=True, aliases=[], brawl_prone=True,
                           dismissal_times={"default": "14:00"}))
        summary.schools += 1


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


def load_demo(session: Session) -> DemoSummary:
    """Create (or complete) the demo tenants; safe to run again."""
    summary = DemoSummary()
    jatim = _org(session, "polda-jatim", "Polda Jawa Timur", "polda", None)
    jateng = _org(session, "polda-jateng", "Polda Jawa Tengah", "polda", None)
    malang = _tenant(session, summary, polda=jatim, polres_code="polres-malang-kota",
                     polres_name="Polres Malang Kota", province="jawa timur",
                     kabupaten="Kota Malang", centres=places.MALANG_KECAMATAN,
                     hq=places.POLRES_MALANG_KOTA, spread_m=1300, officers_per_kelurahan=True)
    tegal = _tenant(session, summary, polda=jateng, polres_code="polres-tegal",
                    polres_name="Polres Tegal", province="jawa tengah",
                    kabupaten="Kabupaten Tegal", centres=places.TEGAL_KECAMATAN,
                    hq=places.POLRES_TEGAL, spread_m=2500, officers_per_kelurahan=False)
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
    regions_changed()
    load_scorecard_demo(session)
    load_intel_demo(session)
    return summary
