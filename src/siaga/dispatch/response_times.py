"""The one definition of every response-time figure (scorecard, anev, dashboard, reports, /ops).

Each figure is one function over the same alarm timings and says in words which alarms it
counts; `Figure.alarm_ids` are exactly those alarms, so a drill-down lists what was counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.config import get_settings
from siaga.dispatch.models import Assignment
from siaga.dispatch.schemas import ResponseFigure
from siaga.stats import percentile

DISPATCH_TARGET_S = 60
# Alarms that are not a citizen's call for help: an officer's SOS and test alarms.
NOT_CITIZEN_KINDS = ("officer_sos", "test", "uji")
NO_UNIT_NEEDED = ("false_alarm", "prank")

COUNTED = "alarm warga; tanpa dibatalkan pelapor, duplikat dan uji"
NEEDS_UNIT = "alarm warga; tanpa dibatalkan pelapor, duplikat, uji, palsu dan iseng"
WITH_UNIT = ("alarm warga dengan unit ditugaskan; tanpa dibatalkan pelapor, duplikat, uji, "
             "palsu dan iseng")


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else round(max(0.0, (end - start).total_seconds()), 1)


@dataclass(frozen=True)
class AlarmTiming:
    """One alarm with the seconds from its arrival at the server to each step."""

    alarm_id: int
    org_path: str
    created_at: datetime
    kind: str
    status: str
    outcome: str | None
    merged: bool
    acknowledge_s: float | None
    dispatch_s: float | None
    arrival_s: float | None
    close_s: float | None

    @property
    def counted(self) -> bool:
        """A citizen's alarm: not cancelled by the caller, not a duplicate, not a test."""
        return (self.kind not in NOT_CITIZEN_KINDS and self.status != "cancelled"
                and self.outcome != "duplicate" and not self.merged)

    @property
    def needs_unit(self) -> bool:
        """Counted, and not found to be a false alarm or a prank."""
        return self.counted and self.outcome not in NO_UNIT_NEEDED


def load_timings(session: Session, *, scope: str, since: datetime, until: datetime
                 ) -> list[AlarmTiming]:
    """Every alarm created in [since, until) within scope, oldest first, with its timings."""
    merged_col: Any = getattr(Alarm, "merged_into_id", None)
    columns: list[Any] = [Alarm.id, Alarm.org_path, Alarm.created_at, Alarm.kind, Alarm.status,
                          Alarm.outcome, Alarm.acknowledged_at, Alarm.closed_at]
    if merged_col is not None:
        columns.append(merged_col)
    rows = session.execute(
        select(*columns).where(Alarm.org_path.startswith(scope, autoescape=True))
        .where(Alarm.created_at >= since).where(Alarm.created_at < until)
        .order_by(Alarm.created_at, Alarm.id)).all()
    dispatched: dict[int, list[datetime]] = defaultdict(list)
    arrived: dict[int, list[datetime]] = defaultdict(list)
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for alarm_id, dispatched_at, on_scene_at in session.execute(
            select(Assignment.alarm_id, Assignment.dispatched_at, Assignment.on_scene_at)
            .where(Assignment.alarm_id.in_(chunk))
        ).tuples():
            dispatched[alarm_id].append(dispatched_at)
            if on_scene_at is not None:
                arrived[alarm_id].append(on_scene_at)
    out = []
    for r in rows:
        alarm_id, created = r[0], r[2]
        out.append(AlarmTiming(
            alarm_id=alarm_id, org_path=r[1], created_at=created, kind=r[3], status=r[4],
            outcome=r[5], merged=merged_col is not None and r[8] is not None,
            acknowledge_s=_seconds(created, r[6]),
            dispatch_s=_seconds(created, min(dispatched[alarm_id], default=None)),
            arrival_s=_seconds(created, min(arrived[alarm_id], default=None)),
            close_s=_seconds(created, r[7])))
    return out


def _share(key: str, label: str, counts: str, rows: list[AlarmTiming],
           seconds: Callable[[AlarmTiming], float | None], target: int) -> ResponseFigure:
    within = sum(1 for r in rows if (s := seconds(r)) is not None and s <= target)
    return ResponseFigure(
        key=key, label=label, counts=counts, unit="%",
        value=round(100.0 * within / len(rows), 1) if rows else None, n=len(rows),
        within=within, target_s=target, alarm_ids=[r.alarm_id for r in rows])


def _quantile(key: str, label: str, counts: str, rows: list[AlarmTiming],
              seconds: Callable[[AlarmTiming], float | None], q: float) -> ResponseFigure:
    timed = [(r.alarm_id, s) for r in rows if (s := seconds(r)) is not None]
    value = round(percentile([s for _, s in timed], q), 1) if timed else None
    return ResponseFigure(key=key, label=label, counts=counts, unit="detik", value=value,
                          n=len(timed), within=None, target_s=None,
                          alarm_ids=[alarm_id for alarm_id, _ in timed])


def _counted(rows: Sequence[AlarmTiming]) -> list[AlarmTiming]:
    return [r for r in rows if r.counted]


def _needs_unit(rows: Sequence[AlarmTiming]) -> list[AlarmTiming]:
    return [r for r in rows if r.needs_unit]


def _with_unit(rows: Sequence[AlarmTiming]) -> list[AlarmTiming]:
    return [r for r in rows if r.needs_unit and r.dispatch_s is not None]


def _ack(r: AlarmTiming) -> float | None:
    return r.acknowledge_s


def _dispatch(r: AlarmTiming) -> float | None:
    return r.dispatch_s


def _arrival(r: AlarmTiming) -> float | None:
    return r.arrival_s


def acknowledged_within_target(rows: Sequence[AlarmTiming]) -> ResponseFigure:
    """Share of counted alarms an operator acknowledged within 10 s (never = not within)."""
    target = get_settings().acknowledge_target_s
    return _share("acknowledged_within_target", f"Diterima operator ≤ {target} detik", COUNTED,
                  _counted(rows), _ack, target)


def acknowledge_median(rows: Sequence[AlarmTiming]) -> ResponseFigure:
    """Median seconds to acknowledgement over the counted alarms that were acknowledged."""
    return _quantile("acknowledge_median_s", "Median waktu terima", COUNTED + "; sudah diterima",
                     _counted(rows), _ack, 50)


def acknowledge_p90(rows: Sequence[AlarmTiming]) -> ResponseFigure:
    """90th percentile of seconds to acknowledgement (the same alarms as the median)."""
    return _quantile("acknowledge_p90_s", "P90 waktu terima", COUNTED + "; sudah diterima",
                     _counted(rows), _ack, 90)


def dispatched_within_target(rows: Sequence[AlarmTiming]) -> ResponseFigure:
    """Share of alarms needing a unit that had one dispatched within 60 s."""
    return _share("dispatched_within_target", f"Unit ditugaskan ≤ {DISPATCH_TARGET_S} detik",
                  NEEDS_UNIT, _needs_unit(rows), _dispatch, DISPATCH_TARGET_S)


def dispatch_median(rows: Sequence[AlarmTiming]) -> ResponseFigure:
    """Median seconds to the first dispatch over alarms needing a unit that got one."""
    return _quantile("dispatch_median_s", "Median waktu penugasan", WITH_UNIT,
                     _needs_unit(rows), _dispatch, 50)


def dispatch_p90(rows: Sequence[AlarmTiming]) -> ResponseFigure:
    """90th percentile of seconds to the first dispatch."""
    return _quantile("dispatch_p90_s", "P90 waktu penugasan", WITH_UNIT, _needs_unit(rows),
                     _dispatch, 90)


def on_scene_within_target(rows: Sequence[AlarmTiming]) -> ResponseFigure:
    """Share of alarms with a unit dispatched whose first unit arrived within 10 minutes."""
    target = get_settings().arrival_target_s
    return _share("on_scene_within_target", f"Unit tiba ≤ {target // 60} menit", WITH_UNIT,
                  _with_unit(rows), _arrival, target)


def on_scene_median(rows: Sequence[AlarmTiming]) -> ResponseFigure:
    """Median seconds to the first unit on scene over alarms whose unit arrived."""
    return _quantile("on_scene_median_s", "Median waktu tiba", WITH_UNIT + "; unit sudah tiba",
                     _with_unit(rows), _arrival, 50)


def on_scene_p90(rows: Sequence[AlarmTiming]) -> ResponseFigure:
    """90th percentile of seconds to the first unit on scene."""
    return _quantile("on_scene_p90_s", "P90 waktu tiba", WITH_UNIT + "; unit sudah tiba",
                     _with_unit(rows), _arrival, 90)


FIGURES: dict[str, Callable[[Sequence[AlarmTiming]], ResponseFigure]] = {
    "acknowledged_within_target": acknowledged_within_target,
    "acknowledge_median_s": acknowledge_median,
    "acknowledge_p90_s": acknowledge_p90,
    "dispatched_within_target": dispatched_within_target,
    "dispatch_median_s": dispatch_median,
    "dispatch_p90_s": dispatch_p90,
    "on_scene_within_target": on_scene_within_target,
    "on_scene_median_s": on_scene_median,
    "on_scene_p90_s": on_scene_p90,
}


def all_figures(rows: Sequence[AlarmTiming]) -> dict[str, ResponseFigure]:
    """Every figure over the same timings, by key."""
    return {key: figure(rows) for key, figure in FIGURES.items()}


def drilldown(rows: Sequence[AlarmTiming], key: str) -> list[AlarmTiming]:
    """Exactly the alarms a figure counts, oldest first."""
    ids = set(FIGURES[key](rows).alarm_ids)
    return [r for r in rows if r.alarm_id in ids]
