"""Guessing the cancel PIN of someone else's alarm: a few tries, then the alarm stays active."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import KLOJEN, device_headers, login, register_device


def _alarm(client: Any, device: dict[str, str]) -> dict[str, Any]:
    body = {"client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1]}
    response = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
    assert response.status_code == 201
    result: dict[str, Any] = response.json()
    return result


def _cancel(client: Any, device: dict[str, str], alarm_id: int, pin: str) -> Any:
    return client.post(f"/api/v1/alarms/{alarm_id}/cancel", json={"pin": pin},
                       headers=device_headers(device))


def test_sixth_try_is_refused_even_with_the_right_pin(client: Any) -> None:
    device = register_device(client, pin="4321")
    alarm = _alarm(client, device)
    for wrong in ("0000", "1111", "1234", "9999", "4320"):
        assert _cancel(client, device, alarm["id"], wrong).status_code == 403
    locked = _cancel(client, device, alarm["id"], "4321")
    assert locked.status_code == 429
    assert "Terlalu banyak PIN salah" in locked.json()["detail"]["msg"]
    assert _cancel(client, device, alarm["id"], "5555").status_code == 429

    ops = login(client, "operator")
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["status"] == "open"
    assert [e["type"] for e in detail["timeline"]] == ["created"]

    admin = login(client, "admin")
    wrong = client.get("/api/v1/audit", headers=admin, params={
        "action": "alarm.cancel_wrong_pin", "target_id": str(alarm["id"])}).json()
    assert wrong["total"] == 5
    refused = client.get("/api/v1/audit", headers=admin, params={
        "action": "alarm.cancel_locked", "target_id": str(alarm["id"])}).json()
    assert refused["total"] == 2


def test_right_pin_before_the_limit_still_cancels(client: Any) -> None:
    device = register_device(client, pin="4321")
    alarm = _alarm(client, device)
    assert _cancel(client, device, alarm["id"], "0000").status_code == 403
    assert _cancel(client, device, alarm["id"], "1111").status_code == 403
    ok = _cancel(client, device, alarm["id"], "4321")
    assert ok.status_code == 200 and ok.json()["status"] == "cancelled"


def test_wrong_pins_on_one_alarm_do_not_lock_another(client: Any) -> None:
    device = register_device(client, pin="4321")
    first = _alarm(client, device)
    for _ in range(5):
        assert _cancel(client, device, first["id"], "0000").status_code == 403
    # A press while the first is active would join it: the operator closes it first.
    closed = client.post(f"/api/v1/alarms/{first['id']}/close", headers=login(client, "operator"),
                         json={"outcome": "false_alarm"})
    assert closed.status_code == 200, closed.text
    second = _alarm(client, device)
    assert second["id"] != first["id"]
    assert _cancel(client, device, second["id"], "4321").status_code == 200
