"""Every geofence rule checked against the demo's own patrol tracks (the demo generator and
seed), tick by tick: what the evaluator must raise, and what it must not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import shapely

from siaga.geo import haversine_m
from tests.conftest import KLOJEN, LOWOKWARU, login
from tests.geofence.demo_tracks import (
    demo_rng,
    kecamatan,
    latest,
    office,
    patrol,
    record,
    ticks,
)
from tests.geofence.helpers import add_rule, alerts, drop_rule, evaluate, now
from tests.tracking.helpers import new_unit

ALUN_ALUN = (-7.9826, 112.6308)  # Alun-alun Malang, Kiduldalem (Klojen)
SCHOOL_SLAWI = (-6.985826, 109.12522)  # SMK Pertanian Slawi
FRESH = timedelta(minutes=15)
WIB = timedelta(hours=7)


def _wib_day(days_ago: int, hour: int, minute: int = 0) -> datetime:
    """HH:MM WIB on a day some days back, as UTC."""
    day = (datetime.now(UTC) + WIB).date() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - WIB


def _live(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in items if a["status"] != "resolved"]


def test_leaving_the_polsek_on_a_demo_night_patrol(client: Any) -> None:
    unit = new_unit(client, org="polsek-klojen")
    rule = add_rule(client, name="Keluar wilayah Klojen", kind="leave_jurisdiction",
                    org="polsek-klojen")
    begin = _wib_day(9, 22)
    track = patrol(demo_rng("polres-malang-kota", "nights"),
                   start=office(client, "polsek-klojen"), stops=[ALUN_ALUN, LOWOKWARU, KLOJEN],
                   begin=begin, minutes=120)
    record(unit, track)
    klojen = kecamatan("kota_malang_kelurahan.geojson", "Klojen")
    outside_seen = inside_seen = 0
    try:
        for t in ticks(begin, track[-1][0]):
            evaluate(t)
            fix = latest(track, t, FRESH)
            outside = fix is not None and not klojen.covers(shapely.Point(fix[2], fix[1]))
            live = _live(alerts(client, rule_id=rule["id"], unit_id=unit["id"]))
            assert len(live) == int(outside), (t, fix, live)
            if outside:
                assert fix is not None
                outside_seen += 1
                # Where the car was when it left (the first fix outside opened the alert).
                assert haversine_m(live[0]["lat"], live[0]["lon"], fix[1], fix[2]) < 3000
                assert live[0]["message"] == f"{unit['callsign']} keluar dari wilayah Polsek Klojen"
            else:
                inside_seen += 1
        assert outside_seen and inside_seen  # the track both stays inside and leaves
    finally:
        drop_rule(client, rule["id"])


def test_school_zone_on_the_demo_dismissal_patrol(client: Any) -> None:
    schools = client.get("/api/v1/schools", headers=login(client, "operator.tegal")).json()
    items = schools["items"] if isinstance(schools, dict) else schools
    [school] = [s for s in items if s["name"] == "SMK Pertanian Slawi"]
    rule = add_rule(client, name="Bubaran SMK Pertanian Slawi (rekaman)", kind="zone_uncovered",
                    org="polres-tegal", zone_source="school", school_id=school["id"],
                    radius_m=300, start_time="14:00", end_time="15:00")
    unit = new_unit(client, org="polsek-slawi")
    window = (_wib_day(8, 14), _wib_day(8, 15))
    rng = demo_rng("polres-tegal", "patrols")
    # As the demo drives it: over 5 minutes before the bell, 40-55 minutes, back to the post.
    minutes = rng.randint(40, 55)
    track = patrol(rng, start=office(client, "polsek-slawi"), stops=[SCHOOL_SLAWI],
                   begin=window[0] - timedelta(minutes=5), minutes=minutes)
    record(unit, track)
    states = set()
    try:
        for t in ticks(window[0] - timedelta(minutes=12), window[1] + timedelta(minutes=9)):
            evaluate(t)
            fix = latest(track, t, FRESH)
            covered = fix is not None and haversine_m(fix[1], fix[2], *SCHOOL_SLAWI) <= 300
            expected = window[0] <= t < window[1] and not covered
            live = _live(alerts(client, rule_id=rule["id"], user="operator.tegal"))
            assert len(live) == int(expected), (t, fix, live)
            states.add((window[0] <= t < window[1], covered))
        # The zone was uncovered in the window (before the car came) and covered by it.
        assert (True, False) in states and (True, True) in states
    finally:
        drop_rule(client, rule["id"])


def test_top_hotspot_cells_of_a_night_shift_on_a_demo_patrol(client: Any) -> None:
    from siaga.db import get_database
    from siaga.geofence.rules import shift_cells

    base = office(client, "polsek-slawi")
    dense = (base[0] + 0.004, base[1] + 0.003)
    light = (base[0] - 0.005, base[1] + 0.004)
    shift_begin = _wib_day(6, 22)
    tegal = login(client, "operator.tegal")
    for i in range(12):
        for spot, every in ((dense, 1), (light, 3)):
            if i % every:
                continue
            made = client.post("/api/v1/crimes", headers=tegal, json={
                "crime_type": "curanmor", "lat": spot[0] + 0.0001 * (i % 2),
                "lon": spot[1], "occurred_at": (shift_begin - timedelta(days=20 + i, hours=i % 4)
                                                ).isoformat()})
            assert made.status_code == 201, made.text
    rule = add_rule(client, name="Sel rawan malam Tegal", kind="zone_uncovered",
                    org="polres-tegal", zone_source="hotspots", hotspot_top_n=2)
    assert rule["window_label"] == "Setiap hari · shift berjalan (pagi, siang, malam)"
    unit = new_unit(client, org="polsek-slawi")
    track = patrol(demo_rng("polres-tegal", "nights"), start=base, stops=[dense],
                   begin=shift_begin + timedelta(minutes=10), minutes=70)
    record(unit, track)
    with get_database().session() as session:
        path = session.execute(_polres_path_query()).scalar_one()
        shift, cells = shift_cells(session, org_path=path, top_n=2, at=shift_begin)
    assert shift == "malam" and len(cells) == 2
    assert any(c.shape.covers(shapely.Point(dense[1], dense[0])) for c in cells)
    covered_seen = uncovered_seen = 0
    try:
        for t in ticks(shift_begin + timedelta(minutes=1), track[-1][0]):
            evaluate(t)
            fix = latest(track, t, FRESH)
            expected = {c.rank for c in cells
                        if fix is None or not c.shape.covers(shapely.Point(fix[2], fix[1]))}
            live = _live(alerts(client, rule_id=rule["id"], user="operator.tegal"))
            got = {int(a["message"].split("#")[1].split()[0]) for a in live}
            assert got == expected, (t, fix, live)
            covered_seen += len(cells) - len(expected)
            uncovered_seen += len(expected)
            assert all("shift malam" in a["message"] for a in live)
        assert covered_seen and uncovered_seen
    finally:
        drop_rule(client, rule["id"])


def _polres_path_query() -> Any:
    from sqlalchemy import select

    from siaga.orgs.models import Organisation

    return select(Organisation.path).where(Organisation.code == "polres-tegal")


def test_silent_unit_on_a_demo_track_with_a_signal_gap(client: Any) -> None:
    unit = new_unit(client, org="polsek-klojen")
    rule = add_rule(client, name="Diam 10 menit (rekaman)", kind="unit_silent",
                    org="polsek-klojen", silent_minutes=10)
    begin = _wib_day(7, 21)
    full = patrol(demo_rng("polres-malang-kota", "nights"),
                  start=office(client, "polsek-klojen"), stops=[ALUN_ALUN, KLOJEN],
                  begin=begin, minutes=90)
    # The phone lost its signal from minute 30 to minute 58 of the patrol.
    track = [f for f in full if not timedelta(minutes=30) <= f[0] - begin < timedelta(minutes=58)]
    record(unit, track)
    silent_seen = talking_seen = 0
    try:
        for t in ticks(begin + timedelta(minutes=1), track[-1][0]):
            evaluate(t)
            fix = latest(track, t, timedelta(hours=8))
            silent = fix is not None and t - fix[0] >= timedelta(minutes=10)
            live = _live(alerts(client, rule_id=rule["id"], unit_id=unit["id"]))
            assert len(live) == int(silent), (t, fix, live)
            silent_seen, talking_seen = silent_seen + silent, talking_seen + (not silent)
        assert silent_seen and talking_seen
    finally:
        drop_rule(client, rule["id"])


def test_officer_sos_on_a_demo_patrol(client: Any) -> None:
    unit = new_unit(client, org="polsek-klojen")
    rule = add_rule(client, name="SOS petugas (rekaman)", kind="officer_sos", org="polsek-klojen")
    begin = now() - timedelta(minutes=25)
    track = patrol(demo_rng("polres-malang-kota", "nights"),
                   start=office(client, "polsek-klojen"), stops=[ALUN_ALUN], begin=begin,
                   minutes=24)
    record(unit, track[:-1])
    try:
        for t in ticks(begin + timedelta(minutes=1), track[-2][0], every_min=4):
            evaluate(t)
            assert alerts(client, rule_id=rule["id"], unit_id=unit["id"]) == []
        when, lat, lon, _ = track[-1]
        sent = client.get("/gps/osmand", params={"id": unit["tracker_id"], "lat": round(lat, 6),
                                                 "lon": round(lon, 6), "alarm": "sos",
                                                 "timestamp": int(when.timestamp())})
        assert sent.status_code == 200, sent.text
        evaluate()
        evaluate()
        [alert] = alerts(client, rule_id=rule["id"], unit_id=unit["id"])
        assert alert["status"] == "open" and alert["alarm_id"] is not None
        assert haversine_m(alert["lat"], alert["lon"], lat, lon) < 50
    finally:
        drop_rule(client, rule["id"])
