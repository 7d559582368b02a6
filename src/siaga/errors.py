"""Domain errors raised by services and turned into HTTP responses in one place."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of errors a service raises for callers to see."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra

    def detail(self) -> Any:
        if self.field is None and not self.extra:
            return self.message
        body: dict[str, Any] = {"msg": self.message}
        if self.field is not None:
            body["field"] = self.field
        body.update(self.extra)
        return body


class Invalid(DomainError):
    status_code = 422


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Unauthorized(DomainError):
    status_code = 401


class Conflict(DomainError):
    status_code = 409


class TooManyRequests(DomainError):
    status_code = 429


class Unavailable(DomainError):
    """The database cannot take writes right now; the caller resends (idempotently) later."""

    status_code = 503
