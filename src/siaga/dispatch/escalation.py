"""Timers and escalation: Polsek -> Polres command center -> supervisor, and overdue arrival.

`escalate_due_alarms` is one tick; the background loop runs it every second in each worker.
Several workers may tick at once: a level is only raised by a conditional UPDATE
(`WHERE escalation_level = old`) and each escalation kind is unique per alarm, so exactly one
worker records it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from anyio import to_thread
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm, AlarmEvent
from siaga.alarms.publish import publish_alarm
from siaga.audit.service import audit
from siaga.config import get_settings
from siaga.db import get_database, utcnow
from siaga.dispatch.models import AlarmEscalation
from siaga.dispatch.recommend import polres_path
from siaga.dispatch.serialize import LEVEL_OWNERS
from siaga.orgs.models import Organisation
from siaga.roster.service import supervisor_on_duty

log = logging.getLogger(__name__)
WAITING_FOR_DISPATCH = ("open", "acknowledged")
WAITING_FOR_ARRIVAL = ("open", "acknowledged", "dispatched", "en_route")


@dataclass(frozen=True)
class Escalated:
    alarm_id: int
    kind: str
    level: int


def _polres_org_id(session: Session, alarm: Alarm) -> int | None:
    path = polres_path(session, org_path=alarm.org_path)
    return session.scalar(select(Organisation.id).where(Organisation.path == path))


def escalate_due_alarms(session: Session, *, now: datetime | None = None) -> list[Escalated]:
    """Escalate every alarm whose timer ran out at `now`; returns what was recorded."""
    now = now or utcnow()
    s = get_settings()
    done: list[Escalated] = []
    unack_cutoff = now - timedelta(seconds=s.escalate_unacknowledged_s)
    undispatched_cutoff = now - timedelta(seconds=s.escalate_undispatched_s)
    # Only alarms whose next timer has run out: a tick must not re-read every open alarm.
    waiting = session.scalars(
        select(Alarm).where(Alarm.status.in_(WAITING_FOR_DISPATCH))
        .where(or_(
            and_(Alarm.escalation_level < 1, Alarm.acknowledged_at.is_(None),
                 Alarm.created_at <= unack_cutoff),
            and_(Alarm.escalation_level < 2, Alarm.created_at <= undispatched_cutoff),
        ))
        .order_by(Alarm.id)
    ).all()
    for alarm in waiting:
        target = 2 if alarm.created_at <= undispatched_cutoff else (
            1 if alarm.acknowledged_at is None else 0)
        if target > alarm.escalation_level:
            done.extend(_guarded(session, partial(_raise_level, session, alarm=alarm,
                                                  target=target, now=now)))
    arrival_cutoff = now - timedelta(seconds=s.arrival_target_s)
    late = session.scalars(
        select(Alarm).where(Alarm.status.in_(WAITING_FOR_ARRIVAL))
        .where(Alarm.created_at <= arrival_cutoff)
        .where(~exists().where(AlarmEscalation.alarm_id == Alarm.id)
               .where(AlarmEscalation.kind == "arrival_overdue"))
        .order_by(Alarm.id)
    ).all()
    for alarm in late:
        done.extend(_guarded(session, partial(_mark_overdue, session, alarm=alarm, now=now)))
    return done


def _guarded(session: Session, action: Callable[[], list[Escalated]]) -> list[Escalated]:
    """Run one alarm's escalation; if another worker recorded it first, skip that alarm.

    PostgreSQL gets a savepoint so the race costs only this alarm. SQLite serialises writers
    in-process (and pysqlite savepoints would end the outer transaction), so none is used.
    """
    if session.get_bind().dialect.name == "sqlite":
        return action()
    try:
        with session.begin_nested():
            return action()
    except IntegrityError:
        log.info("escalation already recorded by another worker")
        return []


def _raise_level(session: Session, *, alarm: Alarm, target: int, now: datetime
                 ) -> list[Escalated]:
    old = alarm.escalation_level
    s = get_settings()
    polres_id = _polres_org_id(session, alarm)
    unacknowledged = alarm.acknowledged_at is None or alarm.acknowledged_at > (
        alarm.created_at + timedelta(seconds=s.escalate_unacknowledged_s))
    rows = []
    if old < 1 <= target and unacknowledged:
        rows.append(AlarmEscalation(alarm_id=alarm.id, kind="unacknowledged", level=1, at=now,
                                    to_org_id=polres_id, to_role=LEVEL_OWNERS[1][1]))
    if target == 2:
        rows.append(AlarmEscalation(alarm_id=alarm.id, kind="undispatched", level=2, at=now,
                                    to_org_id=polres_id, to_role=LEVEL_OWNERS[2][1]))
    if not rows:
        return []
    # Flushing the rows first takes the write lock (SQLite) and the unique guard (PostgreSQL).
    session.add_all(rows)
    session.flush()
    raised = session.execute(
        update(Alarm).where(Alarm.id == alarm.id).where(Alarm.escalation_level == old)
        .values(escalation_level=target, version=Alarm.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if raised.rowcount != 1:  # type: ignore[attr-defined]
        for row in rows:
            session.delete(row)
        session.flush()
        return []
    session.refresh(alarm)
    for row in rows:
        _record(session, alarm=alarm, row=row, now=now)
    return [Escalated(alarm.id, r.kind, r.level) for r in rows]


def _mark_overdue(session: Session, *, alarm: Alarm, now: datetime) -> list[Escalated]:
    row = AlarmEscalation(alarm_id=alarm.id, kind="arrival_overdue",
                          level=alarm.escalation_level, at=now,
                          to_org_id=_polres_org_id(session, alarm), to_role="pimpinan")
    session.add(row)
    session.flush()
    session.execute(update(Alarm).where(Alarm.id == alarm.id)
                    .values(version=Alarm.version + 1, updated_at=now)
                    .execution_options(synchronize_session=False))
    session.refresh(alarm)
    _record(session, alarm=alarm, row=row, now=now)
    return [Escalated(alarm.id, row.kind, row.level)]


def _record(session: Session, *, alarm: Alarm, row: AlarmEscalation, now: datetime) -> None:
    org = session.get(Organisation, row.to_org_id) if row.to_org_id else None
    label = ("Target kedatangan terlewati" if row.kind == "arrival_overdue"
             else LEVEL_OWNERS[row.level][0])
    detail: dict[str, Any] = {"kind": row.kind, "level": row.level, "to_role": row.to_role,
                              "to_org": org.code if org else None, "label": label}
    note = {"unacknowledged": "Belum diterima: dinaikkan ke command center Polres",
            "undispatched": "Belum ada unit ditugaskan: dinaikkan ke pimpinan",
            "arrival_overdue": "Unit belum tiba dalam target waktu"}[row.kind]
    # The supervising officer on the duty roster is the person told, by name, in the timeline.
    supervisor = (supervisor_on_duty(session, org_id=row.to_org_id, at=now)
                  if row.to_role == "pimpinan" and row.to_org_id is not None else None)
    if supervisor is not None:
        detail["notified"] = {"user_id": supervisor.id, "name": supervisor.full_name,
                              "phone": supervisor.phone}
        note += f"; perwira pengawas piket diberi tahu: {supervisor.full_name}" + (
            f" ({supervisor.phone})" if supervisor.phone else "")
    session.add(AlarmEvent(alarm_id=alarm.id, type="escalated", at=now, note=note, data=detail))
    audit(session, action="alarm.escalate", target=alarm, actor=None, org_path=alarm.org_path,
          detail=detail)
    publish_alarm(session, alarm=alarm, type="alarm.escalated",
                  escalation={**detail, "at": now.isoformat(),
                              "to_org_name": org.name if org else None})


def _tick() -> int:
    with get_database().session() as session:
        return len(escalate_due_alarms(session, now=utcnow()))


async def _loop(interval_s: float) -> None:
    while True:
        try:
            await to_thread.run_sync(_tick)
        except Exception:  # another worker won a race, or the database blinked: next tick
            log.warning("escalation tick failed", exc_info=True)
        await asyncio.sleep(interval_s)


def loop_enabled() -> bool:
    """Whether this process should run the escalation loop (off under SIAGA_ENV=test)."""
    s = get_settings()
    return s.escalation_loop if s.escalation_loop is not None else s.env != "test"


async def start_escalation_loop(app: Any) -> None:
    """Startup hook: run the escalation tick every second in the background."""
    if loop_enabled():
        app.state.escalation_task = asyncio.create_task(
            _loop(get_settings().escalation_tick_s))


async def stop_escalation_loop(app: Any) -> None:
    """Shutdown hook: stop the background loop."""
    task = getattr(app.state, "escalation_task", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
