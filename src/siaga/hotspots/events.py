"""Crime events as time-sorted numpy columns, read from CSV or from (time, lat, lon) tuples."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

from siaga.hotspots.grid import FloatArray, LocalProjection, projection_for

_EPOCH = datetime(1970, 1, 1)
_DAY_S = 86_400.0


def to_days(when: datetime | date) -> float:
    """Days since 1970-01-01; aware times go to UTC, naive ones are taken as they are."""
    if isinstance(when, datetime):
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
        return (when - _EPOCH).total_seconds() / _DAY_S
    return float((when - _EPOCH.date()).days)


@dataclass(frozen=True)
class Events:
    """Events sorted by time `t` (days since epoch) with planar coordinates in metres."""

    t: FloatArray
    x: FloatArray
    y: FloatArray
    projection: LocalProjection | None

    @property
    def size(self) -> int:
        """Number of events."""
        return int(self.t.size)

    def count_before(self, t: float) -> int:
        """How many events happen strictly before `t`; they form a prefix since `t` is sorted."""
        return int(np.searchsorted(self.t, t, side="left"))


def _sorted(t: FloatArray, x: FloatArray, y: FloatArray, proj: LocalProjection | None) -> Events:
    order = np.argsort(t, kind="stable")
    return Events(t=t[order], x=x[order], y=y[order], projection=proj)


def events_from_points(
    *, points: Sequence[tuple[datetime, float, float]], projection: LocalProjection | None = None
) -> Events:
    """Events from (time, lat, lon) tuples, projected around their centroid unless given one."""
    t = np.array([to_days(p[0]) for p in points], dtype=np.float64)
    lat = np.array([p[1] for p in points], dtype=np.float64)
    lon = np.array([p[2] for p in points], dtype=np.float64)
    if projection is None:
        if not points:
            raise ValueError("no events")
        projection = projection_for(lon=lon, lat=lat)
    x, y = projection.to_xy(lon, lat)
    return _sorted(t, x, y, projection)


def _parse_time(text: str) -> float:
    return to_days(datetime.fromisoformat(text.strip()))


def load_events_csv(*, path: Path) -> Events:
    """Read `date_single, longitude, latitude` (degrees) or `date, x_*, y_*` (metres) columns."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        rows = [row for row in reader]
    time_col = "date_single" if "date_single" in fields else "date"
    if time_col not in fields:
        raise ValueError(f"{path}: needs a date_single or date column")
    if "longitude" in fields and "latitude" in fields:
        x_col, y_col, degrees = "longitude", "latitude", True
    else:
        xs = [f for f in fields if f.startswith("x_")]
        ys = [f for f in fields if f.startswith("y_")]
        if not xs or not ys:
            raise ValueError(f"{path}: needs longitude/latitude or x_*/y_* columns")
        x_col, y_col, degrees = xs[0], ys[0], False
    # Rows without a time or a place cannot be put on the grid, so they are dropped.
    rows = [r for r in rows if r[time_col] and r[x_col] and r[y_col]]
    t = np.array([_parse_time(r[time_col]) for r in rows], dtype=np.float64)
    a = np.array([float(r[x_col]) for r in rows], dtype=np.float64)
    b = np.array([float(r[y_col]) for r in rows], dtype=np.float64)
    if not degrees:
        return _sorted(t, a, b, None)
    proj = projection_for(lon=a, lat=b)
    x, y = proj.to_xy(a, b)
    return _sorted(t, x, y, proj)
