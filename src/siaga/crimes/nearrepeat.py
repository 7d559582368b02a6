"""Near-repeat alerts: a fresh theft raises the risk nearby for the following days.

Burglary and vehicle-theft studies (Townsley et al. 2003, Johnson 2008) find the risk at and
around a victimised place elevated for about two weeks within a few hundred metres, so the
kelurahan's Bhabinkamtibmas is told where and until when to look out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.auth.models import User
from siaga.crimes.models import CrimeIncident, NearRepeatAlert
from siaga.crimes.types import THEFT_TYPES, crime_types
from siaga.db import utcnow
from siaga.errors import NotFound
from siaga.events.service import record_event

NEAR_REPEAT_DAYS = 14
NEAR_REPEAT_RADIUS_M = 400.0


def _label(code: str) -> str:
    return next((c.label for c in crime_types() if c.code == code), code)


def raise_near_repeat_alerts(session: Session, *, incident: CrimeIncident,
                             now: datetime | None = None) -> list[NearRepeatAlert]:
    """Alert the Bhabinkamtibmas of the incident's kelurahan when it is a recent theft."""
    now = now or utcnow()
    valid_until = incident.occurred_at + timedelta(days=NEAR_REPEAT_DAYS)
    if (incident.crime_type not in THEFT_TYPES or incident.source == "import"
            or valid_until <= now or incident.region_id is None):
        return []
    officers = session.scalars(
        select(User).where(User.role == "petugas").where(User.region_id == incident.region_id)
        .where(User.active.is_(True)).order_by(User.id)
    ).all()
    message = (f"{_label(incident.crime_type)} tercatat di wilayah Anda. Risiko kejadian serupa "
               f"dalam radius {int(NEAR_REPEAT_RADIUS_M)} m meningkat sampai "
               f"{NEAR_REPEAT_DAYS} hari ke depan: tingkatkan patroli dan sambang warga sekitar.")
    alerts = []
    # Kept even without an officer so the Polsek sees that the kelurahan has nobody assigned.
    recipients: list[int | None] = [u.id for u in officers] or [None]
    for user_id in recipients:
        alert = NearRepeatAlert(
            incident_id=incident.id, user_id=user_id, region_id=incident.region_id,
            org_path=incident.org_path, crime_type=incident.crime_type, lat=incident.lat,
            lon=incident.lon, radius_m=NEAR_REPEAT_RADIUS_M, valid_until=valid_until,
            message=message, created_at=now,
        )
        session.add(alert)
        alerts.append(alert)
    session.flush()
    for alert in alerts:
        record_event(session, type="nearrepeat.alert", org_path=incident.org_path,
                     payload={"alert": alert_payload(alert)})
    return alerts


def alert_payload(alert: NearRepeatAlert) -> dict[str, object]:
    """The JSON form of an alert used in events and lists."""
    return {
        "id": alert.id, "incident_id": alert.incident_id, "user_id": alert.user_id,
        "region_id": alert.region_id, "crime_type": alert.crime_type,
        "crime_label": _label(alert.crime_type), "lat": alert.lat, "lon": alert.lon,
        "radius_m": alert.radius_m, "valid_until": alert.valid_until.isoformat(),
        "message": alert.message, "created_at": alert.created_at.isoformat(),
        "read_at": alert.read_at.isoformat() if alert.read_at else None,
    }


def alerts_for_officer(session: Session, *, user: User, include_expired: bool = False,
                       now: datetime | None = None, limit: int = 100, offset: int = 0
                       ) -> tuple[list[NearRepeatAlert], int]:
    """The officer's own near-repeat alerts, newest first; expired ones only when asked."""
    now = now or utcnow()
    query = select(NearRepeatAlert).where(NearRepeatAlert.user_id == user.id)
    if not include_expired:
        query = query.where(NearRepeatAlert.valid_until > now)
    rows = list(session.scalars(query.order_by(NearRepeatAlert.id.desc())))
    return rows[offset:offset + limit], len(rows)


def mark_alert_read(session: Session, *, alert: NearRepeatAlert,
                    now: datetime | None = None) -> NearRepeatAlert:
    """Mark the officer's alert as read (once)."""
    if alert.read_at is None:
        alert.read_at = now or utcnow()
        session.flush()
    return alert


def alert_for_officer(session: Session, *, user: User, alert_id: int) -> NearRepeatAlert:
    """The alert if it was sent to this user."""
    alert = session.get(NearRepeatAlert, alert_id)
    if alert is None or alert.user_id != user.id:
        raise NotFound("Peringatan tidak ditemukan", field="id")
    return alert
