"""Everything one scorecard needs, loaded once per scope and range, then bucketed by period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from siaga.dispatch.response_times import AlarmTiming
from siaga.scorecard import sources
from siaga.scorecard.models import (
    MeetingAction,
    PersonnelReport,
    ScorecardFigure,
    StakeholderMeeting,
    SurveyResponse,
    SurveyTally,
)
from siaga.scorecard.periods import Period


@dataclass
class ScopeData:
    scope: str
    first_year: int
    last_year: int
    figures: list[ScorecardFigure] = field(default_factory=list)
    personnel: list[PersonnelReport] = field(default_factory=list)
    tallies: list[SurveyTally] = field(default_factory=list)
    responses: list[tuple[datetime, str, str]] = field(default_factory=list)
    meetings: list[StakeholderMeeting] = field(default_factory=list)
    actions: dict[int, list[MeetingAction]] = field(default_factory=dict)
    alarms: list[AlarmTiming] = field(default_factory=list)
    visits: sources.Dated = field(default_factory=lambda: sources.Dated(False, []))
    patrols: sources.Dated = field(default_factory=lambda: sources.Dated(False, []))
    incidents: sources.Dated = field(default_factory=lambda: sources.Dated(False, []))
    warnings: sources.Dated = field(default_factory=lambda: sources.Dated(False, []))
    followups: sources.Dated = field(default_factory=lambda: sources.Dated(False, []))
    regions: dict[int, str] = field(default_factory=dict)

    def narrowed(self, scope: str) -> ScopeData:
        """The same data restricted to a sub-scope (a Polsek of this Polres)."""
        def keep(path: str) -> bool:
            return path.startswith(scope)

        def dated(d: sources.Dated) -> sources.Dated:
            return sources.Dated(d.available, [r for r in d.rows if keep(r[1])])

        meetings = [m for m in self.meetings if keep(m.org_path)]
        return ScopeData(
            scope=scope, first_year=self.first_year, last_year=self.last_year,
            figures=[f for f in self.figures if keep(f.org_path)],
            personnel=[p for p in self.personnel if keep(p.org_path)],
            tallies=[t for t in self.tallies if keep(t.org_path)],
            responses=[r for r in self.responses if keep(r[1])],
            meetings=meetings, actions={m.id: self.actions.get(m.id, []) for m in meetings},
            alarms=[a for a in self.alarms if keep(a.org_path)],
            visits=dated(self.visits), patrols=dated(self.patrols),
            incidents=dated(self.incidents), warnings=dated(self.warnings),
            followups=dated(self.followups),
            regions={k: v for k, v in self.regions.items() if keep(v)})


def _in_scope(model: Any, scope: str) -> ColumnElement[bool]:
    column: ColumnElement[str] = model.org_path
    return column.startswith(scope, autoescape=True)


def load_scope(session: Session, *, scope: str, last_year: int, years: int = 7) -> ScopeData:
    """Load entered and operational data of a scope for the trend window ending `last_year`."""
    figures = list(session.scalars(select(ScorecardFigure).where(
        _in_scope(ScorecardFigure, scope))))
    personnel = list(session.scalars(select(PersonnelReport).where(
        _in_scope(PersonnelReport, scope))))
    tallies = list(session.scalars(select(SurveyTally).where(_in_scope(SurveyTally, scope))))
    meetings = list(session.scalars(select(StakeholderMeeting).where(
        _in_scope(StakeholderMeeting, scope))))
    entered_years = [r.year for r in figures] + [r.year for r in personnel]
    entered_years += [r.year for r in tallies]
    entered_years += [m.held_on.year for m in meetings]
    # At least the year before, so monthly trends can reach back 24 months.
    first_year = max(min([*entered_years, last_year - 1]), last_year - years + 1)
    start, _ = Period(first_year).bounds()
    _, end = Period(last_year).bounds()
    actions: dict[int, list[MeetingAction]] = {m.id: [] for m in meetings}
    if meetings:
        for action in session.scalars(select(MeetingAction).where(
                MeetingAction.meeting_id.in_(list(actions)))):
            actions[action.meeting_id].append(action)
    responses = [(r.submitted_at, r.org_path, r.rating) for r in session.execute(
        select(SurveyResponse.submitted_at, SurveyResponse.org_path, SurveyResponse.rating)
        .where(_in_scope(SurveyResponse, scope), SurveyResponse.submitted_at >= start,
               SurveyResponse.submitted_at < end))]
    return ScopeData(
        scope=scope, first_year=first_year, last_year=last_year, figures=figures,
        personnel=personnel, tallies=tallies, responses=responses, meetings=meetings,
        actions=actions, alarms=sources.alarm_timings(session, scope=scope, start=start,
                                                    end=end),
        visits=sources.visits(session, scope=scope, start=start, end=end),
        patrols=sources.patrol_tasks(session, scope=scope, start=start, end=end),
        incidents=sources.brawl_incidents(session, scope=scope, start=start, end=end),
        warnings=sources.early_warnings(session, scope=scope, start=start, end=end),
        followups=sources.student_followups(session, scope=scope, start=start, end=end),
        regions=sources.leaf_regions(session, scope=scope))


def within(at: datetime, period: Period) -> bool:
    start, end = period.bounds()
    return start <= at < end


def date_within(day: date, period: Period) -> bool:
    return day.year == period.year and period.month_from <= day.month <= period.month_to
