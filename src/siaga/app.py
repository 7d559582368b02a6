"""The FastAPI application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from siaga import __version__
from siaga.admin.onboarding_views import router as onboarding_router
from siaga.admin.views import public_router as admin_public_router
from siaga.admin.views import router as admin_router
from siaga.alarms.intake import stop_alarm_writer
from siaga.alarms.lifecycle import STALE_MESSAGE
from siaga.alarms.views import router as alarms_router
from siaga.auth.views import router as auth_router
from siaga.config import get_settings
from siaga.crimes.views import router as crimes_router
from siaga.deps import commit_inside_endpoints
from siaga.devices.views import router as devices_router
from siaga.dispatch.escalation import start_escalation_loop, stop_escalation_loop
from siaga.dispatch.views import alarm_router as dispatch_alarm_router
from siaga.dispatch.views import router as dispatch_router
from siaga.durability import check_durability_at_startup
from siaga.errors import DomainError
from siaga.events.bus import get_bus
from siaga.events.views import router as events_router
from siaga.geofence.evaluator import start_geofence_loop, stop_geofence_loop
from siaga.geofence.views import router as geofence_router
from siaga.info.views import router as info_router
from siaga.intel.views import router as intel_router
from siaga.journeys.views import router as journeys_router
from siaga.jsonlimits import JsonBodyLimits
from siaga.ops.health import Health
from siaga.ops.install import install as install_ops
from siaga.orgs.views import router as orgs_router
from siaga.patrols.views import router as patrols_router
from siaga.replay.views import router as replay_router
from siaga.reports.views import router as reports_router
from siaga.roster.views import router as roster_router
from siaga.schools.views import router as schools_router
from siaga.scorecard.views import router as scorecard_router
from siaga.sms.views import router as sms_router
from siaga.students.views import router as students_router
from siaga.tips.views import router as tips_router
from siaga.tracking.mqtt import start_tracking, stop_tracking
from siaga.tracking.views import router as tracking_router
from siaga.units.views import router as units_router
from siaga.validation import http_detail, indonesian_message
from siaga.visits.views import router as visits_router
from siaga.web.docs import SWAGGER_UI_DIR
from siaga.web.docs import router as docs_router
from siaga.web.views import NODE_MODULES, STATIC_DIR
from siaga.web.views import router as web_router

# GPS intake first: it is the busiest route, and routes are matched in this order.
ROUTERS = [tracking_router, auth_router, devices_router, alarms_router, orgs_router, info_router,
           events_router, units_router, dispatch_alarm_router, dispatch_router, visits_router,
           tips_router, scorecard_router, intel_router, schools_router, students_router,
           crimes_router, patrols_router, sms_router, admin_router, admin_public_router,
           onboarding_router, roster_router, reports_router, replay_router, journeys_router,
           geofence_router, web_router]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    bus = get_bus()
    await bus.start()
    try:
        for hook in app.state.startup_hooks:
            await hook(app)
        _freeze_startup_objects()
        yield
    finally:
        try:
            for hook in app.state.shutdown_hooks:
                await hook(app)
        finally:
            await bus.stop()


_frozen = False


def _freeze_startup_objects() -> None:
    """What was loaded at start (region tables, models, caches) lives as long as the process;
    moved out of the collector's reach, full collections stop pausing every request for
    hundreds of milliseconds. Once per process (tests start many apps)."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True


def _validation_detail(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Each error by field, its message in Indonesian (pydantic's English is translated)."""
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        out.append({"field": ".".join(loc) or None, "msg": indonesian_message(err),
                    "type": err.get("type"), "loc": list(err.get("loc", ()))})
    return out


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(self), camera=(self)"),
]


def content_security_policy(tile_url: str) -> str:
    """The pages' policy: own scripts only; map tiles from the configured tile host."""
    tiles = "'self'"
    scheme, sep, rest = tile_url.partition("://")
    if sep and scheme in ("http", "https"):
        host = rest.split("/", 1)[0].replace("{s}", "*")
        tiles = f"{scheme}://{host}"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        # Leaflet positions tiles and markers with inline style attributes.
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {tiles}",
        "connect-src 'self'",
        "font-src 'self' data:",
        "media-src 'self' data: blob:",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class SecurityHeaders:
    """Adds protective headers to every HTTP response (plain ASGI: no per-request task)."""

    def __init__(self, app: ASGIApp, csp: str = "") -> None:
        self.app = app
        self.page_headers = SECURITY_HEADERS + (
            [(b"content-security-policy", csp.encode())] if csp else [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                # Every page, /docs included (its Swagger UI is served from node_modules).
                message["headers"] = list(message["headers"]) + self.page_headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app() -> FastAPI:
    """Build the Siaga web application."""
    settings = get_settings()
    # FastAPI's built-in OpenTelemetry hooks look up global providers on every request; Siaga
    # exports its own /metrics, so they stay off.
    app = FastAPI(title="Siaga", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # /docs: siaga.web.docs, vendored assets
                  telemetry={"tracing": False, "metrics": False, "logs": False},
                  description="Pusat komando Polres/Polsek: tombol panik, peta langsung, "
                              "penugasan dan pelacakan patroli.")
    app.state.startup_hooks = [start_tracking, start_escalation_loop, start_geofence_loop,
                               check_durability_at_startup]
    app.state.shutdown_hooks = [stop_alarm_writer, stop_tracking, stop_escalation_loop,
                                stop_geofence_loop]

    @app.exception_handler(DomainError)
    async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail()}, status_code=exc.status_code)

    @app.exception_handler(StaleDataError)
    async def _lost_race(_request: Request, _exc: StaleDataError) -> JSONResponse:
        # Another operator changed the alarm between our read and our write (version check).
        return JSONResponse({"detail": STALE_MESSAGE}, status_code=409)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_detail(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": http_detail(exc.status_code, exc.detail)},
                            status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.get("/healthz", tags=["ops"], response_model=Health)
    def healthz() -> Health:
        return Health(status="ok")

    app.add_middleware(JsonBodyLimits)
    app.add_middleware(SecurityHeaders, csp=content_security_policy(settings.tile_url))
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["*"], allow_headers=["*"])
    for router in ROUTERS:
        commit_inside_endpoints(router.routes)
        app.include_router(router)
    install_ops(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    leaflet = NODE_MODULES / "leaflet" / "dist"
    if leaflet.is_dir():
        app.mount("/vendor/leaflet", StaticFiles(directory=leaflet), name="leaflet")
    if SWAGGER_UI_DIR.is_dir():
        app.include_router(docs_router)
        app.mount("/vendor/swagger-ui", StaticFiles(directory=SWAGGER_UI_DIR), name="swagger-ui")
    idb_keyval = NODE_MODULES / "idb-keyval" / "dist"  # the offline outbox (static/outbox.js)
    if idb_keyval.is_dir():
        app.mount("/vendor/idb-keyval", StaticFiles(directory=idb_keyval), name="idb-keyval")
    markercluster = NODE_MODULES / "leaflet.markercluster" / "dist"
    if markercluster.is_dir():
        app.mount("/vendor/leaflet.markercluster", StaticFiles(directory=markercluster),
                  name="leaflet.markercluster")
    geoman = NODE_MODULES / "@geoman-io" / "leaflet-geoman-free" / "dist"
    if geoman.is_dir():  # drawing geofence zones on /admin
        app.mount("/vendor/leaflet-geoman", StaticFiles(directory=geoman), name="leaflet-geoman")
    return app
