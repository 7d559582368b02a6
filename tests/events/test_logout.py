"""Log-out ends the bearer token on the server."""

from __future__ import annotations

from typing import Any

from tests.conftest import login


def test_logout_ends_the_token(client: Any) -> None:
    headers = login(client, "operator")
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 401
