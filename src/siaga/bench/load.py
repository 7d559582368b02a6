"""`siaga bench load`: many citizen devices and many dashboards against a running server.

Devices post alarms (at a fixed rate for soaks, or as fast as the concurrency allows) while every
dashboard holds a staff WebSocket; each alarm must reach every dashboard. Reports throughput,
request and delivery latency, and the resident memory of the server processes over time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import typer

from siaga.bench.live import live_socket_url
from siaga.stats import percentile_or_none

# Inside Kota Malang, so every alarm lands in the demo operator's Polres.
AREA = ((-8.03, -7.93), (112.59, 112.67))


@dataclass
class LoadState:
    sent_at: dict[str, float] = field(default_factory=dict)
    post_ms: list[float] = field(default_factory=list)
    delivery_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    delivered: int = 0
    dashboards_closed: int = 0
    rss: list[tuple[float, float]] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (Siaga's one definition, siaga/stats.py), or None without values."""
    return percentile_or_none(values, q, digits=2)


def process_tree_rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes and all their descendants, in MiB (Linux /proc)."""
    total_kb = 0
    for pid in _tree(pids):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return round(total_kb / 1024, 1)


def process_tree_cpu_s(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes and their descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _tree(pids):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _tree(pids: list[int]) -> set[int]:
    seen: set[int] = set()
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(OSError):
                    todo.extend(int(c) for c in (task / "children").read_text().split())
    return seen


def slope_mb_per_min(samples: list[tuple[float, float]]) -> float | None:
    """Least-squares growth of memory over time, ignoring the first fifth (warm-up)."""
    tail = samples[len(samples) // 5:]
    if len(tail) < 3:
        return None
    n = len(tail)
    mean_t = sum(t for t, _ in tail) / n
    mean_m = sum(m for _, m in tail) / n
    var = sum((t - mean_t) ** 2 for t, _ in tail)
    if var == 0:
        return None
    cov = sum((t - mean_t) * (m - mean_m) for t, m in tail)
    return round(cov / var * 60, 3)


async def _dashboard(client: httpx.AsyncClient, url: str, token: str, state: LoadState,
                     ready: asyncio.Event, counter: list[int], total: int) -> None:
    # Lazy: this module is loaded whenever the `siaga` command starts (it registers
    # `bench load`); only the dashboards here need websockets.
    import websockets

    # Each dashboard opens its socket with its own single-use ticket.
    ws_url = await live_socket_url(client, url=url, token=token)
    async with websockets.connect(ws_url, max_size=None, open_timeout=30) as ws:
        await ws.recv()  # hello
        counter[0] += 1
        if counter[0] == total:
            ready.set()
        try:
            async for raw in ws:
                message = json.loads(raw)
                if message.get("type") != "alarm.created":
                    continue
                sent = state.sent_at.get(message["alarm"].get("client_id", ""))
                if sent is not None:
                    state.delivery_ms.append((time.perf_counter() - sent) * 1000)
                    state.delivered += 1
        except websockets.ConnectionClosed:
            state.dashboards_closed += 1


async def _sample_rss(pids: list[int], every_s: float, state: LoadState, t0: float) -> None:
    while True:
        state.rss.append((round(time.perf_counter() - t0, 1), process_tree_rss_mb(pids)))
        await asyncio.sleep(every_s)


async def _register(client: httpx.AsyncClient, count: int, concurrency: int) -> list[str]:
    tokens: list[str] = []
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            body = {"phone": f"08{random.randrange(10**10):010d}", "name": "Warga Bench"}
            response = await client.post("/api/v1/devices", json=body)
            response.raise_for_status()
            tokens.append(response.json()["token"])

    await asyncio.gather(*(one() for _ in range(count)))
    return tokens


async def run_load_bench(
    *, url: str, n: int, duration_s: float, rate: float, devices: int, dashboards: int,
    concurrency: int, user: str, password: str, pids: list[int], sample_s: float,
) -> dict[str, Any]:
    """Run the load and return the figures as one JSON-ready dict."""
    state = LoadState()
    limits = httpx.Limits(max_connections=concurrency + 10, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        login = await client.post("/api/v1/auth/login",
                                  json={"username": user, "password": password})
        login.raise_for_status()
        token = login.json()["access_token"]
        # A device with an active alarm joins it on its next press, so every alarm needs a
        # device of its own: register n (or --devices, if more) up front, more on the way.
        pool = devices if duration_s > 0 else max(devices, n)
        tokens = await _register(client, pool, min(concurrency, 20))
        ready = asyncio.Event()
        counter = [0]
        boards = [asyncio.create_task(_dashboard(client, url, token, state, ready, counter,
                                                 dashboards))
                  for _ in range(dashboards)]
        await asyncio.wait_for(ready.wait(), timeout=60)
        cpu0 = process_tree_cpu_s(pids) if pids else 0.0
        t0 = time.perf_counter()
        sampler = asyncio.create_task(_sample_rss(pids, sample_s, state, t0)) if pids else None
        next_index = [0]
        deadline = t0 + duration_s if duration_s > 0 else None

        async def device_worker() -> None:
            while True:
                i = next_index[0]
                if (deadline is None and i >= n) or (deadline and time.perf_counter() >= deadline):
                    return
                next_index[0] += 1
                if rate > 0:
                    await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))
                    if deadline and time.perf_counter() >= deadline:
                        return
                client_id = str(uuid.uuid4())
                body = {"client_id": client_id, "lat": random.uniform(*AREA[0]),
                        "lon": random.uniform(*AREA[1]), "accuracy_m": 15}
                device_token = tokens[i] if i < len(tokens) else (
                    await _register(client, 1, 1))[0]
                start = time.perf_counter()
                state.sent_at[client_id] = start
                try:
                    response = await client.post(
                        "/api/v1/alarms", json=body,
                        headers={"Authorization": f"Bearer {device_token}"})
                    key = str(response.status_code)
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                state.post_ms.append((time.perf_counter() - start) * 1000)
                state.statuses[key] = state.statuses.get(key, 0) + 1

        await asyncio.gather(*(device_worker() for _ in range(concurrency)))
        sending_s = time.perf_counter() - t0
        created = state.statuses.get("201", 0)
        expected = created * dashboards
        settle = time.perf_counter() + 15
        while state.delivered < expected and time.perf_counter() < settle:
            await asyncio.sleep(0.1)
        server_cpu_s = round(process_tree_cpu_s(pids) - cpu0, 2) if pids else None
        if pids:
            state.rss.append((round(time.perf_counter() - t0, 1), process_tree_rss_mb(pids)))
        if sampler is not None:
            sampler.cancel()
        for board in boards:
            board.cancel()
        await asyncio.gather(*boards, *([sampler] if sampler else []), return_exceptions=True)
    sent = sum(state.statuses.values())
    memory = [m for _, m in state.rss]
    return {
        "sent": sent,
        "created": created,
        "statuses": state.statuses,
        "devices": len(tokens),
        "dashboards": dashboards,
        "seconds": round(sending_s, 2),
        "throughput_per_s": round(created / sending_s, 1) if sending_s else None,
        "post_p50_ms": percentile(state.post_ms, 50),
        "post_p95_ms": percentile(state.post_ms, 95),
        "post_p99_ms": percentile(state.post_ms, 99),
        "deliveries_expected": expected,
        "deliveries": state.delivered,
        "lost": max(0, expected - state.delivered),
        "dashboards_dropped": state.dashboards_closed,
        "p50_ms": percentile(state.delivery_ms, 50),
        "p95_ms": percentile(state.delivery_ms, 95),
        "p99_ms": percentile(state.delivery_ms, 99),
        # CPU per alarm (with its fan-out to every dashboard) holds on a busy machine too.
        "server_cpu_s": server_cpu_s,
        "server_cpu_ms_per_alarm": (round(server_cpu_s * 1000 / created, 2)
                                    if server_cpu_s and created else None),
        "rss_mb_start": memory[0] if memory else None,
        "rss_mb_end": memory[-1] if memory else None,
        "rss_mb_max": max(memory) if memory else None,
        "rss_growth_mb_per_min": slope_mb_per_min(state.rss),
        "rss_samples": state.rss,
    }


def bench_load(
    url: str = typer.Option("http://127.0.0.1:8000"),
    n: int = typer.Option(2000, min=1, help="Alarms to send (when --duration is 0)"),
    duration: float = typer.Option(0, help="Seconds to keep sending (soak); 0: send n"),
    rate: float = typer.Option(0, help="Alarms per second; 0: as fast as possible"),
    devices: int = typer.Option(500, min=1, help="Simulated citizen devices"),
    dashboards: int = typer.Option(50, min=1, help="Staff WebSockets listening"),
    concurrency: int = typer.Option(32, min=1),
    user: str = typer.Option("operator"),
    password: str = typer.Option("siaga-demo-2026"),
    pid: list[int] = typer.Option([], help="Server process id(s) whose memory to sample"),
    sample_s: float = typer.Option(10.0, help="Seconds between memory samples"),
) -> None:
    """Many devices post alarms while many dashboards listen; prints one JSON object."""
    result = asyncio.run(run_load_bench(
        url=url, n=n, duration_s=duration, rate=rate, devices=devices, dashboards=dashboards,
        concurrency=concurrency, user=user, password=password, pids=pid, sample_s=sample_s))
    typer.echo(json.dumps(result))
