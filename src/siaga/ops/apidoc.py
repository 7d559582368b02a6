"""The published error shapes: what the error handlers in app.py really send."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

# Domain errors (`Invalid` and friends) answer 422 with {"detail": "text"} or
# {"detail": {"msg", "field", ...}}; request validation answers with a list. The schema FastAPI
# generates admits only the list, so clients generated from it would reject real answers.
DOMAIN_ERROR_DETAIL = {
    "title": "DomainErrorDetail",
    "type": "object",
    "properties": {"msg": {"type": "string"}, "field": {"type": ["string", "null"]}},
    "required": ["msg"],
}


def document_error_shapes(app: FastAPI) -> None:
    """Make /openapi.json describe every 422 body the handlers produce."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        validation = components.get("HTTPValidationError")
        if validation is not None and "DomainErrorDetail" not in components:
            components["DomainErrorDetail"] = DOMAIN_ERROR_DETAIL
            validation["properties"]["detail"] = {
                "title": "Detail",
                "anyOf": [
                    {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
                    {"$ref": "#/components/schemas/DomainErrorDetail"},
                    {"type": "string"},
                ],
            }
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
