"""The scorecard: every KPI's value, traffic light and monthly/yearly trend for one scope.

Where a figure was entered for a period it is the value (it is what the organisation reported);
otherwise Siaga counts its own records, from the month its first record of that kind appears.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from siaga.db import utcnow
from siaga.dispatch import response_times as rt
from siaga.dispatch.response_times import AlarmTiming
from siaga.scorecard.data import ScopeData
from siaga.scorecard.kpis import BY_KEY, CATALOGUE, PERSPECTIVES, Kpi, Light
from siaga.scorecard.periods import Period, current_year, local_month, local_zone

YM = tuple[int, int]


@dataclass
class Value:
    value: float | None
    basis: str = "none"
    label: str | None = None
    partial: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


def _months(period: Period) -> list[YM]:
    return [(period.year, m) for m in range(period.month_from, period.month_to + 1)]


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


class Calculator:
    """KPI values for any period of one scope's loaded data."""

    def __init__(self, data: ScopeData) -> None:
        self.data = data
        self.alarms_by_month: dict[YM, list[AlarmTiming]] = defaultdict(list)
        for alarm in data.alarms:
            self.alarms_by_month[local_month(alarm.created_at)].append(alarm)
        self.counted: dict[str, Counter[YM]] = {}
        self.first: dict[str, YM] = {}
        for name, dated in (("incidents", data.incidents), ("followups", data.followups),
                            ("visits", data.visits), ("patrols", data.patrols)):
            if dated.available:
                self._count(name, [local_month(r[0]) for r in dated.rows])
        if data.visits.available or data.patrols.available:
            both = self.counted.get("visits", Counter()) + self.counted.get("patrols", Counter())
            self._count("prevention", list(both.elements()))
        for kind in ("koordinasi", "fgd"):
            self._count(kind, [(m.held_on.year, m.held_on.month) for m in data.meetings
                               if m.kind == kind])
        self.warnings_by_month: dict[YM, list[Any]] = defaultdict(list)
        for at, _path, status in data.warnings.rows:
            self.warnings_by_month[local_month(at)].append(status)
        self.visited_by_month: dict[YM, set[int]] = defaultdict(set)
        for at, _path, region_id in data.visits.rows:
            if region_id is not None:
                self.visited_by_month[local_month(at)].add(int(region_id))
        self.figures: dict[str, list[Any]] = defaultdict(list)
        for f in data.figures:
            self.figures[f.metric].append(f)

    def _count(self, name: str, months: list[YM]) -> None:
        self.counted[name] = Counter(months)
        if months:
            self.first[name] = min(months)

    # --- building blocks ---------------------------------------------------------------------

    def entered(self, metric: str, period: Period) -> Value:
        """Sum of entered figures lying inside the period (None if there are none)."""
        rows = [f for f in self.figures.get(metric, [])
                if f.year == period.year and f.month_from >= period.month_from
                and f.month_to <= period.month_to]
        if not rows:
            return Value(None)
        lo, hi = min(f.month_from for f in rows), max(f.month_to for f in rows)
        covered = Period(period.year, lo, hi)
        partial = covered != period
        sources_ = sorted({f.source for f in rows if f.source})
        return Value(float(sum(f.value for f in rows)), "entered",
                     covered.label if partial else period.label, partial,
                     {"source": "; ".join(sources_) or None,
                      "note": "; ".join(sorted({f.note for f in rows if f.note})) or None})

    def counted_value(self, name: str, period: Period) -> Value:
        """Count of Siaga's own records, from its first such record onward."""
        counter = self.counted.get(name)
        first = self.first.get(name)
        if counter is None or first is None or (period.year, period.month_to) < first:
            return Value(None)
        return Value(float(sum(counter[ym] for ym in _months(period))), "computed", period.label)

    def flow(self, metric: str, counted: str | None, period: Period) -> Value:
        entered = self.entered(metric, period)
        if entered.value is not None:
            return entered
        if self.overlaps_entered(metric, period):
            # A figure reported for a longer span cannot be split into months, and Siaga's own
            # records of that span are incomplete next to it: the value is unknown.
            return Value(None)
        return self.counted_value(counted, period) if counted else Value(None)

    def overlaps_entered(self, metric: str, period: Period) -> bool:
        return any(f.year == period.year and f.month_from <= period.month_to
                   and period.month_from <= f.month_to for f in self.figures.get(metric, []))

    def alarms(self, period: Period) -> list[AlarmTiming]:
        return [a for ym in _months(period) for a in self.alarms_by_month.get(ym, [])]

    # --- KPI values --------------------------------------------------------------------------

    def value(self, key: str, period: Period) -> Value:
        handler: Callable[[Period], Value] = getattr(self, f"_kpi_{key}")
        return handler(period)

    def _personnel(self, period: Period) -> Value:
        latest: dict[int, Any] = {}
        for report in self.data.personnel:
            when = (report.year, report.month or 12)
            if when > (period.year, period.month_to):
                continue
            held = latest.get(report.org_id)
            if held is None or when > (held.year, held.month or 12):
                latest[report.org_id] = report
        if not latest:
            return Value(None)
        reports = list(latest.values())
        total = {name: sum(getattr(r, name) or 0 for r in reports)
                 for name in ("authorised", "operational", "degree", "diploma", "high_school",
                              "trained")}
        newest = max(reports, key=lambda r: (r.year, r.month or 12))
        as_of = Period(newest.year, newest.month or 1, newest.month or 12).label
        detail = {**total, "shortfall": max(0, total["authorised"] - total["operational"]),
                  "as_of": as_of,
                  "source": "; ".join(sorted({r.source for r in reports if r.source})) or None}
        return Value(None, "entered", as_of, False, detail)

    def _kpi_personnel_fill(self, period: Period) -> Value:
        v = self._personnel(period)
        if v.basis == "none":
            return v
        v.value = _pct(v.detail["operational"], v.detail["authorised"])
        return v

    def _kpi_personnel_degree(self, period: Period) -> Value:
        v = self._personnel(period)
        if v.basis == "none" or not any(r.degree is not None for r in self.data.personnel):
            return Value(None)
        v.value = _pct(v.detail["degree"], v.detail["operational"])
        return v

    def _kpi_personnel_trained(self, period: Period) -> Value:
        v = self._personnel(period)
        if v.basis == "none" or not any(r.trained is not None for r in self.data.personnel):
            return Value(None)
        v.value = _pct(v.detail["trained"], v.detail["operational"])
        return v

    def _kpi_budget_realisation(self, period: Period) -> Value:
        planned = self.entered("budget_planned", period)
        realised = self.entered("budget_realised", period)
        if planned.value is None or realised.value is None or not planned.value:
            return Value(None)
        return Value(_pct(realised.value, planned.value), "entered", planned.label,
                     planned.partial, {"planned": planned.value, "realised": realised.value})

    def _kpi_prevention_activities(self, period: Period) -> Value:
        v = self.flow("prevention_activities", "prevention", period)
        if v.basis == "computed":
            v.detail = {"visits": self.counted_value("visits", period).value,
                        "patrol_tasks": self.counted_value("patrols", period).value}
        return v

    def _kpi_brawls(self, period: Period) -> Value:
        return self.flow("brawls", "incidents", period)

    def _kpi_alarm_acknowledgement(self, period: Period) -> Value:
        alarms = self.alarms(period)
        share = rt.acknowledged_within_target(alarms)
        median = rt.acknowledge_median(alarms)
        if median.value is None:
            return Value(None, detail={"n": share.n, "counts": share.counts} if share.n else {})
        p90 = rt.acknowledge_p90(alarms)
        return Value(median.value, "computed", period.label, False,
                     {"n": share.n, "acknowledged": median.n, "within_10s": share.within,
                      "within_pct": share.value, "p90_s": p90.value, "counts": share.counts})

    def _kpi_alarm_response(self, period: Period) -> Value:
        alarms = self.alarms(period)
        share = rt.on_scene_within_target(alarms)
        if share.value is None:
            counted = sum(1 for a in alarms if a.counted)
            return Value(None, detail={"alarms": counted}) if counted else Value(None)
        median, p90 = rt.on_scene_median(alarms), rt.on_scene_p90(alarms)
        return Value(share.value, "computed", period.label, False,
                     {"n": share.n, "within_target": share.within,
                      "alarms": sum(1 for a in alarms if a.counted), "target_s": share.target_s,
                      "arrived": median.n,
                      "median_min": None if median.value is None else round(median.value / 60, 1),
                      "p90_min": None if p90.value is None else round(p90.value / 60, 1),
                      "counts": share.counts})

    def _kpi_visit_coverage(self, period: Period) -> Value:
        # One definition for a month and for longer periods: the share of kelurahan-months
        # visited (a longer period is the mean of its months), counted from the first month
        # with visits up to the current month. "Visited once in the year" would read 100%
        # beside months of 85%.
        if not self.data.visits.available or not self.data.regions or \
                "visits" not in self.first:
            return Value(None)
        now = local_month(utcnow())
        months = [ym for ym in _months(period) if self.first["visits"] <= ym <= now]
        if not months:
            return Value(None)
        regions = set(self.data.regions)
        monthly = [len(self.visited_by_month.get(ym, set()) & regions) for ym in months]
        ever: set[int] = set()
        for ym in months:
            ever |= self.visited_by_month.get(ym, set())
        return Value(_pct(sum(monthly), len(regions) * len(months)), "computed", period.label,
                     False, {"visited": len(ever & regions), "regions": len(regions),
                             "months": len(months), "visited_months": sum(monthly)})

    def _kpi_warnings_reviewed(self, period: Period) -> Value:
        statuses = [s for ym in _months(period) for s in self.warnings_by_month.get(ym, [])]
        if not statuses:
            return Value(None)
        reviewed = sum(1 for s in statuses if s is True)
        return Value(_pct(reviewed, len(statuses)), "computed", period.label, False,
                     {"warnings": len(statuses), "reviewed": reviewed})

    def _kpi_evaluations(self, period: Period) -> Value:
        return self.entered("evaluations", period)

    def _kpi_students_monitored(self, period: Period) -> Value:
        return self.flow("students_monitored", "followups", period)

    def _kpi_public_satisfaction(self, period: Period) -> Value:
        counts: Counter[str] = Counter()
        titles = []
        for t in self.data.tallies:
            if t.year == period.year and t.month_from >= period.month_from and \
                    t.month_to <= period.month_to:
                counts.update(good=t.good, needs_improvement=t.needs_improvement, poor=t.poor)
                titles.append(t.title)
        citizens = 0
        for at, _path, rating in self.data.responses:
            if local_month(at)[0] == period.year and \
                    period.month_from <= local_month(at)[1] <= period.month_to:
                key = {"baik": "good", "perlu_peningkatan": "needs_improvement"}.get(rating,
                                                                                    "poor")
                counts[key] += 1
                citizens += 1
        total = counts["good"] + counts["needs_improvement"] + counts["poor"]
        if not total:
            return Value(None)
        return Value(_pct(counts["good"], total), "entered" if not citizens else "computed",
                     period.label, False,
                     {"good": counts["good"], "needs_improvement": counts["needs_improvement"],
                      "poor": counts["poor"], "total": total, "from_citizens": citizens,
                      "surveys": titles,
                      "needs_improvement_pct": _pct(counts["needs_improvement"], total),
                      "poor_pct": _pct(counts["poor"], total)})

    def _kpi_coordination_meetings(self, period: Period) -> Value:
        return self.flow("coordination_meetings", "koordinasi", period)

    def _kpi_fgd_meetings(self, period: Period) -> Value:
        return self.flow("fgd_meetings", "fgd", period)

    def _kpi_meeting_actions_done(self, period: Period) -> Value:
        actions = [a for m in self.data.meetings
                   if m.held_on.year == period.year
                   and period.month_from <= m.held_on.month <= period.month_to
                   for a in self.data.actions.get(m.id, [])]
        if not actions:
            return Value(None)
        done = sum(1 for a in actions if a.status == "done")
        return Value(_pct(done, len(actions)), "entered", period.label, False,
                     {"actions": len(actions), "done": done})


def light_for(kpi: Kpi, value: Value, period: Period) -> Light:
    """Traffic light; flow targets are yearly and scale with the months a value covers."""
    if value.value is None:
        return "none"
    if kpi.kind != "flow" or kpi.target is None:
        return kpi.light(value.value)
    months = period.months
    if value.partial and value.label:
        months = _covered_months(value, period)
    scale = months / 12
    scaled = Kpi(kpi.key, kpi.perspective, kpi.name, kpi.definition, kpi.formula, kpi.source,
                 kpi.unit, kpi.target * scale,
                 None if kpi.amber_at is None else kpi.amber_at * scale, kpi.higher_is_better)
    return scaled.light(value.value)


def _covered_months(value: Value, period: Period) -> int:
    for lo in range(1, 13):
        for hi in range(lo, 13):
            if Period(period.year, lo, hi).label == value.label:
                return hi - lo + 1
    return period.months


def _row(kpi: Kpi, value: Value, period: Period) -> dict[str, Any]:
    return {"value": value.value, "light": light_for(kpi, value, period), "basis": value.basis,
            "label": value.label or period.label, "partial": value.partial}


def kpi_report(calc: Calculator, kpi: Kpi, period: Period) -> dict[str, Any]:
    """One KPI with its value for the period and its trends."""
    value = calc.value(kpi.key, period)
    yearly = []
    for year in range(calc.data.first_year, period.year + 1):
        yp = Period(year)
        yearly.append({"year": year, **_row(kpi, calc.value(kpi.key, yp), yp)})
    last_month = 12
    now_year = current_year()
    if period.year == now_year:
        last_month = local_month(utcnow())[1]
    monthly = []
    for month in range(1, last_month + 1 if period.year <= now_year else 1):
        mp = Period(period.year, month, month)
        monthly.append({"month": month, **_row(kpi, calc.value(kpi.key, mp), mp)})
    trend = monthly_trend(calc, kpi, period)
    latest = None
    if value.value is None:
        latest = next((y for y in reversed(yearly) if y["value"] is not None), None)
    return {
        "key": kpi.key, "perspective": kpi.perspective, "name": kpi.name,
        "definition": kpi.definition, "formula": kpi.formula, "source": kpi.source,
        "unit": kpi.unit, "target": kpi.target, "target_text": kpi.target_text,
        "higher_is_better": kpi.higher_is_better, "kind": kpi.kind,
        "period_label": value.label or period.label, "value": value.value,
        "light": light_for(kpi, value, period), "basis": value.basis, "partial": value.partial,
        "detail": value.detail, "latest": latest, "yearly": yearly, "monthly": monthly,
        "trend": trend,
    }


TREND_MONTHS = 24


def monthly_trend(calc: Calculator, kpi: Kpi, period: Period) -> list[dict[str, Any]]:
    """A point per month that has a value, over the last 24 months up to the period's end."""
    year, month = period.year, period.month_to
    now = local_month(utcnow())
    if (year, month) > now:
        year, month = now
    months: list[YM] = []
    for _ in range(TREND_MONTHS):
        if year < calc.data.first_year:
            break
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    points = []
    for y, m in reversed(months):
        mp = Period(y, m, m)
        row = _row(kpi, calc.value(kpi.key, mp), mp)
        if row["value"] is not None:
            points.append({"year": y, "month": m, **row})
    return points


def scorecard(data: ScopeData, period: Period) -> list[dict[str, Any]]:
    """All four perspectives with their KPIs for one period."""
    calc = Calculator(data)
    out = []
    for key, name in PERSPECTIVES.items():
        kpis = [kpi_report(calc, k, period) for k in CATALOGUE if k.perspective == key]
        summary = Counter(k["light"] for k in kpis)
        out.append({"key": key, "name": name, "kpis": kpis,
                    "summary": {c: summary.get(c, 0) for c in ("green", "amber", "red", "none")}})
    return out


def kpi_value(data: ScopeData, key: str, period: Period) -> dict[str, Any]:
    """A single KPI's value and light (for drill-down tables)."""
    calc = Calculator(data)
    value = calc.value(key, period)
    return {"value": value.value, "light": light_for(BY_KEY[key], value, period),
            "detail": value.detail}


__all__ = ["Calculator", "kpi_report", "kpi_value", "local_zone", "scorecard"]
