"""Helpers for the administration tests: Polres admins, accounts and audit rows of their own."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from tests.conftest import login

STRONG = "Kopi-hitam-Slawi-2026!"


def tag() -> str:
    return uuid.uuid4().hex[:8]


def new_account(client: Any, *, role: str, org: str | None, by: dict[str, str] | None = None,
                phone: str | None = None, full_name: str | None = None) -> dict[str, Any]:
    """A fresh account made through the admin API (by the national admin unless `by`)."""
    username = f"{role}.{tag()}"
    response = client.post("/api/v1/admin/users", headers=by or login(client, "admin"), json={
        "username": username, "password": STRONG, "role": role, "org": org,
        "full_name": full_name or f"Uji {username}", "phone": phone})
    assert response.status_code == 201, response.text
    return dict(response.json())


def polres_admin(client: Any, org: str) -> dict[str, str]:
    """Log-in headers of a new admin of one Polres."""
    account = new_account(client, role="admin", org=org)
    return login(client, account["username"], STRONG)


def audit_rows(action: str, target_id: int | str) -> list[Any]:
    from siaga.audit.models import AuditEntry
    from siaga.db import get_database

    with get_database().session() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                    .where(AuditEntry.target_id == str(target_id))))
