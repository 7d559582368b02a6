"""Journeys through the HTTP API: start, the last 20 positions, check-in, alarm, isolation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import KLOJEN, device_headers, login, register_device
from tests.dispatch.helpers import offset, post_alarm


def _start(client: Any, device: dict[str, str], **body: Any) -> Any:
    return client.post("/api/v1/journeys", json=body or {"minutes": 30},
                       headers=device_headers(device))


def _walk(client: Any, device: dict[str, str], journey_id: int,
          steps: int) -> list[tuple[float, float]]:
    start = datetime.now(UTC) - timedelta(minutes=steps)
    points = []
    for i in range(steps):
        lat, lon = offset(*KLOJEN, 30 * i)
        at = start + timedelta(minutes=i)
        r = client.post(f"/api/v1/journeys/{journey_id}/position", headers=device_headers(device),
                        json={"lat": lat, "lon": lon, "accuracy_m": 9, "fix_at": at.isoformat()})
        assert r.status_code == 200, r.text
        points.append((lat, lon))
    return points


def test_a_journey_keeps_its_last_20_positions_and_check_in_deletes_them(client: Any) -> None:
    device = register_device(client)
    r = _start(client, device, minutes=15, dest_lat=KLOJEN[0], dest_lon=KLOJEN[1],
               dest_label="Rumah")
    assert r.status_code == 201, r.text
    journey = r.json()
    assert journey["status"] == "active" and journey["dest_label"] == "Rumah"
    end = datetime.fromisoformat(journey["expected_end_at"])
    assert timedelta(minutes=14) < end - datetime.now(UTC) <= timedelta(minutes=15)

    _walk(client, device, journey["id"], 25)
    seen = client.get(f"/api/v1/journeys/{journey['id']}", headers=device_headers(device))
    assert seen.json()["positions_kept"] == 20

    done = client.post(f"/api/v1/journeys/{journey['id']}/check-in",
                       headers=device_headers(device))
    assert done.status_code == 200
    assert done.json()["status"] == "safe" and done.json()["positions_kept"] == 0
    late = client.post(f"/api/v1/journeys/{journey['id']}/position",
                       headers=device_headers(device), json={"lat": KLOJEN[0], "lon": KLOJEN[1]})
    assert late.status_code == 409


def test_an_unfinished_journey_gives_its_positions_to_the_alarm(client: Any) -> None:
    device = register_device(client)
    base = offset(*KLOJEN, 2600, -1900)
    end = (datetime.now(UTC) + timedelta(minutes=45)).isoformat()
    journey = _start(client, device, expected_end_at=end).json()
    points = _walk(client, device, journey["id"], 3)
    alarm = post_alarm(client, device, *base)
    r = client.post(f"/api/v1/journeys/{journey['id']}/alarm", json={"alarm_id": alarm["id"]},
                    headers=device_headers(device))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "alarm" and r.json()["positions_kept"] == 0

    detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=login(client, "operator"))
    body = detail.json()
    trail = {(round(p["lat"], 6), round(p["lon"], 6)) for p in body["locations"]}
    assert {(round(a, 6), round(b, 6)) for a, b in points} <= trail
    assert "journey" in [e["type"] for e in body["timeline"]]


def test_another_phone_cannot_touch_the_journey(client: Any) -> None:
    owner, other = register_device(client), register_device(client)
    journey = _start(client, owner).json()
    for path, body in (("", None), ("/position", {"lat": KLOJEN[0], "lon": KLOJEN[1]}),
                       ("/check-in", None)):
        url = f"/api/v1/journeys/{journey['id']}{path}"
        r = (client.get(url, headers=device_headers(other)) if body is None and not path
             else client.post(url, json=body, headers=device_headers(other)))
        assert r.status_code == 404, (path, r.text)
    assert client.post("/api/v1/journeys", json={"minutes": 30}).status_code == 401
    still = client.get(f"/api/v1/journeys/{journey['id']}", headers=device_headers(owner))
    assert still.json()["status"] == "active"


def test_bad_input_is_refused_in_indonesian(client: Any) -> None:
    device = register_device(client)
    for body in ({}, {"minutes": 0}, {"minutes": 30, "dest_lat": -7.9},
                 {"minutes": 30, "expected_end_at": datetime.now(UTC).isoformat()},
                 {"expected_end_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat()}):
        r = client.post("/api/v1/journeys", json=body, headers=device_headers(device))
        assert r.status_code == 422, (body, r.text)
        text = str(r.json()["detail"])
        assert any(w in text for w in ("isi salah satu", "tujuan butuh", "masa depan",
                                       "lebih besar", "minimal", "paling")), text
    journey = _start(client, device).json()
    r = client.post(f"/api/v1/journeys/{journey['id']}/position", headers=device_headers(device),
                    json={"lat": 123, "lon": KLOJEN[1]})
    assert r.status_code == 422
