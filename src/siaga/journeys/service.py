"""Journeys: start, follow the last positions, end safely (track deleted) or in an alarm."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from siaga.alarms import lifecycle
from siaga.alarms.models import ACTIVE_STATUSES
from siaga.alarms.publish import publish_alarm
from siaga.alarms.service import alarm_for_device
from siaga.audit.service import audit
from siaga.devices.models import Device
from siaga.errors import Conflict, Invalid, NotFound
from siaga.journeys.models import Journey, JourneyPosition
from siaga.orm import utcnow

KEPT_POSITIONS = 20
MAX_DURATION = timedelta(hours=4)
# A phone's clock may run a little ahead; a fix further in the future is refused.
CLOCK_SLACK = timedelta(minutes=5)


def start_journey(session: Session, *, device: Device, minutes: int | None,
                  expected_end_at: datetime | None, dest_lat: float | None,
                  dest_lon: float | None, dest_label: str | None) -> Journey:
    """Start a journey; a running one of this phone ends (its track deleted) first."""
    now = utcnow()
    end = now + timedelta(minutes=minutes) if minutes is not None else expected_end_at
    if end is None or end <= now:
        raise Invalid("Waktu tiba harus di masa depan", field="expected_end_at")
    if end - now > MAX_DURATION:
        raise Invalid("Perjalanan paling lama 4 jam", field="expected_end_at")
    for running in session.scalars(select(Journey).where(
            Journey.device_id == device.id, Journey.status == "active")):
        _end(session, journey=running, status="safe", now=now)
    label = (dest_label or "").strip() or None
    journey = Journey(device_id=device.id, status="active", started_at=now, expected_end_at=end,
                      dest_lat=dest_lat, dest_lon=dest_lon, dest_label=label)
    session.add(journey)
    session.flush()
    audit(session, action="journey.start", target=journey, actor=None, device_id=device.id)
    return journey


def journey_for_device(session: Session, *, device: Device, journey_id: int) -> Journey:
    """The phone's own journey; another phone's is as good as missing (404)."""
    journey = session.get(Journey, journey_id)
    if journey is None or journey.device_id != device.id:
        raise NotFound("Perjalanan tidak ditemukan", field="journey_id")
    return journey


def add_position(session: Session, *, device: Device, journey_id: int, lat: float, lon: float,
                 accuracy_m: float | None, fix_at: datetime | None) -> Journey:
    """Keep a position of a running journey; only the last KEPT_POSITIONS stay."""
    journey = _running(session, device=device, journey_id=journey_id)
    now = utcnow()
    measured = fix_at or now
    if measured > now + CLOCK_SLACK:
        raise Invalid("Waktu posisi ada di masa depan; periksa jam HP", field="fix_at")
    session.add(JourneyPosition(journey_id=journey.id, lat=lat, lon=lon, accuracy_m=accuracy_m,
                                fix_at=measured))
    session.flush()
    keep = select(JourneyPosition.id).where(JourneyPosition.journey_id == journey.id).order_by(
        JourneyPosition.fix_at.desc(), JourneyPosition.id.desc()).limit(KEPT_POSITIONS)
    session.execute(delete(JourneyPosition).where(
        JourneyPosition.journey_id == journey.id,
        JourneyPosition.id.not_in(keep.scalar_subquery())))
    return journey


def check_in(session: Session, *, device: Device, journey_id: int) -> Journey:
    """The citizen arrived safely: the journey ends and its track is deleted."""
    journey = _running(session, device=device, journey_id=journey_id)
    _end(session, journey=journey, status="safe", now=utcnow())
    audit(session, action="journey.check_in", target=journey, actor=None, device_id=device.id)
    return journey


def raise_alarm(session: Session, *, device: Device, journey_id: int, alarm_id: int) -> Journey:
    """The journey ended in the phone's alarm: its recent positions become the caller's."""
    journey = _running(session, device=device, journey_id=journey_id)
    alarm = alarm_for_device(session, device=device, alarm_id=alarm_id)
    if alarm.status not in ACTIVE_STATUSES:
        raise Conflict("Alarm sudah selesai; posisi perjalanan tidak dilampirkan",
                       field="alarm_id")
    now = utcnow()
    positions = list(session.scalars(select(JourneyPosition).where(
        JourneyPosition.journey_id == journey.id).order_by(JourneyPosition.fix_at)))
    for p in positions:
        lifecycle.set_position(session, alarm=alarm, lat=p.lat, lon=p.lon,
                               accuracy_m=p.accuracy_m, fix_at=p.fix_at, now=now)
    lifecycle.note(session, alarm=alarm, type="journey", now=now, by_citizen=True,
                   text=f"Perjalanan \"Antar Aku\" tidak selesai tepat waktu; "
                        f"{len(positions)} posisi terakhir dilampirkan",
                   data={"journey_id": journey.id, "positions": len(positions)})
    journey.alarm_id = alarm.id
    _end(session, journey=journey, status="alarm", now=now)
    audit(session, action="journey.alarm", target=journey, actor=None, device_id=device.id,
          org_path=alarm.org_path, detail={"alarm_id": alarm.id})
    publish_alarm(session, alarm=alarm, type="alarm.location")
    return journey


def positions_kept(session: Session, *, journey: Journey) -> int:
    """How many positions of the journey are stored."""
    return session.scalar(select(func.count()).select_from(JourneyPosition).where(
        JourneyPosition.journey_id == journey.id)) or 0


def _running(session: Session, *, device: Device, journey_id: int) -> Journey:
    journey = journey_for_device(session, device=device, journey_id=journey_id)
    if journey.status != "active":
        raise Conflict("Perjalanan sudah selesai", field="status")
    return journey


def _end(session: Session, *, journey: Journey, status: str, now: datetime) -> None:
    # An ended journey keeps no track: the alarm (if any) holds the positions it needs.
    session.execute(delete(JourneyPosition).where(JourneyPosition.journey_id == journey.id))
    journey.status = status
    journey.ended_at = now
    session.flush()
