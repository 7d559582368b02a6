"""Production operations: metrics, backups, shared rate limits."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Add the audit log route, /metrics, the published error shapes and database-range errors."""
    from siaga.audit.views import router as audit_router
    from siaga.ops import metrics
    from siaga.ops.apidoc import document_error_shapes
    from siaga.ops.dberrors import install_handlers

    app.include_router(audit_router)
    metrics.install(app)
    document_error_shapes(app)
    install_handlers(app)
