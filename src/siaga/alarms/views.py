"""Alarm routes for citizens' devices and for staff."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from siaga.alarms import incidents, service
from siaga.alarms.cancel import TooManyWrongPins, WrongPin, cancel_alarm
from siaga.alarms.intake import store_alarm
from siaga.alarms.models import Alarm
from siaga.alarms.queries import list_alarms
from siaga.alarms.schemas import (
    AlarmContext,
    AlarmCreate,
    AlarmDetail,
    AlarmPage,
    AlarmSummary,
    CancelRequest,
    LocationUpdate,
    MergeRequest,
)
from siaga.alarms.serialize import (
    alarm_detail,
    alarm_summaries,
    alarm_summary,
    caller_detail,
    caller_summary,
)
from siaga.alarms.service import NewAlarm
from siaga.auth.capabilities import can
from siaga.auth.service import scope_path, user_for_token
from siaga.deps import (
    CurrentDevice,
    DeviceCredential,
    SessionDep,
    Staff,
    client_ip,
    require,
)
from siaga.devices.service import device_for_token
from siaga.errors import Forbidden, NotFound, Unauthorized

router = APIRouter(prefix="/api/v1/alarms", tags=["alarms"])
AlarmStaff = Annotated[Staff, Depends(require("alarms.view"))]
Operator = Annotated[Staff, Depends(require("alarms.handle"))]


@router.post("", status_code=201, response_model=AlarmSummary,
             responses={200: {"model": AlarmSummary, "description": "Sudah diterima sebelumnya"}})
async def create(body: AlarmCreate, device_digest: DeviceCredential, request: Request
                 ) -> Response:
    """A citizen's alarm: 201 once committed, 200 with the same alarm for a resent client_id."""
    # No session or thread hop here: the group-commit writer checks the device and stores the
    # alarm with whatever else arrived meanwhile.
    summary, created = await store_alarm(NewAlarm(
        token_digest=device_digest, client_id=body.client_id,
        lat=body.lat, lon=body.lon, accuracy_m=body.accuracy_m,
        triggered_at=body.triggered_at, kind=body.kind, client_ip=client_ip(request),
        fix_at=body.fix_at,
    ))
    # The phone never sees staff judgement (duress, priority, incidents).
    shown = summary.model_copy(update={
        "duress": False, "priority": 0, "needs_cancel_confirmation": False,
        "incident_id": None, "merged_into_id": None})
    # The summary is already the response model; returning it serialised skips a second pass.
    return Response(shown.model_dump_json(), status_code=201 if created else 200,
                    media_type="application/json")


@router.get("", response_model=AlarmPage)
def list_(
    staff: AlarmStaff, session: SessionDep,
    # "open" lists every alarm still being handled (a caller's cancel awaiting confirmation
    # included); "history" closed and cancelled ones, newest first, matching q; the others
    # list that one status.
    status: Annotated[Literal["open", "history", "acknowledged", "dispatched", "en_route",
                              "on_scene", "closed", "cancelled"] | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AlarmPage:
    rows, total = list_alarms(session, staff=staff, status=status, limit=limit, offset=offset,
                              q=q)
    return AlarmPage(items=alarm_summaries(session, rows), total=total)


@router.get("/{alarm_id}", response_model=AlarmDetail)
def get(alarm_id: int, request: Request, session: SessionDep) -> AlarmDetail:
    """For the device that sent it, or for staff of its organisation."""
    token = _bearer_token(request)
    alarm, for_caller = _alarm_for_token(session, token=token, alarm_id=alarm_id)
    return caller_detail(session, alarm) if for_caller else alarm_detail(session, alarm)


@router.get("/{alarm_id}/context", response_model=AlarmContext)
def context(alarm_id: int, staff: AlarmStaff, session: SessionDep) -> AlarmContext:
    """The caller's earlier alarms with their outcomes and recent incidents at that place."""
    alarm = service.view_alarm(session, staff=staff, alarm_id=alarm_id)
    return AlarmContext(
        caller_alarms=alarm_summaries(
            session, incidents.caller_alarms(session, alarm=alarm, scope=staff.scope)),
        nearby_incidents=alarm_summaries(
            session, incidents.nearby_incidents(session, alarm=alarm, scope=staff.scope)))


@router.post("/{alarm_id}/confirm-cancel", response_model=AlarmSummary)
def confirm_cancel(alarm_id: int, staff: Operator, session: SessionDep) -> AlarmSummary:
    """Confirm the caller's cancellation: the alarm leaves the queue."""
    return alarm_summary(session, service.confirm_cancel(session, staff=staff,
                                                         alarm_id=alarm_id))


@router.post("/{alarm_id}/merge", response_model=AlarmSummary)
def merge(alarm_id: int, body: MergeRequest, staff: Operator,
          session: SessionDep) -> AlarmSummary:
    """Treat this alarm as part of the emergency of alarm `into_id` (one incident)."""
    alarm = service.alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    try:
        into = service.alarm_for_staff(session, staff=staff, alarm_id=body.into_id)
    except NotFound as exc:
        raise NotFound("Alarm tujuan tidak ditemukan", field="into_id") from exc
    incidents.merge(session, alarm=alarm, into=into, actor=staff.user)
    return alarm_summary(session, alarm)


@router.post("/{alarm_id}/unmerge", response_model=AlarmSummary)
def unmerge(alarm_id: int, staff: Operator, session: SessionDep) -> AlarmSummary:
    """Take the alarm out of its incident again."""
    alarm = service.alarm_for_staff(session, staff=staff, alarm_id=alarm_id)
    incidents.unmerge(session, alarm=alarm, actor=staff.user)
    return alarm_summary(session, alarm)


@router.post("/{alarm_id}/acknowledge", response_model=AlarmSummary)
def acknowledge(alarm_id: int, staff: Operator, session: SessionDep) -> AlarmSummary:
    return alarm_summary(session, service.acknowledge_alarm(session, staff=staff,
                                                            alarm_id=alarm_id))


@router.post("/{alarm_id}/location", response_model=AlarmSummary)
def add_location(alarm_id: int, body: LocationUpdate, device: CurrentDevice,
                 session: SessionDep) -> AlarmSummary:
    alarm = service.update_location(session, device=device, alarm_id=alarm_id, lat=body.lat,
                                    lon=body.lon, accuracy_m=body.accuracy_m,
                                    at=body.fix_at or body.at)
    return caller_summary(alarm_summary(session, alarm), alarm)


@router.post("/{alarm_id}/cancel", response_model=AlarmSummary)
def cancel(alarm_id: int, body: CancelRequest, device: CurrentDevice,
           session: SessionDep) -> AlarmSummary:
    try:
        alarm = cancel_alarm(session, device=device, alarm_id=alarm_id, pin=body.pin,
                             reason=body.reason)
    except (WrongPin, TooManyWrongPins):
        session.commit()  # the refused attempt's audit entry stays; the alarm is unchanged
        raise
    return caller_summary(alarm_summary(session, alarm), alarm)


def _bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Butuh token: kirim header Authorization: Bearer <token>")
    return token


def _alarm_for_token(session: Session, *, token: str, alarm_id: int) -> tuple[Alarm, bool]:
    """The alarm, and whether the caller's phone (not staff) asks."""
    try:
        device = device_for_token(session, token=token)
    except Unauthorized:
        user = user_for_token(session, token=token)
        if not can(user.role, "alarms.view"):
            raise Forbidden("Peran Anda tidak berhak melihat alarm ini") from None
        staff = Staff(user, scope_path(session, user=user))
        return service.view_alarm(session, staff=staff, alarm_id=alarm_id), False
    return service.alarm_for_device(session, device=device, alarm_id=alarm_id), True
