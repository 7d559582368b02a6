"""Patrol units: registration, status changes by staff, listing for the live map."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.capabilities import can
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.errors import Conflict, Invalid, NotFound
from siaga.events.service import record_event
from siaga.orgs.models import Organisation
from siaga.units.models import UNIT_KINDS, UNIT_STATUSES, Unit
from siaga.units.schemas import Position, UnitOut

_TRACKER_ID = re.compile(r"^[A-Za-z0-9._:@/-]{3,80}$")


def is_stale(*, kind: str, position_at: datetime | None, now: datetime) -> bool:
    """Whether a unit's last fix is too old to trust on the map (duty desks never move)."""
    if kind == "desk":
        return False
    if position_at is None:
        return True
    return now - position_at > timedelta(minutes=get_settings().gps_stale_minutes)


def shows_tracker(unit: Any, viewer: User | None) -> bool:
    """Only admins and the unit's own officer see its tracker id: it is all a fix needs."""
    return viewer is not None and (can(viewer.role, "units.administer")
                                   or unit.user_id == viewer.id)


def unit_out(unit: Unit, *, org_code: str | None, now: datetime | None = None,
             viewer: User | None = None) -> UnitOut:
    """The API form of a unit (the tracker id only for those who may see it)."""
    now = now or utcnow()
    position = None
    if unit.lat is not None and unit.lon is not None:
        position = Position(lat=unit.lat, lon=unit.lon, at=unit.position_at)
    return UnitOut(
        id=unit.id, callsign=unit.callsign, kind=unit.kind, status=unit.status,
        org_code=org_code, position=position, heading=unit.heading, speed_kmh=unit.speed_kmh,
        battery=unit.battery, stale=is_stale(kind=unit.kind, position_at=unit.position_at, now=now),
        status_changed_at=unit.status_changed_at,
        tracker_id=unit.tracker_id if shows_tracker(unit, viewer) else None,
        user_id=unit.user_id, crew=list(unit.crew or []), retired_at=unit.retired_at,
    )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def unit_payload(unit: Any, *, org_code: str | None, now: datetime) -> dict[str, Any]:
    """`unit_out(...).model_dump(mode="json")` without the model: the GPS hot path's event."""
    position = None
    if unit.lat is not None and unit.lon is not None:
        position = {"lat": unit.lat, "lon": unit.lon, "at": _iso(unit.position_at)}
    return {
        "id": unit.id, "callsign": unit.callsign, "kind": unit.kind, "status": unit.status,
        "org_code": org_code, "position": position, "heading": unit.heading,
        "speed_kmh": unit.speed_kmh, "battery": unit.battery,
        "stale": is_stale(kind=unit.kind, position_at=unit.position_at, now=now),
        # Live events reach every screen in the area: never the tracker id.
        "status_changed_at": _iso(unit.status_changed_at), "tracker_id": None,
        "user_id": unit.user_id, "crew": list(unit.crew or []),
        "retired_at": _iso(getattr(unit, "retired_at", None)),
    }


def unit_summary(session: Session, unit: Unit, viewer: User | None = None) -> UnitOut:
    """A unit with its organisation code, for responses (a viewer) and events (none)."""
    org = session.get(Organisation, unit.org_id)
    return unit_out(unit, org_code=org.code if org else None, viewer=viewer)


def publish_unit(session: Session, *, unit: Unit, type: str, **extra: Any) -> None:
    """Queue a unit event for live screens; it leaves after commit."""
    session.flush()
    record_event(session, type=type, org_path=unit.org_path,
                 payload={"unit": unit_summary(session, unit).model_dump(mode="json"), **extra})


def new_tracker_id() -> str:
    """A hard-to-guess tracker id: the OsmAnd protocol sends nothing else to prove identity."""
    return secrets.token_hex(16)  # 128 bits


def create_unit(
    session: Session,
    *,
    callsign: str,
    org: Organisation,
    kind: str = "car",
    tracker_id: str | None = None,
    crew: list[str] | None = None,
    user: User | None = None,
    actor: User | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> Unit:
    """Register a unit under an organisation; its GPS app will send `tracker_id`."""
    callsign = callsign.strip()
    if not callsign or len(callsign) > 40:
        raise Invalid("Tanda panggil wajib diisi (maksimal 40 karakter)", field="callsign")
    if kind not in UNIT_KINDS:
        raise Invalid(f"Jenis unit tidak dikenal: {kind}", field="kind")
    if tracker_id is not None and not _TRACKER_ID.match(tracker_id):
        raise Invalid("ID pelacak 3-80 karakter: huruf, angka, . _ : @ / -", field="tracker_id")
    if session.scalar(select(Unit.id).where(Unit.callsign == callsign)) is not None:
        raise Conflict(f"Tanda panggil sudah dipakai: {callsign}", field="callsign")
    if tracker_id is not None and session.scalar(
            select(Unit.id).where(Unit.tracker_id == tracker_id)) is not None:
        raise Conflict(f"ID pelacak sudah dipakai unit lain: {tracker_id}", field="tracker_id")
    now = utcnow()
    unit = Unit(
        callsign=callsign, kind=kind, status="available", org_id=org.id, org_path=org.path,
        tracker_id=tracker_id, user_id=user.id if user else None, crew=list(crew or []),
        # A position given at registration is the unit's base, not a GPS fix: no time.
        lat=lat, lon=lon, position_at=None,
        status_changed_at=now, created_at=now,
    )
    session.add(unit)
    try:
        session.flush()
    except IntegrityError as exc:
        # A concurrent registration won the race; the caller's transaction is spoiled anyway.
        raise Conflict("Tanda panggil atau ID pelacak sudah dipakai", field="callsign") from exc
    audit(session, action="unit.create", target=unit, actor=actor, org_path=unit.org_path,
          detail={"callsign": callsign, "kind": kind})
    publish_unit(session, unit=unit, type="unit.created")
    return unit


def set_unit_status(
    session: Session, *, unit: Unit, status: str, actor: User | None, note: str | None = None
) -> Unit:
    """Change a unit's status (operator, officer's phone or dispatch); audited and broadcast."""
    if status not in UNIT_STATUSES:
        raise Invalid(f"Status unit tidak dikenal: {status}", field="status")
    if unit.status == status:
        return unit
    previous = unit.status
    unit.status = status
    unit.status_changed_at = utcnow()
    audit(session, action="unit.status", target=unit, actor=actor, org_path=unit.org_path,
          detail={"from": previous, "to": status, "note": note})
    publish_unit(session, unit=unit, type="unit.status", previous=previous)
    return unit


def claim_unit(session: Session, *, unit: Unit, status: str, actor: User | None,
               note: str | None = None) -> Unit:
    """Take an available unit (dispatch): a conditional UPDATE, so two operators can never send
    the same unit twice; audited and broadcast like every status change."""
    if status not in UNIT_STATUSES:
        raise Invalid(f"Status unit tidak dikenal: {status}", field="status")
    now = utcnow()
    taken = session.execute(
        update(Unit).where(Unit.id == unit.id).where(Unit.status == "available")
        .values(status=status, status_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(unit)
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"{unit.callsign} tidak tersedia (status {unit.status})", field="unit_id")
    audit(session, action="unit.status", target=unit, actor=actor, org_path=unit.org_path,
          detail={"from": "available", "to": status, "note": note})
    publish_unit(session, unit=unit, type="unit.status", previous="available")
    return unit


def unit_for_staff(session: Session, *, staff: Staff, unit_id: int) -> Unit:
    """The unit if it belongs to the staff member's organisation."""
    unit = session.get(Unit, unit_id)
    if unit is None or not staff.sees(unit.org_path):
        raise NotFound("Unit tidak ditemukan", field="id")
    return unit


def list_units(
    session: Session, *, staff: Staff, status: str | None, kind: str | None, limit: int,
    offset: int, retired: bool = False,
) -> tuple[list[UnitOut], int]:
    """Units in the staff member's scope, by callsign, with their organisation codes."""
    query = select(Unit).where(Unit.org_path.startswith(staff.scope, autoescape=True))
    if not retired:
        query = query.where(Unit.retired_at.is_(None))
    if status:
        query = query.where(Unit.status == status)
    if kind:
        query = query.where(Unit.kind == kind)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.add_columns(Organisation.code)
        .join(Organisation, Organisation.id == Unit.org_id)
        .order_by(Unit.callsign).limit(limit).offset(offset)
    ).all()
    now = utcnow()
    return [unit_out(unit, org_code=code, now=now, viewer=staff.user)
            for unit, code in rows], int(total)


def officer_unit(session: Session, *, user: User) -> Unit:
    """The officer's own unit (their phone), created on first use; a patrol officer's phone
    is the car or motorbike they lead, so sharing from /petugas puts it on the map."""
    unit = session.scalar(select(Unit).where(Unit.user_id == user.id, Unit.kind == "officer")
                          .order_by(Unit.id).limit(1))
    if unit is not None:
        return unit
    led = session.scalar(select(Unit).where(Unit.user_id == user.id)
                         .where(Unit.kind.in_(("car", "motorbike")))
                         .where(Unit.retired_at.is_(None)).order_by(Unit.id).limit(1))
    if led is not None:
        return led
    if user.org_id is None:
        raise Invalid("Akun ini tidak terdaftar di satuan mana pun", field="org")
    org = session.get(Organisation, user.org_id)
    if org is None:
        raise Invalid("Satuan akun ini tidak ditemukan", field="org")
    callsign = user.username.upper()[:40]
    if session.scalar(select(Unit.id).where(Unit.callsign == callsign)) is not None:
        callsign = f"{callsign[:32]}-{user.id}"
    return create_unit(session, callsign=callsign, org=org, kind="officer", user=user,
                       actor=user, crew=[user.full_name])
