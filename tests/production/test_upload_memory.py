"""Eight simultaneous 40-megapixel tips keep the real server within +400 MB of memory while
alarms keep being answered 201 (issue 15: 150 KiB PNGs once took it from 0.4 to 5.7 GB)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from io import BytesIO
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.conftest import KLOJEN
from tests.production.conftest import Server

pytestmark = pytest.mark.slow
LIMIT_MB = 400


def _rss_mb(pid: int) -> float:
    """Resident memory of the process now (Linux /proc, no psutil)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _bomb() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8000, 5000), (200, 30, 30)).save(out, "PNG", optimize=True)
    return out.getvalue()


def _device(http: httpx.Client) -> dict[str, str]:
    response = http.post("/api/v1/devices", json={
        "phone": f"08{uuid.uuid4().int % 10**10:010d}", "name": "Warga Uji"})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _tip(http: httpx.Client, headers: dict[str, str], photo: bytes) -> httpx.Response:
    body = {"client_id": str(uuid.uuid4()), "category": "suspicious", "lat": KLOJEN[0],
            "lon": KLOJEN[1], "text": "Ada orang mencurigakan di depan toko tiap malam."}
    return http.post("/api/v1/tips", headers=headers, data={"data": json.dumps(body)},
                     files={"photo": ("bukti.png", photo, "image/png")})


def _alarm(http: httpx.Client, headers: dict[str, str]) -> int:
    return http.post("/api/v1/alarms", headers=headers, json={
        "client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1]}).status_code


def test_eight_forty_megapixel_tips_at_once_cost_under_400_mb_and_alarms_flow(
        siaga_env: dict[str, str]) -> None:
    bomb = _bomb()
    assert len(bomb) < 400_000  # small on the wire, 40 Mpx (120 MB RGB) when decoded
    server = Server(siaga_env).start()
    try:
        assert server.proc is not None
        pid = server.proc.pid
        with httpx.Client(base_url=server.url, timeout=60) as http:
            # The first requests load models and tables: warm up before the baseline.
            warm = _device(http)
            small = BytesIO()
            Image.new("RGB", (320, 240), (10, 120, 40)).save(small, "PNG")
            assert _tip(http, warm, small.getvalue()).status_code == 201
            assert _alarm(http, warm) == 201
            senders = [_device(http) for _ in range(8)]
            alarmers = [_device(http) for _ in range(20)]
        baseline = _rss_mb(pid)
        peak = [baseline]
        done = threading.Event()
        statuses: list[int] = []

        def sample() -> None:
            while not done.is_set():
                peak.append(_rss_mb(pid))
                time.sleep(0.02)

        def send(headers: dict[str, str]) -> None:
            with httpx.Client(base_url=server.url, timeout=90) as own:
                statuses.append(_tip(own, headers, bomb).status_code)

        sampler = threading.Thread(target=sample)
        tips = [threading.Thread(target=send, args=(h,)) for h in senders]
        sampler.start()
        for thread in tips:
            thread.start()
        alarms: list[int] = []
        with httpx.Client(base_url=server.url, timeout=30) as http:
            for headers in alarmers:
                alarms.append(_alarm(http, headers))
                if not any(t.is_alive() for t in tips) and len(alarms) >= 3:
                    break
        for thread in tips:
            thread.join(120)
        done.set()
        sampler.join(5)
    finally:
        server.stop()
    assert len(statuses) == 8 and all(s in (413, 429) for s in statuses), statuses
    assert alarms and all(s == 201 for s in alarms), alarms
    assert max(peak) - baseline < LIMIT_MB, (baseline, max(peak))
