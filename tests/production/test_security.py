"""Tokens expire, log-ins are throttled, headers and CORS, secrets, and the audit log."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import KLOJEN, REPO, device_headers, login, register_device


def test_tokens_expire(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from siaga.config import get_settings

    monkeypatch.setattr(get_settings(), "token_ttl_minutes", 0)
    expired = login(client, "operator")
    response = client.get("/api/v1/auth/me", headers=expired)
    assert response.status_code == 401 and "kedaluwarsa" in response.json()["detail"]
    # An expired token gets no socket ticket either.
    assert client.post("/api/v1/auth/ws-ticket", headers=expired).status_code == 401
    monkeypatch.setattr(get_settings(), "token_ttl_minutes", 1)
    assert client.get("/api/v1/auth/me", headers=login(client, "operator")).status_code == 200


def test_login_attempts_are_throttled(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import siaga.auth.service as auth_service
    from siaga.ratelimit import RateLimiter

    monkeypatch.setattr(auth_service, "_login_limiters", {
        "name_address": RateLimiter(limit=3, window_s=60, name="t1"),
        "address": RateLimiter(limit=100, window_s=60, name="t2"),
        "name": RateLimiter(limit=100, window_s=60, name="t3")})
    body = {"username": "operator", "password": "bukan-sandinya"}
    statuses = [client.post("/api/v1/auth/login", json=body).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    right = {"username": "operator", "password": "siaga-demo-2026"}
    assert client.post("/api/v1/auth/login", json=right).status_code == 429
    other = {"username": "pimpinan", "password": "siaga-demo-2026"}
    assert client.post("/api/v1/auth/login", json=other).status_code == 200


def test_spraying_many_usernames_from_one_address_is_throttled(
        client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import siaga.auth.service as auth_service
    from siaga.ratelimit import RateLimiter

    monkeypatch.setattr(auth_service, "_login_limiters", {
        "name_address": RateLimiter(limit=100, window_s=60, name="s1"),
        "address": RateLimiter(limit=4, window_s=60, name="s2"),
        "name": RateLimiter(limit=100, window_s=60, name="s3")})
    statuses = [client.post("/api/v1/auth/login", json={
        "username": name, "password": "Musim-Hujan-2026"}).status_code
        for name in ("operator", "pimpinan", "analis", "admin", "operator.tegal", "bhabin.kauman")]
    assert statuses == [401, 401, 401, 401, 429, 429]


def test_owntracks_basic_auth_shares_the_login_throttle(
        client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    import siaga.auth.service as auth_service
    from siaga.ratelimit import RateLimiter

    monkeypatch.setattr(auth_service, "_login_limiters", {
        "name_address": RateLimiter(limit=2, window_s=60, name="o1"),
        "address": RateLimiter(limit=100, window_s=60, name="o2"),
        "name": RateLimiter(limit=100, window_s=60, name="o3")})
    wrong = base64.b64encode(b"bhabin.kauman:bukan-sandinya").decode()
    fix = {"_type": "location", "lat": -7.98, "lon": 112.63, "tst": 1_800_000_000}
    statuses = [client.post("/gps/owntracks", json=fix,
                            headers={"Authorization": f"Basic {wrong}"}).status_code
                for _ in range(2)]
    assert statuses == [401, 401]
    page = client.post("/api/v1/auth/login", json={"username": "bhabin.kauman",
                                                   "password": "siaga-demo-2026"})
    assert page.status_code == 429


def test_unknown_usernames_cost_as_much_as_known_ones(client: Any) -> None:
    import statistics
    import time

    def took(username: str) -> float:
        started = time.perf_counter()
        response = client.post("/api/v1/auth/login", json={
            "username": username, "password": "bukan-sandinya-sama-sekali"})
        assert response.status_code == 401
        return time.perf_counter() - started

    known = statistics.median(took("pimpinan.tegal") for _ in range(5))
    unknown = statistics.median(took(f"tidak-ada-{i}") for i in range(5))
    # Before, an unknown name answered ~40x faster (no password hash was checked).
    assert unknown > known / 3


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/alarms", "/warga", "/ops",
                                  "/static/common.js"])
def test_security_headers_on_every_answer(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "https://tile.openstreetmap.org" in csp and "frame-ancestors 'none'" in csp


def test_policy_follows_the_tile_server() -> None:
    from siaga.app import content_security_policy

    csp = content_security_policy("https://{s}.tiles.example.id/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://*.tiles.example.id" in csp
    assert "img-src 'self' data: blob: 'self'" in content_security_policy("/tiles/{z}/{x}/{y}.png")


def test_cors_is_closed_by_default(client: Any) -> None:
    preflight = client.options("/api/v1/alarms", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    simple = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


@pytest.mark.parametrize("env", ["production", "staging", "prod"])
def test_default_secret_refused_outside_development(env: str) -> None:
    from pydantic import ValidationError

    from siaga.config import Settings

    with pytest.raises(ValidationError, match="SIAGA_SECRET_KEY"):
        Settings(env=env)
    assert Settings(env=env, secret_key="x" * 40).env == env
    assert Settings(env="development").env == "development"


def test_serve_refuses_default_secret_in_production() -> None:
    env = {**os.environ, "SIAGA_ENV": "production"}
    env.pop("SIAGA_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "siaga.cli.main", "serve", "--port", "1"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "SIAGA_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_audit_log_is_append_only(client: Any) -> None:
    from siaga.db import get_database

    device = register_device(client)
    body = {"client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1]}
    assert client.post("/api/v1/alarms", json=body,
                       headers=device_headers(device)).status_code == 201
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with get_database().engine.connect() as conn, pytest.raises(Exception) as refused:
            conn.execute(text(statement))
        assert "append-only" in str(refused.value)
    with get_database().engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() > 0


def test_audit_log_is_readable_by_admins_only(client: Any) -> None:
    ops = login(client, "operator")
    device = register_device(client)
    body = {"client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1]}
    alarm = client.post("/api/v1/alarms", json=body, headers=device_headers(device)).json()
    assert client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).status_code == 200
    admin = login(client, "admin")
    for username in ("operator", "pimpinan", "analis", "bhabin.kauman"):
        assert client.get("/api/v1/audit", headers=login(client, username)).status_code == 403
    assert client.get("/api/v1/audit").status_code == 401

    viewed = client.get("/api/v1/audit", headers=admin, params={
        "action": "alarm.view", "actor": "operator", "target_id": str(alarm["id"])}).json()
    assert viewed["total"] == 1
    entry = viewed["items"][0]
    assert entry["actor_username"] == "operator" and entry["target_type"] == "alarm"
    assert entry["org_path"].startswith("/polda-jatim/polres-malang-kota/")

    every_alarm_action = client.get("/api/v1/audit", headers=admin, params={
        "action": "alarm.", "target_id": str(alarm["id"])}).json()
    assert {e["action"] for e in every_alarm_action["items"]} == {"alarm.create", "alarm.view"}
    page = client.get("/api/v1/audit", headers=admin, params={"limit": 2}).json()
    assert len(page["items"]) == 2 and page["total"] > 2
    ats = [e["at"] for e in page["items"]]
    assert ats == sorted(ats, reverse=True)
    naive = client.get("/api/v1/audit", headers=admin, params={"since": "2026-01-01T00:00:00"})
    assert naive.status_code == 422
    later = client.get("/api/v1/audit", headers=admin,
                       params={"since": "2999-01-01T00:00:00+07:00"}).json()
    assert later == {"items": [], "total": 0}
