"""An open live socket ends with its session: expiry, log-out, a disabled account."""

from __future__ import annotations

import time
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.conftest import login
from tests.events.helpers import STAFF_PASSWORD, make_staff, socket_url

pytestmark = pytest.mark.timeout(120)


@pytest.fixture()
def fast_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-check every 0.5 s and ping often, so a test never waits on a silent socket."""
    import siaga.events.views as views
    from siaga.config import get_settings

    monkeypatch.setattr(get_settings(), "ws_recheck_s", 0.5)
    monkeypatch.setattr(views, "PING_EVERY_S", 0.3)


def _closed_within(socket: Any, seconds: float) -> tuple[WebSocketDisconnect, float]:
    """Read until the server closes the socket; how it closed and how long that took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            socket.receive_json()
        except WebSocketDisconnect as closed:
            return closed, time.monotonic() - started
    raise AssertionError(f"the socket stayed open for {seconds} s")


def test_default_recheck_is_within_thirty_seconds() -> None:
    from siaga.config import get_settings

    assert 0 < get_settings().ws_recheck_s <= 30


def test_logout_closes_an_open_socket(client: Any, fast_checks: None) -> None:
    headers = login(client, "operator")
    with client.websocket_connect(socket_url(client, headers)) as socket:
        assert socket.receive_json()["type"] == "hello"
        assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
        closed, took = _closed_within(socket, 10)
    assert closed.code == 4401 and "berakhir" in closed.reason
    assert took < 3


def test_a_socket_closes_when_its_token_expires(client: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import siaga.events.views as views
    from siaga.config import get_settings

    monkeypatch.setattr(views, "PING_EVERY_S", 0.3)
    # The default re-check interval stays: the socket must still close at the token's expiry.
    monkeypatch.setattr(get_settings(), "token_ttl_minutes", 2.5 / 60)
    headers = login(client, "operator")
    with client.websocket_connect(socket_url(client, headers)) as socket:
        assert socket.receive_json()["type"] == "hello"
        closed, took = _closed_within(socket, 12)
    assert closed.code == 4401 and "kedaluwarsa" in closed.reason
    assert took < 5


def test_disabling_the_account_closes_its_socket(client: Any, fast_checks: None) -> None:
    from sqlalchemy import update

    from siaga.auth.models import User
    from siaga.db import get_database

    username = make_staff("operator", "polsek-klojen")
    headers = login(client, username, STAFF_PASSWORD)
    with client.websocket_connect(socket_url(client, headers)) as socket:
        assert socket.receive_json()["type"] == "hello"
        with get_database().session() as session:
            session.execute(update(User).where(User.username == username).values(active=False))
        closed, took = _closed_within(socket, 10)
    assert closed.code == 4401 and "dinonaktifkan" in closed.reason
    assert took < 3
    assert client.post("/api/v1/auth/ws-ticket", headers=headers).status_code == 401


def test_a_live_session_stays_open_past_its_checks(client: Any, fast_checks: None) -> None:
    with client.websocket_connect(socket_url(client, login(client, "operator"))) as socket:
        assert socket.receive_json()["type"] == "hello"
        started = time.monotonic()
        while time.monotonic() - started < 2.0:  # four re-checks
            socket.receive_json()  # a closed socket would raise WebSocketDisconnect


def test_an_admin_disabling_the_account_closes_its_socket(client: Any, fast_checks: None) -> None:
    username = make_staff("operator", "polsek-klojen")
    headers = login(client, username, STAFF_PASSWORD)
    user_id = client.get("/api/v1/auth/me", headers=headers).json()["id"]
    with client.websocket_connect(socket_url(client, headers)) as socket:
        assert socket.receive_json()["type"] == "hello"
        response = client.post(f"/api/v1/admin/users/{user_id}/active", json={"active": False},
                               headers=login(client, "admin"))
        assert response.status_code == 200, response.text
        closed, took = _closed_within(socket, 10)
    assert closed.code == 4401 and "dinonaktifkan" in closed.reason
    assert took < 3
