"""Opening the staff live socket the way a page does: a ticket first, then /ws/ops?ticket=."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import device_headers


def ticket(client: Any, headers: dict[str, str]) -> str:
    """A fresh single-use socket ticket for this staff member's bearer token."""
    response = client.post("/api/v1/auth/ws-ticket", headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["ticket"])


def socket_url(client: Any, headers: dict[str, str], after: int | None = None) -> str:
    """The /ws/ops address with a fresh ticket (and `after`, to resume)."""
    url = f"/ws/ops?ticket={ticket(client, headers)}"
    return url if after is None else f"{url}&after={after}"


def post_alarm(client: Any, device: dict[str, str], where: tuple[float, float]
               ) -> dict[str, Any]:
    body = {"client_id": str(uuid.uuid4()), "lat": where[0], "lon": where[1]}
    response = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


def next_of_type(socket: Any, type_: str, limit: int = 50) -> dict[str, Any]:
    """The next message of this type, skipping others (pings, unit moves)."""
    for _ in range(limit):
        message = socket.receive_json()
        if message["type"] == type_:
            return dict(message)
    raise AssertionError(f"no {type_} message")


STAFF_PASSWORD = "Sandi-Uji-Siaran-7391!"


def make_staff(role: str, org_code: str) -> str:
    """A fresh staff account of this role in this organisation; returns its username."""
    from siaga.auth.service import create_user
    from siaga.db import get_database
    from siaga.orgs.service import org_by_code

    username = f"uji.{role}.{uuid.uuid4().hex[:8]}"
    with get_database().session() as session:
        create_user(session, username=username, password=STAFF_PASSWORD, role=role,
                    org=org_by_code(session, code=org_code), full_name=f"Uji {role}")
    return username


def collect_until(socket: Any, stop: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Every message up to and including the first one `stop(message)` accepts."""
    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        message = dict(socket.receive_json())
        seen.append(message)
        if stop(message):
            return seen
    raise AssertionError(f"stop message never came; saw {[m['type'] for m in seen]}")
