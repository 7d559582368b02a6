"""The weekly anev (analysis and evaluation) report for Satbinmas: data, CSV and PDF."""

from __future__ import annotations

import io
import statistics
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.auth.models import User
from siaga.csvsafe import SafeCsvWriter
from siaga.orgs.models import Organisation, Region
from siaga.tips.models import Tip
from siaga.visits.labels import FUNCTION_LABELS, PLACE_TYPE_LABELS, TOPIC_LABELS
from siaga.visits.models import FOLLOW_UP_CLOSED, FollowUp, Visit
from siaga.visits.periods import parse_iso_week, zone

ANSWER_TARGET_S = 10
ARRIVAL_TARGET_S = 600


def _dispatch_times(session: Session, alarms: list[Alarm]) -> tuple[list[float], list[float]]:
    """Seconds from alarm to first unit dispatched and to first unit on scene, where known."""
    try:
        from siaga.dispatch.models import Assignment
    except ImportError:  # a deployment without the dispatch module still gets its report
        return [], []
    created = {a.id: a.created_at for a in alarms}
    if not created:
        return [], []
    first_dispatch: dict[int, float] = {}
    first_arrival: dict[int, float] = {}
    for alarm_id, dispatched, on_scene in session.execute(
        select(Assignment.alarm_id, Assignment.dispatched_at, Assignment.on_scene_at)
        .where(Assignment.alarm_id.in_(created))
    ).tuples():
        start = created[alarm_id]
        seconds = (dispatched - start).total_seconds()
        first_dispatch[alarm_id] = min(first_dispatch.get(alarm_id, seconds), seconds)
        if on_scene is not None:
            seconds = (on_scene - start).total_seconds()
            first_arrival[alarm_id] = min(first_arrival.get(alarm_id, seconds), seconds)
    return list(first_dispatch.values()), list(first_arrival.values())


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(q * len(ordered) + 0.5)) - 1))
    return round(ordered[rank], 1)


def _counts(counter: Counter[str], labels: dict[str, str], key: str) -> list[dict[str, Any]]:
    return [{key: code, "label": labels.get(code, code), "count": counter.get(code, 0)}
            for code in labels]


def anev_report(session: Session, *, org: Organisation, week: str) -> dict[str, Any]:
    """Everything the weekly meeting looks at for one Polres or Polsek and one ISO week."""
    start, end = parse_iso_week(week)
    scope = org.path
    visits = session.scalars(
        select(Visit).where(Visit.org_path.startswith(scope, autoescape=True))
        .where(Visit.visited_at >= start).where(Visit.visited_at < end)
        .order_by(Visit.visited_at, Visit.id)).all()
    regions = session.execute(
        select(Region, Organisation.name).join(Organisation, Organisation.id == Region.org_id)
        .where(Region.level.in_(("kelurahan", "desa")))
        .where(Organisation.path.startswith(scope, autoescape=True)).order_by(Region.name)
    ).tuples().all()
    officers = session.scalars(
        select(User).join(Organisation, Organisation.id == User.org_id)
        .where(User.role == "petugas").where(User.active.is_(True))
        .where(Organisation.path.startswith(scope, autoescape=True)).order_by(User.full_name)
    ).all()
    region_name = {r.id: r.name for r, _ in regions}
    extra = {v.officer_id for v in visits} - {u.id for u in officers}
    people = {u.id: u for u in officers}
    if extra:
        people.update({u.id: u for u in session.scalars(select(User).where(User.id.in_(extra)))})

    per_officer: dict[int, list[Visit]] = defaultdict(list)
    per_region: dict[int | None, list[Visit]] = defaultdict(list)
    for v in visits:
        per_officer[v.officer_id].append(v)
        per_region[v.region_id].append(v)
    by_officer = []
    for user_id in [u.id for u in officers] + sorted(extra):
        user = people[user_id]
        rows = per_officer.get(user_id, [])
        by_officer.append({
            "officer": user.full_name, "username": user.username,
            "kelurahan": region_name.get(user.region_id) if user.region_id else None,
            "visits": len(rows), "flagged": sum(1 for v in rows if v.flagged),
            "places": len({(v.place_type, (v.place_name or v.address or str(v.id)).lower())
                           for v in rows}),
        })
    by_officer.sort(key=lambda r: (-int(r["visits"] or 0), str(r["officer"])))
    by_kelurahan = [
        {"kelurahan": region.name, "polsek": polsek,
         "visits": len(per_region.get(region.id, [])),
         "officers": len({v.officer_id for v in per_region.get(region.id, [])})}
        for region, polsek in regions
    ]
    by_kelurahan.sort(key=lambda r: (-int(str(r["visits"])), str(r["kelurahan"])))
    topics: Counter[str] = Counter(t for v in visits for t in (v.topics or []))
    places: Counter[str] = Counter(v.place_type for v in visits)
    flags: Counter[str] = Counter(f.get("code", "?") for v in visits for f in (v.flags or []))

    follow = session.scalars(
        select(FollowUp).where(FollowUp.org_path.startswith(scope, autoescape=True))
        .where(FollowUp.created_at < end)).all()
    opened = [f for f in follow if f.created_at >= start]
    closed = [f for f in follow if f.closed_at is not None and start <= f.closed_at < end]
    still_open = [f for f in follow if f.closed_at is None or f.closed_at >= end]
    end_day = (end - timedelta(days=1)).astimezone(zone()).date()
    overdue = [f for f in still_open
               if f.due_date is not None and f.due_date <= end_day
               and f.status not in FOLLOW_UP_CLOSED]
    by_function = [
        {"function": code, "label": label,
         "opened": sum(1 for f in opened if f.function == code),
         "closed": sum(1 for f in closed if f.function == code),
         "open_at_end": sum(1 for f in still_open if f.function == code)}
        for code, label in FUNCTION_LABELS.items()
    ]

    alarms = session.scalars(
        select(Alarm).where(Alarm.org_path.startswith(scope, autoescape=True))
        .where(Alarm.created_at >= start).where(Alarm.created_at < end)).all()
    answer = [(a.acknowledged_at - a.created_at).total_seconds()
              for a in alarms if a.acknowledged_at is not None]
    alarm_status: Counter[str] = Counter(a.status for a in alarms)
    dispatch, arrival = _dispatch_times(session, list(alarms))

    tips = session.scalars(
        select(Tip).where(Tip.org_path.startswith(scope, autoescape=True))
        .where(Tip.created_at >= start).where(Tip.created_at < end)).all()
    tip_categories: Counter[str] = Counter(t.category for t in tips)

    local = zone()
    daily = []
    for offset in range(7):
        day = (start + timedelta(days=offset)).date()
        daily.append({
            "date": day.isoformat(),
            "visits": sum(1 for v in visits if v.visited_at.astimezone(local).date() == day),
            "alarms": sum(1 for a in alarms if a.created_at.astimezone(local).date() == day),
        })
    visited_regions = {v.region_id for v in visits if v.region_id is not None}
    active_officers = {v.officer_id for v in visits}
    return {
        "org": {"code": org.code, "name": org.name},
        "week": week,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "summary": {
            "visits": len(visits),
            "flagged_visits": sum(1 for v in visits if v.flagged),
            "officers_total": len(officers),
            "officers_active": len(active_officers & {u.id for u in officers}),
            "kelurahan_total": len(regions),
            "kelurahan_visited": len(visited_regions & set(region_name)),
            "follow_ups_opened": len(opened),
            "follow_ups_closed": len(closed),
            "alarms": len(alarms),
            "tips": len(tips),
        },
        "visits_by_officer": by_officer,
        "visits_by_kelurahan": by_kelurahan,
        "gaps": {
            "kelurahan": [r["kelurahan"] for r in by_kelurahan if r["visits"] == 0],
            "officers": [r["officer"] for r in by_officer if r["visits"] == 0],
        },
        "topics": _counts(topics, TOPIC_LABELS, "topic"),
        "place_types": _counts(places, PLACE_TYPE_LABELS, "place_type"),
        "flags": dict(sorted(flags.items())),
        "follow_ups": {
            "opened": len(opened), "closed": len(closed), "open_at_end": len(still_open),
            "overdue_at_end": len(overdue), "by_function": by_function,
        },
        "alarms": {
            "total": len(alarms),
            "acknowledged": len(answer),
            "unacknowledged": len(alarms) - len(answer),
            "ack_median_s": _median(answer),
            "ack_p90_s": _percentile(answer, 0.9),
            "ack_mean_s": round(statistics.fmean(answer), 1) if answer else None,
            "ack_max_s": round(max(answer), 1) if answer else None,
            "ack_within_target": sum(1 for s in answer if s <= ANSWER_TARGET_S),
            "target_s": ANSWER_TARGET_S,
            "dispatched": len(dispatch),
            "dispatch_median_s": _median(dispatch),
            "arrived": len(arrival),
            "arrival_median_s": _median(arrival),
            "arrival_p90_s": _percentile(arrival, 0.9),
            "arrival_within_target": sum(1 for s in arrival if s <= ARRIVAL_TARGET_S),
            "arrival_target_s": ARRIVAL_TARGET_S,
            "by_status": dict(sorted(alarm_status.items())),
        },
        "tips": {"received": len(tips), "by_category": dict(sorted(tip_categories.items()))},
        "daily": daily,
    }


def anev_csv(report: dict[str, Any]) -> str:
    """The report as `section,item,metric,value` rows, one fact a line, for spreadsheets."""
    out = io.StringIO()
    writer = SafeCsvWriter(out, lineterminator="\n")
    writer.writerow(["section", "item", "metric", "value"])
    writer.writerow(["report", report["org"]["code"], "week", report["week"]])
    writer.writerow(["report", report["org"]["code"], "start", report["start"]])
    writer.writerow(["report", report["org"]["code"], "end", report["end"]])
    for key, value in report["summary"].items():
        writer.writerow(["summary", "", key, value])
    for row in report["visits_by_officer"]:
        for metric in ("visits", "places", "flagged"):
            writer.writerow(["visits_by_officer", row["officer"], metric, row[metric]])
    for row in report["visits_by_kelurahan"]:
        for metric in ("visits", "officers"):
            writer.writerow(["visits_by_kelurahan", row["kelurahan"], metric, row[metric]])
    for name in report["gaps"]["kelurahan"]:
        writer.writerow(["gap_kelurahan", name, "visits", 0])
    for name in report["gaps"]["officers"]:
        writer.writerow(["gap_officer", name, "visits", 0])
    for row in report["topics"]:
        writer.writerow(["topics", row["topic"], "count", row["count"]])
    for row in report["place_types"]:
        writer.writerow(["place_types", row["place_type"], "count", row["count"]])
    for code, count in report["flags"].items():
        writer.writerow(["flags", code, "count", count])
    follow = report["follow_ups"]
    for metric in ("opened", "closed", "open_at_end", "overdue_at_end"):
        writer.writerow(["follow_ups", "", metric, follow[metric]])
    for row in follow["by_function"]:
        for metric in ("opened", "closed", "open_at_end"):
            writer.writerow(["follow_ups_by_function", row["function"], metric, row[metric]])
    for key, value in report["alarms"].items():
        if key == "by_status":
            for status, count in value.items():
                writer.writerow(["alarms_by_status", status, "count", count])
        else:
            writer.writerow(["alarms", "", key, "" if value is None else value])
    writer.writerow(["tips", "", "received", report["tips"]["received"]])
    for category, count in report["tips"]["by_category"].items():
        writer.writerow(["tips_by_category", category, "count", count])
    for row in report["daily"]:
        writer.writerow(["daily", row["date"], "visits", row["visits"]])
        writer.writerow(["daily", row["date"], "alarms", row["alarms"]])
    return out.getvalue()
