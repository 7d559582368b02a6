"""Scorecard and dashboard for one organisation and period (what views, CLI and reports call)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.labels import OUTCOME_LABELS, STATUS_LABELS
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.dispatch.response_times import (
    FIGURES,
    all_figures,
    drilldown,
    load_timings,
    on_scene_within_target,
)
from siaga.errors import Invalid
from siaga.orgs.models import Organisation
from siaga.scorecard import compute
from siaga.scorecard.access import org_label, scope_of
from siaga.scorecard.data import ScopeData, load_scope
from siaga.scorecard.initiatives import initiatives_in_scope
from siaga.scorecard.kpis import CATALOGUE
from siaga.scorecard.periods import Period, local_hour, local_month

RESPONSE_BUCKETS_MIN = (5, 10, 15, 20, 30)


def _org_info(org: Organisation | None) -> dict[str, Any]:
    code, name = org_label(org)
    return {"code": code, "name": name, "level": org.level if org else "semua",
            "path": scope_of(org)}


def build_scorecard(session: Session, *, org: Organisation | None, period: Period
                    ) -> dict[str, Any]:
    """The Balanced Scorecard of an organisation (and everything under it) for a period."""
    data = load_scope(session, scope=scope_of(org), last_year=period.year)
    return {"org": _org_info(org), "year": period.year, "month": period.single_month,
            "period_label": period.label, "generated_at": utcnow().isoformat(),
            "perspectives": compute.scorecard(data, period)}


def catalogue() -> list[dict[str, Any]]:
    """Every KPI's definition, formula, source and target."""
    return [{"key": k.key, "perspective": k.perspective, "name": k.name,
             "definition": k.definition, "formula": k.formula, "source": k.source,
             "unit": k.unit, "target": k.target, "target_text": k.target_text,
             "higher_is_better": k.higher_is_better, "kind": k.kind} for k in CATALOGUE]


def _children(session: Session, org: Organisation | None) -> list[Organisation]:
    parent_id = org.id if org else None
    return list(session.scalars(select(Organisation).where(Organisation.parent_id == parent_id)
                                .order_by(Organisation.name)))


def _response_chart(data: ScopeData, period: Period) -> dict[str, Any]:
    target_s = get_settings().arrival_target_s
    calc = compute.Calculator(data)
    alarms = calc.alarms(period)
    arrivals = drilldown(alarms, "on_scene_median_s")
    minutes = [t / 60 for a in arrivals if (t := a.arrival_s) is not None]
    buckets = []
    lower = 0
    for upper in (*RESPONSE_BUCKETS_MIN, None):
        count = sum(1 for m in minutes if m >= lower and (upper is None or m < upper))
        buckets.append({"label": f"{lower}-{upper}" if upper else f">={lower}",
                        "from_min": lower, "to_min": upper, "count": count})
        lower = upper or lower
    monthly = []
    for month in range(1, 13):
        mp = Period(period.year, month, month)
        v = calc.value("alarm_response", mp)
        monthly.append({"month": month, "pct_within": v.value, "n": v.detail.get("n", 0)})
    return {"available": bool(data.alarms), "target_min": target_s / 60, "n": len(minutes),
            "alarms": sum(1 for a in alarms if a.counted), "buckets": buckets,
            "monthly": monthly, "counts": on_scene_within_target(alarms).counts,
            "within_target": sum(1 for m in minutes if m * 60 <= target_s)}


def _by_hour(data: ScopeData, period: Period) -> dict[str, Any]:
    calc = compute.Calculator(data)
    hours = Counter(local_hour(a.created_at) for a in calc.alarms(period) if a.counted)
    return {"available": bool(data.alarms), "hours": [hours.get(h, 0) for h in range(24)]}


def _monthly_counts(rows: list[tuple[Any, str, Any]], year: int) -> list[int]:
    counts = Counter(local_month(r[0]) for r in rows)
    return [counts.get((year, m), 0) for m in range(1, 13)]


def _count_in(rows: list[tuple[Any, str, Any]], period: Period) -> int:
    months = {(period.year, m) for m in range(period.month_from, period.month_to + 1)}
    return sum(1 for r in rows if local_month(r[0]) in months)


def _polsek_rows(session: Session, data: ScopeData, org: Organisation | None,
                 period: Period) -> list[dict[str, Any]]:
    rows = []
    for child in _children(session, org):
        sub = data.narrowed(child.path)
        calc = compute.Calculator(sub)
        response = calc.value("alarm_response", period)
        ack = calc.value("alarm_acknowledgement", period)
        coverage = calc.value("visit_coverage", period)
        rows.append({
            "code": child.code, "name": child.name, "level": child.level,
            "alarms": sum(1 for a in calc.alarms(period) if a.counted),
            "response_pct": response.value,
            "response_median_min": response.detail.get("median_min"),
            "ack_median_s": ack.value, "visit_coverage_pct": coverage.value,
            "warnings": _count_in(sub.warnings.rows, period) if sub.warnings.available
            else None,
            "incidents": _count_in(sub.incidents.rows, period) if sub.incidents.available
            else None,
        })
    return rows


def build_dashboard(session: Session, *, org: Organisation | None, period: Period
                    ) -> dict[str, Any]:
    """Chart data for /pimpinan: response times, alarms by hour, coverage, warnings, incidents."""
    data = load_scope(session, scope=scope_of(org), last_year=period.year, years=1)
    calc = compute.Calculator(data)
    coverage = calc.value("visit_coverage", period)
    warnings_by_month = [0] * 12
    reviewed_by_month = [0] * 12
    for at, _path, status in data.warnings.rows:
        year, month = local_month(at)
        if year == period.year:
            warnings_by_month[month - 1] += 1
            reviewed_by_month[month - 1] += 1 if status is True else 0
    return {
        "org": _org_info(org), "year": period.year, "month": period.single_month,
        "period_label": period.label,
        "response_times": _response_chart(data, period),
        "response_figures": [f.model_dump(exclude={"alarm_ids"})
                             for f in all_figures(calc.alarms(period)).values()],
        "alarms_by_hour": _by_hour(data, period),
        "visit_coverage": {"available": coverage.value is not None,
                           "pct": coverage.value, **coverage.detail,
                           "monthly": [calc.value("visit_coverage",
                                                  Period(period.year, m, m)).value
                                       for m in range(1, 13)]},
        "warnings": {"available": data.warnings.available and bool(data.warnings.rows),
                     "monthly": warnings_by_month, "reviewed_monthly": reviewed_by_month},
        "incidents": {"available": data.incidents.available and bool(data.incidents.rows),
                      "monthly": _monthly_counts(data.incidents.rows, period.year)},
        "polsek": _polsek_rows(session, data, org, period),
        "initiatives": [i.model_dump(mode="json") for i in
                        initiatives_in_scope(session, scope=scope_of(org))],
    }


def response_figures(session: Session, *, org: Organisation | None, period: Period
                     ) -> list[dict[str, Any]]:
    """The shared response-time figures of a period, each with what it counts (no ids)."""
    start, end = period.bounds()
    timings = load_timings(session, scope=scope_of(org), since=start, until=end)
    return [f.model_dump(exclude={"alarm_ids"}) for f in all_figures(timings).values()]


def _state_label(status: str, outcome: str | None) -> str:
    if status == "closed":
        return f"Selesai - {OUTCOME_LABELS.get(outcome or '', 'tanpa keterangan')}"
    return STATUS_LABELS.get(status, status)


def figure_alarms(session: Session, *, org: Organisation | None, period: Period, figure: str
                  ) -> dict[str, Any]:
    """Drill-down: exactly the alarms one response-time figure of a period counts."""
    if figure not in FIGURES:
        raise Invalid(f"Ukuran tidak dikenal: {figure}", field="figure")
    start, end = period.bounds()
    timings = load_timings(session, scope=scope_of(org), since=start, until=end)
    counted = FIGURES[figure](timings)
    names = {o.path: o.name for o in session.scalars(select(Organisation).where(
        Organisation.path.startswith(scope_of(org), autoescape=True)))}
    rows = [{"alarm_id": t.alarm_id, "created_at": t.created_at.isoformat(),
             "org_name": names.get(t.org_path, ""), "status": t.status, "outcome": t.outcome,
             "status_label": _state_label(t.status, t.outcome),
             "acknowledge_s": t.acknowledge_s, "dispatch_s": t.dispatch_s,
             "arrival_s": t.arrival_s} for t in drilldown(timings, figure)]
    return {"figure": counted.model_dump(exclude={"alarm_ids"}), "period_label": period.label,
            "alarms": rows}
