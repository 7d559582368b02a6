"""Staff accounts from /admin: scope per Polres, disable, reset code, end sessions, audit."""

from __future__ import annotations

from typing import Any

from tests.admin.helpers import STRONG, audit_rows, new_account, polres_admin, tag
from tests.conftest import login


def test_polres_admin_creates_staff_in_own_subtree_audited(client: Any) -> None:
    tegal = polres_admin(client, "polres-tegal")
    made = new_account(client, role="operator", org="polsek-slawi", by=tegal)
    assert (made["org_code"], made["role_label"], made["active"]) == (
        "polsek-slawi", "Operator", True)
    [row] = audit_rows("admin.user_create", made["id"])
    assert row.actor_user_id is not None and row.detail["org"] == "polsek-slawi"
    listed = client.get("/api/v1/admin/users", headers=tegal).json()["items"]
    orgs = {u["org_code"] for u in listed}
    assert made["username"] in {u["username"] for u in listed}
    assert "polsek-klojen" not in orgs and "polres-malang-kota" not in orgs and None not in orgs


def test_polres_admin_cannot_touch_another_polres(client: Any) -> None:
    tegal = polres_admin(client, "polres-tegal")
    malang_user = new_account(client, role="operator", org="polsek-klojen")
    response = client.post("/api/v1/admin/users", headers=tegal, json={
        "username": f"x.{tag()}", "password": STRONG, "role": "operator",
        "org": "polsek-klojen"})
    assert response.status_code == 404 and "Satuan" in response.text
    for method, path, body in [
        ("PATCH", f"/api/v1/admin/users/{malang_user['id']}", {"full_name": "Diambil"}),
        ("POST", f"/api/v1/admin/users/{malang_user['id']}/active", {"active": False}),
        ("POST", f"/api/v1/admin/users/{malang_user['id']}/reset-code", None),
        ("POST", f"/api/v1/admin/users/{malang_user['id']}/end-sessions", None),
    ]:
        assert client.request(method, path, headers=tegal, json=body).status_code == 404, path
    # Moving an own account into Malang is refused as well.
    own = new_account(client, role="operator", org="polsek-slawi", by=tegal)
    moved = client.patch(f"/api/v1/admin/users/{own['id']}", headers=tegal,
                         json={"org": "polsek-klojen"})
    assert moved.status_code == 404
    national = client.post("/api/v1/admin/users", headers=tegal, json={
        "username": f"x.{tag()}", "password": STRONG, "role": "admin", "org": None})
    assert national.status_code == 403


def test_non_admins_get_403(client: Any) -> None:
    for user in ("operator", "pimpinan", "analis", "petugas.slawi"):
        headers = login(client, user)
        assert client.get("/api/v1/admin/users", headers=headers).status_code == 403, user
        assert client.post("/api/v1/admin/users", headers=headers, json={
            "username": f"x.{tag()}", "password": STRONG, "role": "operator",
            "org": "polsek-klojen"}).status_code == 403


def test_weak_password_and_missing_org_are_refused(client: Any) -> None:
    admin = login(client, "admin")
    weak = client.post("/api/v1/admin/users", headers=admin, json={
        "username": f"x.{tag()}", "password": "aaaaaaaaaa", "role": "operator",
        "org": "polsek-klojen"})
    assert weak.status_code == 422 and "Kata sandi" in weak.text
    no_org = client.post("/api/v1/admin/users", headers=admin, json={
        "username": f"x.{tag()}", "password": STRONG, "role": "operator"})
    assert no_org.status_code == 422 and "satuan" in no_org.text


def test_disabled_user_cannot_log_in_and_tokens_stop(client: Any) -> None:
    admin = login(client, "admin")
    user = new_account(client, role="operator", org="polsek-klojen")
    token = login(client, user["username"], STRONG)
    assert client.get("/api/v1/auth/me", headers=token).status_code == 200
    off = client.post(f"/api/v1/admin/users/{user['id']}/active", headers=admin,
                      json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert client.get("/api/v1/auth/me", headers=token).status_code == 401
    refused = client.post("/api/v1/auth/login",
                          json={"username": user["username"], "password": STRONG})
    assert refused.status_code == 401
    [row] = audit_rows("admin.user_disable", user["id"])
    assert row.detail["sessions_ended"] == 1
    client.post(f"/api/v1/admin/users/{user['id']}/active", headers=admin, json={"active": True})
    assert client.get("/api/v1/auth/me",
                      headers=login(client, user["username"], STRONG)).status_code == 200


def test_admin_cannot_disable_self(client: Any) -> None:
    tegal_account = new_account(client, role="admin", org="polres-tegal")
    headers = login(client, tegal_account["username"], STRONG)
    response = client.post(f"/api/v1/admin/users/{tegal_account['id']}/active",
                           headers=headers, json={"active": False})
    assert response.status_code == 403


def test_end_all_sessions(client: Any) -> None:
    user = new_account(client, role="pimpinan", org="polres-malang-kota")
    first, second = (login(client, user["username"], STRONG) for _ in range(2))
    ended = client.post(f"/api/v1/admin/users/{user['id']}/end-sessions",
                        headers=login(client, "admin"))
    assert ended.status_code == 200 and ended.json()["sessions_ended"] == 2
    assert client.get("/api/v1/auth/me", headers=first).status_code == 401
    assert client.get("/api/v1/auth/me", headers=second).status_code == 401
    assert audit_rows("admin.user_logout_all", user["id"])


def test_reset_code_is_one_time_and_needs_a_strong_password(client: Any) -> None:
    tegal = polres_admin(client, "polres-tegal")
    user = new_account(client, role="analis", org="polres-tegal", by=tegal)
    old_token = login(client, user["username"], STRONG)
    issued = client.post(f"/api/v1/admin/users/{user['id']}/reset-code", headers=tegal)
    assert issued.status_code == 200
    code = issued.json()["code"]
    assert len(code.replace("-", "")) == 12
    [row] = audit_rows("admin.user_reset_code", user["id"])
    assert code not in str(row.detail)
    reset = {"username": user["username"], "code": code.lower(), "new_password": "password123"}
    weak = client.post("/api/v1/auth/reset-password", json=reset)
    assert weak.status_code == 422 and "Kata sandi" in weak.text
    new_password = "Sate-kambing-Tegal-77?"
    wrong_user = client.post("/api/v1/auth/reset-password",
                             json={**reset, "username": "admin", "new_password": new_password})
    assert wrong_user.status_code == 401
    done = client.post("/api/v1/auth/reset-password", json={**reset,
                                                              "new_password": new_password})
    assert done.status_code == 204, done.text
    assert client.get("/api/v1/auth/me", headers=old_token).status_code == 401
    assert client.post("/api/v1/auth/login", json={"username": user["username"],
                                                   "password": new_password}).status_code == 200
    again = client.post("/api/v1/auth/reset-password",
                        json={**reset, "new_password": "Lain-lagi-sandinya-88"})
    assert again.status_code == 401
    assert audit_rows("auth.password_reset", user["id"])


def test_role_change_is_audited_with_before_and_after(client: Any) -> None:
    user = new_account(client, role="operator", org="polsek-klojen")
    changed = client.patch(f"/api/v1/admin/users/{user['id']}", headers=login(client, "admin"),
                           json={"role": "pimpinan", "org": "polres-malang-kota",
                                 "phone": "0811-1111-2222"})
    assert changed.status_code == 200
    assert (changed.json()["role"], changed.json()["org_code"]) == (
        "pimpinan", "polres-malang-kota")
    [row] = audit_rows("admin.user_update", user["id"])
    assert row.detail["role"] == ["operator", "pimpinan"]
