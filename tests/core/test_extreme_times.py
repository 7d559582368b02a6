"""Times at the edge of the calendar in a query string get an answer, never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import login

EXTREMES = [
    {"since": "0001-01-01T00:00:00+14:00"},
    {"until": "9999-12-31T23:59:59-12:00"},
    {"since": "0001-01-01T00:00:00+14:00", "until": "9999-12-31T23:59:59-12:00"},
]
PATHS = ["/api/v1/visits", "/api/v1/crimes", "/api/v1/crimes/patterns",
         "/api/v1/dispatch/metrics", "/api/v1/audit"]


@pytest.mark.parametrize("path", PATHS)
def test_extreme_times_are_clamped(client: Any, path: str) -> None:
    headers = login(client, "admin" if path == "/api/v1/audit" else "pimpinan")
    for params in EXTREMES:
        response = client.get(path, params=params, headers=headers)
        assert response.status_code == 200, (path, params, response.text)


def test_clamped_range_still_finds_everything(client: Any) -> None:
    headers = login(client, "pimpinan")
    everything = client.get("/api/v1/visits", headers=headers).json()["total"]
    widest = client.get("/api/v1/visits", headers=headers, params=EXTREMES[2]).json()["total"]
    assert widest == everything


def test_unit_track_with_extreme_times(client: Any) -> None:
    headers = login(client, "operator")
    unit_id = client.get("/api/v1/units", headers=headers).json()["items"][0]["id"]
    response = client.get(f"/api/v1/units/{unit_id}/track.geojson", headers=headers,
                          params=EXTREMES[2])
    assert response.status_code == 200, response.text
