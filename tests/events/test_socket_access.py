"""The live socket gives each role what the REST API gives it: tickets, roles, parameters."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.conftest import KLOJEN, SLAWI, device_headers, login, register_device
from tests.dispatch.helpers import make_unit, offset
from tests.events.helpers import (
    STAFF_PASSWORD,
    collect_until,
    make_staff,
    next_of_type,
    post_alarm,
    socket_url,
    ticket,
)


def _refusal(client: Any, url: str) -> WebSocketDisconnect:
    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect(url) as socket:
        socket.receive_json()
    return closed.value


def test_an_access_token_in_the_url_is_refused(client: Any) -> None:
    headers = login(client, "operator")
    token = headers["Authorization"].split()[1]
    with_ticket = f"/ws/ops?ticket={ticket(client, headers)}&token={token}"
    for url in (f"/ws/ops?token={token}", with_ticket):
        refused = _refusal(client, url)
        assert refused.code == 1008  # policy violation
        assert "URL" in refused.reason and "ws-ticket" in refused.reason


def test_a_ticket_opens_one_socket_only(client: Any) -> None:
    one = ticket(client, login(client, "operator"))
    with client.websocket_connect(f"/ws/ops?ticket={one}") as socket:
        assert socket.receive_json()["type"] == "hello"
    refused = _refusal(client, f"/ws/ops?ticket={one}")
    assert refused.code == 4401 and "sudah dipakai" in refused.reason


def test_a_ticket_expires(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from siaga.config import get_settings

    assert get_settings().ws_ticket_ttl_s == 30
    headers = login(client, "operator")
    # Well inside the 30 s a ticket still opens the socket ...
    kept = ticket(client, headers)
    time.sleep(1.0)
    with client.websocket_connect(f"/ws/ops?ticket={kept}") as socket:
        assert socket.receive_json()["type"] == "hello"
    # ... and once its lifetime is over it no longer does.
    monkeypatch.setattr(get_settings(), "ws_ticket_ttl_s", 0.5)
    stale = ticket(client, headers)
    time.sleep(0.8)
    refused = _refusal(client, f"/ws/ops?ticket={stale}")
    assert refused.code == 4401 and "kedaluwarsa" in refused.reason


@pytest.mark.parametrize("after", ["-1e20", "1e3", "abc", "-1", "1.5", "9" * 40, " ",
                                   str(2**31), str(10**18)])
def test_a_bad_after_is_refused_with_a_reason(client: Any, after: str) -> None:
    refused = _refusal(client, socket_url(client, login(client, "operator")) + f"&after={after}")
    assert refused.code == 4400
    assert "after" in refused.reason and "bilangan bulat" in refused.reason


@pytest.mark.parametrize("after", [0, 2**31 - 1])
def test_any_event_id_is_a_valid_resume_point(client: Any, after: int) -> None:
    headers = login(client, "operator")
    with client.websocket_connect(socket_url(client, headers, after=after)) as ws:
        assert ws.receive_json()["type"] == "hello"
        alarm = post_alarm(client, register_device(client), KLOJEN)
        # after=0 replays the log first; the new alarm follows it.
        collect_until(ws, lambda m: m["type"] == "alarm.created"
                      and m["alarm"]["id"] == alarm["id"], limit=10_000)


def test_analyst_gets_intelligence_but_no_alarms(client: Any) -> None:
    analyst = login(client, "analis")  # Polres Tegal
    operator = login(client, "operator.tegal")
    with client.websocket_connect(socket_url(client, analyst)) as intel, \
            client.websocket_connect(socket_url(client, operator)) as ops:
        intel.receive_json()
        ops.receive_json()
        alarm = post_alarm(client, register_device(client), SLAWI)
        assert next_of_type(ops, "alarm.created")["alarm"]["id"] == alarm["id"]
        marker = f"Tawuran direncanakan {uuid.uuid4().hex[:6]}"
        body = {"client_id": str(uuid.uuid4()), "category": "brawl", "text": marker,
                "lat": SLAWI[0], "lon": SLAWI[1]}
        response = client.post("/api/v1/tips", data={"data": json.dumps(body)},
                               headers=device_headers(register_device(client)))
        assert response.status_code == 201, response.text
        tip_id = response.json()["id"]
        seen = collect_until(intel, lambda m: m["type"] == "tip.created"
                             and m["tip"]["id"] == tip_id)
    assert not [m for m in seen if m["type"].startswith(("alarm.", "unit."))]
    # Resuming from before the alarm replays the tip, never the alarm.
    with client.websocket_connect(socket_url(client, analyst, after=seen[-1]["id"] - 1)) as intel:
        intel.receive_json()
        replayed = collect_until(intel, lambda m: m["type"] == "tip.created"
                                 and m["tip"]["id"] == tip_id)
    assert not [m for m in replayed if m["type"].startswith(("alarm.", "unit."))]


def test_officer_gets_only_the_alarms_of_their_own_units(client: Any) -> None:
    username = make_staff("petugas", "polsek-klojen")
    officer = login(client, username, STAFF_PASSWORD)
    near = offset(*KLOJEN, 600)
    unit = make_unit(kind="motorbike", lat=near[0], lon=near[1], username=username)
    ops = login(client, "operator")
    with client.websocket_connect(socket_url(client, officer)) as phone:
        hello = phone.receive_json()
        mine = post_alarm(client, register_device(client), KLOJEN)
        other = post_alarm(client, register_device(client), KLOJEN)
        sent = client.post(f"/api/v1/alarms/{mine['id']}/dispatch", json={"unit_id": unit},
                           headers=ops)
        assert sent.status_code == 201, sent.text
        assignment = sent.json()
        # Another caller's alarm keeps changing; none of it may reach this officer.
        assert client.post(f"/api/v1/alarms/{other['id']}/acknowledge",
                           headers=ops).status_code == 200
        step = client.post(f"/api/v1/dispatch/{assignment['id']}/status",
                           json={"status": "accepted"}, headers=officer)
        assert step.status_code == 200, step.text
        seen = collect_until(phone, lambda m: m["type"] == "alarm.assignment"
                             and m["assignment"]["status"] == "accepted")
    events = [m for m in seen if m["type"] not in ("ping",)]
    assert {m["alarm"]["id"] for m in events} == {mine["id"]}
    assert "alarm.dispatched" in [m["type"] for m in events]
    assert "alarm.created" not in [m["type"] for m in events]
    other_detail = client.get(f"/api/v1/alarms/{other['id']}", headers=ops).json()
    text = json.dumps(seen)
    assert other_detail["caller_phone"] and other_detail["caller_phone"] not in text
    # A reconnecting phone replays its own alarm's events and nothing else.
    with client.websocket_connect(socket_url(client, officer, after=hello["last_event_id"])) as ws:
        ws.receive_json()
        replayed = collect_until(ws, lambda m: m["type"] == "alarm.assignment"
                                 and m["assignment"]["status"] == "accepted")
    assert {m["alarm"]["id"] for m in replayed} == {mine["id"]}


def test_leaders_see_their_scope(client: Any) -> None:
    with client.websocket_connect(socket_url(client, login(client, "pimpinan"))) as socket:
        socket.receive_json()
        alarm = post_alarm(client, register_device(client), KLOJEN)
        assert next_of_type(socket, "alarm.created")["alarm"]["id"] == alarm["id"]
