"""Typed request dependencies shared by every domain's views."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from siaga.auth.models import User
from siaga.auth.service import scope_path, user_for_token
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


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or not credentials.credentials:
        raise Unauthorized("Butuh token: kirim header Authorization: Bearer <token>")
    return credentials.credentials


def get_current_user(session: SessionDep, credentials: BearerDep) -> User:
    """The staff member behind the bearer token."""
    return user_for_token(session, token=_token(credentials))


CurrentUser = Annotated[User, Depends(get_current_user)]


class Staff:
    """A staff member with the organisation path they may see."""

    def __init__(self, user: User, scope: str) -> None:
        self.user = user
        self.scope = scope

    def sees(self, org_path: str | None) -> bool:
        return org_path is not None and org_path.startswith(self.scope)


def require_role(*roles: str) -> Callable[[Session, User], Staff]:
    """A dependency admitting only these roles (admin always), resolved to their scope."""

    def dependency(session: SessionDep, user: CurrentUser) -> Staff:
        if user.role != "admin" and user.role not in roles:
            raise Forbidden("Peran Anda tidak berhak mengakses ini")
        return Staff(user, scope_path(session, user=user))

    return dependency


def get_current_device(session: SessionDep, credentials: BearerDep) -> Device:
    """The citizen device behind the bearer token."""
    return device_for_token(session, token=_token(credentials))


CurrentDevice = Annotated[Device, Depends(get_current_device)]


def client_ip(request: Request) -> str:
    """The caller's address as seen by this server."""
    return request.client.host if request.client else "unknown"


ClientIP = Annotated[str, Depends(client_ip)]
