"""The HTML pages (citizen, command center) and their vendored front-end packages."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse

from siaga.config import REPO_ROOT, get_settings

STATIC_DIR = Path(__file__).parent / "static"
NODE_MODULES = REPO_ROOT / "node_modules"
router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(STATIC_DIR / name, media_type="text/html",
                        headers={"Cache-Control": "no-cache"})


@router.get("/")
def index() -> RedirectResponse:
    return RedirectResponse("/warga")


@router.get("/warga")
def warga() -> FileResponse:
    return _page("warga.html")


@router.get("/ops")
def ops() -> FileResponse:
    return _page("ops.html")


@router.get("/petugas")
def petugas() -> FileResponse:
    return _page("petugas.html")


@router.get("/pimpinan")
def pimpinan() -> FileResponse:
    return _page("pimpinan.html")


@router.get("/kunjungan")
def kunjungan() -> FileResponse:
    return _page("kunjungan.html")


@router.get("/intel")
def intel() -> FileResponse:
    return _page("intel.html")


@router.get("/admin")
def admin() -> FileResponse:
    return _page("admin.html")


@router.get("/replay")
def replay() -> FileResponse:
    return _page("replay.html")


@router.get("/admin/info")
def admin_info() -> FileResponse:
    return _page("admin-info.html")


@router.get("/warga/manifest.webmanifest")
def manifest() -> FileResponse:
    return FileResponse(STATIC_DIR / "manifest.webmanifest",
                        media_type="application/manifest+json")


def _service_worker(scope: str) -> FileResponse:
    # One worker source (static/sw.js) for every offline page; served from the page's own path
    # so its scope covers the page, and it picks that page's precache list by its scope.
    return FileResponse(STATIC_DIR / "sw.js", media_type="text/javascript",
                        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": scope})


@router.get("/warga/sw.js")
def service_worker() -> FileResponse:
    return _service_worker("/warga")


@router.get("/petugas/sw.js")
def petugas_service_worker() -> FileResponse:
    return _service_worker("/petugas")


@router.get("/api/v1/config")
def client_config() -> JSONResponse:
    settings = get_settings()
    return JSONResponse({"tile_url": settings.tile_url,
                         "tile_attribution": settings.tile_attribution,
                         "cancel_window_s": settings.cancel_window_s,
                         "sms_gateway_number": settings.sms_gateway_number or None})
