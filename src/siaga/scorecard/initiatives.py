"""Strategy tracking: the study's short-, medium- and long-term strategies as initiatives."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import Conflict, Invalid, NotFound
from siaga.orgs.models import Organisation
from siaga.scorecard.access import org_for_staff, org_to_write, scope_of
from siaga.scorecard.kpis import BY_KEY
from siaga.scorecard.models import Initiative
from siaga.scorecard.schemas import InitiativeIn, InitiativeOut

TERMS = {"short": "Jangka pendek (0-3 bulan)", "medium": "Jangka sedang (0-6 bulan)",
         "long": "Jangka panjang (0-12 bulan)"}


def initiative_out(session: Session, row: Initiative) -> InitiativeOut:
    org = session.get(Organisation, row.org_id)
    assert org is not None
    return InitiativeOut(
        id=row.id, org_code=org.code, org_name=org.name, term=row.term,
        term_label=TERMS.get(row.term, row.term), title=row.title, description=row.description,
        owner=row.owner, deadline=row.deadline, status=row.status, progress=row.progress,
        overdue=row.status != "done" and row.deadline < date.today(),
        kpi_keys=list(row.kpi_keys),
        kpis=[{"key": k, "name": BY_KEY[k].name, "perspective": BY_KEY[k].perspective}
              for k in row.kpi_keys if k in BY_KEY],
        updated_at=row.updated_at)


def record_initiative(session: Session, *, org: Organisation, data: InitiativeIn,
                      actor: User | None, initiative_id: int | None = None) -> Initiative:
    """Create or update an initiative; titles are unique per organisation."""
    if data.status == "done" and data.progress < 100:
        raise Invalid("Inisiatif selesai harus berprogres 100%", field="progress")
    row = session.get(Initiative, initiative_id) if initiative_id else None
    clash = session.scalar(select(Initiative).where(Initiative.org_id == org.id,
                                                    Initiative.title == data.title))
    if clash is not None and (row is None or clash.id != row.id):
        raise Conflict("Sudah ada inisiatif dengan judul ini", field="title")
    created = row is None
    if row is None:
        row = Initiative(org_id=org.id, org_path=org.path)
        session.add(row)
    for name in ("term", "title", "description", "owner", "deadline", "status", "progress",
                 "kpi_keys"):
        setattr(row, name, getattr(data, name))
    row.org_id, row.org_path = org.id, org.path
    row.entered_by_id, row.updated_at = (actor.id if actor else None), utcnow()
    session.flush()
    audit(session, action="scorecard.initiative." + ("create" if created else "update"),
          target=row, actor=actor, org_path=org.path,
          detail={"title": data.title, "status": data.status, "progress": data.progress})
    return row


def _owned(session: Session, *, staff: Staff, initiative_id: int) -> Initiative:
    row = session.get(Initiative, initiative_id)
    if row is None or not staff.sees(row.org_path):
        raise NotFound("Inisiatif tidak ditemukan", field="id")
    return row


def save_initiative(session: Session, *, staff: Staff, data: InitiativeIn,
                    initiative_id: int | None = None) -> InitiativeOut:
    """Create or update an initiative within scope."""
    if initiative_id is not None:
        _owned(session, staff=staff, initiative_id=initiative_id)
    org = org_to_write(session, staff=staff, code=data.org)
    return initiative_out(session, record_initiative(session, org=org, data=data,
                                                     actor=staff.user,
                                                     initiative_id=initiative_id))


def list_initiatives(session: Session, *, staff: Staff, org_code: str | None,
                     term: str | None = None) -> list[InitiativeOut]:
    """Initiatives in scope, by term then deadline."""
    scope = scope_of(org_for_staff(session, staff=staff, code=org_code))
    return initiatives_in_scope(session, scope=scope, term=term)


def initiatives_in_scope(session: Session, *, scope: str, term: str | None = None
                         ) -> list[InitiativeOut]:
    query = select(Initiative).where(Initiative.org_path.startswith(scope, autoescape=True))
    if term:
        query = query.where(Initiative.term == term)
    order = {"short": 0, "medium": 1, "long": 2}
    rows = sorted(session.scalars(query), key=lambda r: (order.get(r.term, 9), r.deadline, r.id))
    return [initiative_out(session, r) for r in rows]


def get_initiative(session: Session, *, staff: Staff, initiative_id: int) -> InitiativeOut:
    return initiative_out(session, _owned(session, staff=staff, initiative_id=initiative_id))


def delete_initiative(session: Session, *, staff: Staff, initiative_id: int) -> None:
    """Remove an initiative (audited)."""
    row = _owned(session, staff=staff, initiative_id=initiative_id)
    audit(session, action="scorecard.initiative.delete", target=row, actor=staff.user,
          org_path=row.org_path, detail={"title": row.title})
    session.delete(row)
    session.flush()
