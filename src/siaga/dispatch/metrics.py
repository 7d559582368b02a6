"""Response times per alarm, and their aggregates over a scope and period for reports."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.config import get_settings
from siaga.dispatch.models import Assignment
from siaga.dispatch.schemas import MetricsRow, MetricStat, ResponseMetrics, ResponseTimes
from siaga.errors import Invalid


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else round(max(0.0, (end - start).total_seconds()), 1)


def response_times(alarm: Alarm, assignments: Sequence[Assignment]) -> ResponseTimes:
    """Seconds from the alarm reaching the server to acknowledgement, dispatch, arrival, close."""
    dispatched = [a.dispatched_at for a in assignments]
    arrived = [a.on_scene_at for a in assignments if a.on_scene_at is not None]
    return ResponseTimes(
        acknowledge_s=_seconds(alarm.created_at, alarm.acknowledged_at),
        dispatch_s=_seconds(alarm.created_at, min(dispatched) if dispatched else None),
        arrival_s=_seconds(alarm.created_at, min(arrived) if arrived else None),
        close_s=_seconds(alarm.created_at, alarm.closed_at),
    )


def _stat(values: list[float]) -> MetricStat:
    if not values:
        return MetricStat(n=0, mean=None, p50=None, p90=None)
    ordered = sorted(values)
    return MetricStat(n=len(values), mean=round(sum(values) / len(values), 1),
                      p50=round(percentile(ordered, 50), 1),
                      p90=round(percentile(ordered, 90), 1))


def percentile(ordered: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile of already sorted values."""
    if len(ordered) == 1:
        return float(ordered[0])
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))


def _share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def response_metrics(
    session: Session, *, scope: str, since: datetime, until: datetime
) -> ResponseMetrics:
    """Per-alarm response times and their aggregates for alarms created in [since, until)."""
    if since.tzinfo is None or until.tzinfo is None:
        raise Invalid("since/until harus menyertakan zona waktu", field="since")
    settings = get_settings()
    alarms = list(session.scalars(
        select(Alarm).where(Alarm.org_path.startswith(scope, autoescape=True))
        .where(Alarm.created_at >= since).where(Alarm.created_at < until)
        .order_by(Alarm.created_at, Alarm.id)
    ))
    by_alarm: dict[int, list[Assignment]] = defaultdict(list)
    if alarms:
        for a in session.scalars(select(Assignment).where(
                Assignment.alarm_id.in_([x.id for x in alarms]))):
            by_alarm[a.alarm_id].append(a)
    rows = []
    for alarm in alarms:
        t = response_times(alarm, by_alarm[alarm.id])
        within = None if t.arrival_s is None else t.arrival_s <= settings.arrival_target_s
        rows.append(MetricsRow(alarm_id=alarm.id, org_path=alarm.org_path,
                               created_at=alarm.created_at, status=alarm.status,
                               outcome=alarm.outcome, acknowledge_s=t.acknowledge_s,
                               dispatch_s=t.dispatch_s, arrival_s=t.arrival_s,
                               close_s=t.close_s, arrived_within_target=within))
    # Alarms that count for arrival: dispatched and not found to be false alarms or pranks.
    served = [r for r in rows if r.dispatch_s is not None
              and r.outcome not in ("false_alarm", "prank", "duplicate")]
    return ResponseMetrics(
        since=since, until=until, scope=scope, alarms=len(rows),
        acknowledge=_stat([r.acknowledge_s for r in rows if r.acknowledge_s is not None]),
        dispatch=_stat([r.dispatch_s for r in rows if r.dispatch_s is not None]),
        arrival=_stat([r.arrival_s for r in rows if r.arrival_s is not None]),
        close=_stat([r.close_s for r in rows if r.close_s is not None]),
        arrived_within_target_share=_share([bool(r.arrived_within_target) for r in served]),
        acknowledged_within_target_share=_share(
            [r.acknowledge_s is not None and r.acknowledge_s <= settings.acknowledge_target_s
             for r in rows]),
        outcomes=dict(Counter(r.outcome or "open" for r in rows)),
        rows=rows,
    )
