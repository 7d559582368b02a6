"""One week's alarms give the same figures in the scorecard, the anev, /ops metrics and the
drill-down, and each figure lists exactly the alarms it counted."""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import device_headers, login, register_device
from tests.reports.pdftools import overlapping_words, pages_as_png, text_of
from tests.scorecard.helpers import kpi, scorecard

WIB = ZoneInfo("Asia/Jakarta")
BUMIJAWA = (-7.1600, 109.1100)
WEEK = "2024-W37"  # Monday 9 to Sunday 15 September 2024: inside one month
MONDAY = datetime(2024, 9, 9, 8, 0, tzinfo=WIB)


def _alarm(client: Any) -> tuple[int, dict[str, str]]:
    device = register_device(client)
    body = {"client_id": str(uuid.uuid4()), "lat": BUMIJAWA[0], "lon": BUMIJAWA[1]}
    response = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
    assert response.status_code == 201, response.text
    assert response.json()["org_code"] == "polsek-bumijawa"
    return int(response.json()["id"]), device


def _unit() -> int:
    from siaga.db import get_database, utcnow
    from siaga.orgs.service import org_by_code
    from siaga.units.service import create_unit

    with get_database().session() as session:
        unit = create_unit(session, callsign=f"FA-{uuid.uuid4().hex[:8]}",
                           org=org_by_code(session, code="polsek-bumijawa"), kind="car",
                           user=None)
        unit.lat, unit.lon, unit.position_at = BUMIJAWA[0], BUMIJAWA[1], utcnow()
        session.flush()
        return unit.id


def _backdate(alarm_id: int, created: datetime, ack_s: float | None,
              dispatch_s: float | None = None, on_scene_s: float | None = None) -> None:
    from sqlalchemy import select

    from siaga.alarms.models import Alarm
    from siaga.db import get_database
    from siaga.dispatch.models import Assignment

    with get_database().session() as session:
        alarm = session.get(Alarm, alarm_id)
        assert alarm is not None
        alarm.created_at = alarm.triggered_at = created
        alarm.acknowledged_at = None if ack_s is None else created + timedelta(seconds=ack_s)
        for a in session.scalars(select(Assignment).where(Assignment.alarm_id == alarm_id)):
            assert dispatch_s is not None
            a.dispatched_at = created + timedelta(seconds=dispatch_s)
            a.on_scene_at = None if on_scene_s is None else created + timedelta(
                seconds=on_scene_s)
        if alarm.closed_at is not None:
            alarm.closed_at = created + timedelta(minutes=30)
        if alarm.cancelled_at is not None:
            alarm.cancelled_at = created + timedelta(seconds=20)


def week_of_alarms(client: Any, monday: datetime = MONDAY) -> dict[str, int]:
    """Seven alarms through the API, one of each kind the figures treat apart, in that week."""
    ops = login(client, "operator.tegal")
    made: dict[str, int] = {}
    # (name, ack s, dispatch s, on scene s, how it ends)
    plan = [("fast", 5, 30, 240, "genuine"), ("slow", 12, 90, 720, "genuine"),
            ("no_arrival", 8, 40, None, None), ("prank", 3, None, None, "prank"),
            ("duplicate", 4, None, None, "duplicate"), ("cancelled", None, None, None, "cancel"),
            ("waiting", None, None, None, None)]
    for n, (name, ack, dispatch, on_scene, end) in enumerate(plan):
        alarm_id, device = _alarm(client)
        made[name] = alarm_id
        if end == "cancel":
            cancel = client.post(f"/api/v1/alarms/{alarm_id}/cancel", json={"pin": "2468"},
                                 headers=device_headers(device))
            assert cancel.status_code == 200, cancel.text
        if ack is not None:
            assert client.post(f"/api/v1/alarms/{alarm_id}/acknowledge",
                               headers=ops).status_code == 200
        if dispatch is not None:
            sent = client.post(f"/api/v1/alarms/{alarm_id}/dispatch",
                               json={"unit_id": _unit()}, headers=ops)
            assert sent.status_code == 201, sent.text
        if end in ("genuine", "prank", "duplicate"):
            body: dict[str, Any] = {"outcome": end}
            if end == "genuine":
                body["category"] = "medical"
            closed = client.post(f"/api/v1/alarms/{alarm_id}/close", json=body, headers=ops)
            assert closed.status_code == 200, closed.text
        _backdate(alarm_id, monday + timedelta(hours=n * 7), ack, dispatch, on_scene)
    return made


def test_the_same_week_gives_the_same_figures_everywhere(client: Any, tmp_path: Path) -> None:
    made = week_of_alarms(client)
    leader = login(client, "pimpinan.tegal")
    counted = {made[k] for k in ("fast", "slow", "no_arrival", "prank", "waiting")}
    with_unit = {made[k] for k in ("fast", "slow", "no_arrival")}

    metrics = client.get("/api/v1/dispatch/metrics", headers=leader, params={
        "since": MONDAY.replace(hour=0).isoformat(),
        "until": (MONDAY.replace(hour=0) + timedelta(days=7)).isoformat()}).json()
    figures = {f["key"]: f for f in metrics["figures"]}
    assert set(figures["acknowledged_within_target"]["alarm_ids"]) == counted
    assert figures["acknowledged_within_target"]["within"] == 3  # 5 s, 8 s and 3 s
    assert figures["acknowledged_within_target"]["counts"] == (
        "alarm warga; tanpa dibatalkan pelapor, duplikat dan uji")
    assert figures["acknowledge_median_s"]["value"] == 6.5  # of 3, 5, 8, 12
    assert figures["acknowledge_p90_s"]["value"] == 10.8  # linear: 8 + 0.7 * (12 - 8)
    assert set(figures["on_scene_within_target"]["alarm_ids"]) == with_unit
    assert figures["on_scene_within_target"]["value"] == 33.3  # 1 of 3 within 10 minutes
    assert figures["dispatch_median_s"]["value"] == 40.0
    assert figures["on_scene_median_s"]["value"] == 480.0
    rows = {r["alarm_id"]: r for r in metrics["rows"]}
    assert "acknowledged_within_target" not in rows[made["cancelled"]]["counted_in"]
    assert "acknowledged_within_target" in rows[made["prank"]]["counted_in"]

    anev = client.get(f"/api/v1/reports/anev?org=polsek-bumijawa&week={WEEK}",
                      headers=leader).json()["alarms"]
    assert anev["total"] == len(counted)
    assert anev["ack_median_s"] == figures["acknowledge_median_s"]["value"]
    assert anev["ack_p90_s"] == figures["acknowledge_p90_s"]["value"]
    assert anev["ack_within_target"] == figures["acknowledged_within_target"]["within"]
    assert anev["arrival_median_s"] == figures["on_scene_median_s"]["value"]
    assert anev["arrival_within_target"] == figures["on_scene_within_target"]["within"]
    assert anev["dispatch_median_s"] == figures["dispatch_median_s"]["value"]

    card = scorecard(client, "pimpinan.tegal", org="polsek-bumijawa", year=2024, month=9)
    ack, response = kpi(card, "alarm_acknowledgement"), kpi(card, "alarm_response")
    assert ack["value"] == figures["acknowledge_median_s"]["value"]
    assert ack["detail"]["within_10s"] == 3 and ack["detail"]["n"] == len(counted)
    assert ack["detail"]["p90_s"] == figures["acknowledge_p90_s"]["value"]
    assert response["value"] == figures["on_scene_within_target"]["value"]
    assert response["detail"]["median_min"] == 8.0

    dash = client.get("/api/v1/scorecard/dashboard", headers=leader,
                      params={"org": "polsek-bumijawa", "year": 2024, "month": 9}).json()
    dash_figures = {f["key"]: f for f in dash["response_figures"]}
    for key, figure in figures.items():
        assert dash_figures[key]["value"] == figure["value"], key
        assert dash_figures[key]["n"] == figure["n"], key

    for key, expected in (("acknowledged_within_target", counted),
                          ("on_scene_within_target", with_unit)):
        drill = client.get("/api/v1/scorecard/alarms", headers=leader, params={
            "figure": key, "org": "polsek-bumijawa", "year": 2024, "month": 9})
        assert drill.status_code == 200, drill.text
        body = drill.json()
        assert {a["alarm_id"] for a in body["alarms"]} == expected
        assert body["figure"]["n"] == len(expected)
        assert all(a["status_label"] and a["org_name"] == "Polsek Bumijawa"
                   for a in body["alarms"])

    pdf = client.get("/api/v1/scorecard/report", headers=leader, params={
        "org": "polsek-bumijawa", "month": "2024-09", "format": "pdf"})
    assert pdf.status_code == 200
    target = tmp_path / "bumijawa-2024-09.pdf"
    target.write_bytes(pdf.content)
    printed = " ".join(text_of(target).split())
    # The document prints the same figures, in Indonesian number format.
    assert "6,5 detik" in printed and "10,8 detik" in printed and "33,3%" in printed
    assert "8 menit" in printed  # the median arrival, 480 s
    assert overlapping_words(target) == []
    pages_as_png(target, tmp_path / "bumijawa")
    keep = Path("/tmp/reports16")
    if keep.is_dir():
        for png in tmp_path.glob("bumijawa*.png"):
            shutil.copy(png, keep / png.name)

    bad = client.get("/api/v1/scorecard/alarms", headers=leader,
                     params={"figure": "semua", "year": 2024, "month": 9})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "figure"
