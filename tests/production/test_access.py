"""Access matrix over every route: anonymous, each role, and the other organisation."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts

from siaga.auth.capabilities import roles_with
from tests.conftest import KLOJEN, SLAWI, device_headers, register_device
from tests.conftest import login as fresh_login

# Routes without a staff or device dependency, and why that is right. A new route missing here
# fails the test: either it needs `require(capability)`/`CurrentDevice`, or it belongs here.
OPEN_ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/healthz"): "load balancer health check",
    ("GET", "/metrics"): "Prometheus; answers loopback and private networks only",
    ("POST", "/api/v1/auth/login"): "log-in itself (throttled)",
    ("POST", "/api/v1/devices"): "citizen registration",
    ("GET", "/api/v1/info"): "public information menu",
    ("GET", "/api/v1/config"): "map tile settings for the pages",
    ("GET", "/api/v1/alarms/{alarm_id}"): "checks device or staff token itself",
    ("GET", "/gps/osmand"): "tracker id must belong to a registered unit",
    ("POST", "/gps/osmand"): "tracker id must belong to a registered unit",
    ("POST", "/gps/owntracks"): "HTTP Basic with an officer's log-in",
    ("WS", "/ws/ops"): "redeems its single-use staff ticket itself (closes 4401/4403)",
    ("GET", "/api/v1/tips/options"): "public form options",
    ("GET", "/api/v1/survey/polres"): "public survey: list of Polres",
    ("POST", "/api/v1/survey"): "public citizen survey",
    ("POST", "/api/v1/auth/logout"): "ends the bearer token it carries (401 without one)",
    ("POST", "/api/v1/auth/reset-password"): "one-time code from an admin (login throttle)",
    ("POST", "/sms/smssync"): "SMSSync gateway: shared secret checked first (403)",
    ("GET", "/sms/smssync"): "SMSSync gateway: shared secret checked first (403)",
    ("POST", "/api/v1/mediaintel/posts"): "connector token or analyst/admin bearer, checked "
                                          "before the body is read",
}
# Staff routes any staff member may call because they act only on the caller's own data; every
# other staff route declares a capability from siaga.auth.capabilities.
OWN_DATA_ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/auth/me"): "the caller's own account",
    ("POST", "/api/v1/auth/ws-ticket"): "a socket ticket for the caller; events filtered by role",
    ("POST", "/api/v1/tracking/me"): "the caller's own position",
    ("GET", "/api/v1/dispatch/mine"): "the caller's own assignments",
    ("POST", "/api/v1/dispatch/{assignment_id}/status"): "only the assigned officer's own task",
    ("GET", "/api/v1/dispatch/targets"): "response-time targets shown on every staff page",
    ("GET", "/api/v1/alerts/mine"): "the caller's own notices",
    ("POST", "/api/v1/alerts/{alert_id}/read"): "marks the caller's own notice read",
    ("GET", "/api/v1/patrol-plans/mine"): "the caller's own patrol plan",
}
PAGE_PREFIXES = ("/", "/warga", "/ops", "/petugas", "/pimpinan", "/kunjungan", "/admin")
# One demo log-in per role, and the organisation each belongs to.
MALANG = {"operator": "operator", "pimpinan": "pimpinan", "petugas": "bhabin.kauman"}
TEGAL = {"operator": "operator.tegal", "pimpinan": "pimpinan.tegal", "analis": "analis",
         "petugas": "petugas.slawi"}
ROLES = ("admin", "operator", "pimpinan", "analis", "petugas")
USER_OF_ROLE = {"admin": "admin", **MALANG, "analis": "analis"}
MISSING_ID = "987654321"


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    kind: str  # staff, device or open
    roles: tuple[str, ...] | None  # None: every staff role

    def url(self, value: str = MISSING_ID) -> str:
        return re.sub(r"\{[^}]+\}", value, self.path)


def _dependency_calls(dependant: Any) -> Iterator[Any]:
    for dep in dependant.dependencies:
        yield dep.call
        yield from _dependency_calls(dep)


def _endpoints() -> list[Endpoint]:
    from siaga.app import create_app

    found = []
    for context in iter_route_contexts(create_app().routes):
        route = context.original_route
        if not isinstance(route, APIRoute | APIWebSocketRoute):
            continue
        calls = list(_dependency_calls(route.dependant))
        names = {getattr(c, "__qualname__", "") for c in calls}
        roles: tuple[str, ...] | None = None
        for call in calls:
            capability = getattr(call, "capability", None)
            if capability is not None:
                roles = tuple(sorted(roles_with(capability)))
        if "get_current_user" in names:
            kind = "staff"
        elif names & {"get_current_device", "get_device_credential"}:
            kind = "device"
        else:
            kind = "open"
        methods = sorted(context.methods or ()) if isinstance(route, APIRoute) else ["WS"]
        for method in methods:
            if method != "HEAD":
                found.append(Endpoint(method, str(context.path), kind, roles))
    return found


ENDPOINTS = _endpoints()
_TOKENS: dict[tuple[str, str], dict[str, str]] = {}


def login(client: Any, username: str) -> dict[str, str]:
    """Headers of a demo user, logged in once per database (argon2 is slow on purpose)."""
    key = (os.environ["SIAGA_DATABASE_URL"], username)
    if key not in _TOKENS:
        _TOKENS[key] = fresh_login(client, username)
    return _TOKENS[key]


def _call(client: Any, endpoint: Endpoint, headers: dict[str, str] | None = None,
          value: str = MISSING_ID) -> Any:
    body = {} if endpoint.method in ("POST", "PUT", "PATCH") else None
    return client.request(endpoint.method, endpoint.url(value), json=body, headers=headers or {})


def test_every_open_route_is_meant_to_be_open() -> None:
    unexpected = [
        (e.method, e.path) for e in ENDPOINTS
        if e.kind == "open" and (e.method, e.path) not in OPEN_ROUTES
        and not (e.method == "GET" and e.path.startswith(PAGE_PREFIXES)
                 and not e.path.startswith("/api/"))
    ]
    assert not unexpected, f"routes without an access check: {unexpected}"


def test_every_staff_route_declares_a_capability() -> None:
    undeclared = [(e.method, e.path) for e in ENDPOINTS
                  if e.kind == "staff" and e.roles is None
                  and (e.method, e.path) not in OWN_DATA_ROUTES]
    assert not undeclared, f"staff routes without a capability: {undeclared}"


def test_anonymous_callers_get_401(client: Any) -> None:
    failures = []
    for endpoint in ENDPOINTS:
        if endpoint.kind == "open" or endpoint.method == "WS":
            continue
        response = _call(client, endpoint)
        if response.status_code != 401:
            failures.append((endpoint.method, endpoint.path, response.status_code))
    assert not failures


def test_device_tokens_open_no_staff_route(client: Any) -> None:
    device = device_headers(register_device(client))
    failures = []
    for endpoint in ENDPOINTS:
        if endpoint.kind == "staff":
            response = _call(client, endpoint, device)
            if response.status_code != 401:
                failures.append((endpoint.method, endpoint.path, response.status_code))
    assert not failures


def test_each_role_gets_403_exactly_where_it_has_no_business(client: Any) -> None:
    headers = {role: login(client, USER_OF_ROLE[role]) for role in ROLES}
    failures = []
    for endpoint in ENDPOINTS:
        if endpoint.kind != "staff":
            continue
        for role in ROLES:
            allowed = role == "admin" or endpoint.roles is None or role in endpoint.roles
            # A missing id keeps allowed calls from changing anything in the shared database.
            status = _call(client, endpoint, headers[role]).status_code
            if allowed and status in (401, 403):
                failures.append((endpoint.method, endpoint.path, role, status, "refused"))
            if not allowed and status != 403:
                failures.append((endpoint.method, endpoint.path, role, status, "not 403"))
            if status >= 500:
                failures.append((endpoint.method, endpoint.path, role, status, "5xx"))
    assert not failures


def _alarm(client: Any, where: tuple[float, float]) -> tuple[dict[str, Any], str]:
    device = register_device(client)
    body = {"client_id": str(uuid.uuid4()), "lat": where[0], "lon": where[1]}
    response = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
    assert response.status_code == 201
    phone = client.get("/api/v1/devices/me", headers=device_headers(device)).json()["phone"]
    return response.json(), str(phone)


def test_lists_never_show_another_polres(client: Any) -> None:
    malang_alarm, malang_phone = _alarm(client, KLOJEN)
    tegal_alarm, tegal_phone = _alarm(client, SLAWI)
    sides = [
        (TEGAL, [malang_alarm["client_id"], malang_phone, "/polres-malang-kota/"]),
        (MALANG, [tegal_alarm["client_id"], tegal_phone, "/polres-tegal/"]),
    ]
    leaks = []
    for users, markers in sides:
        for role, username in users.items():
            headers = login(client, username)
            for endpoint in ENDPOINTS:
                if (endpoint.kind != "staff" or endpoint.method != "GET" or "{" in endpoint.path
                        or (endpoint.roles is not None and role not in endpoint.roles)):
                    continue
                response = client.get(endpoint.path, params={"limit": 1000}, headers=headers)
                if response.status_code == 422:
                    response = client.get(endpoint.path, headers=headers)
                text = response.text
                leaks += [(endpoint.path, username, m) for m in markers if m in text]
    assert not leaks


def _item_ids(client: Any, collection: str, headers: dict[str, str]) -> list[str]:
    response = client.get(collection, params={"limit": 50}, headers=headers)
    if response.status_code != 200 or "application/json" not in response.headers.get(
            "content-type", ""):
        return []
    body = response.json()
    items = body.get("items", []) if isinstance(body, dict) else body
    return [str(i["id"]) for i in items if isinstance(i, dict) and "id" in i][:3]


def test_items_of_another_polres_answer_404(client: Any) -> None:
    malang_alarm, _ = _alarm(client, KLOJEN)
    checked, leaks = [], []
    for endpoint in ENDPOINTS:
        params = re.findall(r"\{([^}]+)\}", endpoint.path)
        if endpoint.kind != "staff" or len(params) != 1:
            continue
        collection = endpoint.path.split("/{", 1)[0]
        roles = [r for r in ("operator", "pimpinan", "petugas")
                 if endpoint.roles is None or r in endpoint.roles]
        if not roles:
            continue
        owner = login(client, MALANG[roles[0]])
        ids = ([str(malang_alarm["id"])] if params[0] == "alarm_id"
               else _item_ids(client, collection, owner))
        outsider = login(client, TEGAL[roles[0]])
        for item_id in ids:
            # Only reads here: writes to another Polres's items would change shared data.
            if endpoint.method != "GET" and params[0] != "alarm_id":
                continue
            response = _call(client, endpoint, outsider, value=item_id)
            checked.append(endpoint.path)
            # 422: the empty body of a write is refused before anything is looked up.
            refused = (403, 404) if endpoint.method == "GET" else (403, 404, 422)
            if response.status_code not in refused:
                leaks.append((endpoint.method, endpoint.path, item_id, response.status_code))
    assert "/api/v1/alarms/{alarm_id}/acknowledge" in checked
    assert not leaks


def test_alarm_detail_of_another_polres_is_404_for_staff(client: Any) -> None:
    alarm, _ = _alarm(client, KLOJEN)
    for username in ("operator.tegal", "pimpinan.tegal"):
        response = client.get(f"/api/v1/alarms/{alarm['id']}", headers=login(client, username))
        assert response.status_code == 404
    assert client.get(f"/api/v1/alarms/{alarm['id']}").status_code == 401


@pytest.mark.parametrize("username", ["operator.tegal", "pimpinan"])
def test_websocket_carries_only_own_polres(client: Any, username: str) -> None:
    from starlette.websockets import WebSocketDisconnect

    ticket = client.post("/api/v1/auth/ws-ticket", headers=login(client, username)).json()
    with client.websocket_connect(f"/ws/ops?ticket={ticket['ticket']}") as ws:
        assert ws.receive_json()["type"] == "hello"
        malang, _ = _alarm(client, KLOJEN)
        tegal, _ = _alarm(client, SLAWI)
        seen = []
        while True:
            message = ws.receive_json()
            if message.get("type") == "alarm.created":
                seen.append(message["alarm"]["id"])
                break
    expected = tegal["id"] if username.endswith("tegal") else malang["id"]
    assert seen == [expected]
    with pytest.raises(WebSocketDisconnect) as closed, \
            client.websocket_connect("/ws/ops?ticket=nonsense") as ws:
        ws.receive_json()
    assert closed.value.code == 4401


@pytest.mark.parametrize("huge", [2**31, 2**40, 2**70])
def test_ids_beyond_what_the_database_holds_are_refused_not_failed(client: Any, huge: int
                                                                   ) -> None:
    ops = login(client, "operator")
    for url in (f"/api/v1/alarms/{huge}", f"/api/v1/alarms/{huge}/acknowledge"):
        method = "POST" if url.endswith("acknowledge") else "GET"
        response = client.request(method, url, headers=ops)
        assert response.status_code in (404, 422), (url, response.status_code)
