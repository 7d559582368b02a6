"""Citizen device registration."""

from __future__ import annotations

from typing import Any


def test_register_returns_a_working_token(client: Any) -> None:
    response = client.post("/api/v1/devices", json={"phone": "0812-3456-7890", "name": " Ani "})
    assert response.status_code == 201
    data = response.json()
    me = client.get("/api/v1/devices/me", headers={"Authorization": f"Bearer {data['token']}"})
    assert me.status_code == 200
    assert me.json()["phone"] == "+6281234567890" and me.json()["name"] == "Ani"
    assert me.json()["has_pin"] is False and me.json()["warning_accepted"] is False


def test_registration_refuses_bad_fields_by_name(client: Any) -> None:
    response = client.post("/api/v1/devices", json={"phone": "abc", "name": "", "pin": "12"})
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["detail"]} == {"phone", "name", "pin"}


def test_warning_acceptance_and_pin_are_recorded(client: Any) -> None:
    token = client.post("/api/v1/devices", json={"phone": "081200001111", "name": "Ani"}
                        ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/devices/me/accept-warning", headers=headers
                       ).json()["warning_accepted"] is True
    assert client.put("/api/v1/devices/me/pin", json={"pin": "9876"}, headers=headers
                      ).json()["has_pin"] is True
