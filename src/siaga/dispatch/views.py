"""Routes for recommendation, dispatch, the officer's tasks, closing and response metrics."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from siaga.alarms.schemas import AlarmSummary
from siaga.alarms.serialize import alarm_summary
from siaga.auth.service import scope_path
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.deps import CurrentUser, SessionDep, Staff, require
from siaga.dispatch import service
from siaga.dispatch.closing import close_alarm
from siaga.dispatch.crime_types import crime_types
from siaga.dispatch.metrics import response_metrics
from siaga.dispatch.models import CATEGORIES, OUTCOMES
from siaga.dispatch.schemas import (
    KIND_LABELS,
    AssignmentOut,
    AssignmentPage,
    CloseRequest,
    CrimeTypeOut,
    DispatchRequest,
    RecommendationOut,
    RecommendationPage,
    ResponseMetrics,
    StatusChange,
    TargetsOut,
    TaskPage,
)
from siaga.dispatch.serialize import assignment_out
from siaga.timeparams import QueryTime

alarm_router = APIRouter(prefix="/api/v1/alarms", tags=["dispatch"])
router = APIRouter(prefix="/api/v1/dispatch", tags=["dispatch"])
Watchers = Annotated[Staff, Depends(require("dispatch.view"))]
Operator = Annotated[Staff, Depends(require("dispatch.assign"))]


@alarm_router.get("/{alarm_id}/recommendations", response_model=RecommendationPage)
def recommendations(alarm_id: int, staff: Watchers, session: SessionDep,
                    limit: Annotated[int, Query(ge=1, le=100)] = 10) -> RecommendationPage:
    """Units ranked by estimated travel time, with the alarm's Polsek desk as fallback."""
    alarm, ranked = service.recommendations_for(session, staff=staff, alarm_id=alarm_id,
                                                limit=limit)
    now = utcnow()
    settings = get_settings()
    items = [RecommendationOut(**vars(r), kind_label=KIND_LABELS.get(r.kind, r.kind),
                               eta_at=now + timedelta(seconds=r.eta_s)) for r in ranked]
    return RecommendationPage(alarm_id=alarm.id, items=items, total=len(items),
                              detour_factor=settings.dispatch_detour_factor,
                              speed_kmh=settings.dispatch_speed_kmh)


@alarm_router.post("/{alarm_id}/dispatch", status_code=201, response_model=AssignmentOut)
def dispatch(alarm_id: int, body: DispatchRequest, staff: Operator,
             session: SessionDep) -> AssignmentOut:
    """Send one unit to the alarm (one click from the recommendation list)."""
    assignment = service.dispatch_unit(session, staff=staff, alarm_id=alarm_id,
                                       unit_id=body.unit_id)
    return assignment_out(session, assignment)


@alarm_router.post("/{alarm_id}/close", response_model=AlarmSummary)
def close(alarm_id: int, body: CloseRequest, staff: Operator,
          session: SessionDep) -> AlarmSummary:
    """Close the alarm with its outcome (genuine, false alarm, prank, duplicate)."""
    alarm = close_alarm(session, staff=staff, alarm_id=alarm_id, outcome=body.outcome,
                        category=body.category, crime_type=body.crime_type, note=body.note)
    return alarm_summary(session, alarm)


@router.get("/mine", response_model=TaskPage)
def mine(user: CurrentUser, session: SessionDep) -> TaskPage:
    """The signed-in officer's unfinished tasks (units they drive or crew), newest first."""
    rows = service.tasks_for_officer(session, user=user)
    items = [service.task_out(session, assignment=a, unit=u, alarm=al) for a, u, al in rows]
    return TaskPage(items=items, total=len(items))


@router.post("/{assignment_id}/status", response_model=AssignmentOut)
def set_status(assignment_id: int, body: StatusChange, user: CurrentUser,
               session: SessionDep) -> AssignmentOut:
    """Accepted, en route, on scene, cleared (officer or operator); cancelled (operator)."""
    assignment = service.set_assignment_status(
        session, user=user, scope=scope_path(session, user=user), assignment_id=assignment_id,
        status=body.status, note=body.note, pressed_seconds_ago=body.pressed_seconds_ago)
    return assignment_out(session, assignment)


@router.get("/assignments", response_model=AssignmentPage)
def assignments(staff: Watchers, session: SessionDep) -> AssignmentPage:
    """Unfinished assignments in scope, for the queue and map."""
    rows = service.active_assignments(session, staff=staff)
    items = [assignment_out(session, a) for a in rows]
    return AssignmentPage(items=items, total=len(items))


@router.get("/targets", response_model=TargetsOut)
def targets(user: CurrentUser) -> TargetsOut:
    """Timer targets and the closing choices (outcomes, categories, crime types)."""
    s = get_settings()
    return TargetsOut(
        acknowledge_target_s=s.acknowledge_target_s,
        escalate_unacknowledged_s=s.escalate_unacknowledged_s,
        escalate_undispatched_s=s.escalate_undispatched_s,
        arrival_target_s=s.arrival_target_s, outcomes=list(OUTCOMES),
        categories=list(CATEGORIES),
        crime_types=[CrimeTypeOut(code=c.code, label=c.label, source=c.source)
                     for c in crime_types()],
    )


@router.get("/metrics", response_model=ResponseMetrics)
def metrics(staff: Watchers, session: SessionDep, since: QueryTime | None = None,
            until: QueryTime | None = None) -> ResponseMetrics:
    """Response times of alarms created in [since, until) (default: the last 7 days)."""
    until = until or utcnow()
    since = since or until - timedelta(days=7)
    return response_metrics(session, scope=staff.scope, since=since, until=until)
