"""Which live events a staff socket may receive: by role as well as organisation scope.

The socket gives no more than the REST API gives the same account:
- operators, pimpinan and admins: every event in their organisation's subtree;
- analis: intelligence only (early warnings, crimes, near-repeat alerts, tips) in their scope;
- petugas: the alarms their own units are assigned to (wherever those alarms are), never other
  callers' alarms, names or phones;
- everyone: broadcast notices (`notice.*`) in their scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from siaga.auth.capabilities import can
from siaga.auth.models import User
from siaga.auth.service import scope_path
from siaga.dispatch.models import ASSIGNMENT_FINAL, Assignment
from siaga.units.models import Unit

INTEL_TYPES = ("warning.", "crime.", "nearrepeat.", "tip.")
BROADCAST_TYPES = ("notice.",)
OFFICER_TYPES = ("alarm.",)
# An officer keeps hearing about an alarm this long after their unit was sent to it (its
# closing, a late cancellation), even once the assignment itself has ended.
OFFICER_MEMORY = timedelta(hours=24)


@dataclass(slots=True)
class Audience:
    """What one socket's account may see; refreshed whenever the socket is re-checked."""

    role: str
    scope: str
    unit_ids: frozenset[int] = frozenset()
    alarm_ids: set[int] = field(default_factory=set)

    @property
    def replay_types(self) -> tuple[str, ...] | None:
        """Event type prefixes worth replaying for this role (None: all)."""
        if can(self.role, "live.everything_in_scope"):
            return None
        if can(self.role, "live.intel"):
            return INTEL_TYPES + BROADCAST_TYPES
        return OFFICER_TYPES + BROADCAST_TYPES

    @property
    def replay_scope(self) -> str:
        """The organisation prefix of events worth replaying (an officer's alarms may lie outside
        their own Polsek)."""
        return self.scope if can(self.role, "live.everything_in_scope") or can(
            self.role, "live.intel") else "/"

    def admits(self, message: dict[str, Any]) -> bool:
        """Whether this socket may receive the event."""
        type_ = str(message.get("type", ""))
        in_scope = str(message.get("org_path", "")).startswith(self.scope)
        if type_.startswith(BROADCAST_TYPES):
            return in_scope
        if can(self.role, "live.everything_in_scope"):
            return in_scope
        if can(self.role, "live.intel"):
            return in_scope and type_.startswith(INTEL_TYPES)
        if can(self.role, "live.own_tasks"):
            return type_.startswith(OFFICER_TYPES) and self._own_alarm(message)
        return False

    def _own_alarm(self, message: dict[str, Any]) -> bool:
        alarm = message.get("alarm")
        alarm_id = alarm.get("id") if isinstance(alarm, dict) else None
        assignment = message.get("assignment")
        if isinstance(assignment, dict) and assignment.get("unit_id") in self.unit_ids:
            if isinstance(alarm_id, int):
                self.alarm_ids.add(alarm_id)  # a fresh dispatch to one of this officer's units
            return True
        return isinstance(alarm_id, int) and alarm_id in self.alarm_ids


LIVE_CAPABILITIES = ("live.everything_in_scope", "live.intel", "live.own_tasks")


def may_listen(role: str) -> bool:
    """Whether this role may open the live channel at all."""
    return any(can(role, capability) for capability in LIVE_CAPABILITIES)


def load_audience(session: Session, *, user: User, now: datetime) -> Audience:
    """The audience of this user as the database stands now."""
    audience = Audience(role=user.role, scope=scope_path(session, user=user))
    if can(user.role, "live.own_tasks") and not can(user.role, "live.everything_in_scope"):
        audience.unit_ids = officer_units(session, user=user)
        audience.alarm_ids = officer_alarms(session, unit_ids=audience.unit_ids, now=now)
    return audience


def officer_units(session: Session, *, user: User) -> frozenset[int]:
    """Units this officer drives or crews (the rule of `dispatch.service`: user, name or id)."""
    names = {user.username.lower(), str(user.id)}
    rows = session.execute(select(Unit.id, Unit.user_id, Unit.crew)).all()
    return frozenset(
        unit_id for unit_id, owner, crew in rows
        if owner == user.id or names & {str(m).strip().lower() for m in (crew or [])}
    )


def officer_alarms(session: Session, *, unit_ids: frozenset[int], now: datetime) -> set[int]:
    """Alarms these units are assigned to now or were sent to recently."""
    if not unit_ids:
        return set()
    rows = session.scalars(
        select(Assignment.alarm_id).where(Assignment.unit_id.in_(sorted(unit_ids)))
        .where(or_(Assignment.status.not_in(ASSIGNMENT_FINAL),
                   Assignment.dispatched_at >= now - OFFICER_MEMORY))
    )
    return set(rows)
