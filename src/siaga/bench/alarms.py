"""`siaga bench alarms`: POST alarms from many devices while a staff WebSocket listens."""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from typing import Any

import httpx
import websockets

from siaga.bench.live import live_socket_url
from siaga.bench.rawhttp import RawConnection
from siaga.bench.stats import percentile

# Kota Malang's bounding box, so alarms are located to real kelurahan of the demo tenant.
MALANG_BOX = (-8.03, -7.93, 112.59, 112.68)


async def _login(client: httpx.AsyncClient, user: str, password: str) -> str:
    response = await client.post("/api/v1/auth/login",
                                 json={"username": user, "password": password})
    response.raise_for_status()
    return str(response.json()["access_token"])


async def _register_devices(client: httpx.AsyncClient, count: int, concurrency: int
                            ) -> list[str]:
    tokens: list[str] = []
    semaphore = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with semaphore:
            response = await client.post(
                "/api/v1/devices", json={"phone": f"0899{i:08d}", "name": f"Bench {i}"})
            response.raise_for_status()
            tokens.append(response.json()["token"])

    await asyncio.gather(*(one(i) for i in range(count)))
    return tokens


async def _listen(ws_url: str, received: dict[int, float], ready: asyncio.Event,
                  stop: asyncio.Event) -> None:
    async with websockets.connect(ws_url, max_size=2**22) as socket:
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(socket.recv(), 0.2)
            except TimeoutError:
                continue
            message = json.loads(raw)
            if message.get("type") == "hello":
                ready.set()
            elif message.get("type") == "alarm.created":
                received.setdefault(int(message["alarm"]["id"]), time.perf_counter())


async def run_alarm_bench(*, url: str, n: int, concurrency: int, user: str, password: str,
                          devices: int, drain_timeout_s: float = 15.0) -> dict[str, Any]:
    """Run the benchmark and return the figures INTERFACES.md names."""
    rng = random.Random(7)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        token = await _login(client, user, password)
        device_tokens = await _register_devices(client, devices, min(concurrency, 32))
        ws_url = await live_socket_url(client, url=url, token=token)
        received: dict[int, float] = {}
        ready, stop = asyncio.Event(), asyncio.Event()
        listener = asyncio.create_task(_listen(ws_url, received, ready, stop))
        await asyncio.wait_for(ready.wait(), 10)

        sent_at: dict[int, float] = {}
        errors: dict[str, int] = {}
        parsed = httpx.URL(url)
        host, port = parsed.host, parsed.port or 80
        jobs: asyncio.Queue[int] = asyncio.Queue()
        for i in range(n):
            jobs.put_nowait(i)

        async def worker() -> None:
            connection: RawConnection | None = None
            while not jobs.empty():
                i = jobs.get_nowait()
                lat0, lat1, lon0, lon1 = MALANG_BOX
                body = {"client_id": str(uuid.uuid4()), "lat": rng.uniform(lat0, lat1),
                        "lon": rng.uniform(lon0, lon1), "accuracy_m": 20}
                headers = {"Authorization": f"Bearer {device_tokens[i % len(device_tokens)]}"}
                started = time.perf_counter()
                try:
                    connection = connection or await RawConnection.open(host, port)
                    status, raw = await connection.post_json("/api/v1/alarms", body, headers)
                except (OSError, asyncio.IncompleteReadError) as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                    if connection is not None:
                        connection.close()
                    connection = None
                    continue
                if status == 201:
                    sent_at[int(json.loads(raw)["id"])] = started
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
            if connection is not None:
                connection.close()

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
        deadline = time.monotonic() + drain_timeout_s
        while time.monotonic() < deadline and not set(sent_at) <= set(received):
            await asyncio.sleep(0.05)
        stop.set()
        await listener

    latencies = sorted((received[i] - t) * 1000 for i, t in sent_at.items() if i in received)
    result: dict[str, Any] = {
        "sent": n,
        "created": len(sent_at),
        "lost": len(set(sent_at) - set(received)),
        "throughput_per_s": round(len(sent_at) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
    }
    if errors:
        result["errors"] = errors
    return result
