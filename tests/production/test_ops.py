"""/metrics in Prometheus format, and `siaga bench load` against a live server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import REPO
from tests.production.conftest import Server

pytestmark = pytest.mark.slow


def samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Metric samples by name, as Prometheus would read them."""
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
    return found


def value(found: dict[str, list[tuple[dict[str, str], float]]], name: str, **labels: str
          ) -> float:
    return sum(v for lab, v in found.get(name, []) if all(lab.get(k) == x
                                                         for k, x in labels.items()))


def test_bench_load_and_metrics(siaga_env: dict[str, str], tmp_path: Path) -> None:
    env = {**siaga_env, "SIAGA_REDIS_URL": "", "SIAGA_DATA_DIR": str(tmp_path)}
    server = Server(env).start()
    try:
        before = samples(httpx.get(f"{server.url}/metrics", timeout=10).text)
        result = subprocess.run(
            [sys.executable, "-m", "siaga.cli.main", "bench", "load", "--url", server.url,
             "--n", "60", "--devices", "20", "--dashboards", "5", "--concurrency", "8",
             "--pid", str(server.proc.pid if server.proc else 0), "--sample-s", "0.5"],
            cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        figures = json.loads(result.stdout)
        assert figures["created"] == 60 and figures["lost"] == 0
        assert figures["deliveries"] == 60 * 5
        assert figures["p99_ms"] is not None and figures["throughput_per_s"] > 0
        assert figures["rss_mb_start"] > 10 and len(figures["rss_samples"]) >= 2

        response = httpx.get(f"{server.url}/metrics", timeout=10)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        after = samples(response.text)
        created = (value(after, "siaga_alarms_created_total")
                   - value(before, "siaga_alarms_created_total"))
        assert created == 60
        posted = value(after, "siaga_http_requests_total", route="/api/v1/alarms",
                       method="POST", status="201")
        assert posted >= 60
        assert value(after, "siaga_http_request_duration_seconds_count",
                     route="/api/v1/alarms") >= 60
        assert value(after, "siaga_events_published_total", type="alarm.created") >= 60
        assert value(after, "siaga_open_alarms", status="open") >= 60
        assert "siaga_websocket_clients" in after
        assert not any("987654" in lab.get("route", "")
                       for lab, _ in after["siaga_http_requests_total"])
    finally:
        server.stop()


def test_metrics_refused_from_outside(client: Any) -> None:
    # The test client's address is not an internal one.
    assert client.get("/metrics").status_code == 403
