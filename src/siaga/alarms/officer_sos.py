"""An officer in danger: an SOS from a unit's GPS app (or the officer's phone) becomes an alarm
of kind "officer_sos", priority 2, at the unit's position, in the unit's organisation."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms import lifecycle
from siaga.alarms.models import ACTIVE_STATUSES, PRIORITY_OFFICER, Alarm, AlarmLocation
from siaga.alarms.publish import publish_alarm
from siaga.audit.service import audit
from siaga.auth.security import new_token, token_digest
from siaga.db import utcnow
from siaga.devices.models import Device
from siaga.errors import Invalid, NotFound
from siaga.orgs.models import Organisation
from siaga.orgs.service import locate
from siaga.units.models import Unit

log = logging.getLogger(__name__)


def _unit_device(session: Session, unit: Unit) -> Device:
    """The unit's stand-in device (alarms belong to a device); its token is never handed out."""
    device = session.scalar(select(Device).where(Device.unit_id == unit.id).limit(1))
    if device is None:
        device = Device(public_id=str(uuid.uuid4()), phone="", name=f"Unit {unit.callsign}",
                        token_hash=token_digest(new_token()), unit_id=unit.id)
        session.add(device)
        session.flush()
    return device


def _where(session: Session, unit: Unit, lat: float | None, lon: float | None
           ) -> tuple[float, float, bool]:
    """The SOS position: sent with it, else the unit's last fix, else its command's place."""
    if lat is not None and lon is not None:
        return lat, lon, True
    if unit.lat is not None and unit.lon is not None:
        return unit.lat, unit.lon, False
    org = session.get(Organisation, unit.org_id)
    if org is not None and org.lat is not None and org.lon is not None:
        return org.lat, org.lon, False
    raise Invalid("Posisi unit tidak diketahui", field="lat")


def raise_officer_sos(
    session: Session, *, unit_id: int, lat: float | None = None, lon: float | None = None,
    accuracy_m: float | None = None, fix_at: datetime | None = None, source: str = "gps",
) -> Alarm:
    """Open the officer-in-danger alarm, or join the unit's one still active (a repeat SOS)."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("Unit tidak ditemukan", field="unit_id")
    now = utcnow()
    device = _unit_device(session, unit)
    at_lat, at_lon, measured = _where(session, unit, lat, lon)
    when = (fix_at or now) if measured else unit.position_at
    active = session.scalar(select(Alarm).where(Alarm.device_id == device.id)
                            .where(Alarm.status.in_(ACTIVE_STATUSES))
                            .order_by(Alarm.id.desc()).limit(1))
    if active is not None:
        lifecycle.join(session, alarm=active, client_id=str(uuid.uuid4()), device_id=device.id,
                       lat=at_lat, lon=at_lon, accuracy_m=accuracy_m, fix_at=when, now=now)
        publish_alarm(session, alarm=active, type="alarm.updated", change="joined")
        return active
    place = locate(session, lat=at_lat, lon=at_lon)
    alarm = Alarm(client_id=str(uuid.uuid4()), device_id=device.id, kind="officer_sos",
                  status="open", priority=PRIORITY_OFFICER, lat=at_lat, lon=at_lon,
                  accuracy_m=accuracy_m, org_id=unit.org_id, org_path=unit.org_path,
                  region_id=place.region_id, distance_to_region_m=place.distance_m,
                  triggered_at=now, fix_at=when)
    session.add(alarm)
    session.flush()
    session.add(AlarmLocation(alarm_id=alarm.id, lat=at_lat, lon=at_lon, accuracy_m=accuracy_m,
                              at=when or now))
    lifecycle.note(session, alarm=alarm, type="created", now=now,
                   text=f"SOS petugas: {unit.callsign}",
                   data={"lat": at_lat, "lon": at_lon, "region": place.region_name,
                         "unit_id": unit.id, "callsign": unit.callsign, "source": source})
    audit(session, action="alarm.create", target=alarm, actor=None, device_id=device.id,
          org_path=alarm.org_path, detail={"kind": "officer_sos", "unit_id": unit.id,
                                           "source": source})
    publish_alarm(session, alarm=alarm, type="alarm.created")
    return alarm


def sos_from_tracker(
    session: Session, *, unit_id: int, alarm: str | None, lat: float | None = None,
    lon: float | None = None, accuracy_m: float | None = None, fix_at: datetime | None = None,
    source: str = "gps",
) -> Alarm | None:
    """The tracking intake's hook: an `alarm=sos` from a GPS app raises (or joins) the
    officer-in-danger alarm; other alarm values (low battery, ...) raise nothing."""
    if not alarm or alarm.strip().lower() != "sos":
        return None
    try:
        return raise_officer_sos(session, unit_id=unit_id, lat=lat, lon=lon,
                                 accuracy_m=accuracy_m, fix_at=fix_at, source=source)
    except Invalid:
        log.warning("SOS from unit %s without any known position", unit_id)
        return None
