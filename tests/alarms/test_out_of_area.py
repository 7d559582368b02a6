"""An alarm far from every known kelurahan: stored without a wrong kelurahan, and still seen."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import SLAWI, device_headers, login, register_device

JAKARTA = (-6.2, 106.8)
NEW_YORK = (40.7128, -74.0060)


def _post(client: Any, device: dict[str, str], lat: float, lon: float) -> Any:
    body = {"client_id": str(uuid.uuid4()), "lat": lat, "lon": lon}
    return client.post("/api/v1/alarms", json=body, headers=device_headers(device))


def _open_ids(client: Any, headers: dict[str, str]) -> set[int]:
    items = client.get("/api/v1/alarms?status=open&limit=1000", headers=headers).json()["items"]
    return {a["id"] for a in items}


def test_alarm_far_outside_has_no_kelurahan_but_reaches_an_operator(client: Any) -> None:
    for lat, lon in (JAKARTA, NEW_YORK):
        device = register_device(client)  # one phone each: a second press would join the first
        response = _post(client, device, lat, lon)
        assert response.status_code == 201
        alarm = response.json()
        # ops.js shows "di luar wilayah" where the alarm has no kelurahan.
        assert alarm["region_name"] is None
        # Nobody may be left unaware: the nearest command's operators and the admin see it.
        assert alarm["org_code"] is not None
        seen_by = [name for name in ("operator", "operator.tegal")
                   if alarm["id"] in _open_ids(client, login(client, name))]
        assert len(seen_by) == 1, seen_by
        assert alarm["id"] in _open_ids(client, login(client, "admin"))
        detail = client.get(f"/api/v1/alarms/{alarm['id']}", headers=login(client, seen_by[0]))
        assert detail.status_code == 200 and detail.json()["lat"] == lat


def test_alarm_inside_the_area_keeps_its_kelurahan(client: Any) -> None:
    device = register_device(client)
    alarm = _post(client, device, SLAWI[0], SLAWI[1]).json()
    assert alarm["org_code"] and alarm["region_name"]
    assert alarm["id"] in _open_ids(client, login(client, "operator.tegal"))
