"""Closing an alarm with its outcome, flagging prank devices, and blocking devices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.alarms import lifecycle
from siaga.alarms.models import ACTIVE_STATUSES, FINAL_STATUSES, Alarm, AlarmEvent
from siaga.alarms.publish import publish_alarm
from siaga.alarms.service import alarm_for_staff
from siaga.audit.service import audit
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.devices.models import Device
from siaga.dispatch.crime_types import crime_types
from siaga.dispatch.models import AlarmClosure
from siaga.errors import Conflict, Invalid

COUNTED_OUTCOMES = ("false_alarm", "prank")


def _check_outcome(outcome: str, category: str | None, crime_type: str | None
                   ) -> tuple[str | None, str | None]:
    if crime_type is not None:
        if crime_type not in {c.code for c in crime_types()}:
            raise Invalid(f"Jenis kejahatan tidak dikenal: {crime_type}", field="crime_type")
        if category not in (None, "crime"):
            raise Invalid("Jenis kejahatan hanya untuk kategori crime", field="crime_type")
        category = "crime"
    if outcome != "genuine":
        if category is not None:
            raise Invalid("Kategori hanya untuk alarm yang benar (genuine)", field="category")
        return None, None
    if category is None:
        raise Invalid("Pilih kategori: crime, medical, fire atau other", field="category")
    if category == "crime" and crime_type is None:
        raise Invalid("Pilih jenis kejahatan", field="crime_type")
    return category, crime_type


def close_alarm(
    session: Session, *, staff: Staff, alarm_id: int, outcome: str, category: str | None,
    crime_type: str | None, note: str | None, now: datetime | None = None,
) -> Alarm:
    """Close an alarm with its outcome; a device's third false alarm or prank flags it. Alarms
    an operator merged into it (one emergency) are closed with it, with the same outcome."""
    now = now or utcnow()
    alarm = alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    if alarm.status in FINAL_STATUSES:
        raise Conflict(f"Alarm sudah {alarm.status}", field="status")
    category, crime_type = _check_outcome(outcome, category, crime_type)
    _close_one(session, alarm=alarm, staff=staff, outcome=outcome, category=category,
               crime_type=crime_type, note=note, now=now)
    for merged in _merged_into(session, alarm=alarm, staff=staff):
        _close_one(session, alarm=merged, staff=staff, outcome=outcome, category=category,
                   crime_type=crime_type, note=note, now=now, with_alarm=alarm)
    return alarm


def _merged_into(session: Session, *, alarm: Alarm, staff: Staff) -> list[Alarm]:
    """Active alarms merged into this one, directly or through another merged alarm, that the
    staff member may handle (one outside their scope stays open for its own command)."""
    found: list[Alarm] = []
    targets = [alarm.id]
    while targets:
        rows = [a for a in session.scalars(
            select(Alarm).where(Alarm.merged_into_id.in_(targets)).order_by(Alarm.id))
            if a not in found and a is not alarm]
        found.extend(rows)
        targets = [a.id for a in rows]
    return [a for a in found if a.status in ACTIVE_STATUSES and staff.sees(a.org_path)]


def _close_one(session: Session, *, alarm: Alarm, staff: Staff, outcome: str,
               category: str | None, crime_type: str | None, note: str | None, now: datetime,
               with_alarm: Alarm | None = None) -> None:
    session.add(AlarmClosure(alarm_id=alarm.id, outcome=outcome, category=category,
                             crime_type=crime_type, note=note, closed_by_id=staff.user.id,
                             closed_at=now))
    try:
        session.flush()
    except IntegrityError as exc:  # closed at the same moment by someone else
        raise Conflict("Alarm sudah ditutup", field="status") from exc
    lifecycle.close(session, alarm=alarm, actor=staff.user, outcome=outcome,
                    detail=crime_type or category, now=now)
    data: dict[str, object] = {"outcome": outcome, "category": category,
                               "crime_type": crime_type}
    if with_alarm is not None:
        data["with_alarm_id"] = with_alarm.id
    line = note if with_alarm is None else (
        f"Ditutup bersama alarm #{with_alarm.id}" + (f": {note}" if note else ""))[:500]
    session.add(AlarmEvent(alarm_id=alarm.id, type="closed", at=now, actor_user_id=staff.user.id,
                           note=line, data=data))
    audit(session, action="alarm.close", target=alarm, actor=staff.user, org_path=alarm.org_path,
          detail=data)
    if outcome in COUNTED_OUTCOMES:
        _count_false_alarm(session, alarm=alarm, staff=staff)
    publish_alarm(session, alarm=alarm, type="alarm.closed")


def _count_false_alarm(session: Session, *, alarm: Alarm, staff: Staff) -> None:
    # Atomic increments so two operators closing two pranks at once both count.
    session.execute(update(Device).where(Device.id == alarm.device_id)
                    .values(false_alarm_count=Device.false_alarm_count + 1)
                    .execution_options(synchronize_session=False))
    threshold = get_settings().false_alarms_to_flag
    flagged = session.execute(
        update(Device).where(Device.id == alarm.device_id).where(Device.flagged.is_(False))
        .where(Device.false_alarm_count >= threshold).values(flagged=True)
        .execution_options(synchronize_session=False)
    )
    device = session.get(Device, alarm.device_id)
    if device is not None:
        session.refresh(device)
    if flagged.rowcount == 1 and device is not None:  # type: ignore[attr-defined]
        audit(session, action="device.flag", target=device, actor=staff.user,
              device_id=device.id, org_path=alarm.org_path,
              detail={"false_alarm_count": device.false_alarm_count, "alarm_id": alarm.id})
