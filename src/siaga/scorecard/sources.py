"""Reading Siaga's own operational data for the scorecard.

Alarms belong to the foundation and are read directly. Dispatch, visits, early warnings and brawl
incidents come from other domains that may or may not be installed yet; their tables are found by
name and columns at run time and read on a separate connection, so a missing module, table or
column means "no data yet" and never breaks the scorecard or the caller's transaction.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Select, Table, and_, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm, AlarmEvent
from siaga.db import Base
from siaga.orgs.models import Organisation, Region

log = logging.getLogger(__name__)

OPTIONAL_MODULES = (
    "siaga.dispatch.models", "siaga.visits.models", "siaga.intel.models",
    "siaga.schools.models", "siaga.incidents.models", "siaga.mediaintel.models",
    "siaga.followups.models", "siaga.students.models",
)
ARRIVAL_EVENT_TYPES = ("on_scene", "arrived", "unit.on_scene", "assignment.on_scene")
NOT_GENUINE = ("false", "prank", "duplicate", "palsu", "iseng")
REVIEWED = ("confirmed", "dismissed", "rejected", "reviewed", "closed", "handled", "resolved",
            "acted", "done")
PATROL_DONE = ("covered", "done", "completed", "visited")
_imported = False


def _import_optional() -> None:
    global _imported
    if _imported:
        return
    _imported = True
    for name in OPTIONAL_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        except Exception:  # another domain's half-landed module must not take us down
            log.exception("could not import %s", name)


@dataclass(frozen=True)
class AlarmTimes:
    org_path: str
    created_at: datetime
    acknowledged_at: datetime | None
    arrived_at: datetime | None

    @property
    def ack_s(self) -> float | None:
        if self.acknowledged_at is None:
            return None
        return max(0.0, (self.acknowledged_at - self.created_at).total_seconds())

    @property
    def response_s(self) -> float | None:
        if self.arrived_at is None:
            return None
        return max(0.0, (self.arrived_at - self.created_at).total_seconds())


def alarm_times(session: Session, *, scope: str, start: datetime, end: datetime
                ) -> list[AlarmTimes]:
    """Genuine alarms created in [start, end) within scope, with their handling times."""
    rows = session.execute(
        select(Alarm.id, Alarm.org_path, Alarm.created_at, Alarm.acknowledged_at,
               Alarm.closed_at, Alarm.status, Alarm.outcome)
        .where(Alarm.org_path.startswith(scope, autoescape=True),
               Alarm.created_at >= start, Alarm.created_at < end,
               Alarm.status != "cancelled")
    ).all()
    rows = [r for r in rows
            if not (r.outcome and any(w in r.outcome.lower() for w in NOT_GENUINE))]
    arrivals = _arrivals(session, [r.id for r in rows])
    out = []
    for r in rows:
        arrived = arrivals.get(r.id) or r.closed_at
        out.append(AlarmTimes(r.org_path, r.created_at, r.acknowledged_at, arrived))
    return out


def _arrivals(session: Session, alarm_ids: list[int]) -> dict[int, datetime]:
    """First recorded arrival on scene per alarm: the timeline, then dispatch assignments."""
    found: dict[int, datetime] = {}
    for chunk_start in range(0, len(alarm_ids), 500):
        chunk = alarm_ids[chunk_start:chunk_start + 500]
        for alarm_id, at in session.execute(
            select(AlarmEvent.alarm_id, AlarmEvent.at)
            .where(AlarmEvent.alarm_id.in_(chunk), AlarmEvent.type.in_(ARRIVAL_EVENT_TYPES))
        ):
            if alarm_id not in found or at < found[alarm_id]:
                found[alarm_id] = at
    table = find_table(include=("assignment", "dispatch"), needs=("alarm_id",))
    arrival_col = _first_column(table, ("on_scene_at", "arrived_at", "arrival_at"))
    if table is None or arrival_col is None or not alarm_ids:
        return found
    for chunk_start in range(0, len(alarm_ids), 500):
        chunk = alarm_ids[chunk_start:chunk_start + 500]
        query = select(table.c.alarm_id, arrival_col).where(
            table.c.alarm_id.in_(chunk), arrival_col.is_not(None))
        for alarm_id, at in read_optional(session, table, query):
            at = _aware(at)
            if alarm_id not in found or at < found[alarm_id]:
                found[alarm_id] = at
    return found


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


# --- other domains' tables -------------------------------------------------------------------

def find_table(*, include: Iterable[str], needs: Iterable[str] = (),
               exclude: Iterable[str] = (), refuse_columns: Iterable[str] = ()) -> Table | None:
    """The first registered table whose name has one of `include` and the needed columns."""
    _import_optional()
    include, needs, exclude = tuple(include), tuple(needs), tuple(exclude)
    for name in sorted(Base.metadata.tables):
        if name.startswith("scorecard_") or name in ("alarms", "alarm_events", "audit_log"):
            continue
        if not any(word in name for word in include) or any(word in name for word in exclude):
            continue
        table = Base.metadata.tables[name]
        if all(c in table.c for c in needs) and not any(c in table.c for c in refuse_columns):
            return table
    return None


def _first_column(table: Table | None, names: Iterable[str]) -> Column[Any] | None:
    if table is None:
        return None
    for name in names:
        if name in table.c:
            return table.c[name]
    return None


def scoped(table: Table, query: Select[Any], scope: str) -> Select[Any] | None:
    """Restrict a query on another domain's table to an organisation path, or None if unable."""
    if "org_path" in table.c:
        return query.where(table.c.org_path.startswith(scope, autoescape=True))
    in_scope = Organisation.path.startswith(scope, autoescape=True)
    if "org_id" in table.c:
        return query.join(Organisation, Organisation.id == table.c.org_id).where(in_scope)
    if "region_id" in table.c:
        return (query.join(Region, Region.id == table.c.region_id)
                .join(Organisation, Organisation.id == Region.org_id).where(in_scope))
    if "alarm_id" in table.c:
        return query.join(Alarm, Alarm.id == table.c.alarm_id).where(
            Alarm.org_path.startswith(scope, autoescape=True))
    if "school_id" in table.c:
        from siaga.schools.models import School

        return (query.join(School, School.id == table.c.school_id)
                .join(Organisation, Organisation.id == School.org_id).where(in_scope))
    return None


def read_optional(session: Session, table: Table, query: Select[Any]) -> list[Any]:
    """Rows of a query on another domain's table; [] when the table is not migrated yet."""
    engine = session.get_bind()
    try:
        with engine.connect() as conn:  # type: ignore[union-attr]
            if not inspect(conn).has_table(table.name):
                return []
            return list(conn.execute(query).all())
    except SQLAlchemyError:
        log.warning("could not read %s for the scorecard", table.name, exc_info=True)
        return []


@dataclass(frozen=True)
class Dated:
    """Timestamps (and an optional label per row) from another domain's table."""

    available: bool
    rows: list[tuple[datetime, str, Any]]


def dated_rows(session: Session, *, table: Table | None, time_names: Iterable[str],
               scope: str, start: datetime, end: datetime,
               extra: Column[Any] | None = None) -> Dated:
    """(time, org path or '', extra) of rows in [start, end) within scope."""
    time_col = _first_column(table, time_names)
    if table is None or time_col is None:
        return Dated(False, [])
    path_col: Any = table.c.org_path if "org_path" in table.c else None
    columns: list[Any] = [time_col]
    query = select(*columns)
    scoped_query = scoped(table, query, scope)
    if scoped_query is None:
        return Dated(False, [])
    if path_col is None and ("org_id" in table.c or "region_id" in table.c
                             or "school_id" in table.c):
        path_col = Organisation.path
    elif path_col is None and "alarm_id" in table.c:
        path_col = Alarm.org_path
    if path_col is not None:
        scoped_query = scoped_query.add_columns(path_col)
    if extra is not None:
        scoped_query = scoped_query.add_columns(extra)
    scoped_query = scoped_query.where(and_(time_col >= start, time_col < end))
    rows = read_optional(session, table, scoped_query)
    out = []
    for row in rows:
        at = _aware(row[0])
        path = row[1] if path_col is not None else ""
        value = row[-1] if extra is not None else None
        out.append((at, path or "", value))
    return Dated(True, out)


def visits_table() -> Table | None:
    return find_table(include=("visit",), exclude=("photo", "follow", "task", "image", "topic",
                                                    "attach", "media", "plan"),
                      refuse_columns=("visit_id",))


def visits(session: Session, *, scope: str, start: datetime, end: datetime) -> Dated:
    """Door-to-door visits (sambang) with the region visited."""
    table = visits_table()
    region = table.c.region_id if table is not None and "region_id" in table.c else None
    return dated_rows(session, table=table, time_names=("visited_at", "submitted_at",
                                                        "created_at", "at"),
                      scope=scope, start=start, end=end, extra=region)


def patrol_tasks(session: Session, *, scope: str, start: datetime, end: datetime) -> Dated:
    """School patrol tasks at dismissal time."""
    table = find_table(include=("patrol_task", "school_patrol"), refuse_columns=("task_id",))
    status = _first_column(table, ("status",))
    found = dated_rows(session, table=table, time_names=("window_start", "scheduled_at",
                                                         "starts_at", "created_at"),
                       scope=scope, start=start, end=end, extra=status)
    # Only patrols that actually took place count as an activity.
    return Dated(found.available, [r for r in found.rows
                                   if r[2] is None or str(r[2]).lower() in PATROL_DONE])


def brawl_incidents(session: Session, *, scope: str, start: datetime, end: datetime) -> Dated:
    """Brawl incident records."""
    table = find_table(include=("brawl_incident", "tawuran"), exclude=("student",),
                       refuse_columns=("incident_id",))
    if table is None:
        table = find_table(include=("incident",), refuse_columns=("incident_id",),
                           exclude=("student", "follow", "school", "photo", "crime"))
    return dated_rows(session, table=table, time_names=("occurred_at", "happened_at",
                                                        "started_at", "at", "reported_at",
                                                        "created_at"),
                      scope=scope, start=start, end=end)


def early_warnings(session: Session, *, scope: str, start: datetime, end: datetime) -> Dated:
    """Early warnings with their review status (or None)."""
    table = find_table(include=("warning",), exclude=("post", "evidence", "label"),
                       refuse_columns=("warning_id",))
    status = _first_column(table, ("status", "verdict", "state"))
    return dated_rows(session, table=table, time_names=("created_at", "detected_at",
                                                        "first_seen_at", "window_start"),
                      scope=scope, start=start, end=end, extra=status)


def student_followups(session: Session, *, scope: str, start: datetime, end: datetime
                      ) -> Dated:
    """Follow-up cases of students involved in brawls."""
    table = find_table(include=("student_follow", "followup_case", "follow_up_case",
                                "student_case", "monitored_student"),
                       refuse_columns=("case_id",))
    return dated_rows(session, table=table, time_names=("opened_at", "started_at",
                                                        "created_at"),
                      scope=scope, start=start, end=end)


def is_reviewed(status: Any) -> bool:
    return isinstance(status, str) and status.lower() in REVIEWED


def leaf_regions(session: Session, *, scope: str) -> dict[int, str]:
    """Kelurahan/desa in scope, with the organisation path that covers each."""
    rows = session.execute(
        select(Region.id, Organisation.path)
        .join(Organisation, Organisation.id == Region.org_id)
        .where(Region.level.in_(("kelurahan", "desa")),
               Organisation.path.startswith(scope, autoescape=True))
    ).all()
    return {rid: path for rid, path in rows}
