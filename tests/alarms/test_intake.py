"""Alarm intake through the public HTTP API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import KLOJEN, LOWOKWARU, SLAWI, device_headers, login, register_device


def _post(client: Any, device: dict[str, str], **body: Any) -> Any:
    payload = {"client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1], **body}
    return client.post("/api/v1/alarms", json=payload, headers=device_headers(device))


def test_alarm_is_stored_and_located_to_kelurahan_and_polsek(client: Any) -> None:
    device = register_device(client)
    response = _post(client, device, lat=LOWOKWARU[0], lon=LOWOKWARU[1], accuracy_m=12)
    assert response.status_code == 201
    alarm = response.json()
    assert alarm["status"] == "open"
    assert alarm["org_code"] == "polsek-lowokwaru"
    assert alarm["region_name"]
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=device_headers(device)).json()
    assert [e["type"] for e in detail["timeline"]] == ["created"]
    assert detail["locations"][0]["lat"] == LOWOKWARU[0]


def test_same_client_id_returns_the_same_alarm_with_200(client: Any) -> None:
    device = register_device(client)
    client_id = str(uuid.uuid4())
    first = _post(client, device, client_id=client_id)
    again = _post(client, device, client_id=client_id)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    ops = login(client, "operator")
    listed = client.get("/api/v1/alarms?status=open&limit=1000", headers=ops).json()["items"]
    assert sum(1 for a in listed if a["client_id"] == client_id) == 1


def test_client_id_of_another_device_is_refused(client: Any) -> None:
    client_id = str(uuid.uuid4())
    assert _post(client, register_device(client), client_id=client_id).status_code == 201
    response = _post(client, register_device(client), client_id=client_id)
    assert response.status_code == 409
    assert response.json()["detail"]["field"] == "client_id"


def test_bad_input_is_refused_naming_the_field(client: Any) -> None:
    device = register_device(client)
    cases = [
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"lat": 91}, "lat"),
        ({"lon": -181}, "lon"),
        ({"lat": "NaN"}, "lat"),
        ({"lat": True}, "lat"),  # JSON true must not become latitude 1.0
        ({"accuracy_m": False}, "accuracy_m"),
        ({"triggered_at": (datetime.now(UTC) + timedelta(hours=2)).isoformat()}, "triggered_at"),
        ({"triggered_at": (datetime.now(UTC) - timedelta(days=3)).isoformat()}, "triggered_at"),
        ({"triggered_at": "2026-01-01T10:00:00"}, "triggered_at"),
        ({"kind": "meteor"}, "kind"),
    ]
    for body, field in cases:
        response = _post(client, device, **body)
        assert response.status_code == 422, (body, response.text)
        detail = response.json()["detail"]
        fields = [d["field"] for d in detail] if isinstance(detail, list) else [detail["field"]]
        assert field in fields, (body, detail)


def _messages(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {d["field"]: d["msg"] for d in response.json()["detail"]}


def test_positions_are_refused_in_indonesian_on_intake_and_location_updates(
    client: Any,
) -> None:
    device = register_device(client)
    assert "true/false" in _messages(_post(client, device, lat=True))["lat"]
    assert _messages(_post(client, device, lon=181))["lon"] == "maksimal 180"
    assert _messages(_post(client, device, lat=-90.5))["lat"] == "minimal -90"
    assert "true/false" in _messages(_post(client, device, accuracy_m=True))["accuracy_m"]
    alarm = _post(client, device).json()
    path = f"/api/v1/alarms/{alarm['id']}/location"
    bad = client.post(path, headers=device_headers(device),
                      json={"lat": False, "lon": 200, "accuracy_m": -1})
    assert set(_messages(bad)) == {"lat", "lon", "accuracy_m"}
    assert "true/false" in _messages(bad)["lat"] and _messages(bad)["lon"] == "maksimal 180"
    good = client.post(path, headers=device_headers(device),
                       json={"lat": KLOJEN[0] + 0.001, "lon": KLOJEN[1], "accuracy_m": 8})
    assert good.status_code == 200, good.text


def test_nothing_half_written_after_refusal(client: Any) -> None:
    device = register_device(client)
    client_id = str(uuid.uuid4())
    assert _post(client, device, client_id=client_id, lat=200).status_code == 422
    assert _post(client, device, client_id=client_id).status_code == 201


def test_alarm_needs_a_device_token(client: Any) -> None:
    body = {"client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1]}
    assert client.post("/api/v1/alarms", json=body).status_code == 401
    bad = {"Authorization": "Bearer nonsense"}
    assert client.post("/api/v1/alarms", json=body, headers=bad).status_code == 401


def test_location_updates_while_active(client: Any) -> None:
    device = register_device(client)
    alarm = _post(client, device).json()
    moved = client.post(f"/api/v1/alarms/{alarm['id']}/location",
                        json={"lat": -7.9801, "lon": 112.6311, "accuracy_m": 8},
                        headers=device_headers(device))
    assert moved.status_code == 200
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=device_headers(device)).json()
    assert len(detail["locations"]) == 2
    assert detail["lat"] == -7.9801


def test_cancel_with_pin_is_recorded_not_deleted(client: Any) -> None:
    device = register_device(client, pin="4321")
    alarm = _post(client, device).json()
    url = f"/api/v1/alarms/{alarm['id']}/cancel"
    wrong = client.post(url, json={"pin": "0000"}, headers=device_headers(device))
    assert wrong.status_code == 403
    ok = client.post(url, json={"pin": "4321", "reason": "tidak sengaja"},
                     headers=device_headers(device))
    assert ok.status_code == 200 and ok.json()["status"] == "cancelled"
    ops = login(client, "operator")
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["status"] == "cancelled"
    assert [e["type"] for e in detail["timeline"]] == ["created", "cancelled"]
    late = client.post(f"/api/v1/alarms/{alarm['id']}/location", json={"lat": 0.1, "lon": 0.1},
                       headers=device_headers(device))
    assert late.status_code == 409


def test_cancel_window_closes(client: Any, monkeypatch: Any) -> None:
    from siaga.config import get_settings

    device = register_device(client, pin="4321")
    alarm = _post(client, device).json()
    monkeypatch.setattr(get_settings(), "cancel_window_s", 0)
    response = client.post(f"/api/v1/alarms/{alarm['id']}/cancel", json={"pin": "4321"},
                           headers=device_headers(device))
    assert response.status_code == 409


def test_device_sees_only_its_own_alarms(client: Any) -> None:
    mine = register_device(client)
    other = register_device(client)
    alarm = _post(client, mine).json()
    assert client.get(f"/api/v1/alarms/{alarm['id']}",
                      headers=device_headers(other)).status_code == 404


def test_staff_scope_follows_the_organisation_tree(client: Any) -> None:
    device = register_device(client)
    klojen = _post(client, device).json()
    tegal = _post(client, register_device(client), lat=SLAWI[0], lon=SLAWI[1]).json()
    lowokwaru = _post(client, register_device(client), lat=LOWOKWARU[0],
                      lon=LOWOKWARU[1]).json()

    def visible(username: str) -> set[int]:
        items = client.get("/api/v1/alarms?status=open&limit=1000",
                           headers=login(client, username)).json()["items"]
        return {a["id"] for a in items}

    polres = visible("operator")
    assert {klojen["id"], lowokwaru["id"]} <= polres and tegal["id"] not in polres
    polsek = visible("operator.klojen")
    assert klojen["id"] in polsek and lowokwaru["id"] not in polsek
    assert tegal["id"] in visible("operator.tegal")
    assert {klojen["id"], tegal["id"]} <= visible("admin")
    other = login(client, "operator.klojen")
    assert client.get(f"/api/v1/alarms/{lowokwaru['id']}", headers=other).status_code == 404
    ack = client.post(f"/api/v1/alarms/{lowokwaru['id']}/acknowledge", headers=other)
    assert ack.status_code == 404


def test_roles_without_alarm_access_are_refused(client: Any) -> None:
    petugas = login(client, "bhabin.kauman")
    assert client.get("/api/v1/alarms", headers=petugas).status_code == 403
    device = register_device(client)
    assert client.get("/api/v1/alarms", headers=device_headers(device)).status_code == 401


def test_acknowledge_records_who_and_when(client: Any) -> None:
    alarm = _post(client, register_device(client)).json()
    ops = login(client, "operator")
    response = client.post(f"/api/v1/alarms/{alarm['id']}/acknowledge", headers=ops)
    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged"
    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert detail["timeline"][-1]["type"] == "acknowledged"
    assert detail["timeline"][-1]["actor"] == "Operator MCC Malang Kota"
    assert detail["caller_phone"].startswith("+62")


def test_list_is_sorted_oldest_first_and_paged(client: Any) -> None:
    for _ in range(3):  # three phones (a second press of one phone joins its alarm)
        _post(client, register_device(client))
    ops = login(client, "operator")
    page = client.get("/api/v1/alarms?status=open&limit=2&offset=0", headers=ops).json()
    assert len(page["items"]) == 2 and page["total"] >= 3
    times = [a["created_at"] for a in page["items"]]
    assert times == sorted(times)
    assert client.get("/api/v1/alarms?limit=1001", headers=ops).status_code == 422


def test_listing_by_an_unknown_status_is_refused(client: Any) -> None:
    ops = login(client, "operator")
    response = client.get("/api/v1/alarms?status=xyz", headers=ops)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["field"] == "status" and "harus salah satu dari" in detail[0]["msg"]
    assert client.get("/api/v1/alarms?status=closed", headers=ops).status_code == 200
