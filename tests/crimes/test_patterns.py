"""Hour-of-day and day-of-week profiles per crime type."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from tests.conftest import KLOJEN, login
from tests.crimes.helpers import post_incident

WIB = timezone(timedelta(hours=7))


def test_profiles_count_local_hours_and_weekdays(client: Any) -> None:
    ops = login(client, "operator")
    # Monday 2025-06-02, in WIB: two at 21:xx, one on Saturday 03:xx.
    times = [datetime(2025, 6, 2, 21, 5, tzinfo=WIB), datetime(2025, 6, 9, 21, 40, tzinfo=WIB),
             datetime(2025, 6, 7, 3, 15, tzinfo=WIB)]
    for at in times:
        response = post_incident(client, ops, crime_type="pemerasan",
                                 occurred_at=at.isoformat(), lat=KLOJEN[0], lon=KLOJEN[1])
        assert response.status_code == 201, response.text
    body = client.get("/api/v1/crimes/patterns?type=pemerasan&since=2025-06-01T00:00:00Z"
                      "&until=2025-06-30T00:00:00Z", headers=ops).json()
    assert body["timezone"] == "Asia/Jakarta"
    [profile] = body["types"]
    assert profile["crime_type"] == "pemerasan" and profile["total"] == 3
    assert profile["hour"][21] == 2 and profile["hour"][3] == 1 and len(profile["hour"]) == 24
    assert profile["weekday"] == [2, 0, 0, 0, 0, 1, 0]
    assert profile["peak_hour"] == 21 and profile["peak_weekday"] == "Senin"
    assert body["all"]["total"] == 3
    tegal = login(client, "operator.tegal")
    other = client.get("/api/v1/crimes/patterns?type=pemerasan&since=2025-06-01T00:00:00Z",
                       headers=tegal).json()
    assert other["types"] == [] and other["all"]["total"] == 0
