"""Demo units: duty desks, patrol cars and motorbikes of Polres Malang Kota and Polres Tegal."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.geo import slugify
from siaga.orgs.models import Organisation
from siaga.units.models import Unit
from siaga.units.service import create_unit

POLRES_MALANG_KOTA = "polres-malang-kota"
POLRES_TEGAL = "polres-tegal"
MALANG_POLRES_CARS = 4


def _polseks(session: Session, polres: Organisation) -> list[Organisation]:
    return list(session.scalars(select(Organisation).where(Organisation.parent_id == polres.id)
                                .where(Organisation.level == "polsek")
                                .order_by(Organisation.code)))


def _unit(session: Session, org: Organisation, callsign: str, kind: str,
          tracker_id: str | None, *, at_base: bool) -> int:
    if session.scalar(select(Unit.id).where(Unit.callsign == callsign)) is not None:
        return 0
    if tracker_id and session.scalar(select(Unit.id).where(Unit.tracker_id == tracker_id)):
        tracker_id = None
    # Parked at its post: shown there, but with no GPS fix yet (so stale, except desks).
    create_unit(session, callsign=callsign, org=org, kind=kind, tracker_id=tracker_id,
                lat=org.lat if at_base else None, lon=org.lon if at_base else None)
    return 1


def patrol_crews(session: Session) -> list[tuple[Unit, str, str]]:
    """The demo patrol cars and motorbikes with the username and name of each one's officer."""
    out: list[tuple[Unit, str, str]] = []
    for code in (POLRES_MALANG_KOTA, POLRES_TEGAL):
        polres = session.scalar(select(Organisation).where(Organisation.code == code))
        if polres is None:
            continue
        units = session.scalars(
            select(Unit).where(Unit.org_path.startswith(polres.path, autoescape=True))
            .where(Unit.kind.in_(("car", "motorbike"))).where(Unit.retired_at.is_(None))
            .where(Unit.callsign.startswith("R4-") | Unit.callsign.startswith("R2-"))
            .order_by(Unit.callsign))
        for unit in units:
            out.append((unit, f"patroli.{unit.callsign.lower()}",
                        f"Bripda Patroli {unit.callsign}"))
    return out


def load_units_demo(session: Session) -> int:
    """Create the demo units that are missing; returns how many were added."""
    added = 0
    malang = session.scalar(select(Organisation).where(Organisation.code == POLRES_MALANG_KOTA))
    if malang is not None:
        for polsek in _polseks(session, malang):
            name = polsek.code.removeprefix("polsek-")
            upper = name.upper()
            added += _unit(session, polsek, f"PIKET-{upper}", "desk", None, at_base=True)
            added += _unit(session, polsek, f"R4-{upper}", "car", f"mlg-{name}-r4", at_base=True)
            added += _unit(session, polsek, f"R2-{upper}", "motorbike", f"mlg-{name}-r2",
                           at_base=True)
        for i in range(1, MALANG_POLRES_CARS + 1):
            added += _unit(session, malang, f"R4-MAKOTA-{i}", "car", f"mlg-polres-r4-{i}",
                           at_base=True)
    tegal = session.scalar(select(Organisation).where(Organisation.code == POLRES_TEGAL))
    if tegal is not None:
        for polsek in _polseks(session, tegal):
            name = slugify(polsek.code.removeprefix("polsek-"))
            added += _unit(session, polsek, f"R4-{name.upper()}", "car", f"tgl-{name}-r4",
                           at_base=True)
    session.flush()
    return added
