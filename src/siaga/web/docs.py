"""The interactive API docs, served from the vendored swagger-ui-dist (works offline)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from siaga.web.views import NODE_MODULES, STATIC_DIR

SWAGGER_UI_DIR = NODE_MODULES / "swagger-ui-dist"
router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs() -> FileResponse:
    """Swagger UI on /openapi.json; its page and start-up script are own files, so the
    page policy (no inline script, no other hosts) applies here as everywhere."""
    return FileResponse(STATIC_DIR / "docs.html", media_type="text/html",
                        headers={"Cache-Control": "no-cache"})
