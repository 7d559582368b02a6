"""`siaga bench gps`: post OsmAnd (Traccar Client) fixes for registered units.

Each request is a real Traccar Client GET; latency is request sent -> 200 received, which the
server only answers after the fix is committed. Units move on a random walk of about 10 m a
second, so every fix passes the impossible-jump check; enough units are used (registering
`BENCH-GPS-*` units when needed) to stay under the per-device rate limit.

Set-up (log-in, listing and registering units) uses httpx. The timed loop speaks HTTP/1.1 over
keep-alive asyncio streams instead: httpx spends about 2 ms of CPU per request on a 2-core
machine, so with it the benchmark would measure its own client rather than the server.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from dataclasses import dataclass
from typing import Any

import httpx

from siaga.bench.rawhttp import RawConnection
from siaga.bench.stats import percentile

FIXES_PER_UNIT_PER_MINUTE = 60  # half the default per-device limit of 120
MIN_UNITS = 100
MALANG = (-7.9714, 112.6306)


@dataclass
class _Tracker:
    tracker_id: str
    lat: float
    lon: float
    last_at: str = ""


async def _login(client: httpx.AsyncClient, user: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login",
                                 json={"username": user, "password": password})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _trackers(client: httpx.AsyncClient, headers: dict[str, str]) -> tuple[
        list[_Tracker], str | None]:
    found: list[_Tracker] = []
    org: str | None = None
    offset = 0
    while True:
        response = await client.get("/api/v1/units", headers=headers,
                                    params={"limit": 1000, "offset": offset})
        response.raise_for_status()
        page = response.json()
        for unit in page["items"]:
            org = org or unit.get("org_code")
            if unit.get("tracker_id") and unit["kind"] != "desk":
                position = unit.get("position") or {}
                found.append(_Tracker(unit["tracker_id"], position.get("lat") or MALANG[0],
                                      position.get("lon") or MALANG[1],
                                      position.get("at") or ""))
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            # Units that reported longest ago first: a run right after another stays under
            # the per-device rate limit.
            found.sort(key=lambda t: t.last_at)
            return found, org


async def _ensure_units(client: httpx.AsyncClient, headers: dict[str, str], wanted: int,
                        org: str | None) -> list[_Tracker]:
    trackers, first_org = await _trackers(client, headers)
    org = org or first_org or "polres-malang-kota"
    known = {t.tracker_id for t in trackers}
    i = 0
    while len(trackers) < wanted:
        i += 1
        tracker_id = f"bench-gps-{i:04d}"
        if tracker_id in known:
            continue
        response = await client.post("/api/v1/units", headers=headers, json={
            "callsign": f"BENCH-GPS-{i:04d}", "org": org, "kind": "car",
            "tracker_id": tracker_id})
        if response.status_code == 409:
            continue
        response.raise_for_status()
        trackers.append(_Tracker(tracker_id, *MALANG))
    return trackers


def _plan(trackers: list[_Tracker], n: int, seed: int) -> list[str]:
    """Query strings, round-robin over units, each unit's fixes one second apart."""
    rng = random.Random(seed)
    per_unit = math.ceil(n / len(trackers))
    start = time.time() - per_unit - 5
    queries = []
    for k in range(n):
        tracker = trackers[k % len(trackers)]
        step = k // len(trackers)
        tracker.lat += rng.uniform(-6e-5, 6e-5)
        tracker.lon += rng.uniform(-6e-5, 6e-5)
        queries.append(
            f"id={tracker.tracker_id}&lat={tracker.lat:.6f}&lon={tracker.lon:.6f}"
            f"&timestamp={int(start + step)}&speed={rng.uniform(0, 25):.1f}"
            f"&bearing={rng.uniform(0, 360):.0f}&altitude=440&accuracy=8&batt=76"
        )
    return queries


async def run_gps_bench(*, url: str, n: int, concurrency: int, user: str, password: str,
                        units: int, org: str | None, seed: int = 7) -> dict[str, Any]:
    """Run the benchmark and return the figures INTERFACES.md names."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as client:
        headers = await _login(client, user, password)
        wanted = max(units, math.ceil(n / FIXES_PER_UNIT_PER_MINUTE), MIN_UNITS)
        trackers = await _ensure_units(client, headers, wanted, org)
        queries = _plan(trackers[:wanted], n, seed)
    latencies: list[float] = []
    counts = {"stored": 0, "rejected": 0, "errors": 0}
    statuses: dict[str, int] = {}
    cursor = iter(queries)
    target = httpx.URL(url)
    host, port = target.host, target.port or 80
    prefix = target.path.rstrip("/")

    async def worker() -> None:
        connection: RawConnection | None = None
        for query in cursor:
            began = time.perf_counter()
            try:
                connection = connection or await RawConnection.open(host, port)
                status, body = await connection.get(f"{prefix}/gps/osmand?{query}")
            except (OSError, asyncio.IncompleteReadError, ValueError):
                counts["errors"] += 1
                if connection is not None:
                    connection.close()
                connection = None
                continue
            latencies.append((time.perf_counter() - began) * 1000)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status == 200 and body == b'{"status":"ok"}':
                counts["stored"] += 1
            elif status == 200:
                counts["rejected"] += 1
            else:
                counts["errors"] += 1
        if connection is not None:
            connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "sent": n,
        "stored": counts["stored"],
        "rejected": counts["rejected"],
        "errors": counts["errors"],
        "throughput_per_s": round(counts["stored"] / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "seconds": round(elapsed, 2),
        "units": len(trackers[:wanted]),
        "concurrency": concurrency,
        "status_codes": statuses,
    }
