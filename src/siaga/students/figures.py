"""What other domains (the scorecard) may read of brawls and follow-ups: typed facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.students.models import BrawlIncident, FollowUpCase


@dataclass(frozen=True)
class DatedFact:
    at: datetime
    org_path: str


def brawl_facts(session: Session, *, scope: str, since: datetime, until: datetime
                ) -> list[DatedFact]:
    """Brawl incidents that occurred in [since, until) within scope."""
    rows = session.execute(
        select(BrawlIncident.occurred_at, BrawlIncident.org_path)
        .where(BrawlIncident.org_path.startswith(scope, autoescape=True))
        .where(BrawlIncident.occurred_at >= since, BrawlIncident.occurred_at < until)).tuples()
    return [DatedFact(at, path) for at, path in rows]


def followup_facts(session: Session, *, scope: str, since: datetime, until: datetime
                   ) -> list[DatedFact]:
    """Follow-up cases of students opened (recorded) in [since, until) within scope."""
    rows = session.execute(
        select(FollowUpCase.created_at, FollowUpCase.org_path)
        .where(FollowUpCase.org_path.startswith(scope, autoescape=True))
        .where(FollowUpCase.created_at >= since, FollowUpCase.created_at < until)).tuples()
    return [DatedFact(at, path) for at, path in rows]
