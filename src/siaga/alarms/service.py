"""Alarm intake, location updates, cancellation and acknowledgement: one action per write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.alarms.models import ACTIVE_STATUSES, Alarm, AlarmEvent, AlarmLocation
from siaga.alarms.schemas import AlarmSummary
from siaga.alarms.serialize import alarm_summary
from siaga.audit.service import audit, audit_row, write_audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.db import execute_write, table_of, utcnow
from siaga.devices.models import Device
from siaga.devices.service import check_pin
from siaga.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from siaga.events.service import NewEvent, record_event, record_events
from siaga.orgs.service import Location, locate
from siaga.ratelimit import RateLimiter, hit_within

LOOPBACK = frozenset({"127.0.0.1", "::1"})
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_ALARM_AGE = timedelta(hours=24)
# Farther than this from every known kelurahan/desa centre the nearest one is a guess, not a
# place: the alarm keeps no kelurahan ("di luar wilayah" on /ops) but still goes to the nearest
# command, whose operators must see it and pass it on; a real alarm is never left unseen.
OUT_OF_AREA_M = 25_000.0
WRONG_PINS_PER_ALARM = 5
WRONG_PIN_WINDOW_S = 15 * 60
_limiters: dict[str, RateLimiter] = {}
_wrong_pins = RateLimiter(limit=WRONG_PINS_PER_ALARM, window_s=WRONG_PIN_WINDOW_S,
                          name="siaga.alarms.service:wrong-cancel-pin")


class WrongPin(Forbidden):
    """A wrong cancel PIN: refused, but the attempt is counted and audited (kept on commit)."""


class TooManyWrongPins(TooManyRequests):
    """Cancelling is locked after too many wrong PINs; the refusal is audited (kept on commit)."""


def _limiter(name: str, limit: int) -> RateLimiter:
    if name not in _limiters:
        _limiters[name] = RateLimiter(limit=limit, window_s=60)
    return _limiters[name]


def _sane_time(value: datetime | None, *, field: str) -> datetime:
    now = utcnow()
    if value is None:
        return now
    if value.tzinfo is None:
        raise Invalid("Waktu harus menyertakan zona waktu (mis. 2026-11-22T10:00:00+07:00)",
                      field=field)
    if value > now + MAX_CLOCK_SKEW:
        raise Invalid("Waktu berada di masa depan", field=field)
    if value < now - MAX_ALARM_AGE:
        raise Invalid("Waktu lebih dari 24 jam yang lalu", field=field)
    return value


def _touch(alarm: Alarm) -> None:
    alarm.version += 1
    alarm.updated_at = utcnow()


def publish_alarm(session: Session, *, alarm: Alarm, type: str, **extra: Any) -> None:
    """Queue an alarm event for live screens; it leaves after commit."""
    session.flush()
    record_event(session, type=type, org_path=alarm.org_path,
                 payload={"alarm": alarm_summary(session, alarm).model_dump(mode="json"), **extra})


@dataclass(frozen=True, slots=True)
class NewAlarm:
    """One citizen's alarm as it arrived: the device's token digest and the checked body."""

    token_digest: str
    client_id: str
    lat: float
    lon: float
    accuracy_m: float | None
    triggered_at: datetime | None
    kind: str
    client_ip: str


class AlarmOutcome(NamedTuple):
    summary: AlarmSummary
    created: bool


def create_alarms(session: Session, *, alarms: list[NewAlarm]
                  ) -> list[AlarmOutcome | DomainError]:
    """Store citizens' alarms, each once per client id; per alarm its outcome, or the error that
    refuses that alarm alone."""
    try:
        return _create_alarms(session, alarms)
    except IntegrityError:
        # Another worker committed one of these client ids after we looked; the second look
        # finds its alarm (rate-limit hits of the first attempt were taken back on rollback).
        session.rollback()
        return _create_alarms(session, alarms)


def _create_alarms(session: Session, alarms: list[NewAlarm]
                   ) -> list[AlarmOutcome | DomainError]:
    devices = {d.token_hash: d for d in session.scalars(
        select(Device).where(Device.token_hash.in_({a.token_digest for a in alarms})))}
    known = {a.client_id: a for a in session.scalars(
        select(Alarm).where(Alarm.client_id.in_({a.client_id for a in alarms})))}
    admitted: list[tuple[Alarm, bool] | DomainError] = []
    fresh: list[tuple[Alarm, Device, Location]] = []
    for new in alarms:
        try:
            admitted.append(_admit(session, new, devices=devices, known=known, fresh=fresh))
        except DomainError as exc:
            admitted.append(exc)
    session.flush()  # the new alarms get their ids (nothing to do when there are none)
    summaries = {item[0]: alarm_summary(session, item[0])
                 for item in admitted if not isinstance(item, DomainError)}
    if fresh:
        _write_new_alarms(session, fresh, summaries)
    return [item if isinstance(item, DomainError) else AlarmOutcome(summaries[item[0]], item[1])
            for item in admitted]


def _admit(session: Session, new: NewAlarm, *, devices: dict[str, Device],
           known: dict[str, Alarm], fresh: list[tuple[Alarm, Device, Location]]
           ) -> tuple[Alarm, bool]:
    """The alarm this request stands for, and whether it is new (added to the session)."""
    device = devices.get(new.token_digest)
    if device is None:
        raise Unauthorized("Token perangkat tidak valid; daftarkan ulang perangkat")
    earlier = known.get(new.client_id)
    if earlier is not None:
        return _same_sender(earlier, device), False
    _check_sender(session, device, new.client_ip)
    when = _sane_time(new.triggered_at, field="triggered_at")
    place = _place(session, lat=new.lat, lon=new.lon)
    alarm = Alarm(
        client_id=new.client_id, device_id=device.id, kind=new.kind, status="open",
        lat=new.lat, lon=new.lon, accuracy_m=new.accuracy_m, org_id=place.org_id,
        org_path=place.org_path, region_id=place.region_id, distance_to_region_m=place.distance_m,
        triggered_at=when, device_flagged=device.flagged, version=1,
    )
    session.add(alarm)
    known[new.client_id] = alarm
    fresh.append((alarm, device, place))
    return alarm, True


def _place(session: Session, *, lat: float, lon: float) -> Location:
    """Where the alarm belongs; far from every kelurahan it has no kelurahan of its own."""
    place = locate(session, lat=lat, lon=lon)
    if place.distance_m is not None and place.distance_m > OUT_OF_AREA_M:
        return Location(None, None, place.org_id, place.org_path, place.distance_m)
    return place


def _check_sender(session: Session, device: Device, client_ip: str) -> None:
    settings = get_settings()
    if device.blocked:
        raise Forbidden("Perangkat ini diblokir operator. Hubungi 110 untuk keadaan darurat.")
    if not hit_within(session, _limiter("device", settings.alarm_rate_per_device_per_minute),
                      str(device.id)):
        raise TooManyRequests("Terlalu banyak alarm dari perangkat ini. Tunggu sebentar "
                              "atau hubungi 110.")
    # Loopback is exempt: behind the reverse proxy the real address arrives in X-Forwarded-For,
    # so only tools on the server itself (benchmarks, local checks) come from loopback.
    if client_ip not in LOOPBACK and not hit_within(
        session, _limiter("ip", settings.alarm_rate_per_ip_per_minute), client_ip
    ):
        raise TooManyRequests("Terlalu banyak alarm dari alamat jaringan ini.")


def _write_new_alarms(session: Session, fresh: list[tuple[Alarm, Device, Location]],
                      summaries: dict[Alarm, AlarmSummary]) -> None:
    # Core inserts of many rows each (executemany): the ORM unit of work per row would double
    # the cost of a flood of alarms.
    now = utcnow()
    execute_write(session, insert(table_of(AlarmLocation)), [
        {"alarm_id": alarm.id, "lat": alarm.lat, "lon": alarm.lon,
         "accuracy_m": alarm.accuracy_m, "at": alarm.triggered_at}
        for alarm, _, _ in fresh])
    execute_write(session, insert(table_of(AlarmEvent)), [
        {"alarm_id": alarm.id, "at": now, "type": "created", "by_citizen": True,
         "data": {"lat": alarm.lat, "lon": alarm.lon, "region": place.region_name}}
        for alarm, _, place in fresh])
    write_audit(session, [
        audit_row(action="alarm.create", target=alarm, actor=None, device_id=device.id,
                  org_path=alarm.org_path)
        for alarm, device, _ in fresh])
    record_events(session, events=[
        NewEvent("alarm.created", alarm.org_path,
                 {"alarm": summaries[alarm].model_dump(mode="json")})
        for alarm, _, _ in fresh])


def _same_sender(alarm: Alarm, device: Device) -> Alarm:
    if alarm.device_id != device.id:
        raise Conflict("client_id sudah dipakai perangkat lain", field="client_id")
    return alarm


def alarm_for_device(session: Session, *, device: Device, alarm_id: int) -> Alarm:
    """The alarm if this device sent it."""
    alarm = session.get(Alarm, alarm_id)
    if alarm is None or alarm.device_id != device.id:
        raise NotFound("Alarm tidak ditemukan", field="id")
    return alarm


def alarm_for_staff(session: Session, *, staff: Staff, alarm_id: int) -> Alarm:
    """The alarm if it lies within the staff member's organisation."""
    alarm = session.get(Alarm, alarm_id)
    if alarm is None or not staff.sees(alarm.org_path):
        raise NotFound("Alarm tidak ditemukan", field="id")
    return alarm


def update_location(
    session: Session, *, device: Device, alarm_id: int, lat: float, lon: float,
    accuracy_m: float | None, at: datetime | None,
) -> Alarm:
    """Add a newer position of the caller while the alarm is active."""
    alarm = alarm_for_device(session, device=device, alarm_id=alarm_id)
    if alarm.status not in ACTIVE_STATUSES:
        raise Conflict("Alarm sudah selesai; lokasi tidak diperbarui", field="status")
    when = _sane_time(at, field="at")
    session.add(AlarmLocation(alarm_id=alarm.id, lat=lat, lon=lon, accuracy_m=accuracy_m,
                              at=when))
    alarm.lat, alarm.lon, alarm.accuracy_m = lat, lon, accuracy_m
    _touch(alarm)
    publish_alarm(session, alarm=alarm, type="alarm.location")
    return alarm


def cancel_alarm(
    session: Session, *, device: Device, alarm_id: int, pin: str, reason: str | None
) -> Alarm:
    """Cancel by the citizen with their PIN, only within the short window; kept, never deleted."""
    alarm = alarm_for_device(session, device=device, alarm_id=alarm_id)
    if alarm.status not in ACTIVE_STATUSES:
        raise Conflict("Alarm sudah selesai atau dibatalkan", field="status")
    window = timedelta(seconds=get_settings().cancel_window_s)
    if utcnow() > alarm.created_at + window:
        raise Conflict("Batas waktu pembatalan sudah lewat; operator akan menghubungi Anda",
                       field="status")
    _check_cancel_pin(session, device=device, alarm=alarm, pin=pin)
    alarm.status = "cancelled"
    alarm.cancelled_at = utcnow()
    _touch(alarm)
    session.add(AlarmEvent(alarm_id=alarm.id, type="cancelled", by_citizen=True, note=reason))
    audit(session, action="alarm.cancel", target=alarm, actor=None, device_id=device.id,
          org_path=alarm.org_path, detail={"reason": reason})
    publish_alarm(session, alarm=alarm, type="alarm.cancelled")
    return alarm


def _check_cancel_pin(session: Session, *, device: Device, alarm: Alarm, pin: str) -> None:
    # Whoever grabbed the victim's phone must not be able to guess the PIN: each wrong PIN keeps
    # its hit in the (shared) window, a right one takes its hit back.
    refund = _wrong_pins.admit(alarm.client_id)
    if refund is None:
        audit(session, action="alarm.cancel_locked", target=alarm, actor=None,
              device_id=device.id, org_path=alarm.org_path)
        raise TooManyWrongPins("Terlalu banyak PIN salah; alarm tetap aktif. Coba lagi nanti "
                               "atau hubungi 110", field="pin")
    try:
        check_pin(device=device, pin=pin)
    except Forbidden as exc:
        audit(session, action="alarm.cancel_wrong_pin", target=alarm, actor=None,
              device_id=device.id, org_path=alarm.org_path)
        raise WrongPin(exc.message, field="pin") from exc
    except DomainError:
        refund()
        raise
    refund()


def acknowledge_alarm(session: Session, *, staff: Staff, alarm_id: int) -> Alarm:
    """Mark the alarm as seen by an operator; stops the blinking on every screen."""
    alarm = alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    if alarm.acknowledged_at is not None:
        return alarm
    if alarm.status != "open":
        raise Conflict(f"Alarm berstatus {alarm.status}; tidak bisa diterima", field="status")
    alarm.status = "acknowledged"
    alarm.acknowledged_at = utcnow()
    alarm.acknowledged_by_id = staff.user.id
    _touch(alarm)
    session.add(AlarmEvent(alarm_id=alarm.id, type="acknowledged", actor_user_id=staff.user.id))
    audit(session, action="alarm.acknowledge", target=alarm, actor=staff.user,
          org_path=alarm.org_path)
    publish_alarm(session, alarm=alarm, type="alarm.acknowledged")
    return alarm


def list_alarms(
    session: Session, *, staff: Staff, status: str | None, limit: int, offset: int
) -> tuple[list[Alarm], int]:
    """Alarms in the staff member's scope, oldest first so nobody is left waiting."""
    query = select(Alarm).where(Alarm.org_path.startswith(staff.scope, autoescape=True))
    if status == "open":
        query = query.where(Alarm.status.in_(ACTIVE_STATUSES))
    elif status:
        query = query.where(Alarm.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Alarm.created_at, Alarm.id).limit(limit).offset(offset))
    return list(rows), int(total)


def view_alarm(session: Session, *, staff: Staff, alarm_id: int) -> Alarm:
    """Fetch an alarm for staff and log that its caller's details were viewed."""
    alarm = alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    audit(session, action="alarm.view", target=alarm, actor=staff.user, org_path=alarm.org_path)
    return alarm


def actor_name(session: Session, user_id: int | None) -> str | None:
    """A staff member's display name for timelines."""
    if user_id is None:
        return None
    user = session.get(User, user_id)
    return user.full_name if user else None
