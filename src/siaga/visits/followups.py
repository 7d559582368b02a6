"""Follow-up tasks across functions: opened from a visit or a tip, owned, due, closed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.capabilities import can
from siaga.auth.models import User
from siaga.auth.service import scope_path
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import Forbidden, Invalid, NotFound
from siaga.orgs.models import Region
from siaga.visits.models import FOLLOW_UP_CLOSED, FUNCTIONS, FollowUp, Visit
from siaga.visits.periods import local_today
from siaga.visits.schemas import FollowUpOut, FollowUpUpdate

if TYPE_CHECKING:
    from siaga.tips.models import Tip

DEFAULT_DUE_DAYS = 7


def open_follow_up(
    session: Session, *, actor: User | None, visit: Visit | None, tip: Tip | None,
    function: str, description: str, due_date: date | None,
) -> FollowUp:
    """Hand a problem to a function's desk, due in a week unless said otherwise."""
    if function not in FUNCTIONS:
        raise Invalid(f"Fungsi tidak dikenal: {function}", field="function")
    source_path = visit.org_path if visit is not None else tip.org_path if tip else None
    if source_path is None:
        raise Invalid("Tindak lanjut butuh kunjungan atau laporan warga", field="visit_id")
    follow_up = FollowUp(
        visit_id=visit.id if visit else None, tip_id=tip.id if tip else None,
        function=function, description=description.strip(), org_path=source_path,
        status="open", due_date=due_date or local_today(utcnow()) + timedelta(DEFAULT_DUE_DAYS),
        reported_by_id=actor.id if actor else None,
    )
    session.add(follow_up)
    session.flush()
    audit(session, action="follow_up.open", target=follow_up, actor=actor,
          org_path=follow_up.org_path,
          detail={"function": function, "visit_id": follow_up.visit_id,
                  "tip_id": follow_up.tip_id})
    return follow_up


def _follow_up_query(staff: Staff) -> Select[FollowUp]:
    query = select(FollowUp)
    if not can(staff.user.role, "visits.read_all_in_scope"):
        return query.where(or_(FollowUp.reported_by_id == staff.user.id,
                               FollowUp.owner_id == staff.user.id))
    return query.where(FollowUp.org_path.startswith(staff.scope, autoescape=True))


def list_follow_ups(
    session: Session, *, staff: Staff, status: str | None, function: str | None,
    visit_id: int | None, limit: int, offset: int,
) -> tuple[list[FollowUp], int]:
    """Follow-ups in scope (officers: the ones they reported or own), oldest due first."""
    query = _follow_up_query(staff)
    if status == "active":
        query = query.where(FollowUp.status.not_in(FOLLOW_UP_CLOSED))
    elif status:
        query = query.where(FollowUp.status == status)
    if function:
        query = query.where(FollowUp.function == function)
    if visit_id is not None:
        query = query.where(FollowUp.visit_id == visit_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(FollowUp.due_date, FollowUp.id)
                           .limit(limit).offset(offset))
    return list(rows), int(total)


def follow_up_for_staff(session: Session, *, staff: Staff, follow_up_id: int) -> FollowUp:
    """The follow-up if this staff member may read it."""
    row = session.get(FollowUp, follow_up_id)
    if row is None:
        raise NotFound("Tindak lanjut tidak ditemukan", field="id")
    if not can(staff.user.role, "visits.read_all_in_scope"):
        if staff.user.id not in (row.reported_by_id, row.owner_id):
            raise NotFound("Tindak lanjut tidak ditemukan", field="id")
    elif not staff.sees(row.org_path):
        raise NotFound("Tindak lanjut tidak ditemukan", field="id")
    return row


def update_follow_up(session: Session, *, staff: Staff, follow_up_id: int,
                     data: FollowUpUpdate) -> FollowUp:
    """Assign, reschedule or move a follow-up along; audited with what changed."""
    row = follow_up_for_staff(session, staff=staff, follow_up_id=follow_up_id)
    is_owner = row.owner_id == staff.user.id
    if not can(staff.user.role, "followups.edit") and not is_owner:
        raise Forbidden("Hanya piket fungsi, pimpinan atau pemilik tugas yang boleh mengubah")
    changes: dict[str, object] = {}
    fields = data.model_fields_set
    if "owner_id" in fields and data.owner_id != row.owner_id:
        if not can(staff.user.role, "followups.edit"):
            raise Forbidden("Pemilik tugas hanya bisa diganti piket fungsi atau pimpinan",
                            field="owner_id")
        if data.owner_id is not None:
            owner = session.get(User, data.owner_id)
            if owner is None or not owner.active:
                raise Invalid("Pemilik tugas tidak ditemukan", field="owner_id")
            if not row.org_path.startswith(scope_path(session, user=owner)):
                raise Invalid("Pemilik tugas harus bertugas di wilayah ini", field="owner_id")
        changes["owner_id"] = [row.owner_id, data.owner_id]
        row.owner_id = data.owner_id
    if "due_date" in fields and data.due_date != row.due_date:
        changes["due_date"] = [str(row.due_date), str(data.due_date)]
        row.due_date = data.due_date
    if "note" in fields and data.note != row.note:
        changes["note"] = data.note
        row.note = data.note
    if data.status is not None and data.status != row.status:
        changes["status"] = [row.status, data.status]
        row.status = data.status
        row.closed_at = utcnow() if data.status in FOLLOW_UP_CLOSED else None
    if changes:
        row.updated_at = utcnow()
        audit(session, action="follow_up.update", target=row, actor=staff.user,
              org_path=row.org_path, detail=changes)
        session.flush()
    return row


def follow_up_out(session: Session, rows: Sequence[FollowUp]) -> list[FollowUpOut]:
    """Rows as the API shows them, names resolved in one query each."""
    user_ids = {i for r in rows for i in (r.owner_id, r.reported_by_id) if i}
    names = {u.id: u.full_name for u in session.scalars(select(User).where(
        User.id.in_(user_ids)))} if user_ids else {}
    visit_regions = dict(session.execute(
        select(Visit.id, Region.name).join(Region, Region.id == Visit.region_id)
        .where(Visit.id.in_({r.visit_id for r in rows if r.visit_id}))
    ).tuples().all()) if any(r.visit_id for r in rows) else {}
    today = local_today(utcnow())
    return [
        FollowUpOut(
            id=r.id, visit_id=r.visit_id, tip_id=r.tip_id, function=r.function,
            description=r.description, status=r.status, owner_id=r.owner_id,
            owner_name=names.get(r.owner_id) if r.owner_id else None, due_date=r.due_date,
            overdue=(r.status not in FOLLOW_UP_CLOSED and r.due_date is not None
                     and r.due_date < today),
            note=r.note,
            reported_by_name=names.get(r.reported_by_id) if r.reported_by_id else None,
            region_name=visit_regions.get(r.visit_id) if r.visit_id else None,
            created_at=r.created_at, updated_at=r.updated_at, closed_at=r.closed_at,
        )
        for r in rows
    ]
