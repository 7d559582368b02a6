"""Patrol plans: balanced routes, the officer's own points, and compliance from GPS fixes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from tests.conftest import login
from tests.crimes.helpers import post_incident

WIB = timezone(timedelta(hours=7))
# Spread over Kecamatan Sukun (centre -8.0050, 112.6150).
SPOTS = [(-8.0050 + 0.004 * (i % 4) - 0.006, 112.6150 + 0.004 * (i // 4) - 0.006)
         for i in range(16)]


def _officer_units(n: int) -> list[tuple[int, str]]:
    """n officer units in Polsek Sukun, each the phone of one Bhabinkamtibmas there."""
    from siaga.auth.models import User
    from siaga.db import get_database
    from siaga.orgs.models import Organisation
    from siaga.units.models import Unit

    with get_database().session() as session:
        org = session.scalar(select(Organisation).where(Organisation.code == "polsek-sukun"))
        assert org is not None
        taken = select(Unit.user_id).where(Unit.user_id.is_not(None))
        users = session.scalars(select(User).where(User.org_id == org.id)
                                .where(User.role == "petugas").where(User.id.not_in(taken))
                                .order_by(User.id).limit(n)).all()
        assert len(users) == n
        out = []
        for user in users:
            unit = Unit(callsign=f"PTG-{uuid.uuid4().hex[:8]}".upper(), kind="officer",
                        org_id=org.id, org_path=org.path, user_id=user.id,
                        lat=-8.0050, lon=112.6150)
            session.add(unit)
            session.flush()
            out.append((unit.id, user.username))
        return out


def _add_fix(unit_id: int, at: datetime, lat: float, lon: float) -> None:
    from siaga.db import get_database
    from siaga.units.models import UnitPosition

    with get_database().session() as session:
        session.add(UnitPosition(unit_id=unit_id, at=at, lat=lat, lon=lon, source="test"))


def test_plan_is_balanced_visible_to_officers_and_measured(client: Any) -> None:
    ops = login(client, "operator")
    now = datetime.now(UTC)
    for i, (lat, lon) in enumerate(SPOTS):
        for k in range(1 + i % 3):
            response = post_incident(client, ops, crime_type="pembakaran",
                                     occurred_at=(now - timedelta(days=3 + i + k)).isoformat(),
                                     lat=lat, lon=lon)
            assert response.status_code == 201, response.text
    units = _officer_units(3)
    start = now - timedelta(hours=1)
    end = start + timedelta(hours=8)
    response = client.post("/api/v1/patrol-plans", headers=ops, json={
        "org": "polsek-sukun", "shift_start": start.isoformat(), "shift_end": end.isoformat(),
        "unit_ids": [u for u, _ in units], "points_per_unit": 4, "crime_type": "pembakaran"})
    assert response.status_code == 201, response.text
    plan = response.json()
    assert [u["unit_id"] for u in plan["units"]] == sorted(u for u, _ in units)
    sizes = [len(u["points"]) for u in plan["units"]]
    assert sum(sizes) == 12 and max(sizes) - min(sizes) <= 1
    for unit in plan["units"]:
        points = unit["points"]
        assert [p["seq"] for p in points] == list(range(1, len(points) + 1))
        starts = [datetime.fromisoformat(p["window_start"]) for p in points]
        assert starts == sorted(starts)
        assert all(start <= s < end for s in starts)
        assert all(p["kind"] == "hotspot" for p in points)

    (unit_a, officer_a), (unit_b, _), _ = units
    mine = client.get("/api/v1/patrol-plans/mine", headers=login(client, officer_a)).json()
    entry = next(p for p in mine["items"] if p["id"] == plan["id"])
    assert [u["unit_id"] for u in entry["units"]] == [unit_a]
    assert client.get("/api/v1/patrol-plans/mine",
                      headers=login(client, "bhabin.klojen")).json()["total"] == 0
    assert client.get(f"/api/v1/patrol-plans/{plan['id']}",
                      headers=login(client, "operator.tegal")).status_code == 404

    point_a = next(u for u in plan["units"] if u["unit_id"] == unit_a)["points"][0]
    point_b = next(u for u in plan["units"] if u["unit_id"] == unit_b)["points"][0]
    a_from = datetime.fromisoformat(point_a["window_start"])
    _add_fix(unit_a, a_from + timedelta(minutes=2), point_a["lat"] + 0.0005, point_a["lon"])
    # Unit B passes its point only after the window closed, and A's far fix counts for nothing.
    _add_fix(unit_b, datetime.fromisoformat(point_b["window_end"]) + timedelta(minutes=5),
             point_b["lat"], point_b["lon"])
    _add_fix(unit_a, a_from + timedelta(minutes=3), point_a["lat"] + 0.01, point_a["lon"])
    report = client.get(f"/api/v1/patrol-plans/{plan['id']}/compliance", headers=ops)
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["planned"], body["visited"]) == (12, 1)
    a_rows = next(u for u in body["units"] if u["unit_id"] == unit_a)["points"]
    first = next(p for p in a_rows if p["id"] == point_a["id"])
    assert first["visited"] and first["closest_m"] < 150
    b_rows = next(u for u in body["units"] if u["unit_id"] == unit_b)["points"]
    assert not next(p for p in b_rows if p["id"] == point_b["id"])["visited"]


def test_plan_covers_school_dismissal_windows(client: Any) -> None:
    headers = login(client, "operator.tegal")
    day = datetime.now(WIB).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=WIB)
    response = client.post("/api/v1/patrol-plans", headers=headers, json={
        "org": "polres-tegal", "shift_start": start.isoformat(),
        "shift_end": (start + timedelta(hours=8)).isoformat(), "points_per_unit": 2})
    assert response.status_code == 201, response.text
    plan = response.json()
    schools = [p for u in plan["units"] for p in u["points"] if p["kind"] == "school"]
    assert len(schools) >= 10 and plan["summary"]["schools"] == len(schools)
    for point in schools:
        opens = datetime.fromisoformat(point["window_start"])
        assert start <= opens < start + timedelta(hours=8)
        assert point["label"].startswith("Jam pulang ")
    sizes = [len(u["points"]) for u in plan["units"]]
    assert max(sizes) - min(sizes) <= 1
    assert client.post("/api/v1/patrol-plans", headers=login(client, "analis"),
                       json={"org": "polres-tegal"}).status_code == 403


def test_planner_keeps_clusters_together_and_sizes_even() -> None:
    from siaga.patrols.planner import Crew, Target, balanced_groups, plan_routes

    west = [Target("hotspot", f"w{i}", -7.95, 112.60 + 0.001 * i, 1.0) for i in range(4)]
    east = [Target("hotspot", f"e{i}", -7.95, 112.70 + 0.001 * i, 0.5) for i in range(4)]
    groups = balanced_groups(west + east, 2)
    assert sorted(len(g) for g in groups) == [4, 4]
    assert {frozenset(t.label[0] for t in g) for g in groups} == {frozenset("w"), frozenset("e")}
    uneven = balanced_groups(west + east[:3], 3)
    assert sorted(len(g) for g in uneven) == [2, 2, 3]
    start = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    routes = plan_routes(west + east, [Crew(1, -7.95, 112.71), Crew(2, -7.95, 112.59)],
                         start, start + timedelta(hours=8))
    assert {s.target.label[0] for s in routes[1]} == {"e"}
    assert [s.target.label for s in routes[2]] == ["w0", "w1", "w2", "w3"]
