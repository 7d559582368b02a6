"""Log-in shapes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class LoginResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str


class Me(BaseModel):
    id: int
    username: str
    full_name: str
    role: str
    org_code: str | None
    org_name: str | None
    scope: str


class WsTicketOut(BaseModel):
    ticket: str
