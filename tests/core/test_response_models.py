"""Every JSON route declares a typed response model, so OpenAPI and the fuzzing check it."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute


def test_every_json_route_declares_a_typed_response_model(app: Any) -> None:
    untyped = []
    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        response_class = getattr(route.response_class, "value", route.response_class)
        if isinstance(response_class, type) and not issubclass(response_class, JSONResponse):
            continue  # CSV, PDF, HTML and files describe themselves by media type
        if route.status_code == 204:
            continue
        model = str(route.response_model)
        if route.response_model is None or "dict[" in model or "Any" in model:
            untyped.append((sorted(route.methods), route.path, model))
    assert not untyped, f"routes without a typed response model: {untyped}"
