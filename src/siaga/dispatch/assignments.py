"""The life of an assignment: allowed transitions, step times, and the unit following along.

Every write of `Assignment.status` goes through `move_assignment`; the unit's status follows
through the units service (audited), never by a raw UPDATE.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm, AlarmEvent
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.dispatch.models import ASSIGNMENT_FINAL, ASSIGNMENT_LABELS, ASSIGNMENT_STEPS, Assignment
from siaga.errors import Conflict
from siaga.units.models import Unit
from siaga.units.service import set_unit_status

_ENDINGS = frozenset({"cleared", "cancelled", "cancelled_by_caller"})
# From each status, where an assignment may go next (forward only; skipping steps is allowed,
# an officer may report arrival without having pressed "en route").
ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    "dispatched": frozenset({"accepted", "en_route", "on_scene"}) | _ENDINGS,
    "accepted": frozenset({"en_route", "on_scene"}) | _ENDINGS,
    "en_route": frozenset({"on_scene"}) | _ENDINGS,
    "on_scene": _ENDINGS,
    "cleared": frozenset(),
    "cancelled": frozenset(),
    "cancelled_by_caller": frozenset(),
}
# Labels on screens (officer's phone, /ops, the citizen's unit line).
ASSIGNMENT_STATUS_LABELS = {
    "dispatched": "Ditugaskan",
    "accepted": "Diterima petugas",
    "en_route": "Dalam perjalanan",
    "on_scene": "Tiba di lokasi",
    "cleared": "Selesai",
    "cancelled": "Dibatalkan",
    "cancelled_by_caller": "Dibatalkan pelapor",
}
# The unit's status while its assignment is in each state.
UNIT_STATUS_FOR_STEP = {"accepted": "dispatched", "en_route": "en_route",
                        "on_scene": "on_scene", "cleared": "available",
                        "cancelled": "available", "cancelled_by_caller": "available"}


MAX_PRESS_AGE_S = 7 * 24 * 3600.0  # beyond any shift; also keeps the arithmetic in range


def press_time(assignment: Assignment, *, now: datetime,
               seconds_ago: float | None) -> datetime:
    """When the officer pressed a step: `seconds_ago` is measured on the phone's own clock (a
    duration, so a phone set to the wrong time still counts right), held between the
    assignment's latest recorded step and now."""
    if seconds_ago is None or seconds_ago <= 0:
        return now
    recorded: list[datetime] = [t for step in ASSIGNMENT_STEPS
                                if (t := getattr(assignment, f"{step}_at")) is not None]
    latest = max(recorded)
    return min(now, max(latest, now - timedelta(seconds=min(seconds_ago, MAX_PRESS_AGE_S))))


def move_assignment(assignment: Assignment, to: str, *, now: datetime) -> str:
    """Move an assignment to `to` if allowed; fills skipped step times; returns the old status."""
    previous = assignment.status
    if to not in ASSIGNMENT_TRANSITIONS.get(previous, frozenset()):
        if previous in ASSIGNMENT_FINAL:
            raise Conflict(f"Penugasan sudah {ASSIGNMENT_LABELS[previous]}", field="status")
        raise Conflict(f"Status tidak bisa mundur dari {ASSIGNMENT_LABELS[previous]} "
                       f"ke {ASSIGNMENT_LABELS.get(to, to)}", field="status")
    if to in ("cancelled", "cancelled_by_caller"):
        assignment.cancelled_at = now
    else:
        # A skipped step (straight to on scene) takes the time of the step that implies it.
        for step in ASSIGNMENT_STEPS[1:ASSIGNMENT_STEPS.index(to) + 1]:
            if step == "on_scene" and to == "cleared":
                continue  # finished without reporting arrival: the arrival time is unknown
            if getattr(assignment, f"{step}_at") is None:
                setattr(assignment, f"{step}_at", now)
    assignment.status = to
    return previous


def follow_unit(session: Session, *, unit: Unit, step: str, actor: User | None) -> None:
    """Move the unit's status with its assignment; freed only when no other task holds it."""
    if unit.kind == "desk":
        return
    target = UNIT_STATUS_FOR_STEP.get(step)
    if target is None:
        return
    if target == "available":
        busy = session.scalar(select(Assignment.id).where(Assignment.unit_id == unit.id)
                              .where(Assignment.status.not_in(ASSIGNMENT_FINAL)).limit(1))
        if busy is not None:
            return
    if unit.status != target and unit.status != "out_of_service":
        set_unit_status(session, unit=unit, status=target, actor=actor,
                        note="mengikuti status penugasan")


def end_assignments(session: Session, *, alarm: Alarm, status: str, actor: User | None,
                    now: datetime, note: str | None = None) -> list[tuple[Assignment, Unit]]:
    """End every unfinished assignment of an alarm (closing or the caller's cancel) and free
    their units; returns what was ended."""
    ended: list[tuple[Assignment, Unit]] = []
    rows = session.scalars(select(Assignment).where(Assignment.alarm_id == alarm.id)
                           .where(Assignment.status.not_in(ASSIGNMENT_FINAL))
                           .order_by(Assignment.id)).all()
    for assignment in rows:
        previous = move_assignment(assignment, status, now=now)
        unit = session.get(Unit, assignment.unit_id)
        assert unit is not None
        session.add(AlarmEvent(alarm_id=alarm.id, type=f"unit.{status}", at=now,
                               actor_user_id=actor.id if actor else None,
                               by_citizen=actor is None, note=note,
                               data={"assignment_id": assignment.id, "unit_id": unit.id,
                                     "callsign": unit.callsign, "from": previous}))
        audit(session, action=f"assignment.{status}", target=assignment, actor=actor,
              org_path=alarm.org_path, detail={"from": previous, "unit_id": unit.id})
        session.flush()
        follow_unit(session, unit=unit, step=status, actor=actor)
        ended.append((assignment, unit))
    return ended
