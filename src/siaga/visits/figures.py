"""What other domains (the scorecard) may read of visits: typed facts, same session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.visits.models import Visit


@dataclass(frozen=True)
class VisitFact:
    visited_at: datetime
    org_path: str
    region_id: int | None


def visit_facts(session: Session, *, scope: str, since: datetime, until: datetime
                ) -> list[VisitFact]:
    """Door-to-door visits made in [since, until) within scope, with the kelurahan visited."""
    rows = session.execute(
        select(Visit.visited_at, Visit.org_path, Visit.region_id)
        .where(Visit.org_path.startswith(scope, autoescape=True))
        .where(Visit.visited_at >= since, Visit.visited_at < until)).tuples()
    return [VisitFact(at, path, region) for at, path, region in rows]
