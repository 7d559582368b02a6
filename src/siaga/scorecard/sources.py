"""Siaga's own operational data for the scorecard, read through each domain's typed functions.

Every source is one function the owning domain exports, run on the caller's session: alarm
timings (dispatch.response_times), visits, school patrols, brawl incidents, student follow-ups
and early warnings. Nothing is found by table name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.dispatch.response_times import AlarmTiming, load_timings
from siaga.intel.figures import warning_facts
from siaga.orgs.models import Organisation, Region
from siaga.schools.figures import patrols_done
from siaga.students.figures import brawl_facts, followup_facts
from siaga.visits.figures import visit_facts


@dataclass(frozen=True)
class Dated:
    """(time, organisation path, extra) per record of one kind; extra depends on the kind."""

    available: bool
    rows: list[tuple[datetime, str, int | bool | None]]


def alarm_timings(session: Session, *, scope: str, start: datetime, end: datetime
                  ) -> list[AlarmTiming]:
    """Every alarm created in [start, end) within scope with its timings (figures filter)."""
    return load_timings(session, scope=scope, since=start, until=end)


def visits(session: Session, *, scope: str, start: datetime, end: datetime) -> Dated:
    """Door-to-door visits (sambang); extra = the kelurahan/desa visited."""
    return Dated(True, [(v.visited_at, v.org_path, v.region_id)
                        for v in visit_facts(session, scope=scope, since=start, until=end)])


def patrol_tasks(session: Session, *, scope: str, start: datetime, end: datetime) -> Dated:
    """School patrols at dismissal time that took place (covered by GPS)."""
    return Dated(True, [(p.window_start, p.org_path, None)
                        for p in patrols_done(session, scope=scope, since=start, until=end)])


def brawl_incidents(session: Session, *, scope: str, start: datetime, end: datetime) -> Dated:
    """Brawl incident records."""
    return Dated(True, [(f.at, f.org_path, None)
                        for f in brawl_facts(session, scope=scope, since=start, until=end)])


def early_warnings(session: Session, *, scope: str, start: datetime, end: datetime) -> Dated:
    """Early warnings; extra = whether an analyst has given a verdict."""
    return Dated(True, [(w.created_at, w.org_path, w.reviewed)
                        for w in warning_facts(session, scope=scope, since=start, until=end)])


def student_followups(session: Session, *, scope: str, start: datetime, end: datetime
                      ) -> Dated:
    """Follow-up cases of students involved in brawls."""
    return Dated(True, [(f.at, f.org_path, None)
                        for f in followup_facts(session, scope=scope, since=start, until=end)])


def leaf_regions(session: Session, *, scope: str) -> dict[int, str]:
    """Kelurahan/desa in scope, with the organisation path that covers each."""
    rows = session.execute(
        select(Region.id, Organisation.path)
        .join(Organisation, Organisation.id == Region.org_id)
        .where(Region.level.in_(("kelurahan", "desa")),
               Organisation.path.startswith(scope, autoescape=True))
    ).all()
    return {rid: path for rid, path in rows}
