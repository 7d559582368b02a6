"""Prometheus metrics: requests by route template, alarms, events, live sockets, open alarms.

With several workers, `siaga serve` points PROMETHEUS_MULTIPROC_DIR at a fresh folder before
the workers start, so whichever worker answers a scrape reports the sum over all of them.
"""

from __future__ import annotations

import ipaddress
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from siaga.alarms.models import ACTIVE_STATUSES, Alarm
from siaga.db import get_database
from siaga.errors import Forbidden
from siaga.events.service import _OUTBOX

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter("siaga_http_requests_total", "HTTP requests answered, by route template",
                   ["method", "route", "status"])
LATENCY = Histogram("siaga_http_request_duration_seconds",
                    "Time to answer an HTTP request, by route template", ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
EVENTS = Counter("siaga_events_published_total", "Events handed to live screens after commit",
                 ["type"])
ALARMS_CREATED = Counter("siaga_alarms_created_total", "Alarms stored (first delivery only)")
WEBSOCKETS = Gauge("siaga_websocket_clients", "Open WebSocket connections",
                   multiprocess_mode="livesum")

_PENDING = "siaga_metrics_pending_events"


class MetricsMiddleware:
    """Counts requests by route template (never the raw path) and open WebSockets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = _route_template(scope)
            method = str(scope.get("method", "GET"))
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - start)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        accepted = False

        async def watch_accept(message: Message) -> None:
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                WEBSOCKETS.inc()
            await send(message)

        try:
            await self.app(scope, receive, watch_accept)
        finally:
            if accepted:
                WEBSOCKETS.dec()


def _route_template(scope: Scope) -> str:
    # Unmatched paths share one label so that scanners cannot blow up the series count.
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class OpenAlarms(Collector):
    """Active alarms by status, read from the database at scrape time (the same on every worker)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("siaga_open_alarms", "Alarms not yet closed, by status",
                                   labels=["status"])
        with get_database().session() as session:
            rows = session.execute(
                select(Alarm.status, func.count()).where(Alarm.status.in_(ACTIVE_STATUSES))
                .group_by(Alarm.status)
            ).all()
        counts = {str(status): int(n) for status, n in rows}
        for status in ACTIVE_STATUSES:
            family.add_metric([status], counts.get(status, 0))
        yield family


def render() -> bytes:
    """The exposition text for this process, or for every worker in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        text = generate_latest(registry)
    else:
        text = generate_latest(REGISTRY)
    alarms = CollectorRegistry()
    alarms.register(OpenAlarms())
    return text + generate_latest(alarms)


def prepare_multiprocess(data_dir: Path) -> Path:
    """Give the workers about to start an empty shared metrics folder (before they import)."""
    folder = Path(os.environ.get(MULTIPROC_ENV) or data_dir / "metrics")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def _internal_caller(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def metrics(request: Request) -> Response:
    """Prometheus scrape endpoint; answers only loopback and private-network callers."""
    if not _internal_caller(request):
        raise Forbidden("Metrik hanya untuk jaringan internal")
    return Response(render(), media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI) -> None:
    """Add the metrics middleware and the /metrics route to the application."""
    app.add_middleware(MetricsMiddleware)
    app.add_api_route("/metrics", metrics, methods=["GET"], include_in_schema=False)


@event.listens_for(Session, "before_commit")
def _note_events(session: Session) -> None:
    records: list[Any] = session.info.get(_OUTBOX) or []
    if records:
        session.info[_PENDING] = [str(record["type"]) for record in records]


@event.listens_for(Session, "after_commit")
def _count_events(session: Session) -> None:
    for type_ in session.info.pop(_PENDING, []):
        EVENTS.labels(type_).inc()
        if type_ == "alarm.created":
            ALARMS_CREATED.inc()


@event.listens_for(Session, "after_rollback")
def _forget_events(session: Session) -> None:
    session.info.pop(_PENDING, None)
