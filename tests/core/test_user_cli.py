"""Staff accounts: every role but admin belongs to an organisation, and scope fails closed."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Any

from sqlalchemy import select

from tests.conftest import login

PASSWORD = "Kopi-Tubruk-Malam-77"


def _user_add(siaga_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "siaga.cli.main", "user", "add", *args,
                           "--password-stdin"], input=PASSWORD + "\n", text=True,
                          capture_output=True, env={**os.environ, **siaga_env}, timeout=120)


def _exists(username: str) -> bool:
    from siaga.auth.models import User
    from siaga.db import get_database

    with get_database().session() as session:
        return session.scalar(select(User.id).where(User.username == username)) is not None


def test_user_add_refuses_a_non_admin_without_org(siaga_env: dict[str, str]) -> None:
    name = f"op.{uuid.uuid4().hex[:6]}"
    result = _user_add(siaga_env, name, "--role", "operator")
    assert result.returncode == 2 and "--org" in result.stderr
    assert not _exists(name)
    ok = _user_add(siaga_env, name, "--role", "operator", "--org", "polsek-klojen")
    assert ok.returncode == 0, ok.stderr
    assert _exists(name)


def test_a_non_admin_without_org_sees_nothing(client: Any) -> None:
    from siaga.auth.service import create_user
    from siaga.db import get_database

    name = f"lost.{uuid.uuid4().hex[:6]}"
    with get_database().session() as session:
        create_user(session, username=name, password=PASSWORD, role="pimpinan", org=None,
                    full_name="")
        session.commit()
    headers = login(client, name, PASSWORD)
    for path in ("/api/v1/units", "/api/v1/alarms", "/api/v1/visits"):
        response = client.get(path, headers=headers)
        assert response.status_code in (200, 403), (path, response.text)
        if response.status_code == 200:
            assert response.json()["total"] == 0, path


def test_weak_passwords_are_refused_with_the_reason(siaga_env: dict[str, str]) -> None:
    name = f"op.{uuid.uuid4().hex[:6]}"
    for weak, reason in (("aaaaaaaa", "minimal 10"), ("aaaaaaaaaa", "mudah ditebak"),
                         ("password123", "mudah ditebak"), ("qwertyuiop", "mudah ditebak")):
        result = subprocess.run(
            [sys.executable, "-m", "siaga.cli.main", "user", "add", name, "--role", "operator",
             "--org", "polsek-klojen", "--password-stdin"], input=weak + "\n", text=True,
            capture_output=True, env={**os.environ, **siaga_env}, timeout=120)
        assert result.returncode == 2 and reason in result.stderr, (weak, result.stderr)
    assert not _exists(name)
