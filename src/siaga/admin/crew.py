"""A unit's crew: the officers whose phones get its tasks (stored as their usernames)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.admin.scope import user_in_scope, user_org_path
from siaga.audit.service import audit
from siaga.auth.capabilities import can
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.errors import Conflict, Invalid, NotFound
from siaga.orgs.models import Organisation
from siaga.tracking.service import forget_units
from siaga.units.models import Unit
from siaga.units.service import publish_unit

MAX_CREW = 12
# The role whose phone (/petugas) receives a unit's tasks.
TASK_CAPABILITY = "live.own_tasks"


def _related(unit_path: str, officer_path: str) -> bool:
    # The unit's own organisation, one above it (a Polres officer in a Polsek car) or below.
    return unit_path.startswith(officer_path) or officer_path.startswith(unit_path)


def crew_candidates(session: Session, *, staff: Staff, unit: Unit) -> list[tuple[User, str]]:
    """Active officers of the unit's organisation (above or below it) not yet in its crew."""
    members = {str(m).strip().lower() for m in (unit.crew or [])}
    rows = session.execute(
        select(User, Organisation.path, Organisation.name)
        .join(Organisation, Organisation.id == User.org_id)
        .where(User.active.is_(True)).order_by(Organisation.path, User.full_name).limit(2000)
    ).all()
    return [(user, name) for user, path, name in rows
            if can(user.role, TASK_CAPABILITY) and user.username.lower() not in members
            and staff.sees(path) and _related(unit.org_path, path)]


def add_crew_member(session: Session, *, staff: Staff, unit: Unit, user_id: int) -> Unit:
    """Put an officer of the unit's organisation in its crew; audited and broadcast."""
    if unit.retired_at is not None:
        raise Conflict("Unit sudah dipensiunkan", field="id")
    officer = user_in_scope(session, staff=staff, user_id=user_id)
    path = user_org_path(session, officer)
    if not officer.active or path is None or not _related(unit.org_path, path):
        raise Invalid(f"{officer.full_name} bukan personel aktif satuan unit ini",
                      field="user_id")
    if not can(officer.role, TASK_CAPABILITY):
        raise Invalid(f"{officer.full_name} bukan petugas lapangan: tugas unit dikirim ke "
                      "HP petugas (/petugas)", field="user_id")
    crew = list(unit.crew or [])
    if officer.username.lower() in {str(m).strip().lower() for m in crew}:
        raise Conflict(f"{officer.full_name} sudah menjadi awak {unit.callsign}",
                       field="user_id")
    if len(crew) >= MAX_CREW:
        raise Invalid(f"Awak unit paling banyak {MAX_CREW} orang", field="user_id")
    unit.crew = [*crew, officer.username]
    _changed(session, staff=staff, unit=unit, action="unit.crew_add", before=crew,
             member=officer.username)
    return unit


def remove_crew_member(session: Session, *, staff: Staff, unit: Unit, member: str) -> Unit:
    """Take one entry (a username, or an older free-text name) out of the crew; audited."""
    if unit.retired_at is not None:
        raise Conflict("Unit sudah dipensiunkan", field="id")
    crew = list(unit.crew or [])
    wanted = member.strip().lower()
    kept = [m for m in crew if str(m).strip().lower() != wanted]
    if len(kept) == len(crew):
        raise NotFound(f"{member} bukan awak {unit.callsign}", field="member")
    unit.crew = kept
    _changed(session, staff=staff, unit=unit, action="unit.crew_remove", before=crew,
             member=member.strip())
    return unit


def _changed(session: Session, *, staff: Staff, unit: Unit, action: str, before: list[str],
             member: str) -> None:
    session.flush()
    audit(session, action=action, target=unit, actor=staff.user, org_path=unit.org_path,
          detail={"callsign": unit.callsign, "member": member,
                  "crew": [before, list(unit.crew or [])]})
    publish_unit(session, unit=unit, type="unit.updated")
    forget_units()
