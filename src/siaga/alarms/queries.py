"""Listing alarms for staff: the queue (what still needs handling) and the searchable history."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from siaga.alarms.models import ACTIVE_STATUSES, FINAL_STATUSES, Alarm
from siaga.auth.staff import Staff
from siaga.devices.models import Device
from siaga.orgs.models import Region

MAX_ALARM_ID = 2**31 - 1


def list_alarms(
    session: Session, *, staff: Staff, status: str | None, limit: int, offset: int,
    q: str | None = None,
) -> tuple[list[Alarm], int]:
    """Alarms in the staff member's scope. "open": everything still to handle (a caller's
    cancel awaiting confirmation included), highest priority first, then oldest first;
    "history": closed and cancelled alarms, newest first, optionally matching `q`."""
    query = select(Alarm).where(Alarm.org_path.startswith(staff.scope, autoescape=True))
    order = (Alarm.created_at, Alarm.id)
    if status == "open":
        query = query.where(or_(Alarm.status.in_(ACTIVE_STATUSES),
                                Alarm.needs_cancel_confirmation.is_(True)))
        order = (Alarm.priority.desc(), Alarm.created_at, Alarm.id)  # type: ignore[assignment]
    elif status == "history":
        query = query.where(Alarm.status.in_(FINAL_STATUSES))
        query = query.where(Alarm.needs_cancel_confirmation.is_(False))
        if q and q.strip():
            query = query.where(_matching(q.strip()))
        order = (Alarm.created_at.desc(), Alarm.id.desc())  # type: ignore[assignment]
    elif status:
        query = query.where(Alarm.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return list(rows), int(total)


def _matching(text: str) -> ColumnElement[bool]:
    """Alarm id, the caller's name or phone, or the region's name containing `text`. Only a
    text that looks like a phone number (digits, spaces, + - ( ) .) is matched against phones,
    so a name holding digits does not find strangers whose number happens to contain them."""
    lowered = text.lower()
    digits = "".join(ch for ch in text if ch.isdigit())
    phone_like = all(ch.isdigit() or ch in " +-()." for ch in text)
    callers = select(Device.id).where(or_(
        func.lower(Device.name).contains(lowered, autoescape=True),
        *([Device.phone.contains(digits.lstrip("0"), autoescape=True)]
          if phone_like and len(digits) >= 4 else []),
    ))
    regions = select(Region.id).where(func.lower(Region.name).contains(lowered,
                                                                        autoescape=True))
    conditions: list[ColumnElement[bool]] = [Alarm.device_id.in_(callers),
                                             Alarm.region_id.in_(regions)]
    text_id = text.lstrip("#")
    # Only a number an alarm id can be (a 32-bit column on PostgreSQL): a phone number of 11
    # digits compared with it would be refused by the database instead of matching nothing.
    if text_id.isdigit() and int(text_id) <= MAX_ALARM_ID:
        conditions.append(Alarm.id == int(text_id))
    return or_(*conditions)
