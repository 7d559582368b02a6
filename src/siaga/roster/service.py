"""Duty roster (piket): shifts per organisation, who sits at which desk, the supervisor on duty."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from siaga.admin.scope import user_in_scope, user_org_path
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.errors import Conflict, Invalid, NotFound
from siaga.orgs.models import Organisation
from siaga.roster.models import RosterDuty, RosterShift

MAX_SHIFT = timedelta(hours=48)
DUTY_ROLES = ("operator", "petugas", "pimpinan", "analis", "admin")


@dataclass(frozen=True)
class Duty:
    desk: str
    user: User


@dataclass(frozen=True)
class ShiftView:
    shift: RosterShift
    org: Organisation
    supervisor: User | None
    duties: list[Duty]


def _utc(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise Invalid("Waktu harus menyertakan zona waktu (mis. +07:00)", field=field)
    if not 2000 <= value.year <= 2999:
        raise Invalid("Tahun di luar jangkauan 2000-2999", field=field)
    return value.astimezone(UTC)


def _member(session: Session, *, staff: Staff, org: Organisation, user_id: int,
            field: str) -> User:
    user = user_in_scope(session, staff=staff, user_id=user_id)
    path = user_org_path(session, user)
    if not user.active:
        raise Invalid(f"Akun {user.username} dinonaktifkan", field=field)
    # Someone of this organisation, or of the command above it (a Polres officer at a Polsek).
    if path is not None and not (org.path.startswith(path) or path.startswith(org.path)):
        raise Invalid(f"{user.full_name} bukan personel {org.name}", field=field)
    return user


def create_shift(
    session: Session, *, staff: Staff, org: Organisation, starts_at: datetime,
    ends_at: datetime, supervisor_id: int | None, duties: list[tuple[str, int]], label: str = "",
) -> ShiftView:
    """Add one shift of an organisation with its desks and supervisor; shifts may not overlap."""
    start, end = _utc(starts_at, "starts_at"), _utc(ends_at, "ends_at")
    if end <= start:
        raise Invalid("Akhir piket harus sesudah mulainya", field="ends_at")
    if end - start > MAX_SHIFT:
        raise Invalid("Satu piket paling lama 48 jam", field="ends_at")
    if supervisor_id is None and not duties:
        raise Invalid("Isi perwira pengawas atau minimal satu petugas piket", field="duties")
    clash = session.scalar(
        select(RosterShift).where(RosterShift.org_id == org.id)
        .where(RosterShift.starts_at < end).where(RosterShift.ends_at > start).limit(1))
    if clash is not None:
        raise Conflict("Jadwal bertumpuk dengan piket lain di satuan ini", field="starts_at",
                       shift_id=clash.id)
    supervisor = (_member(session, staff=staff, org=org, user_id=supervisor_id,
                          field="supervisor_id") if supervisor_id is not None else None)
    members: list[Duty] = []
    for i, (desk, user_id) in enumerate(duties):
        desk = desk.strip()
        if not desk:
            raise Invalid(f"Nama pos baris {i + 1} wajib diisi", field="duties")
        members.append(Duty(desk, _member(session, staff=staff, org=org, user_id=user_id,
                                          field="duties")))
    shift = RosterShift(org_id=org.id, org_path=org.path, starts_at=start, ends_at=end,
                        supervisor_id=supervisor.id if supervisor else None,
                        label=label.strip(), created_by_id=staff.user.id)
    session.add(shift)
    session.flush()
    session.add_all([RosterDuty(shift_id=shift.id, desk=d.desk, user_id=d.user.id)
                     for d in members])
    session.flush()
    audit(session, action="roster.create", target=shift, actor=staff.user, org_path=org.path,
          detail={"org": org.code, "starts_at": start.isoformat(), "ends_at": end.isoformat(),
                  "supervisor": supervisor.username if supervisor else None,
                  "duties": [[d.desk, d.user.username] for d in members]})
    return ShiftView(shift, org, supervisor, members)


def delete_shift(session: Session, *, staff: Staff, shift_id: int) -> None:
    """Remove a shift and its desks, audited with what it held."""
    shift = session.get(RosterShift, shift_id)
    if shift is None or not staff.sees(shift.org_path):
        raise NotFound("Jadwal piket tidak ditemukan", field="shift_id")
    audit(session, action="roster.delete", target=shift, actor=staff.user,
          org_path=shift.org_path,
          detail={"starts_at": shift.starts_at.isoformat(), "ends_at": shift.ends_at.isoformat(),
                  "supervisor_id": shift.supervisor_id})
    session.execute(delete(RosterDuty).where(RosterDuty.shift_id == shift.id))
    session.delete(shift)
    session.flush()


def _views(session: Session, shifts: list[RosterShift]) -> list[ShiftView]:
    if not shifts:
        return []
    duties = session.execute(
        select(RosterDuty, User).join(User, User.id == RosterDuty.user_id)
        .where(RosterDuty.shift_id.in_([s.id for s in shifts])).order_by(RosterDuty.id)).all()
    by_shift: dict[int, list[Duty]] = {}
    for duty, user in duties:
        by_shift.setdefault(duty.shift_id, []).append(Duty(duty.desk, user))
    out = []
    for shift in shifts:
        org = session.get(Organisation, shift.org_id)
        assert org is not None
        supervisor = session.get(User, shift.supervisor_id) if shift.supervisor_id else None
        out.append(ShiftView(shift, org, supervisor, by_shift.get(shift.id, [])))
    return out


def list_shifts(session: Session, *, staff: Staff, since: datetime, until: datetime,
                org: Organisation | None = None) -> list[ShiftView]:
    """Shifts in scope overlapping [since, until), earliest first."""
    query = (select(RosterShift).where(RosterShift.org_path.startswith(staff.scope,
                                                                      autoescape=True))
             .where(RosterShift.ends_at > since).where(RosterShift.starts_at < until))
    if org is not None:
        query = query.where(RosterShift.org_id == org.id)
    shifts = session.scalars(query.order_by(RosterShift.starts_at, RosterShift.id)
                             .limit(500)).all()
    return _views(session, list(shifts))


def roster_now(session: Session, *, staff: Staff, at: datetime) -> list[ShiftView]:
    """Every shift in scope running at `at`, by organisation path."""
    shifts = session.scalars(
        select(RosterShift).where(RosterShift.org_path.startswith(staff.scope, autoescape=True))
        .where(RosterShift.starts_at <= at).where(RosterShift.ends_at > at)
        .order_by(RosterShift.org_path, RosterShift.starts_at)).all()
    return _views(session, list(shifts))


def _shift_at(session: Session, *, org_id: int, at: datetime) -> RosterShift | None:
    return session.scalar(
        select(RosterShift).where(RosterShift.org_id == org_id)
        .where(RosterShift.starts_at <= at).where(RosterShift.ends_at > at)
        .order_by(RosterShift.starts_at.desc(), RosterShift.id.desc()).limit(1))


def on_duty(session: Session, *, org_id: int, at: datetime) -> list[Duty]:
    """Who sits at which desk of this organisation at `at` (empty when no shift is planned)."""
    shift = _shift_at(session, org_id=org_id, at=at)
    if shift is None:
        return []
    return _views(session, [shift])[0].duties


def supervisor_on_duty(session: Session, *, org_id: int, at: datetime) -> User | None:
    """The supervising officer (Pa Siaga) on duty for this organisation, else for the commands
    above it; None when no shift names one."""
    current: int | None = org_id
    while current is not None:
        shift = _shift_at(session, org_id=current, at=at)
        if shift is not None and shift.supervisor_id is not None:
            user = session.get(User, shift.supervisor_id)
            if user is not None and user.active:
                return user
        org = session.get(Organisation, current)
        current = org.parent_id if org else None
    return None


def rostered_duty(session: Session, *, user_ids: list[int], at: datetime,
                  horizon: timedelta = timedelta(hours=24)) -> dict[int, datetime | None]:
    """For each of these officers the roster names (at a desk or as supervisor) in a shift
    within `horizon` of `at`: the start of the shift they are on at `at`, or None when they
    are rostered but off duty then. Officers the roster does not name are left out."""
    if not user_ids:
        return {}
    shifts = session.execute(
        select(RosterShift.starts_at, RosterShift.ends_at, RosterShift.supervisor_id,
               RosterDuty.user_id)
        .outerjoin(RosterDuty, RosterDuty.shift_id == RosterShift.id)
        .where(RosterShift.ends_at > at - horizon).where(RosterShift.starts_at < at + horizon)
        .where((RosterDuty.user_id.in_(user_ids)) | (RosterShift.supervisor_id.in_(user_ids)))
    ).all()
    wanted = set(user_ids)
    found: dict[int, datetime | None] = {}
    for starts_at, ends_at, supervisor_id, duty_user in shifts:
        running = starts_at <= at < ends_at
        for user_id in {u for u in (supervisor_id, duty_user) if u is not None} & wanted:
            known = found.get(user_id)
            if running:
                found[user_id] = starts_at if known is None else min(known, starts_at)
            else:
                found.setdefault(user_id, None)
    return found
