"""Guessing tracker ids: an address sending many unknown ids is refused, known ids included."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import KLOJEN, LiveServer, login
from tests.tracking.helpers import epoch


def test_unknown_ids_from_one_address_are_rate_limited(live_server: LiveServer) -> None:
    from siaga.tracking.intake import UNKNOWN_IDS_PER_ADDRESS

    with httpx.Client(base_url=live_server.url, timeout=10) as http:
        admin = login(http, "admin")
        unit = http.post("/api/v1/units", headers=admin, json={
            "callsign": f"GUESS-{epoch()}", "org": "polsek-klojen", "kind": "car"}).json()
        fix: dict[str, Any] = {"lat": KLOJEN[0], "lon": KLOJEN[1], "timestamp": epoch()}
        first = http.get("/gps/osmand", params={**fix, "id": unit["tracker_id"]})
        assert first.status_code == 200, (unit, first.text)
        answers = [http.get("/gps/osmand", params={**fix, "id": f"guess-{i:04d}"}).status_code
                   for i in range(UNKNOWN_IDS_PER_ADDRESS + 1)]
        assert answers[:UNKNOWN_IDS_PER_ADDRESS] == [400] * UNKNOWN_IDS_PER_ADDRESS
        assert answers[-1] == 429
        # Once refused, even a real id answers the same, so guessing learns nothing.
        known = http.get("/gps/osmand", params={**fix, "id": unit["tracker_id"]})
        assert known.status_code == 429 and "ID perangkat" in known.text
