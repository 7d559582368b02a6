"""Response metrics per alarm and aggregated for reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import KLOJEN, login, register_device
from tests.dispatch.helpers import make_unit, post_alarm


def test_metrics_per_alarm_and_aggregated(client: Any) -> None:
    from siaga.db import get_database, utcnow
    from siaga.dispatch.metrics import response_metrics

    ops = login(client, "operator")
    since = utcnow() - timedelta(seconds=1)
    served = post_alarm(client, register_device(client))
    unit = make_unit(lat=KLOJEN[0], lon=KLOJEN[1])
    client.post(f"/api/v1/alarms/{served['id']}/acknowledge", headers=ops)
    aid = client.post(f"/api/v1/alarms/{served['id']}/dispatch", json={"unit_id": unit},
                      headers=ops).json()["id"]
    client.post(f"/api/v1/dispatch/{aid}/status", json={"status": "on_scene"}, headers=ops)
    client.post(f"/api/v1/alarms/{served['id']}/close",
                json={"outcome": "genuine", "category": "fire"}, headers=ops)
    prank = post_alarm(client, register_device(client))
    client.post(f"/api/v1/alarms/{prank['id']}/close", json={"outcome": "prank"}, headers=ops)
    waiting = post_alarm(client, register_device(client))

    times = client.get(f"/api/v1/alarms/{served['id']}", headers=ops).json()["response_times"]
    assert 0 <= times["acknowledge_s"] <= times["dispatch_s"] <= times["arrival_s"]
    assert times["arrival_s"] <= times["close_s"]

    with get_database().session() as session:
        report = response_metrics(session, scope="/polda-jatim/polres-malang-kota/",
                                  since=since, until=utcnow() + timedelta(seconds=1))
    rows = {r.alarm_id: r for r in report.rows}
    assert {served["id"], prank["id"], waiting["id"]} <= set(rows)
    assert rows[served["id"]].arrived_within_target is True
    assert rows[waiting["id"]].acknowledge_s is None
    assert report.arrival.n >= 1 and report.arrival.p90 is not None
    assert report.outcomes.get("prank", 0) >= 1 and report.outcomes.get("genuine", 0) >= 1
    assert report.arrived_within_target_share is not None

    with get_database().session() as session:
        tegal = response_metrics(session, scope="/polda-jateng/polres-tegal/", since=since,
                                 until=utcnow() + timedelta(seconds=1))
    assert served["id"] not in {r.alarm_id for r in tegal.rows}


def test_metrics_endpoint_for_leadership(client: Any) -> None:
    alarm = post_alarm(client, register_device(client))
    response = client.get("/api/v1/dispatch/metrics", headers=login(client, "pimpinan"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert alarm["id"] in {r["alarm_id"] for r in body["rows"]}
    assert {"acknowledge", "dispatch", "arrival", "close", "outcomes"} <= set(body)
    naive = client.get("/api/v1/dispatch/metrics?since=2026-01-01T00:00:00",
                       headers=login(client, "pimpinan"))
    assert naive.status_code == 422
    targets = client.get("/api/v1/dispatch/targets", headers=login(client, "operator")).json()
    assert len(targets["crime_types"]) == 28
    assert targets["escalate_unacknowledged_s"] == 30 and targets["arrival_target_s"] == 600


def test_crime_types_are_28_with_the_studys_eight() -> None:
    from siaga.dispatch.crime_types import DEFAULT_CRIME_TYPES

    assert len(DEFAULT_CRIME_TYPES) == 28
    assert len({c.code for c in DEFAULT_CRIME_TYPES}) == 28
    assert [c.code for c in DEFAULT_CRIME_TYPES if c.source == "study"] == [
        "curanmor", "curat", "curas", "pembunuhan", "penganiayaan_berat", "pemerasan",
        "perjudian", "narkoba"]
