"""Every change of an alarm's state, with the transitions allowed between states.

All writes of `Alarm.status` go through `move`. The alarm's version column is SQLAlchemy's
`version_id_col`: each ORM UPDATE says `WHERE version = <read>`, so of two operators changing
one alarm at the same moment the later one fails at flush with StaleDataError, which the app
answers 409 with STALE_MESSAGE. Assignment steps live in dispatch/assignments.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from siaga.alarms.labels import STATUS_LABELS
from siaga.alarms.models import (
    ACTIVE_STATUSES,
    PRIORITY_DURESS,
    Alarm,
    AlarmEvent,
    AlarmLocation,
    AlarmPress,
)
from siaga.alarms.publish import publish_alarm
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.dispatch.assignments import end_assignments
from siaga.dispatch.serialize import assignment_out
from siaga.errors import Conflict

STALE_MESSAGE = ("Alarm ini baru saja diubah oleh operator lain. Tampilan sudah dimuat ulang; "
                 "periksa lalu ulangi bila perlu.")
_TO_END = frozenset({"closed", "cancelled"})
# From each status, where an alarm may go. "cancelled" -> "dispatched" is an operator still
# sending a unit to an alarm its caller cancelled (only while awaiting confirmation).
ALARM_TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"acknowledged", "dispatched", "en_route", "on_scene"}) | _TO_END,
    "acknowledged": frozenset({"dispatched", "en_route", "on_scene"}) | _TO_END,
    "dispatched": frozenset({"en_route", "on_scene"}) | _TO_END,
    "en_route": frozenset({"on_scene"}) | _TO_END,
    "on_scene": _TO_END,
    "cancelled": frozenset({"dispatched"}),
    "closed": frozenset(),
}
# Changes that keep the status: recorded on the timeline under these types.
EVENTS_WITHOUT_STATUS = ("joined", "escalated", "duress", "cancel_confirmed", "merged",
                         "unmerged", "reopened")
STATUS_RANK = {"open": 0, "acknowledged": 1, "dispatched": 2, "en_route": 3, "on_scene": 4}
def move(alarm: Alarm, to: str, *, now: datetime) -> None:
    """Set the alarm's status if the transition is allowed; refuse it (409) otherwise."""
    if to == alarm.status:
        return
    allowed = ALARM_TRANSITIONS.get(alarm.status, frozenset())
    if to not in allowed or (alarm.status == "cancelled" and not alarm.needs_cancel_confirmation):
        raise Conflict(f"Alarm berstatus {STATUS_LABELS.get(alarm.status, alarm.status)}; "
                       f"tidak bisa menjadi {STATUS_LABELS.get(to, to)}", field="status")
    alarm.status = to
    alarm.updated_at = now


def touch(alarm: Alarm, *, now: datetime) -> None:
    """Mark a change that keeps the status (the version check still applies)."""
    alarm.updated_at = now


def note(session: Session, *, alarm: Alarm, type: str, now: datetime, actor: User | None = None,
         by_citizen: bool = False, text: str | None = None,
         data: dict[str, Any] | None = None) -> None:
    """Add one line to the alarm's timeline."""
    session.add(AlarmEvent(alarm_id=alarm.id, type=type, at=now, by_citizen=by_citizen,
                           actor_user_id=actor.id if actor else None, note=text,
                           data=data or {}))


def set_position(session: Session, *, alarm: Alarm, lat: float, lon: float,
                 accuracy_m: float | None, fix_at: datetime | None, now: datetime) -> None:
    """Keep a position in the history; it becomes the alarm's position unless an older fix."""
    measured = fix_at or now
    session.add(AlarmLocation(alarm_id=alarm.id, lat=lat, lon=lon, accuracy_m=accuracy_m,
                              at=measured))
    current = alarm.fix_at
    if current is not None and measured < current:
        return  # a late, older fix (a phone's queue): history only
    alarm.lat, alarm.lon, alarm.accuracy_m, alarm.fix_at = lat, lon, accuracy_m, fix_at
    touch(alarm, now=now)


def acknowledge(session: Session, *, alarm: Alarm, actor: User, now: datetime,
                text: str | None = None) -> bool:
    """Record the first acknowledgement (an open alarm becomes acknowledged); False if seen."""
    if alarm.acknowledged_at is not None:
        return False
    if alarm.status not in ACTIVE_STATUSES:
        raise Conflict(f"Alarm berstatus {STATUS_LABELS.get(alarm.status, alarm.status)}; "
                       "tidak bisa diterima", field="status")
    alarm.acknowledged_at = now
    alarm.acknowledged_by_id = actor.id
    if alarm.status == "open":
        move(alarm, "acknowledged", now=now)
    touch(alarm, now=now)
    note(session, alarm=alarm, type="acknowledged", now=now, actor=actor, text=text)
    audit(session, action="alarm.acknowledge", target=alarm, actor=actor,
          org_path=alarm.org_path)
    return True


def dispatched(session: Session, *, alarm: Alarm, actor: User, now: datetime) -> None:
    """A unit was sent: acknowledged if not yet, and at least "dispatched"; an operator sending
    a unit to an alarm its caller cancelled takes it back into handling."""
    if alarm.status == "cancelled" and alarm.needs_cancel_confirmation:
        move(alarm, "dispatched", now=now)
        alarm.needs_cancel_confirmation = False
        alarm.cancelled_at = None
        note(session, alarm=alarm, type="reopened", now=now, actor=actor,
             text="Operator tetap mengirim unit setelah pelapor membatalkan")
    elif alarm.status not in ACTIVE_STATUSES:
        raise Conflict(f"Alarm berstatus {STATUS_LABELS.get(alarm.status, alarm.status)}; "
                       "tidak bisa ditugaskan", field="status")
    acknowledge(session, alarm=alarm, actor=actor, now=now, text="diterima saat penugasan")
    if STATUS_RANK.get(alarm.status, 9) < STATUS_RANK["dispatched"]:
        move(alarm, "dispatched", now=now)
    touch(alarm, now=now)


def follow_assignment(alarm: Alarm, *, step: str, now: datetime) -> None:
    """An assignment moved on: the alarm follows forward (never back, never out of an end)."""
    target = {"accepted": "dispatched", "en_route": "en_route", "on_scene": "on_scene"}.get(step)
    if alarm.status not in STATUS_RANK or target is None:
        touch(alarm, now=now)
        return
    if STATUS_RANK[target] > STATUS_RANK[alarm.status]:
        move(alarm, target, now=now)
    touch(alarm, now=now)


def cancel_by_caller(session: Session, *, alarm: Alarm, device_id: int, reason: str | None,
                     now: datetime) -> None:
    """The caller cancelled with their PIN. Once an operator acted, the alarm waits for an
    operator's confirmation; its units are called off (their phones are alerted)."""
    if alarm.status not in ACTIVE_STATUSES:
        raise Conflict("Alarm sudah selesai atau dibatalkan", field="status")
    acted = alarm.acknowledged_at is not None or alarm.status != "open"
    move(alarm, "cancelled", now=now)
    alarm.cancelled_at = now
    alarm.needs_cancel_confirmation = acted
    note(session, alarm=alarm, type="cancelled", now=now, by_citizen=True, text=reason)
    audit(session, action="alarm.cancel", target=alarm, actor=None, device_id=device_id,
          org_path=alarm.org_path, detail={"reason": reason, "needs_confirmation": acted})
    ended = end_assignments(session, alarm=alarm, status="cancelled_by_caller", actor=None,
                            now=now, note="Pelapor membatalkan alarm")
    for assignment, unit in ended:
        out = assignment_out(session, assignment, unit=unit, alarm=alarm, now=now)
        publish_alarm(session, alarm=alarm, type="alarm.assignment",
                      assignment=out.model_dump(mode="json"))
    publish_alarm(session, alarm=alarm, type="alarm.cancelled")


def duress(session: Session, *, alarm: Alarm, device_id: int, reason: str | None,
           now: datetime) -> None:
    """A "cancel" with the duress PIN: the alarm stays active with a higher priority; only the
    caller's phone is shown a cancellation."""
    if alarm.status not in ACTIVE_STATUSES:
        raise Conflict("Alarm sudah selesai atau dibatalkan", field="status")
    alarm.duress = True
    alarm.duress_at = now
    alarm.caller_sees_cancelled = True
    alarm.priority = max(alarm.priority, PRIORITY_DURESS)
    touch(alarm, now=now)
    note(session, alarm=alarm, type="duress", now=now, by_citizen=True, text=reason,
         data={"label": "Dibatalkan dengan PIN darurat: kemungkinan di bawah ancaman"})
    audit(session, action="alarm.duress", target=alarm, actor=None, device_id=device_id,
          org_path=alarm.org_path)
    publish_alarm(session, alarm=alarm, type="alarm.updated", change="duress")


def confirm_cancel(session: Session, *, alarm: Alarm, actor: User, now: datetime) -> None:
    """An operator confirms the caller's cancellation: the alarm leaves the queue."""
    if not alarm.needs_cancel_confirmation:
        raise Conflict("Tidak ada pembatalan pelapor yang menunggu konfirmasi", field="status")
    alarm.needs_cancel_confirmation = False
    touch(alarm, now=now)
    note(session, alarm=alarm, type="cancel_confirmed", now=now, actor=actor)
    audit(session, action="alarm.confirm_cancel", target=alarm, actor=actor,
          org_path=alarm.org_path)
    publish_alarm(session, alarm=alarm, type="alarm.updated", change="cancel_confirmed")


def join(session: Session, *, alarm: Alarm, client_id: str, device_id: int, lat: float,
         lon: float, accuracy_m: float | None, fix_at: datetime | None, now: datetime,
         location_source: str | None = None) -> None:
    """A new press from the device whose alarm is active: one alarm, a timeline line."""
    session.add(AlarmPress(alarm_id=alarm.id, client_id=client_id, at=now))
    alarm.caller_sees_cancelled = False
    if location_source is not None:  # a later SMS: the newest SMS says where the position is
        alarm.location_source = location_source
    set_position(session, alarm=alarm, lat=lat, lon=lon, accuracy_m=accuracy_m, fix_at=fix_at,
                 now=now)
    touch(alarm, now=now)
    note(session, alarm=alarm, type="joined", now=now, by_citizen=True,
         text="Pelapor menekan tombol lagi", data={"client_id": client_id})
    audit(session, action="alarm.join", target=alarm, actor=None, device_id=device_id,
          org_path=alarm.org_path, detail={"client_id": client_id})


def close(session: Session, *, alarm: Alarm, actor: User, outcome: str, detail: str | None,
          now: datetime) -> None:
    """Close with the operator's outcome; every unfinished assignment is cleared."""
    end_assignments(session, alarm=alarm, status="cleared", actor=actor, now=now)
    move(alarm, "closed", now=now)
    alarm.closed_at = now
    alarm.outcome = outcome
    alarm.outcome_detail = detail
