"""Reading the audit log: admins only, newest first, within their organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from siaga.audit.models import AuditEntry
from siaga.auth.models import User
from siaga.deps import SessionDep, Staff, require
from siaga.errors import Invalid
from siaga.timeparams import QueryTime

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
Admin = Annotated[Staff, Depends(require("audit.view"))]


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    action: str
    actor_user_id: int | None
    actor_username: str | None
    actor_device_id: int | None
    target_type: str
    target_id: str | None
    org_path: str | None
    detail: dict[str, Any]


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    total: int


def _filtered(
    *, scope: str, action: str | None, actor: str | None, target_type: str | None,
    target_id: str | None, since: QueryTime | None, until: QueryTime | None,
) -> Select[AuditEntry, str]:
    query = select(AuditEntry, User.username).outerjoin(User, User.id == AuditEntry.actor_user_id)
    if scope != "/":
        # Entries without an organisation (log-ins, accounts) belong to national admins only.
        query = query.where(AuditEntry.org_path.startswith(scope, autoescape=True))
    if action:
        # "alarm." lists every alarm action; "alarm.view" only that one.
        query = query.where(or_(AuditEntry.action == action,
                                AuditEntry.action.startswith(action, autoescape=True))
                            if action.endswith(".") else AuditEntry.action == action)
    if actor:
        query = query.where(User.username == actor)
    if target_type:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id:
        query = query.where(AuditEntry.target_id == target_id)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    return query


def _page(session: Session, query: Select[AuditEntry, str], *, limit: int,
          offset: int) -> AuditPage:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
    ).all()
    items = [
        AuditEntryOut(id=e.id, at=e.at, action=e.action, actor_user_id=e.actor_user_id,
                      actor_username=username, actor_device_id=e.actor_device_id,
                      target_type=e.target_type, target_id=e.target_id, org_path=e.org_path,
                      detail=e.detail or {})
        for e, username in rows
    ]
    return AuditPage(items=items, total=int(total))


@router.get("", response_model=AuditPage)
def list_audit(
    staff: Admin, session: SessionDep,
    action: Annotated[str | None, Query(max_length=80, description="e.g. alarm.view, or alarm.")]
    = None,
    actor: Annotated[str | None, Query(max_length=80, description="staff user name")] = None,
    target_type: Annotated[str | None, Query(max_length=40)] = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[QueryTime | None, Query(description="ISO 8601 with zone")] = None,
    until: Annotated[QueryTime | None, Query(description="ISO 8601 with zone")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AuditPage:
    """Who did or viewed what, newest first (admins only)."""
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise Invalid("Waktu harus menyertakan zona waktu", field=name)
    query = _filtered(scope=staff.scope, action=action, actor=actor, target_type=target_type,
                      target_id=target_id, since=since, until=until)
    return _page(session, query, limit=limit, offset=offset)
