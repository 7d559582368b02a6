"""Point-in-village lookup over boundary polygons with an STRtree of prepared polygons."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import Point, STRtree

from siaga.geo import EARTH_RADIUS_M, haversine_m

NEAREST_LIMIT_M = 1000.0
# An approximate hit never reads as an exact one: stored alarms keep only the distance, and a
# distance of 0 means "inside exactly one village".
APPROXIMATE_MIN_M = 0.01
# Grid cells per village side (from the median village area): about 16 cells per village.
CELLS_PER_VILLAGE_SIDE = 4.0
GRID_CHUNK = 50_000
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
        self._cells: dict[int, int | tuple[tuple[int, ...], np.ndarray]] = {}
        self._grid = (0.0, 0.0, 1.0, 1)
        if self._tree is not None:
            self._build_grid()

    def _build_grid(self) -> None:
        """Cache the tree's answers per grid cell: most cells lie wholly inside one village."""
        assert self._tree is not None
        bounds = shapely.bounds(self._geoms)
        cell = float(np.sqrt(np.median(shapely.area(self._geoms)))) / CELLS_PER_VILLAGE_SIDE
        cell = max(cell, 1e-5)
        west, south = float(bounds[:, 0].min()), float(bounds[:, 1].min())
        columns = int((bounds[:, 2].max() - west) / cell) + 2
        self._grid = (west, south, 1.0 / cell, columns)
        first = np.floor((bounds[:, :2] - (west, south)) / cell).astype(np.int64)
        last = np.floor((bounds[:, 2:] - (west, south)) / cell).astype(np.int64)
        keys = np.unique(np.concatenate([
            (np.arange(r0, r1 + 1)[:, None] * columns + np.arange(c0, c1 + 1)[None, :]).ravel()
            for (c0, r0), (c1, r1) in zip(first, last, strict=True)]))
        shared: dict[tuple[int, ...], tuple[tuple[int, ...], np.ndarray]] = {}
        for start in range(0, len(keys), GRID_CHUNK):
            part = keys[start:start + GRID_CHUNK]
            x0 = west + (part % columns) * cell
            y0 = south + (part // columns) * cell
            boxes = shapely.box(x0, y0, x0 + cell, y0 + cell)
            box_at, poly_at = self._tree.query(boxes, predicate="intersects")
            inside_box, inside_poly = self._tree.query(boxes, predicate="within")
            covered = dict(zip(inside_box.tolist(), inside_poly.tolist(), strict=True))
            order = np.argsort(box_at, kind="stable")
            runs: dict[int, list[int]] = {}
            for b, poly in zip(box_at[order].tolist(), poly_at[order].tolist(), strict=True):
                runs.setdefault(b, []).append(poly)
            part_keys = part.tolist()
            for b, run in runs.items():
                if len(run) == 1 and covered.get(b) == run[0]:
                    self._cells[part_keys[b]] = run[0]
                    continue
                # Neighbouring border cells mostly share their polygons: one entry per set.
                polys = tuple(run)
                entry = shared.get(polys)
                if entry is None:
                    entry = shared[polys] = (polys, self._geoms[list(polys)])
                self._cells[part_keys[b]] = entry
        # Border cells test the point against their few polygons, each with its prepared
        # point-in-area index; build those indexes now so no alarm pays for it.
        west_b, south_b, east_b, north_b = bounds.T
        shapely.contains_xy(self._geoms, (west_b + east_b) / 2, (south_b + north_b) / 2)

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def geometries(self) -> np.ndarray:
        """The polygons, in index order."""
        return self._geoms

    def locate(self, lat: float, lon: float) -> PolygonHit | None:
        """The village holding the point, or the nearest within 1 km (approximate)."""
        if self._tree is None:
            return None
        west, south, per_degree, columns = self._grid
        column, row = (lon - west) * per_degree, (lat - south) * per_degree
        entry = None
        if 0.0 <= column < columns and row >= 0.0:
            entry = self._cells.get(int(row) * columns + int(column))
        if entry is None:
            return self._nearest(lat, lon, NEAREST_LIMIT_M)
        if isinstance(entry, int):
            return PolygonHit(self._keys[entry], 0.0, False)
        polys, geoms = entry
        if len(polys) == 1:
            inside = list(polys) if shapely.contains_xy(geoms[0], lon, lat) else []
        else:
            inside = [p for p, hit in zip(polys, shapely.contains_xy(geoms, lon, lat),
                                          strict=True) if hit]
        if len(inside) == 1:
            return PolygonHit(self._keys[inside[0]], 0.0, False)
        if inside:
            # Neighbours overlap slightly: the one whose edge is farthest holds the point best.
            point = Point(lon, lat)
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
