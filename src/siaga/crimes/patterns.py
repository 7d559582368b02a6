"""Hour-of-day and day-of-week profiles of recorded incidents, per crime type, in local time."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.config import get_settings
from siaga.crimes.models import CrimeIncident
from siaga.crimes.service import sync_closed_alarms
from siaga.crimes.types import crime_types

WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def local_zone() -> ZoneInfo:
    """The zone patterns and shifts are read in (WIB unless configured)."""
    return ZoneInfo(get_settings().timezone)


def _profile(code: str, hours: list[int], weekdays: list[int]) -> dict[str, Any]:
    labels = {c.code: c.label for c in crime_types()}
    total = sum(hours)
    return {
        "crime_type": code,
        "label": labels.get(code, code),
        "total": total,
        "hour": hours,
        "weekday": weekdays,
        "hour_share": [round(h / total, 4) for h in hours] if total else [0.0] * 24,
        "weekday_share": [round(d / total, 4) for d in weekdays] if total else [0.0] * 7,
        "peak_hour": max(range(24), key=lambda h: hours[h]) if total else None,
        "peak_weekday": WEEKDAY_NAMES[max(range(7), key=lambda d: weekdays[d])] if total else None,
    }


def crime_patterns(session: Session, *, scope: str, crime_type: str | None = None,
                   since: datetime | None = None, until: datetime | None = None
                   ) -> dict[str, Any]:
    """Counts per local hour (0-23) and weekday (Monday first) for each type and all types."""
    sync_closed_alarms(session)
    zone = local_zone()
    query = (select(CrimeIncident.crime_type, CrimeIncident.occurred_at)
             .where(CrimeIncident.org_path.startswith(scope, autoescape=True)))
    if crime_type:
        query = query.where(CrimeIncident.crime_type == crime_type)
    if since is not None:
        query = query.where(CrimeIncident.occurred_at >= since)
    if until is not None:
        query = query.where(CrimeIncident.occurred_at < until)
    hours: dict[str, list[int]] = defaultdict(lambda: [0] * 24)
    days: dict[str, list[int]] = defaultdict(lambda: [0] * 7)
    for code, at in session.execute(query):
        local = at.astimezone(zone)
        for key in (code, "*"):
            hours[key][local.hour] += 1
            days[key][local.weekday()] += 1
    types = sorted((k for k in hours if k != "*"), key=lambda k: -sum(hours[k]))
    return {
        "timezone": zone.key,
        "weekday_names": list(WEEKDAY_NAMES),
        "all": _profile("*", hours["*"], days["*"]),
        "types": [_profile(k, hours[k], days[k]) for k in types],
    }
