"""What the citizen's phone reads from the API: who is coming in words, and numbers to call."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from tests.conftest import KLOJEN, device_headers, login, register_device
from tests.dispatch.helpers import make_unit, offset


def _alarm(client: Any, device: dict[str, str]) -> int:
    sent = client.post("/api/v1/alarms", headers=device_headers(device), json={
        "client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1], "accuracy_m": 15,
        "triggered_at": datetime.now(UTC).isoformat(), "kind": "panic"})
    assert sent.status_code == 201, sent.text
    return int(sent.json()["id"])


def _dispatched(client: Any, ops: dict[str, str], **unit: Any) -> tuple[dict[str, str], int]:
    device = register_device(client)
    alarm_id = _alarm(client, device)
    near = offset(*KLOJEN, 500, 200)
    unit_id = make_unit(lat=near[0], lon=near[1], **unit)
    sent = client.post(f"/api/v1/alarms/{alarm_id}/dispatch", json={"unit_id": unit_id},
                       headers=ops)
    assert sent.status_code == 201, sent.text
    return device, alarm_id


def test_caller_reads_who_is_coming_staff_json_keeps_the_callsign(client: Any) -> None:
    ops = login(client, "operator")
    cases = [({"kind": "officer", "username": "bhabin.kauman"}, "Bhabinkamtibmas Kauman"),
             ({"kind": "desk"}, "Petugas piket Polsek Klojen"),
             ({"kind": "car"}, "Mobil patroli Polsek Klojen"),
             ({"kind": "motorbike", "org": "polres-malang-kota"},
              "Motor patroli Polres Malang Kota")]
    for unit, label in cases:
        device, alarm_id = _dispatched(client, ops, **unit)
        seen = client.get(f"/api/v1/alarms/{alarm_id}", headers=device_headers(device)).json()
        coming = seen["assigned_unit"]
        assert coming["citizen_label"] == label
        staff = client.get(f"/api/v1/alarms/{alarm_id}", headers=ops).json()["assigned_unit"]
        assert staff["citizen_label"] is None
        assert staff["callsign"] == coming["callsign"] and staff["callsign"].startswith("T-")
        same = ("assignment_id", "callsign", "kind", "kind_label", "status", "status_label")
        assert {k: staff[k] for k in same} == {k: coming[k] for k in same}


def test_info_menu_gives_the_polsek_and_bhabin_numbers(client: Any) -> None:
    menu = client.get(f"/api/v1/info?lat={KLOJEN[0]}&lon={KLOJEN[1]}").json()
    polsek, officer = menu["nearest_polsek"], menu["bhabinkamtibmas"]
    assert polsek["name"] == "Polsek Klojen"
    assert re.fullmatch(r"0341-\d{6}", polsek["phone"])
    assert officer["kelurahan"] == "Kauman"
    assert re.fullmatch(r"08\d{9,11}", officer["phone"])
    # Each officer has a number of their own.
    other = client.get("/api/v1/info?lat=-7.9553&lon=112.6145").json()["bhabinkamtibmas"]
    assert other is not None and other["kelurahan"] != "Kauman"
    assert other["phone"] != officer["phone"]
