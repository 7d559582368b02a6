"""The after-action replay of an alarm through the API: tracks of assigned and nearby units."""

from __future__ import annotations

from typing import Any

from tests.conftest import login
from tests.replay.helpers import stage


def _audit_count(alarm_id: int) -> int:
    from sqlalchemy import func, select

    from siaga.audit.models import AuditEntry
    from siaga.db import get_database

    with get_database().session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "alarm.replay",
            AuditEntry.target_id == str(alarm_id))) or 0)


def test_replay_has_assigned_and_nearby_units_only(client: Any) -> None:
    staged = stage(client)
    before = _audit_count(staged.alarm_id)
    response = client.get(f"/api/v1/alarms/{staged.alarm_id}/replay", headers=staged.operator)
    assert response.status_code == 200, response.text
    body = response.json()
    tracks = {t["unit_id"]: t for t in body["tracks"]}
    assert staged.assigned["id"] in tracks
    assert staged.near["id"] in tracks
    assert staged.far["id"] not in tracks
    mine = tracks[staged.assigned["id"]]
    assert mine["assigned"] is True and mine["callsign"] == staged.assigned["callsign"]
    assert mine["role_label"] == "Ditugaskan ke alarm ini"
    assert tracks[staged.near["id"]]["assigned"] is False
    assert 1900 < tracks[staged.near["id"]]["nearest_m"] < 2100
    assert len(mine["fixes"]) == 5
    first, last = mine["fixes"][0], mine["fixes"][-1]
    assert first["at"] < last["at"] and first["lat"] > last["lat"]  # driving south to the alarm
    assert first["speed_kmh"] is not None
    types = [e["type"] for e in body["timeline"]]
    assert types[0] == "created" and "dispatched" in types
    dispatched = next(e for e in body["timeline"] if e["type"] == "dispatched")
    assert dispatched["label"] == "Unit ditugaskan"
    assert dispatched["callsign"] == staged.assigned["callsign"]
    assert len(body["caller_positions"]) >= 2
    assert body["since"] < first["at"] and body["until"] > last["at"]
    assert _audit_count(staged.alarm_id) == before + 1


def test_replay_is_scoped_and_needs_staff(client: Any) -> None:
    staged = stage(client)
    url = f"/api/v1/alarms/{staged.alarm_id}/replay"
    tegal = login(client, "operator.tegal")
    assert client.get(url, headers=tegal).status_code == 404
    assert client.get(url + ".geojson", headers=tegal).status_code == 404
    assert client.get(url).status_code == 401
    assert client.get("/api/v1/alarms/999999999/replay",
                      headers=staged.operator).status_code == 404


def test_replay_geojson_download(client: Any) -> None:
    staged = stage(client)
    response = client.get(f"/api/v1/alarms/{staged.alarm_id}/replay.geojson",
                          headers=staged.operator)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="putar-ulang-alarm-{staged.alarm_id}.geojson"')
    body = response.json()
    assert body["type"] == "FeatureCollection"
    lines = {f["properties"]["kode_panggil"]: f for f in body["features"]
             if f["geometry"]["type"] == "LineString"}
    assert staged.far["callsign"] not in lines
    line = lines[staged.assigned["callsign"]]
    assert line["properties"]["ditugaskan"] is True
    assert lines[staged.near["callsign"]]["properties"]["ditugaskan"] is False
    coords = line["geometry"]["coordinates"]
    assert len(coords) == len(line["properties"]["coordTimes"]) == 5
    assert line["properties"]["waktu_titik"][0].endswith(" WIB")
    kinds = [f["properties"]["jenis"] for f in body["features"]]
    assert "Posisi pelapor" in kinds and "Riwayat alarm" in kinds
    events = [f["properties"]["peristiwa"] for f in body["features"]
              if f["properties"]["jenis"] == "Riwayat alarm"]
    assert events[0] == "Alarm masuk" and "Unit ditugaskan" in events


def test_closed_alarm_tracks_end_at_its_close(client: Any) -> None:
    from datetime import datetime, timedelta

    from tests.conftest import KLOJEN
    from tests.dispatch.helpers import offset

    staged = stage(client)
    url = f"/api/v1/alarms/{staged.alarm_id}"
    closed = client.post(f"{url}/close", json={"outcome": "false_alarm"},
                         headers=staged.operator)
    assert closed.status_code == 200, closed.text
    body = client.get(f"{url}/replay", headers=staged.operator).json()
    until = datetime.fromisoformat(body["until"])
    assert body["alarm"]["ended_at"] is not None
    # A fix two minutes after the close is no part of the replay.
    after = until + timedelta(minutes=2)
    lat, lon = offset(*KLOJEN, 200)
    sent = client.get("/gps/osmand", params={"id": staged.assigned["tracker_id"], "lat": lat,
                                             "lon": lon, "timestamp": int(after.timestamp())})
    assert sent.status_code == 200 and sent.json()["status"] == "ok", sent.text
    again = client.get(f"{url}/replay", headers=staged.operator).json()
    mine = next(t for t in again["tracks"] if t["unit_id"] == staged.assigned["id"])
    assert len(mine["fixes"]) == 5
    assert all(datetime.fromisoformat(f["at"]) <= until for f in mine["fixes"])
    assert again["timeline"][-1]["label"] == "Ditutup"
