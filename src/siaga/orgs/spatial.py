"""Point-in-village lookup over boundary polygons with an STRtree of prepared polygons."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import STRtree

from siaga.geo import EARTH_RADIUS_M, haversine_m

NEAREST_LIMIT_M = 1000.0
# An approximate hit never reads as an exact one: stored alarms keep only the distance, and a
# distance of 0 means "inside exactly one village".
APPROXIMATE_MIN_M = 0.01
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180.0


@dataclass(frozen=True)
class PolygonHit:
    key: int
    distance_m: float
    # True on a border, in an overlap or a sliver between neighbours: the nearest polygon.
    approximate: bool


class PolygonIndex:
    """Villages by polygon: inside -> that one; within 1 km of an edge -> the nearest."""

    def __init__(self, items: Iterable[tuple[int, str]]) -> None:
        keys: list[int] = []
        geoms: list[shapely.Geometry] = []
        # Parsed one at a time by GEOS itself: no Python lists of coordinates, so loading tens
        # of thousands of villages costs little more than the polygons themselves.
        for key, text in items:
            geom = shapely.from_geojson(text)
            if geom is None or geom.is_empty:
                continue
            keys.append(key)
            geoms.append(geom)
        self._keys = keys
        self._geoms = np.array(geoms, dtype=object)
        shapely.prepare(self._geoms)
        self._tree = STRtree(self._geoms) if len(geoms) else None

    def __len__(self) -> int:
        return len(self._keys)

    def locate(self, lat: float, lon: float) -> PolygonHit | None:
        """The village holding the point, or the nearest within 1 km (approximate)."""
        if self._tree is None:
            return None
        candidates = self._tree.query(shapely.points(lon, lat))
        inside = [int(i) for i in candidates
                  if shapely.contains_xy(self._geoms[int(i)], lon, lat)]
        if len(inside) == 1:
            return PolygonHit(self._keys[inside[0]], 0.0, False)
        if inside:
            # Neighbours overlap slightly: the one whose edge is farthest holds the point best.
            point = shapely.points(lon, lat)
            deepest = max(inside, key=lambda i: float(
                shapely.distance(shapely.boundary(self._geoms[i]), point)))
            return PolygonHit(self._keys[deepest], APPROXIMATE_MIN_M, True)
        return self._nearest(lat, lon, NEAREST_LIMIT_M)

    def nearest(self, lat: float, lon: float) -> PolygonHit | None:
        """The nearest polygon at any distance (for points outside every village)."""
        return self._nearest(lat, lon, None)

    def _nearest(self, lat: float, lon: float, limit_m: float | None) -> PolygonHit | None:
        if self._tree is None:
            return None
        point = shapely.points(lon, lat)
        reach = None
        if limit_m is not None:
            # Degrees of longitude shrink with cos(lat): the larger span is the safe reach.
            reach = limit_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1))
        found = self._tree.query_nearest(point, max_distance=reach)
        if not len(found):
            return None
        best: tuple[float, int] | None = None
        for i in found:
            near = shapely.shortest_line(self._geoms[int(i)], point)
            (plon, plat), _ = shapely.get_coordinates(near)
            distance = haversine_m(lat, lon, float(plat), float(plon))
            if best is None or distance < best[0]:
                best = (distance, int(i))
        assert best is not None
        if limit_m is not None and best[0] > limit_m:
            return None
        return PolygonHit(self._keys[best[1]], max(best[0], APPROXIMATE_MIN_M), True)
