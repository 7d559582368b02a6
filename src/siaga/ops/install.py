"""Production operations added to the application: the audit log route, /metrics, the published
error shapes and database-range errors.

Kept out of the package's ``__init__`` so that importing a light submodule (``ops.ratelimit``
from the rate limiter, ``ops.backup`` from the command line) does not load the web layer.
"""

from __future__ import annotations

from fastapi import FastAPI

from siaga.audit.views import router as audit_router
from siaga.ops import metrics
from siaga.ops.apidoc import document_error_shapes
from siaga.ops.dberrors import install_handlers


def install(app: FastAPI) -> None:
    """Add the audit log route, /metrics, the published error shapes and database-range errors."""
    app.include_router(audit_router)
    metrics.install(app)
    document_error_shapes(app)
    install_handlers(app)
