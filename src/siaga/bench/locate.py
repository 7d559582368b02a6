"""`siaga bench locate`: point-in-village lookup speed and memory over generated villages.

Villages are generated, not real: a jittered grid split into Voronoi cells of about 4 km2 (a
Javanese desa), each border warped by a smooth field so it wanders like a real one, then cut to
50-200 vertices. The locator is built from GeoJSON text exactly as the server builds it from the
database, so the figures are those of the alarm's hot path.
"""

from __future__ import annotations

import gc
import json
import math
import os
import resource
import time
from collections.abc import Iterator

import numpy as np
import shapely
import typer

from siaga.orgs.spatial import PolygonIndex

PROVINCE_VILLAGES = 7_000
INDONESIA_VILLAGES = 84_000
CELL_DEG = 0.018  # about 2 km across: 4 km2, a typical desa of Java
CHUNK = 2_000


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _warp(coords: np.ndarray, cell: float) -> np.ndarray:
    """Move every vertex by a smooth field: shared borders stay shared, but no longer straight."""
    x, y = coords[:, 0], coords[:, 1]
    amplitude = 0.05 * cell
    k = 2 * math.pi / (0.6 * cell)
    dx = amplitude * (np.sin(k * y + 1.3) + 0.5 * np.sin(2.3 * k * (x + y)))
    dy = amplitude * (np.sin(k * x + 0.4) + 0.5 * np.cos(1.7 * k * (x - y)))
    return np.column_stack([x + dx, y + dy])


def generate_villages(count: int, *, seed: int = 7, origin: tuple[float, float] = (-8.0, 110.0)
                      ) -> tuple[tuple[float, float, float, float], Iterator[str]]:
    """The bounds of the area and, lazily, `count` village boundaries as GeoJSON text."""
    rng = np.random.default_rng(seed)
    cols = math.ceil(math.sqrt(count * 2))  # twice as wide as tall, like a province of Java
    rows = math.ceil(count / cols)
    lat0, lon0 = origin
    gx, gy = np.meshgrid(np.arange(cols), np.arange(rows))
    centres = np.column_stack([gx.ravel(), gy.ravel()])[:count].astype(float)
    centres += rng.uniform(-0.35, 0.35, centres.shape)
    centres = centres * CELL_DEG + (lon0, lat0)
    bounds = (lon0 - CELL_DEG, lat0 - CELL_DEG, lon0 + cols * CELL_DEG, lat0 + rows * CELL_DEG)
    frame = shapely.box(*bounds)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(centres),
                                                       extend_to=frame))
    cells = shapely.intersection(cells, frame)
    targets = rng.integers(50, 201, len(cells))

    def texts() -> Iterator[str]:
        for start in range(0, len(cells), CHUNK):
            part = cells[start:start + CHUNK]
            step = shapely.length(part) / targets[start:start + CHUNK]
            dense = shapely.segmentize(part, step)
            coords = shapely.get_coordinates(dense)
            warped = shapely.set_coordinates(dense.copy(), _warp(coords, CELL_DEG))
            warped = np.where(shapely.is_valid(warped), warped, shapely.make_valid(warped))
            yield from shapely.to_geojson(warped)

    return bounds, texts()


def _percentile(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def _time_points(index: PolygonIndex, points: np.ndarray) -> dict[str, float]:
    """Per lookup: wall time, the thread's CPU time, and the best of three wall times.

    On a shared machine a lookup is often preempted; the CPU time and the best of three runs
    of the same point leave that out, while keeping each point's own path (inside, border).
    The times go into arrays allocated beforehand: a list of Python floats growing by three
    per lookup would set off the garbage collector every few hundred lookups and charge its
    pauses to the locator.
    """
    count = len(points)
    wall = np.empty(count, dtype=np.int64)
    cpu = np.empty(count, dtype=np.int64)
    best = np.empty(count, dtype=np.int64)
    wall_clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for i, (lon, lat) in enumerate(points.tolist()):
        started, started_cpu = wall_clock(), cpu_clock()
        index.locate(lat, lon)
        cpu[i] = cpu_clock() - started_cpu
        first = wall_clock() - started
        wall[i] = first
        for _ in range(2):
            started = wall_clock()
            index.locate(lat, lon)
            first = min(first, wall_clock() - started)
        best[i] = first

    def us(values: np.ndarray, q: float) -> float:
        return round(_percentile(sorted((values / 1000).tolist()), q), 1)

    return {"p50_us": us(wall, 50), "p99_us": us(wall, 99),
            "cpu_p50_us": us(cpu, 50), "cpu_p99_us": us(cpu, 99),
            "best_of_3_p50_us": us(best, 50), "best_of_3_p99_us": us(best, 99)}


def bench_province(count: int, points: int, seed: int) -> dict[str, object]:
    """Lookup latency over one province's villages: random points, and points near borders."""
    bounds, texts = generate_villages(count, seed=seed)
    started = time.perf_counter()
    index = PolygonIndex(enumerate(texts))
    build_s = time.perf_counter() - started
    rng = np.random.default_rng(seed + 1)
    west, south, east, north = bounds
    random_points = np.column_stack([rng.uniform(west, east, points),
                                     rng.uniform(south, north, points)])
    _time_points(index, random_points[: min(points, 2000)])  # warm: prepared indexes built
    inside = _time_points(index, random_points)
    # Points just off the area's edge (0-1.5 km out) take the nearest-polygon path.
    edge = np.column_stack([rng.uniform(west, east, points // 10),
                            np.full(points // 10, south) - rng.uniform(0, 0.0135, points // 10)])
    border = _time_points(index, edge)
    return {"villages": len(index), "points": points, "build_s": round(build_s, 2),
            **inside, "outside_edge_p50_us": border["p50_us"],
            "outside_edge_p99_us": border["p99_us"],
            "outside_edge_best_of_3_p99_us": border["best_of_3_p99_us"],
            "load_average": round(os.getloadavg()[0], 1)}


def bench_memory(count: int, seed: int) -> dict[str, object]:
    """Process memory the locator takes for `count` villages, every polygon queried once."""
    bounds, texts = generate_villages(count, seed=seed, origin=(-11.0, 95.0))
    gc.collect()
    before = _rss_mb()
    started = time.perf_counter()
    index = PolygonIndex(enumerate(texts))
    build_s = time.perf_counter() - started
    # Each polygon builds its point-in-area index on first use: touch them all, as a server
    # that has run for a while would have.
    for geom in index.geometries:
        point = shapely.point_on_surface(geom)
        index.locate(point.y, point.x)
    gc.collect()
    after = _rss_mb()
    vertices = int(shapely.get_num_coordinates(index.geometries).sum())
    return {"villages": len(index), "mean_vertices": round(vertices / max(len(index), 1), 1),
            "build_s": round(build_s, 1), "rss_before_mb": round(before, 1),
            "rss_after_mb": round(after, 1), "locator_mb": round(after - before, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def bench_locate(
    villages: int = typer.Option(PROVINCE_VILLAGES, help="Desa/kelurahan satu provinsi"),
    points: int = typer.Option(20_000, help="Titik acak yang dicari"),
    all_indonesia: bool = typer.Option(False, "--all-indonesia",
                                       help="Ukur juga memori untuk 84.000 desa se-Indonesia"),
    memory_villages: int = typer.Option(INDONESIA_VILLAGES, help="Jumlah desa untuk ukur memori"),
    seed: int = typer.Option(7),
) -> None:
    """Microseconds per located point (p50/p99) and, optionally, memory for all of Indonesia."""
    result: dict[str, object] = {"province": bench_province(villages, points, seed),
                                 "goal_p99_us": 50}
    if all_indonesia:
        result["indonesia"] = bench_memory(memory_villages, seed)
        result["goal_memory_mb"] = 1024
    typer.echo(json.dumps(result))
