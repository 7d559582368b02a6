"""Response times per alarm and the /ops metrics built on the shared figures."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.config import get_settings
from siaga.dispatch.models import Assignment
from siaga.dispatch.response_times import all_figures, load_timings
from siaga.dispatch.schemas import MetricsRow, MetricStat, ResponseMetrics, ResponseTimes
from siaga.errors import Invalid
from siaga.stats import percentile


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
    return MetricStat(n=len(values), mean=round(sum(values) / len(values), 1),
                      p50=round(percentile(values, 50), 1), p90=round(percentile(values, 90), 1))


def response_metrics(
    session: Session, *, scope: str, since: datetime, until: datetime
) -> ResponseMetrics:
    """Per-alarm response times, the shared figures and aggregates for [since, until)."""
    if since.tzinfo is None or until.tzinfo is None:
        raise Invalid("since/until harus menyertakan zona waktu", field="since")
    settings = get_settings()
    timings = load_timings(session, scope=scope, since=since, until=until)
    figures = all_figures(timings)
    counted_in: dict[int, list[str]] = defaultdict(list)
    for key, figure in figures.items():
        for alarm_id in figure.alarm_ids:
            counted_in[alarm_id].append(key)
    rows = []
    for t in timings:
        within = None if t.arrival_s is None else t.arrival_s <= settings.arrival_target_s
        rows.append(MetricsRow(alarm_id=t.alarm_id, org_path=t.org_path,
                               created_at=t.created_at, status=t.status, outcome=t.outcome,
                               acknowledge_s=t.acknowledge_s, dispatch_s=t.dispatch_s,
                               arrival_s=t.arrival_s, close_s=t.close_s,
                               arrived_within_target=within,
                               counted_in=counted_in.get(t.alarm_id, [])))
    counted = [t for t in timings if t.counted]
    with_unit = [t for t in timings if t.needs_unit and t.dispatch_s is not None]
    arrival_share = figures["on_scene_within_target"]
    ack_share = figures["acknowledged_within_target"]
    return ResponseMetrics(
        since=since, until=until, scope=scope, alarms=len(rows),
        acknowledge=_stat([t.acknowledge_s for t in counted if t.acknowledge_s is not None]),
        dispatch=_stat([t.dispatch_s for t in with_unit if t.dispatch_s is not None]),
        arrival=_stat([t.arrival_s for t in with_unit if t.arrival_s is not None]),
        close=_stat([t.close_s for t in counted if t.close_s is not None]),
        arrived_within_target_share=None if arrival_share.value is None
        else round(arrival_share.value / 100, 4),
        acknowledged_within_target_share=None if ack_share.value is None
        else round(ack_share.value / 100, 4),
        outcomes=dict(Counter(r.outcome or "open" for r in rows)),
        figures=list(figures.values()),
        rows=rows,
    )
