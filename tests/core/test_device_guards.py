"""Citizen intake abuse: a blocked number stays blocked, tokens expire unless used, and one
address cannot register devices or send tips without end."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select, update

from tests.conftest import KLOJEN, LiveServer, login


def _phone() -> str:
    return f"08{uuid.uuid4().int % 10**10:010d}"


def _msg(response: Any) -> str:
    detail = response.json()["detail"]
    return str(detail if isinstance(detail, str) else detail["msg"])


def _alarm(client: Any, token: str) -> Any:
    return client.post("/api/v1/alarms", headers={"Authorization": f"Bearer {token}"},
                       json={"client_id": str(uuid.uuid4()), "lat": KLOJEN[0],
                             "lon": KLOJEN[1]})


def test_a_blocked_number_stays_blocked_when_it_registers_again(client: Any) -> None:
    phone = _phone()
    first = client.post("/api/v1/devices", json={"phone": phone, "name": "Iseng"}).json()
    assert _alarm(client, first["token"]).status_code == 201
    ops = login(client, "operator")
    blocked = client.post(f"/api/v1/devices/{first['device_id']}/block", headers=ops,
                          json={"reason": "alarm palsu berulang"})
    assert blocked.status_code == 200, blocked.text
    # The same number, written another way, registers again.
    again = client.post("/api/v1/devices", json={"phone": "+62" + phone[1:], "name": "Baru"})
    assert again.status_code == 201
    token = again.json()["token"]
    me = client.get("/api/v1/devices/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["blocked"] is True
    refused = _alarm(client, token)
    assert refused.status_code == 403 and "diblokir" in _msg(refused)
    # Lifting the block lifts it for the number: the new registration may alarm again.
    assert client.post(f"/api/v1/devices/{first['device_id']}/unblock", headers=ops,
                       json={"reason": "sudah dibina"}).status_code == 200
    assert _alarm(client, token).status_code == 201


def test_a_device_token_expires_unless_used_and_is_renewed_on_use(client: Any) -> None:
    from siaga.config import get_settings
    from siaga.db import get_database, utcnow
    from siaga.devices.models import Device

    ttl = timedelta(days=get_settings().device_token_ttl_days)
    used, idle = (client.post("/api/v1/devices", json={"phone": _phone(), "name": "Warga"}
                              ).json() for _ in range(2))
    # Both registered long ago; only one is used before its time runs out.
    with get_database().session() as session:
        session.execute(update(Device).where(Device.public_id.in_(
            [used["device_id"], idle["device_id"]])).values(created_at=utcnow() - ttl * 0.9))
    headers = {"Authorization": f"Bearer {used['token']}"}
    assert client.get("/api/v1/devices/me", headers=headers).status_code == 200
    with get_database().session() as session:
        session.execute(update(Device).where(Device.public_id.in_(
            [used["device_id"], idle["device_id"]])).values(created_at=utcnow() - ttl * 1.5))
        renewed = session.scalar(select(Device.token_renewed_at)
                                 .where(Device.public_id == used["device_id"]))
    assert renewed is not None and utcnow() - renewed < timedelta(minutes=5)
    assert client.get("/api/v1/devices/me", headers=headers).status_code == 200
    expired = client.get("/api/v1/devices/me",
                         headers={"Authorization": f"Bearer {idle['token']}"})
    assert expired.status_code == 401
    assert "kedaluwarsa" in _msg(expired)
    # The alarm intake, which looks devices up in its own batch, refuses it the same way.
    refused = _alarm(client, idle["token"])
    assert refused.status_code == 401 and "kedaluwarsa" in _msg(refused)
    assert _alarm(client, used["token"]).status_code == 201


def _tip(http: httpx.Client, token: str, ip: str) -> httpx.Response:
    body = {"client_id": str(uuid.uuid4()), "category": "other", "lat": KLOJEN[0],
            "lon": KLOJEN[1], "text": "Lampu jalan di gang ini mati sejak seminggu."}
    return http.post("/api/v1/tips", data={"data": json.dumps(body)},
                     headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": ip})


def test_one_address_cannot_register_or_tip_without_end(siaga_env: dict[str, str]) -> None:
    server = LiveServer(siaga_env, extra_env={"SIAGA_DEVICE_REGISTRATIONS_PER_IP_PER_HOUR": "3",
                                              "SIAGA_TIPS_PER_IP_PER_HOUR": "2"})
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            def register(ip: str) -> httpx.Response:
                return http.post("/api/v1/devices", json={"phone": _phone(), "name": "Warga"},
                                 headers={"X-Forwarded-For": ip})

            assert [register("203.0.113.7").status_code for _ in range(4)] == [201] * 3 + [429]
            refused = register("203.0.113.7")
            assert refused.status_code == 429 and "alamat" in _msg(refused)
            assert register("203.0.113.8").status_code == 201  # another address
            # Two devices (each under its own limit) tipping from one address.
            tokens = [register(f"198.51.100.{n}").json()["token"] for n in (1, 2)]
            statuses = [_tip(http, tokens[n % 2], "192.0.2.44").status_code for n in range(3)]
            assert statuses == [201, 201, 429]
            assert _tip(http, tokens[0], "192.0.2.45").status_code == 201
    finally:
        server.stop()
