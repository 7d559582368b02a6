"""Alarm intake (new alarms and presses that join one), location updates, acknowledgement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.alarms import lifecycle
from siaga.alarms.incidents import group_new_alarms
from siaga.alarms.models import ACTIVE_STATUSES, Alarm, AlarmEvent, AlarmLocation, AlarmPress
from siaga.alarms.publish import publish_alarm
from siaga.alarms.schemas import AlarmSummary
from siaga.alarms.serialize import alarm_summaries, alarm_summary
from siaga.audit.service import audit, audit_row, write_audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.db import execute_write, table_of, take_turns, utcnow
from siaga.devices.guards import check_token_age
from siaga.devices.models import Device
from siaga.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from siaga.events.service import NewEvent, record_events
from siaga.orgs.service import Location, locate
from siaga.ratelimit import RateLimiter, hit_within

__all__ = ["AlarmOutcome", "NewAlarm", "create_alarms", "publish_alarm"]

LOOPBACK = frozenset({"127.0.0.1", "::1"})
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_ALARM_AGE = timedelta(hours=24)
# Farther than this from every known kelurahan/desa centre the nearest one is a guess, not a
# place: the alarm keeps no kelurahan ("di luar wilayah" on /ops) but still goes to the nearest
# command, whose operators must see it and pass it on; a real alarm is never left unseen.
OUT_OF_AREA_M = 25_000.0
DEVICE_ALARM_TURNS = 1001  # advisory-lock space: presses of one device take turns
_limiters: dict[str, RateLimiter] = {}


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


def _fix_time(value: datetime | None) -> datetime | None:
    """When the phone measured its position: an old fix is kept as old (never refused)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise Invalid("Waktu harus menyertakan zona waktu (mis. 2026-11-22T10:00:00+07:00)",
                      field="fix_at")
    if value > utcnow() + MAX_CLOCK_SKEW:
        raise Invalid("Waktu posisi berada di masa depan", field="fix_at")
    return value


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
    fix_at: datetime | None = None
    # SMS alarms: where the position came from ("text", "device", "unknown"); None from the app.
    location_source: str | None = None


class AlarmOutcome(NamedTuple):
    summary: AlarmSummary
    created: bool


@dataclass(slots=True)
class _Batch:
    """What one batch knows: devices, client ids seen, each device's active alarm, new rows."""

    devices: dict[str, Device]
    known: dict[str, Alarm]
    active: dict[int, Alarm]
    fresh: list[tuple[Alarm, Device, Location]]
    joins: list[tuple[Alarm, NewAlarm, Device]]


def create_alarms(session: Session, *, alarms: list[NewAlarm]
                  ) -> list[AlarmOutcome | DomainError]:
    """Store citizens' alarms, each once per client id (a press while the device's alarm is
    active joins it); per alarm its outcome, or the error that refuses that alarm alone."""
    try:
        return _create_alarms(session, alarms)
    except IntegrityError:
        # Another worker committed one of these client ids after we looked; the second look
        # finds its alarm (rate-limit hits of the first attempt were taken back on rollback).
        session.rollback()
        return _create_alarms(session, alarms)


def _load_batch(session: Session, alarms: list[NewAlarm]) -> _Batch:
    devices = {d.token_hash: d for d in session.scalars(
        select(Device).where(Device.token_hash.in_({a.token_digest for a in alarms})))}
    # Two workers with presses from one phone at the same moment: the second waits for the
    # first to commit, then finds its alarm active and joins it (one alarm per emergency).
    take_turns(session, space=DEVICE_ALARM_TURNS, keys=(d.id for d in devices.values()))
    client_ids = {a.client_id for a in alarms}
    known = {a.client_id: a for a in session.scalars(
        select(Alarm).where(Alarm.client_id.in_(client_ids)))}
    for client_id, alarm in session.execute(
            select(AlarmPress.client_id, Alarm).join(Alarm, Alarm.id == AlarmPress.alarm_id)
            .where(AlarmPress.client_id.in_(client_ids))).tuples():
        known[client_id] = alarm
    active: dict[int, Alarm] = {}
    if devices:
        for alarm in session.scalars(
                select(Alarm).where(Alarm.device_id.in_({d.id for d in devices.values()}))
                .where(Alarm.status.in_(ACTIVE_STATUSES)).order_by(Alarm.id)):
            active[alarm.device_id] = alarm  # the newest wins if an old one was left open
    return _Batch(devices, known, active, [], [])


def _create_alarms(session: Session, alarms: list[NewAlarm]
                   ) -> list[AlarmOutcome | DomainError]:
    batch = _load_batch(session, alarms)
    admitted: list[tuple[Alarm, bool] | DomainError] = []
    for new in alarms:
        try:
            admitted.append(_admit(session, new, batch))
        except DomainError as exc:
            admitted.append(exc)
    session.flush()  # the new alarms get their ids (nothing to do when there are none)
    now = utcnow()
    regrouped = group_new_alarms(session, alarms=[a for a, _, _ in batch.fresh], now=now)
    session.flush()
    fresh = [alarm for alarm, _, _ in batch.fresh]
    summaries = dict(zip(fresh, alarm_summaries(session, fresh), strict=True))
    if batch.fresh:
        _write_new_alarms(session, batch.fresh, summaries)
    # Joins after the new alarms' own lines, so a timeline reads "created" before "joined".
    joined = {alarm for alarm, _, _ in batch.joins}
    for alarm, new, device in batch.joins:
        lifecycle.join(session, alarm=alarm, client_id=new.client_id, device_id=device.id,
                       lat=new.lat, lon=new.lon, accuracy_m=new.accuracy_m, fix_at=new.fix_at,
                       location_source=new.location_source, now=now)
    session.flush()
    for item in admitted:
        if not isinstance(item, DomainError) and (item[0] in joined or item[0] not in summaries):
            summaries[item[0]] = alarm_summary(session, item[0])
    changed = (joined | regrouped) - {alarm for alarm, _, _ in batch.fresh}
    if changed:
        record_events(session, events=[
            NewEvent("alarm.updated", alarm.org_path,
                     {"alarm": (summaries.get(alarm) or alarm_summary(session, alarm))
                      .model_dump(mode="json"),
                      "change": "joined" if alarm in joined else "incident"})
            for alarm in sorted(changed, key=lambda a: a.id)])
    return [item if isinstance(item, DomainError) else AlarmOutcome(summaries[item[0]], item[1])
            for item in admitted]


def _admit(session: Session, new: NewAlarm, batch: _Batch) -> tuple[Alarm, bool]:
    """The alarm this request stands for, and whether it is new (added to the session)."""
    device = batch.devices.get(new.token_digest)
    if device is None:
        raise Unauthorized("Token perangkat tidak valid; daftarkan ulang perangkat")
    earlier = batch.known.get(new.client_id)
    if earlier is not None:
        return _same_sender(earlier, device), False
    _check_sender(session, device, new.client_ip)
    when = _sane_time(new.triggered_at, field="triggered_at")
    fix_at = _fix_time(new.fix_at)
    active = batch.active.get(device.id)
    if active is not None:
        batch.joins.append((active, new, device))
        batch.known[new.client_id] = active
        return active, False
    place = _place(session, lat=new.lat, lon=new.lon)
    alarm = Alarm(
        client_id=new.client_id, device_id=device.id, kind=new.kind, status="open",
        lat=new.lat, lon=new.lon, accuracy_m=new.accuracy_m, org_id=place.org_id,
        org_path=place.org_path, region_id=place.region_id, distance_to_region_m=place.distance_m,
        triggered_at=when, fix_at=fix_at, device_flagged=device.flagged,
        location_source=new.location_source,
    )
    session.add(alarm)
    batch.known[new.client_id] = alarm
    batch.active[device.id] = alarm
    batch.fresh.append((alarm, device, place))
    return alarm, True


def _place(session: Session, *, lat: float, lon: float) -> Location:
    """Where the alarm belongs; far from every kelurahan it has no kelurahan of its own."""
    place = locate(session, lat=lat, lon=lon)
    if place.distance_m is not None and place.distance_m > OUT_OF_AREA_M:
        return Location(None, None, place.org_id, place.org_path, place.distance_m)
    return place


def _check_sender(session: Session, device: Device, client_ip: str) -> None:
    settings = get_settings()
    check_token_age(device=device)
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
         "accuracy_m": alarm.accuracy_m, "at": alarm.fix_at or alarm.triggered_at}
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
    """Add a newer position of the caller while the alarm is active (`at`: when measured)."""
    alarm = alarm_for_device(session, device=device, alarm_id=alarm_id)
    if alarm.status not in ACTIVE_STATUSES or alarm.caller_sees_cancelled:
        raise Conflict("Alarm sudah selesai; lokasi tidak diperbarui", field="status")
    when = _sane_time(at, field="at")
    lifecycle.set_position(session, alarm=alarm, lat=lat, lon=lon, accuracy_m=accuracy_m,
                           fix_at=when, now=utcnow())
    publish_alarm(session, alarm=alarm, type="alarm.location")
    return alarm


def acknowledge_alarm(session: Session, *, staff: Staff, alarm_id: int) -> Alarm:
    """Mark the alarm as seen by an operator; stops the blinking on every screen."""
    alarm = alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    if lifecycle.acknowledge(session, alarm=alarm, actor=staff.user, now=utcnow()):
        publish_alarm(session, alarm=alarm, type="alarm.acknowledged")
    return alarm


def confirm_cancel(session: Session, *, staff: Staff, alarm_id: int) -> Alarm:
    """An operator confirms that the caller's cancellation stands."""
    alarm = alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    lifecycle.confirm_cancel(session, alarm=alarm, actor=staff.user, now=utcnow())
    return alarm


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
