"""What other domains (the scorecard) may read of school patrols: typed facts, same session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.schools.models import SchoolPatrol


@dataclass(frozen=True)
class PatrolFact:
    window_start: datetime
    org_path: str


def patrols_done(session: Session, *, scope: str, since: datetime, until: datetime
                 ) -> list[PatrolFact]:
    """Dismissal-time patrols due in [since, until) within scope that GPS showed covered."""
    rows = session.execute(
        select(SchoolPatrol.window_start, SchoolPatrol.org_path)
        .where(SchoolPatrol.org_path.startswith(scope, autoescape=True))
        .where(SchoolPatrol.status == "covered")
        .where(SchoolPatrol.window_start >= since, SchoolPatrol.window_start < until)).tuples()
    return [PatrolFact(at, path) for at, path in rows]
