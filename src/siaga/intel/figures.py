"""What other domains (the scorecard) may read of early warnings: typed facts, same session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.intel.models import EarlyWarning

REVIEWED_STATUSES = ("confirmed", "dismissed")


@dataclass(frozen=True)
class WarningFact:
    created_at: datetime
    org_path: str
    reviewed: bool


def warning_facts(session: Session, *, scope: str, since: datetime, until: datetime
                  ) -> list[WarningFact]:
    """Early warnings raised in [since, until) within scope; reviewed = an analyst's verdict."""
    rows = session.execute(
        select(EarlyWarning.created_at, EarlyWarning.org_path, EarlyWarning.status)
        .where(EarlyWarning.org_path.startswith(scope, autoescape=True))
        .where(EarlyWarning.created_at >= since, EarlyWarning.created_at < until)).tuples()
    return [WarningFact(at, path, status in REVIEWED_STATUSES) for at, path, status in rows]
