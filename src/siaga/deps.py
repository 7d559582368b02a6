"""Typed request dependencies shared by every domain's views (`Staff` lives in auth.staff)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from siaga.auth.capabilities import can, roles_with
from siaga.auth.models import User
from siaga.auth.security import token_digest
from siaga.auth.service import scope_path, user_for_token
from siaga.auth.staff import Staff as Staff  # re-exported for views
from siaga.db import get_database
from siaga.devices.models import Device
from siaga.devices.service import device_for_token
from siaga.errors import Forbidden, Unauthorized

_bearer = HTTPBearer(auto_error=False)


def get_session() -> Iterator[Session]:
    """One transaction per request: committed before the response is sent, else rolled back."""
    with get_database().session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def bearer_token(credentials: HTTPAuthorizationCredentials | None) -> str:
    """The bearer token of the request, or 401 when there is none."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized("Butuh token: kirim header Authorization: Bearer <token>")
    return credentials.credentials


def get_current_user(session: SessionDep, credentials: BearerDep) -> User:
    """The staff member behind the bearer token."""
    return user_for_token(session, token=bearer_token(credentials))


CurrentUser = Annotated[User, Depends(get_current_user)]


def require(capability: str) -> Callable[[Session, User], Staff]:
    """A dependency admitting only roles holding this capability, resolved to their scope."""
    roles_with(capability)  # an unknown capability fails at import, not at the first request

    def dependency(session: SessionDep, user: CurrentUser) -> Staff:
        if not can(user.role, capability):
            raise Forbidden("Peran Anda tidak berhak mengakses ini")
        return Staff(user, scope_path(session, user=user))

    dependency.capability = capability  # type: ignore[attr-defined]
    return dependency


def get_current_device(session: SessionDep, credentials: BearerDep) -> Device:
    """The citizen device behind the bearer token."""
    return device_for_token(session, token=bearer_token(credentials))


CurrentDevice = Annotated[Device, Depends(get_current_device)]


async def get_device_credential(credentials: BearerDep) -> str:
    """The digest of a citizen device's bearer token, for routes that check the device later
    in the same step as their write (alarm intake); async, so no thread-pool hop.
    """
    return token_digest(bearer_token(credentials))


DeviceCredential = Annotated[str, Depends(get_device_credential)]


def client_ip(request: Request) -> str:
    """The caller's address as seen by this server."""
    return request.client.host if request.client else "unknown"


async def _client_ip(request: Request) -> str:
    # async: a sync dependency would cost a thread-pool hop per request.
    return client_ip(request)


ClientIP = Annotated[str, Depends(_client_ip)]


def commit_inside_endpoints(routes: list[BaseRoute]) -> None:
    """Commit each sync endpoint's session in the thread that ran it, before the response.

    A yield-dependency's teardown runs in a later thread-pool call. Holding SQLite's single
    write slot across that hop lets a burst of waiting requests take every pool thread while the
    holder waits for one to commit. Committing where the work was done closes the gap; the
    teardown then only closes (or rolls back after an error). Call before include_router.
    """
    for route in routes:
        if not isinstance(route, APIRoute) or route.dependant.call is None:
            continue
        call = route.dependant.call
        if inspect.iscoroutinefunction(call) or getattr(call, "_commits_session", False):
            continue
        wrapped = _committing(call)
        route.dependant.call = wrapped
        route.endpoint = wrapped


def _committing(call: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(call)
    def endpoint(**kwargs: Any) -> Any:
        result = call(**kwargs)
        for value in kwargs.values():
            if isinstance(value, Session):
                value.commit()
        return result

    endpoint._commits_session = True  # type: ignore[attr-defined]
    return endpoint
