"""Assigning patrol targets to units in balanced, compact groups and ordering each route.

Pure functions over plain data so the planning can be tested and tuned without a database.
Targets are grouped by a capacity-constrained k-means (every unit gets the same number of
points, give or take one), groups are matched to units by distance, and each route is ordered
by nearest neighbour from the unit's position. Schools keep their dismissal windows; risk cells
share the rest of the shift in route order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from siaga.geo import haversine_m

KMEANS_ROUNDS = 8


@dataclass(frozen=True)
class Target:
    kind: str
    label: str
    lat: float
    lon: float
    risk: float
    window: tuple[datetime, datetime] | None = None
    school_id: int | None = None


@dataclass(frozen=True)
class Crew:
    unit_id: int
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Stop:
    target: Target
    start: datetime
    end: datetime


def _overlaps(a: tuple[datetime, datetime] | None, b: tuple[datetime, datetime] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _initial_centres(targets: list[Target], k: int) -> list[tuple[float, float]]:
    # Farthest-first from the riskiest target: deterministic and well spread.
    first = max(targets, key=lambda t: t.risk)
    centres = [(first.lat, first.lon)]
    while len(centres) < k:
        far = max(targets, key=lambda t: min(haversine_m(t.lat, t.lon, c[0], c[1])
                                             for c in centres))
        centres.append((far.lat, far.lon))
    return centres


def _assign(targets: list[Target], centres: list[tuple[float, float]], cap: int
            ) -> list[list[Target]]:
    pairs = sorted(
        ((haversine_m(t.lat, t.lon, c[0], c[1]), i, j)
         for i, t in enumerate(targets) for j, c in enumerate(centres)),
    )
    groups: list[list[Target]] = [[] for _ in centres]
    placed = [False] * len(targets)
    # Two passes: the first keeps one unit from owning two schools due at the same time.
    for strict in (True, False):
        for _, i, j in pairs:
            if placed[i] or len(groups[j]) >= cap:
                continue
            t = targets[i]
            if strict and any(_overlaps(t.window, o.window) for o in groups[j]):
                continue
            groups[j].append(t)
            placed[i] = True
    return groups


def _centre(group: list[Target], fallback: tuple[float, float]) -> tuple[float, float]:
    if not group:
        return fallback
    w = [0.1 + g.risk for g in group]
    total = sum(w)
    return (sum(g.lat * x for g, x in zip(group, w, strict=True)) / total,
            sum(g.lon * x for g, x in zip(group, w, strict=True)) / total)


def balanced_groups(targets: list[Target], k: int) -> list[list[Target]]:
    """k groups of compact targets whose sizes differ by at most one."""
    if k <= 0:
        return []
    if not targets:
        return [[] for _ in range(k)]
    cap = math.ceil(len(targets) / k)
    centres = _initial_centres(targets, min(k, len(targets)))
    centres += [centres[0]] * (k - len(centres))
    groups = _assign(targets, centres, cap)
    for _ in range(KMEANS_ROUNDS):
        centres = [_centre(g, c) for g, c in zip(groups, centres, strict=True)]
        new = _assign(targets, centres, cap)
        if new == groups:
            break
        groups = new
    # Capacity ceil(n/k) can leave the last groups short by more than one; even them out.
    while True:
        big = max(range(k), key=lambda j: len(groups[j]))
        small = min(range(k), key=lambda j: len(groups[j]))
        if len(groups[big]) - len(groups[small]) <= 1:
            return groups
        c = _centre(groups[small], centres[small])
        move = min(groups[big], key=lambda t: haversine_m(t.lat, t.lon, c[0], c[1]))
        groups[big].remove(move)
        groups[small].append(move)


def match_groups(groups: list[list[Target]], crews: list[Crew]) -> dict[int, list[Target]]:
    """Each group to the unit nearest its centre (greedy by distance); units without a
    position take what is left."""
    centres = [_centre(g, (0.0, 0.0)) for g in groups]
    pairs = sorted(
        (haversine_m(c.lat, c.lon, centres[j][0], centres[j][1]) if c.lat is not None
         and c.lon is not None and groups[j] else math.inf, i, j)
        for i, c in enumerate(crews) for j in range(len(groups))
    )
    out: dict[int, list[Target]] = {}
    used: set[int] = set()
    for _, i, j in pairs:
        unit = crews[i].unit_id
        if unit in out or j in used:
            continue
        out[unit] = groups[j]
        used.add(j)
    return out


def nearest_neighbour(targets: list[Target], start: tuple[float, float] | None) -> list[Target]:
    """Route order: from the start (or the riskiest target) always to the closest unvisited."""
    left = list(targets)
    route: list[Target] = []
    if not left:
        return route
    if start is None:
        first = max(left, key=lambda t: t.risk)
        left.remove(first)
        route.append(first)
        here = (first.lat, first.lon)
    else:
        here = start
    while left:
        nxt = min(left, key=lambda t: haversine_m(here[0], here[1], t.lat, t.lon))
        left.remove(nxt)
        route.append(nxt)
        here = (nxt.lat, nxt.lon)
    return route


def schedule(route: list[Target], shift_start: datetime, shift_end: datetime) -> list[Stop]:
    """Time windows along the route: schools keep theirs, risk cells share equal slots of the
    shift in route order; stops sorted by start."""
    fixed = [t for t in route if t.window is not None]
    free = [t for t in route if t.window is None]
    stops = [Stop(t, t.window[0], t.window[1]) for t in fixed if t.window is not None]
    if free:
        slot = (shift_end - shift_start) / len(free)
        for i, t in enumerate(free):
            start = shift_start + slot * i
            stops.append(Stop(t, start, start + slot))
    return sorted(stops, key=lambda s: (s.start, s.end))


def plan_routes(targets: list[Target], crews: list[Crew], shift_start: datetime,
                shift_end: datetime) -> dict[int, list[Stop]]:
    """Balanced groups of targets, one per unit, each ordered and scheduled."""
    groups = balanced_groups(targets, len(crews))
    by_unit = match_groups(groups, crews)
    positions = {c.unit_id: (c.lat, c.lon) for c in crews}
    out: dict[int, list[Stop]] = {}
    for crew in crews:
        lat, lon = positions[crew.unit_id]
        start = (lat, lon) if lat is not None and lon is not None else None
        route = nearest_neighbour(by_unit.get(crew.unit_id, []), start)
        out[crew.unit_id] = schedule(route, shift_start, shift_end)
    return out


def school_window(dismissal: datetime, *, before: timedelta, after: timedelta
                  ) -> tuple[datetime, datetime]:
    """The window a patrol should be at a school around its dismissal."""
    return dismissal - before, dismissal + after

