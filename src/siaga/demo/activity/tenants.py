"""Who and what the demo year's activity happens to: each Polres with its staff and places."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.auth.models import User
from siaga.auth.service import create_user
from siaga.auth.staff import Staff
from siaga.devices.service import register_device
from siaga.geo import slugify
from siaga.orgs.models import Organisation, Region
from siaga.units.models import Unit

MALANG = "polres-malang-kota"
TEGAL = "polres-tegal"


@dataclass(frozen=True)
class Place:
    """A kelurahan/desa: where alarms happen and Bhabinkamtibmas visit."""

    region_id: int
    name: str
    lat: float
    lon: float
    polsek_id: int


@dataclass(frozen=True)
class UnitRef:
    id: int
    callsign: str
    kind: str
    org_id: int
    lat: float
    lon: float
    tracker_id: str | None


@dataclass
class Tenant:
    """One demo Polres as the generator sees it."""

    code: str
    polres: Organisation
    polseks: dict[int, Organisation]
    places: list[Place]
    units: list[UnitRef]
    operator: Staff
    analyst: Staff
    leader: Staff
    officers: dict[int, User] = field(default_factory=dict)  # region id -> Bhabinkamtibmas
    devices: list[tuple[int, str]] = field(default_factory=list)  # (device id, token digest)

    def staff_for(self, user: User) -> Staff:
        org = self.polseks.get(user.org_id or 0, self.polres)
        return Staff(user, org.path)


def _user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def _ensure_user(session: Session, *, username: str, role: str, org: Organisation,
                 full_name: str, password_hash: str, region_id: int | None = None) -> User:
    found = _user(session, username)
    if found is not None:
        return found
    return create_user(session, username=username, password="siaga-demo-2026", role=role,
                       org=org, full_name=full_name, password_hash=password_hash,
                       region_id=region_id)


def read_geography(session: Session, polres: Organisation
                   ) -> tuple[dict[int, Organisation], list[Place], list[UnitRef]]:
    """The Polsek, kelurahan/desa and units of a Polres (read only)."""
    polseks = {o.id: o for o in session.scalars(
        select(Organisation).where(Organisation.parent_id == polres.id)
        .order_by(Organisation.code))}
    places = [Place(r.id, r.name, float(r.lat), float(r.lon), int(r.org_id))
              for r in session.scalars(select(Region).where(
                  Region.org_id.in_(list(polseks)), Region.level.in_(("kelurahan", "desa")))
                  .order_by(Region.id))
              if r.lat is not None and r.lon is not None and r.org_id is not None]
    # A unit's post is its organisation's office (where the demo parks it), not wherever its
    # last fix put it, so planning again after loading gives the same plan.
    posts = {polres.id: polres, **polseks}
    units = [UnitRef(u.id, u.callsign, u.kind, u.org_id, float(post.lat), float(post.lon),
                     u.tracker_id)
             for u in session.scalars(select(Unit).where(
                 Unit.org_path.startswith(polres.path)).order_by(Unit.id))
             if (post := posts.get(u.org_id)) is not None and post.lat is not None
             and post.lon is not None]
    return polseks, places, units


def load_tenant(session: Session, *, code: str, password_hash: str) -> Tenant | None:
    """The demo Polres `code` with its places, units and staff (extra demo staff created)."""
    polres = session.scalar(select(Organisation).where(Organisation.code == code))
    if polres is None:
        return None
    polseks, places, units = read_geography(session, polres)
    malang = code == MALANG
    operator = _user(session, "operator" if malang else "operator.tegal")
    leader = _user(session, "pimpinan" if malang else "pimpinan.tegal")
    analyst = _user(session, "analis") if not malang else _ensure_user(
        session, username="analis.malang", role="analis", org=polres,
        full_name="Analis Intelkam Polres Malang Kota", password_hash=password_hash)
    if operator is None or leader is None or analyst is None:
        return None
    tenant = Tenant(code, polres, polseks, places, units, Staff(operator, polres.path),
                    Staff(analyst, polres.path), Staff(leader, polres.path))
    tenant.officers = _officers(session, tenant, password_hash=password_hash)
    return tenant


def _officers(session: Session, tenant: Tenant, *, password_hash: str) -> dict[int, User]:
    """The Bhabinkamtibmas of each place: Malang's own, or Tegal's (one covers a few desa)."""
    by_region = {u.region_id: u for u in session.scalars(
        select(User).where(User.role == "petugas", User.region_id.is_not(None),
                           User.username.startswith("bhabin.")))
        if u.region_id is not None}
    out: dict[int, User] = {}
    for polsek_id, polsek in tenant.polseks.items():
        places = [p for p in tenant.places if p.polsek_id == polsek_id]
        # Tegal is short of personnel (442 of 965, the study): one officer per three desa.
        for i, place in enumerate(places):
            if place.region_id in by_region:
                out[place.region_id] = by_region[place.region_id]
                continue
            lead = places[i - i % 3]
            username = f"bhabin.{slugify(lead.name)}-{polsek.code.removeprefix('polsek-')}"
            out[place.region_id] = _ensure_user(
                session, username=username, role="petugas", org=polsek,
                full_name=f"Bhabinkamtibmas {lead.name}", password_hash=password_hash)
    return out


def register_citizens(session: Session, tenant: Tenant, *, rng: random.Random, count: int
                      ) -> None:
    """Citizens' phones that use the panic button and send tips (registered as /warga does)."""
    prefix = "0812" if tenant.code == MALANG else "0857"
    for n in range(count):
        phone = f"{prefix}{rng.randrange(10**7, 10**8)}"
        # No cancel PIN: each costs an argon2 hash, and no demo alarm is cancelled by a PIN.
        device, _token = register_device(session, phone=phone, name=f"Warga demo {n + 1}")
        tenant.devices.append((device.id, device.token_hash))
