"""Point-in-village lookup over boundary polygons with an STRtree."""

from __future__ import annotations

import json
import math

from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from siaga.geo import EARTH_RADIUS_M

NEAREST_LIMIT_M = 1000.0


class PolygonIndex:
    """Villages by polygon: inside -> that one; within 1 km of an edge -> the nearest."""

    def __init__(self, items: list[tuple[int, str]]) -> None:
        self._keys = [key for key, _ in items]
        self._geoms: list[BaseGeometry] = [shape(json.loads(text)) for _, text in items]
        self._tree = STRtree(self._geoms) if self._geoms else None

    def locate(self, lat: float, lon: float) -> tuple[int, float] | None:
        """The key of the village holding the point (distance 0) or nearest within 1 km."""
        if self._tree is None:
            return None
        point = Point(lon, lat)
        inside = self._tree.query(point, predicate="intersects")
        if len(inside):
            return self._keys[int(min(inside))], 0.0
        # Degrees to metres at this latitude; longitude shrinks with cos(lat).
        metres_per_deg = math.pi * EARTH_RADIUS_M / 180.0
        reach = NEAREST_LIMIT_M / (metres_per_deg * max(math.cos(math.radians(lat)), 0.1))
        near = self._tree.query_nearest(point, max_distance=reach, return_distance=True)
        indices, distances = near
        if not len(indices):
            return None
        best = int(indices[0])
        distance_m = float(distances[0]) * metres_per_deg * math.cos(math.radians(lat))
        if distance_m > NEAREST_LIMIT_M:
            return None
        return self._keys[best], distance_m
