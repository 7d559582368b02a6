"""Recording and listing crime incidents; turning closed genuine alarms into incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.crimes.models import INCIDENT_SOURCES, CrimeIncident
from siaga.crimes.nearrepeat import raise_near_repeat_alerts
from siaga.crimes.types import type_codes
from siaga.db import utcnow
from siaga.errors import Forbidden, Invalid, NotFound
from siaga.events.service import record_event
from siaga.orgs.service import locate

# A point farther than this from every kelurahan centre is outside every tenant.
MAX_LOCATE_M = 25_000.0


@dataclass(frozen=True)
class Placement:
    region_id: int | None
    org_id: int | None
    org_path: str


def place_point(session: Session, *, lat: float, lon: float) -> Placement:
    """The kelurahan and Polsek of a point, or no region when it lies outside every tenant."""
    where = locate(session, lat=lat, lon=lon)
    if where.region_id is None or (where.distance_m or 0.0) > MAX_LOCATE_M:
        return Placement(None, None, "/")
    return Placement(where.region_id, where.org_id, where.org_path)


def check_type(crime_type: str) -> str:
    """The crime type code, refused when it is not in the configured list."""
    if crime_type not in type_codes():
        raise Invalid(f"Jenis kejahatan tidak dikenal: {crime_type}", field="crime_type")
    return crime_type


def record_incident(
    session: Session, *, crime_type: str, occurred_at: datetime, lat: float, lon: float,
    source: str, actor: User | None, scope: str | None = None, description: str | None = None,
    external_id: str | None = None, alarm_id: int | None = None, now: datetime | None = None,
) -> CrimeIncident:
    """Record one incident located to its kelurahan; fresh thefts raise near-repeat alerts."""
    now = now or utcnow()
    check_type(crime_type)
    if source not in INCIDENT_SOURCES:
        raise Invalid(f"Sumber tidak dikenal: {source}", field="source")
    if occurred_at.tzinfo is None:
        raise Invalid("Waktu harus memuat zona waktu", field="occurred_at")
    if occurred_at > now + timedelta(minutes=5):
        raise Invalid("Waktu kejadian tidak boleh di masa depan", field="occurred_at")
    if external_id is not None:
        existing = session.scalar(select(CrimeIncident)
                                  .where(CrimeIncident.external_id == external_id))
        if existing is not None:
            return existing
    place = place_point(session, lat=lat, lon=lon)
    if scope is not None and not place.org_path.startswith(scope):
        raise Forbidden("Lokasi kejadian di luar wilayah Anda", field="lat")
    incident = CrimeIncident(
        crime_type=crime_type, occurred_at=occurred_at, lat=lat, lon=lon,
        region_id=place.region_id, org_id=place.org_id, org_path=place.org_path, source=source,
        external_id=external_id, alarm_id=alarm_id, description=description,
        created_by_id=actor.id if actor else None, created_at=now,
    )
    session.add(incident)
    session.flush()
    audit(session, action="crime.record", target=incident, actor=actor,
          org_path=incident.org_path, detail={"crime_type": crime_type, "source": source})
    record_event(session, type="crime.recorded", org_path=incident.org_path,
                 payload={"incident": incident_payload(incident)})
    raise_near_repeat_alerts(session, incident=incident, now=now)
    return incident


def incident_payload(incident: CrimeIncident) -> dict[str, object]:
    """The JSON form of an incident used in events."""
    return {
        "id": incident.id, "crime_type": incident.crime_type,
        "occurred_at": incident.occurred_at.isoformat(), "lat": incident.lat,
        "lon": incident.lon, "region_id": incident.region_id, "source": incident.source,
    }


def incident_for_staff(session: Session, *, staff: Staff, incident_id: int) -> CrimeIncident:
    """The incident if it lies within the staff member's organisation."""
    incident = session.get(CrimeIncident, incident_id)
    if incident is None or not staff.sees(incident.org_path):
        raise NotFound("Kejadian tidak ditemukan", field="id")
    return incident


def list_incidents(
    session: Session, *, scope: str, crime_type: str | None = None,
    since: datetime | None = None, until: datetime | None = None, limit: int = 100,
    offset: int = 0,
) -> tuple[list[CrimeIncident], int]:
    """Incidents within the scope, newest first."""
    sync_closed_alarms(session)
    query = select(CrimeIncident).where(CrimeIncident.org_path.startswith(scope, autoescape=True))
    if crime_type:
        query = query.where(CrimeIncident.crime_type == crime_type)
    if since is not None:
        query = query.where(CrimeIncident.occurred_at >= since)
    if until is not None:
        query = query.where(CrimeIncident.occurred_at < until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(CrimeIncident.occurred_at.desc(), CrimeIncident.id.desc())
                           .limit(limit).offset(offset))
    return list(rows), int(total)


def incident_points(
    session: Session, *, scope: str, crime_type: str | None = None,
    since: datetime | None = None,
) -> list[tuple[datetime, float, float]]:
    """(time, lat, lon) of every incident in scope, oldest first, for the forecast methods."""
    sync_closed_alarms(session)
    query = (select(CrimeIncident.occurred_at, CrimeIncident.lat, CrimeIncident.lon)
             .where(CrimeIncident.org_path.startswith(scope, autoescape=True)))
    if crime_type:
        query = query.where(CrimeIncident.crime_type == crime_type)
    if since is not None:
        query = query.where(CrimeIncident.occurred_at >= since)
    return [(r[0], float(r[1]), float(r[2])) for r in session.execute(
        query.order_by(CrimeIncident.occurred_at))]


def incident_from_alarm(session: Session, *, alarm: Alarm, actor: User | None = None
                        ) -> CrimeIncident | None:
    """The incident of a closed genuine alarm with a crime type (created once), else None.

    Dispatch may call this right after closing an alarm; `sync_closed_alarms` catches up on
    any it did not.
    """
    if alarm.status != "closed" or alarm.outcome != "genuine":
        return None
    crime_type = alarm.outcome_detail
    if crime_type is None or crime_type not in type_codes():
        return None
    return record_incident(
        session, crime_type=crime_type, occurred_at=alarm.triggered_at, lat=alarm.lat,
        lon=alarm.lon, source="alarm", actor=actor, external_id=f"alarm:{alarm.id}",
        alarm_id=alarm.id, now=max(utcnow(), alarm.triggered_at),
    )


def sync_closed_alarms(session: Session, *, limit: int = 500) -> int:
    """Create the incidents of closed genuine crime alarms that have none yet."""
    codes = type_codes()
    done = select(CrimeIncident.alarm_id).where(CrimeIncident.alarm_id.is_not(None))
    alarms = session.scalars(
        select(Alarm).where(Alarm.status == "closed").where(Alarm.outcome == "genuine")
        .where(Alarm.outcome_detail.in_(sorted(codes))).where(Alarm.id.not_in(done))
        .order_by(Alarm.id).limit(limit)
    ).all()
    for alarm in alarms:
        _guarded(session, alarm)
    return len(alarms)


def _guarded(session: Session, alarm: Alarm) -> None:
    # Two readers may sync the same alarm at once; on PostgreSQL the loser's savepoint rolls
    # back on the unique external id. SQLite serialises writers in-process and pysqlite
    # savepoints would end the outer transaction, so none is used there.
    if session.get_bind().dialect.name == "sqlite":
        incident_from_alarm(session, alarm=alarm)
        return
    try:
        with session.begin_nested():
            incident_from_alarm(session, alarm=alarm)
    except IntegrityError:
        pass
