"""High-risk schools due to dismiss pupils during a shift (read from the school register)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.crimes.patterns import local_zone
from siaga.orgs.models import Organisation
from siaga.schools.models import School
from siaga.schools.patrols import dismissal_at
from siaga.schools.service import HIGH_RISK, school_risks


def high_risk_schools(session: Session, *, scope: str, start: datetime, end: datetime
                      ) -> list[tuple[School, float, datetime]]:
    """(school, risk 0..1, dismissal in UTC) for brawl-prone or high-risk schools in the scope
    whose dismissal falls within the shift."""
    schools = list(session.scalars(
        select(School).join(Organisation, Organisation.id == School.org_id)
        .where(Organisation.path.startswith(scope, autoescape=True))
        .where(School.lat.is_not(None)).where(School.lon.is_not(None)).order_by(School.id)
    ))
    if not schools:
        return []
    risks = {r.school.id: r.score for r in school_risks(session, schools=schools)}
    zone = local_zone()
    out = []
    local_start = start.astimezone(zone)
    days = {(local_start + timedelta(days=i)).replace(hour=0, minute=0, second=0, microsecond=0)
            for i in range((end - start).days + 2)}
    for school in schools:
        risk = risks.get(school.id, 0.0)
        if not (school.brawl_prone or risk >= HIGH_RISK):
            continue
        for day in sorted(days):
            at = dismissal_at(school, day.date())
            if at is not None and start <= at.astimezone(UTC) < end:
                out.append((school, max(risk, 0.5 if school.brawl_prone else risk),
                            at.astimezone(UTC)))
    return out
