"""Entering what Siaga cannot compute: figures, personnel, meetings and survey tallies.

One action per write; each adds an audit entry in the caller's transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import Conflict, Invalid, NotFound
from siaga.orgs.models import Organisation
from siaga.scorecard.access import org_for_staff, org_to_write, scope_of
from siaga.scorecard.kpis import FIGURE_METRICS
from siaga.scorecard.models import (
    MeetingAction,
    PersonnelReport,
    ScorecardFigure,
    StakeholderMeeting,
    SurveyTally,
)
from siaga.scorecard.periods import Period, check_period
from siaga.scorecard.schemas import (
    ActionOut,
    FigureIn,
    FigureOut,
    MeetingIn,
    MeetingOut,
    PersonnelIn,
    PersonnelOut,
    SurveyTallyIn,
    SurveyTallyOut,
)


def _org(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    assert org is not None
    return org


def _owned(session: Session, model: Any, *, staff: Staff, item_id: int, what: str) -> Any:
    row = session.get(model, item_id)
    if row is None or not staff.sees(row.org_path):
        raise NotFound(f"{what} tidak ditemukan", field="id")
    return row


def _listing(session: Session, model: Any, *, staff: Staff, org_code: str | None,
             year: int | None, order: Any, limit: int, offset: int) -> tuple[list[Any], int]:
    scope = scope_of(org_for_staff(session, staff=staff, code=org_code))
    query = select(model).where(model.org_path.startswith(scope, autoescape=True))
    if year is not None:
        query = query.where(model.year == year) if hasattr(model, "year") else query.where(
            func.extract("year", model.held_on) == year)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(*order).limit(limit).offset(offset))
    return list(rows), int(total)


# --- figures -----------------------------------------------------------------------------------

def figure_out(session: Session, row: ScorecardFigure) -> FigureOut:
    org = _org(session, row.org_id)
    return FigureOut(id=row.id, org_code=org.code, org_name=org.name, metric=row.metric,
                     metric_name=FIGURE_METRICS.get(row.metric, row.metric), year=row.year,
                     month_from=row.month_from, month_to=row.month_to,
                     period_label=Period(row.year, row.month_from, row.month_to).label,
                     value=row.value, source=row.source, note=row.note,
                     updated_at=row.updated_at)


def record_figure(session: Session, *, org: Organisation, data: FigureIn, actor: User | None,
                  figure_id: int | None = None) -> ScorecardFigure:
    """Store a figure for one organisation and period; the same period again replaces it."""
    period = check_period(data.year, data.month_from, data.month_to)
    same_year = session.scalars(select(ScorecardFigure).where(
        ScorecardFigure.org_id == org.id, ScorecardFigure.metric == data.metric,
        ScorecardFigure.year == period.year))
    row: ScorecardFigure | None = session.get(ScorecardFigure, figure_id) if figure_id else None
    for other in same_year:
        if other.id == (row.id if row else None):
            continue
        if (other.month_from, other.month_to) == (period.month_from, period.month_to) and not row:
            row = other
            continue
        if other.month_from <= period.month_to and period.month_from <= other.month_to:
            taken = Period(other.year, other.month_from, other.month_to).label
            raise Conflict(f"Periode bertumpang tindih dengan data {taken} yang sudah ada",
                           field="month_from")
    action = "scorecard.figure.update" if row is not None else "scorecard.figure.create"
    if row is None:
        row = ScorecardFigure(org_id=org.id, org_path=org.path)
        session.add(row)
    row.org_id, row.org_path, row.metric = org.id, org.path, data.metric
    row.year, row.month_from, row.month_to = period.year, period.month_from, period.month_to
    row.value, row.source, row.note = data.value, data.source, data.note
    row.entered_by_id = actor.id if actor else None
    row.updated_at = utcnow()
    session.flush()
    audit(session, action=action, target=row, actor=actor, org_path=org.path,
          detail={"metric": data.metric, "period": period.label, "value": data.value})
    return row


def save_figure(session: Session, *, staff: Staff, data: FigureIn,
                figure_id: int | None = None) -> FigureOut:
    """Create or update an entered figure within the staff member's scope."""
    if figure_id is not None:
        _owned(session, ScorecardFigure, staff=staff, item_id=figure_id, what="Data")
    org = org_to_write(session, staff=staff, code=data.org)
    return figure_out(session, record_figure(session, org=org, data=data, actor=staff.user,
                                             figure_id=figure_id))


def list_figures(session: Session, *, staff: Staff, org_code: str | None, year: int | None,
                 metric: str | None, limit: int, offset: int) -> tuple[list[FigureOut], int]:
    """Entered figures in scope, newest period first."""
    rows, total = _listing(session, ScorecardFigure, staff=staff, org_code=org_code, year=year,
                           order=(ScorecardFigure.metric, ScorecardFigure.year.desc(),
                                  ScorecardFigure.month_from), limit=10_000, offset=0)
    if metric:
        rows = [r for r in rows if r.metric == metric]
        total = len(rows)
    return [figure_out(session, r) for r in rows[offset:offset + limit]], total


def delete_figure(session: Session, *, staff: Staff, figure_id: int) -> None:
    """Remove an entered figure (audited with its last value)."""
    row = _owned(session, ScorecardFigure, staff=staff, item_id=figure_id, what="Data")
    audit(session, action="scorecard.figure.delete", target=row, actor=staff.user,
          org_path=row.org_path, detail={"metric": row.metric, "year": row.year,
                                         "value": row.value})
    session.delete(row)
    session.flush()


# --- personnel -----------------------------------------------------------------------------------

def personnel_out(session: Session, row: PersonnelReport) -> PersonnelOut:
    org = _org(session, row.org_id)
    return PersonnelOut(id=row.id, org_code=org.code, org_name=org.name, year=row.year,
                        month=row.month, authorised=row.authorised, operational=row.operational,
                        shortfall=max(0, row.authorised - row.operational), degree=row.degree,
                        diploma=row.diploma, high_school=row.high_school, trained=row.trained,
                        source=row.source, note=row.note, updated_at=row.updated_at)


def record_personnel(session: Session, *, org: Organisation, data: PersonnelIn,
                     actor: User | None, report_id: int | None = None) -> PersonnelReport:
    """Store a head-count for one organisation and period (the same period replaces it)."""
    check_period(data.year, data.month or 1, data.month or 12)
    for name in ("degree", "trained"):
        value = getattr(data, name)
        if value is not None and value > data.operational:
            raise Invalid(f"{name} tidak boleh melebihi personel operasional ({data.operational})",
                          field=name)
    education = [v for v in (data.degree, data.diploma, data.high_school) if v is not None]
    if sum(education) > data.operational:
        raise Invalid("Jumlah sarjana + diploma + SMA melebihi personel operasional",
                      field="high_school")
    row = session.get(PersonnelReport, report_id) if report_id else None
    clash = session.scalar(select(PersonnelReport).where(
        PersonnelReport.org_id == org.id, PersonnelReport.year == data.year,
        PersonnelReport.month.is_(None) if data.month is None
        else PersonnelReport.month == data.month))
    if clash is not None and row is not None and clash.id != row.id:
        raise Conflict("Sudah ada data personel untuk periode ini", field="year")
    row = row or clash
    action = "scorecard.personnel.update" if row is not None else "scorecard.personnel.create"
    if row is None:
        row = PersonnelReport(org_id=org.id, org_path=org.path)
        session.add(row)
    for name in ("year", "month", "authorised", "operational", "degree", "diploma",
                 "high_school", "trained", "source", "note"):
        setattr(row, name, getattr(data, name))
    row.org_id, row.org_path = org.id, org.path
    row.entered_by_id = actor.id if actor else None
    row.updated_at = utcnow()
    session.flush()
    audit(session, action=action, target=row, actor=actor, org_path=org.path,
          detail=data.model_dump(exclude={"org", "source", "note"}))
    return row


def save_personnel(session: Session, *, staff: Staff, data: PersonnelIn,
                   report_id: int | None = None) -> PersonnelOut:
    """Create or update a personnel report within scope."""
    if report_id is not None:
        _owned(session, PersonnelReport, staff=staff, item_id=report_id, what="Data personel")
    org = org_to_write(session, staff=staff, code=data.org)
    return personnel_out(session, record_personnel(session, org=org, data=data,
                                                   actor=staff.user, report_id=report_id))


def list_personnel(session: Session, *, staff: Staff, org_code: str | None, year: int | None,
                   limit: int, offset: int) -> tuple[list[PersonnelOut], int]:
    """Personnel reports in scope, newest first."""
    rows, total = _listing(session, PersonnelReport, staff=staff, org_code=org_code, year=year,
                           order=(PersonnelReport.year.desc(), PersonnelReport.id.desc()),
                           limit=limit, offset=offset)
    return [personnel_out(session, r) for r in rows], total


def delete_personnel(session: Session, *, staff: Staff, report_id: int) -> None:
    """Remove a personnel report."""
    row = _owned(session, PersonnelReport, staff=staff, item_id=report_id, what="Data personel")
    audit(session, action="scorecard.personnel.delete", target=row, actor=staff.user,
          org_path=row.org_path, detail={"year": row.year, "operational": row.operational})
    session.delete(row)
    session.flush()


# --- stakeholder meetings -----------------------------------------------------------------------

def meeting_out(session: Session, row: StakeholderMeeting) -> MeetingOut:
    org = _org(session, row.org_id)
    today = date.today()
    actions = session.scalars(select(MeetingAction).where(MeetingAction.meeting_id == row.id)
                              .order_by(MeetingAction.id))
    return MeetingOut(
        id=row.id, org_code=org.code, org_name=org.name, kind=row.kind, held_on=row.held_on,
        title=row.title, participants=list(row.participants), agreements=list(row.agreements),
        notes=row.notes, updated_at=row.updated_at,
        actions=[ActionOut(id=a.id, description=a.description, owner=a.owner, due_on=a.due_on,
                           status=a.status, done_on=a.done_on,
                           overdue=a.status != "done" and a.due_on is not None
                           and a.due_on < today) for a in actions])


def save_meeting(session: Session, *, staff: Staff, data: MeetingIn,
                 meeting_id: int | None = None) -> MeetingOut:
    """Record an FGD or coordination meeting with its agreements and follow-up actions."""
    if data.held_on > date.today():
        raise Invalid("Tanggal rapat tidak boleh di masa depan", field="held_on")
    for i, action in enumerate(data.actions):
        if action.status == "done" and action.done_on is None:
            raise Invalid("Tindak lanjut selesai butuh tanggal selesai",
                          field=f"actions.{i}.done_on")
    row = (_owned(session, StakeholderMeeting, staff=staff, item_id=meeting_id, what="Rapat")
           if meeting_id is not None else None)
    org = org_to_write(session, staff=staff, code=data.org)
    created = row is None
    if row is None:
        row = StakeholderMeeting(org_id=org.id, org_path=org.path)
        session.add(row)
    row.org_id, row.org_path, row.kind, row.held_on = org.id, org.path, data.kind, data.held_on
    row.title, row.participants, row.agreements = data.title, data.participants, data.agreements
    row.notes, row.entered_by_id, row.updated_at = data.notes, staff.user.id, utcnow()
    session.flush()
    for old in session.scalars(select(MeetingAction).where(MeetingAction.meeting_id == row.id)):
        session.delete(old)
    for action in data.actions:
        session.add(MeetingAction(meeting_id=row.id, **action.model_dump()))
    session.flush()
    audit(session, action="scorecard.meeting." + ("create" if created else "update"),
          target=row, actor=staff.user, org_path=org.path,
          detail={"kind": data.kind, "held_on": data.held_on.isoformat(),
                  "actions": len(data.actions)})
    return meeting_out(session, row)


def list_meetings(session: Session, *, staff: Staff, org_code: str | None, year: int | None,
                  limit: int, offset: int) -> tuple[list[MeetingOut], int]:
    """Meetings in scope, latest first."""
    rows, total = _listing(session, StakeholderMeeting, staff=staff, org_code=org_code,
                           year=year, order=(StakeholderMeeting.held_on.desc(),
                                             StakeholderMeeting.id.desc()),
                           limit=limit, offset=offset)
    return [meeting_out(session, r) for r in rows], total


def get_meeting(session: Session, *, staff: Staff, meeting_id: int) -> MeetingOut:
    """One meeting within scope."""
    return meeting_out(session, _owned(session, StakeholderMeeting, staff=staff,
                                       item_id=meeting_id, what="Rapat"))


def delete_meeting(session: Session, *, staff: Staff, meeting_id: int) -> None:
    """Remove a meeting and its actions."""
    row = _owned(session, StakeholderMeeting, staff=staff, item_id=meeting_id, what="Rapat")
    audit(session, action="scorecard.meeting.delete", target=row, actor=staff.user,
          org_path=row.org_path, detail={"title": row.title, "held_on": row.held_on.isoformat()})
    for old in session.scalars(select(MeetingAction).where(MeetingAction.meeting_id == row.id)):
        session.delete(old)
    session.flush()
    session.delete(row)
    session.flush()


# --- survey tallies -------------------------------------------------------------------------------

def tally_out(session: Session, row: SurveyTally) -> SurveyTallyOut:
    org = _org(session, row.org_id)
    return SurveyTallyOut(id=row.id, org_code=org.code, org_name=org.name, title=row.title,
                          year=row.year, month_from=row.month_from, month_to=row.month_to,
                          period_label=Period(row.year, row.month_from, row.month_to).label,
                          good=row.good, needs_improvement=row.needs_improvement, poor=row.poor,
                          total=row.good + row.needs_improvement + row.poor, source=row.source)


def record_tally(session: Session, *, org: Organisation, data: SurveyTallyIn,
                 actor: User | None, tally_id: int | None = None) -> SurveyTally:
    """Store a questionnaire's totals (same title and period again replaces it)."""
    period = check_period(data.year, data.month_from, data.month_to)
    if data.good + data.needs_improvement + data.poor == 0:
        raise Invalid("Survei tanpa responden tidak bisa disimpan", field="good")
    row = session.get(SurveyTally, tally_id) if tally_id else None
    clash = session.scalar(select(SurveyTally).where(
        SurveyTally.org_id == org.id, SurveyTally.title == data.title,
        SurveyTally.year == period.year, SurveyTally.month_from == period.month_from,
        SurveyTally.month_to == period.month_to))
    if clash is not None and row is not None and clash.id != row.id:
        raise Conflict("Sudah ada survei dengan judul dan periode ini", field="title")
    row = row or clash
    action = "scorecard.survey.update" if row is not None else "scorecard.survey.create"
    if row is None:
        row = SurveyTally(org_id=org.id, org_path=org.path)
        session.add(row)
    for name in ("title", "year", "month_from", "month_to", "good", "needs_improvement",
                 "poor", "source"):
        setattr(row, name, getattr(data, name))
    row.org_id, row.org_path = org.id, org.path
    row.entered_by_id, row.updated_at = (actor.id if actor else None), utcnow()
    session.flush()
    audit(session, action=action, target=row, actor=actor, org_path=org.path,
          detail=data.model_dump(exclude={"org", "source"}))
    return row


def save_tally(session: Session, *, staff: Staff, data: SurveyTallyIn,
               tally_id: int | None = None) -> SurveyTallyOut:
    """Create or update a survey tally within scope."""
    if tally_id is not None:
        _owned(session, SurveyTally, staff=staff, item_id=tally_id, what="Survei")
    org = org_to_write(session, staff=staff, code=data.org)
    return tally_out(session, record_tally(session, org=org, data=data, actor=staff.user,
                                           tally_id=tally_id))


def list_tallies(session: Session, *, staff: Staff, org_code: str | None, year: int | None,
                 limit: int, offset: int) -> tuple[list[SurveyTallyOut], int]:
    """Survey tallies in scope."""
    rows, total = _listing(session, SurveyTally, staff=staff, org_code=org_code, year=year,
                           order=(SurveyTally.year.desc(), SurveyTally.id.desc()),
                           limit=limit, offset=offset)
    return [tally_out(session, r) for r in rows], total


def delete_tally(session: Session, *, staff: Staff, tally_id: int) -> None:
    """Remove a survey tally."""
    row = _owned(session, SurveyTally, staff=staff, item_id=tally_id, what="Survei")
    audit(session, action="scorecard.survey.delete", target=row, actor=staff.user,
          org_path=row.org_path, detail={"title": row.title, "year": row.year})
    session.delete(row)
    session.flush()
