"""School register, risk, and dismissal patrols checked against unit GPS tracks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from tests.conftest import login
from tests.intel.cli import intel_cli

# Two test schools far from the demo ones (north of Kramat), 2 km apart.
NORTH = (-6.8500, 109.1700)
NORTH_EAST = (-6.8500, 109.1880)


def _school(client: Any, headers: dict[str, str], name: str, pos: tuple[float, float]) -> int:
    response = client.post("/api/v1/schools", headers=headers, json={
        "name": name, "level": "SMK", "lat": pos[0], "lon": pos[1], "brawl_prone": True,
        "dismissal_times": {"default": "14:00", "jumat": "11:00"},
        "aliases": ["stm uji"], "contacts": [{"role": "guru BK", "name": "Bu Uji"}]})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_school_crud_needs_analyst_or_admin(client: Any) -> None:
    analyst = login(client, "analis")
    operator = login(client, "operator.tegal")
    name = f"SMK Uji {uuid.uuid4().hex[:5]}"
    body = {"name": name, "level": "SMK", "lat": NORTH[0], "lon": NORTH[1]}
    assert client.post("/api/v1/schools", json=body, headers=operator).status_code == 403
    school_id = _school(client, analyst, name, NORTH)
    got = client.get(f"/api/v1/schools/{school_id}", headers=operator).json()
    assert got["org_path"].endswith("/polsek-kramat/")
    assert got["contacts"][0]["name"] == "Bu Uji"
    assert "smk uji" in " ".join(got["generated_aliases"])
    bad = client.put(f"/api/v1/schools/{school_id}", headers=analyst,
                     json={"dismissal_times": {"default": "25:00"}})
    assert bad.status_code == 422
    changed = client.put(f"/api/v1/schools/{school_id}", headers=analyst,
                         json={"address": "Jl. Uji 1", "level": "SMA"})
    assert changed.json()["address"] == "Jl. Uji 1" and changed.json()["level"] == "SMA"
    assert client.delete(f"/api/v1/schools/{school_id}", headers=analyst).status_code == 204
    assert client.get(f"/api/v1/schools/{school_id}", headers=analyst).status_code == 404


def test_risk_counts_monitored_students(client: Any) -> None:
    risks = client.get("/api/v1/schools/risk", headers=login(client, "analis")).json()["items"]
    smkn2 = next(r for r in risks if r["name"] == "SMKN 2 Slawi")
    assert smkn2["monitored_students"] >= 36 and smkn2["level"] == "tinggi"
    quiet = next(r for r in risks if r["name"] == "SMP Terbuka 2 Slawi")
    assert quiet["score"] < smkn2["score"]


def test_dismissal_patrol_is_checked_against_gps_tracks(client: Any) -> None:
    from siaga.db import get_database
    from siaga.orgs.models import Organisation
    from siaga.units.models import Unit, UnitPosition

    analyst = login(client, "analis")
    tag = uuid.uuid4().hex[:5]
    visited = _school(client, analyst, f"SMK Patroli A {tag}", NORTH)
    skipped = _school(client, analyst, f"SMK Patroli B {tag}", NORTH_EAST)
    for school_id in (visited, skipped):
        made = client.post("/api/v1/incidents", headers=analyst, json={
            "occurred_at": "2026-11-01T14:00:00+07:00", "place": "uji",
            "school_ids": [school_id]})
        assert made.status_code == 201
    # Wednesday 18 November 2026: dismissal 14:00 WIB -> window 13:45-14:45 WIB.
    planned = client.post("/api/v1/schools/patrols/plan", headers=analyst,
                          json={"date": "2026-11-18"})
    assert planned.status_code == 201, planned.text
    mine = {p["school_id"]: p for p in planned.json()["items"]
            if p["school_id"] in (visited, skipped)}
    assert set(mine) == {visited, skipped}
    assert mine[visited]["window_start"].startswith("2026-11-18T06:45")
    again = client.post("/api/v1/schools/patrols/plan", headers=analyst,
                        json={"date": "2026-11-18"}).json()["items"]
    assert not [p for p in again if p["school_id"] in (visited, skipped)]
    with get_database().session() as session:
        org = session.scalar(select(Organisation).where(Organisation.code == "polsek-kramat"))
        unit = Unit(callsign=f"UJI-{tag}", kind="car", status="available", org_id=org.id,
                    org_path=org.path, crew=[])
        session.add(unit)
        session.flush()
        # 14:05 WIB, about 110 m from the first school; 14:20 WIB about 600 m from the second;
        # 16:00 WIB right at the second school, but after its window.
        session.add_all([
            UnitPosition(unit_id=unit.id, at=datetime(2026, 11, 18, 7, 5, tzinfo=UTC),
                         lat=NORTH[0] + 0.001, lon=NORTH[1], source="test"),
            UnitPosition(unit_id=unit.id, at=datetime(2026, 11, 18, 7, 20, tzinfo=UTC),
                         lat=NORTH_EAST[0], lon=NORTH_EAST[1] - 0.0055, source="test"),
            UnitPosition(unit_id=unit.id, at=datetime(2026, 11, 18, 9, 0, tzinfo=UTC),
                         lat=NORTH_EAST[0], lon=NORTH_EAST[1], source="test"),
        ])
        unit_id = unit.id
    checked = client.post("/api/v1/schools/patrols/check", headers=analyst)
    assert checked.status_code == 200, checked.text
    results = {p["school_id"]: p for p in checked.json()["items"]}
    assert results[visited]["status"] == "covered"
    assert results[visited]["unit_id"] == unit_id
    assert 90 < results[visited]["closest_m"] < 130
    assert results[skipped]["status"] == "missed"
    listed = client.get("/api/v1/schools/patrols?status=covered", headers=analyst).json()
    assert visited in [p["school_id"] for p in listed["items"]]


def _patrol_count(prefix: str) -> int:
    from sqlalchemy import func

    from siaga.db import get_database
    from siaga.schools.models import SchoolPatrol

    with get_database().session() as session:
        return int(session.scalar(select(func.count()).select_from(SchoolPatrol).where(
            SchoolPatrol.org_path.startswith(prefix))) or 0)


def test_plan_refuses_a_date_the_calendar_does_not_have(client: Any) -> None:
    analyst = login(client, "analis")
    before = _patrol_count("/")
    for day in ("2026-02-31", "2026-13-01", "2026-W47-3", "18-11-2026"):
        refused = client.post("/api/v1/schools/patrols/plan", headers=analyst,
                              json={"date": day})
        assert refused.status_code == 422, refused.text
        error = refused.json()["detail"][0]
        assert error["field"] == "date"
        assert f"tanggal tidak valid: {day}" in error["msg"]
    assert _patrol_count("/") == before


def test_cli_plan_refuses_a_date_the_calendar_does_not_have() -> None:
    from typer.testing import CliRunner

    app = intel_cli()
    result = CliRunner().invoke(app, ["mediaintel", "plan-patrols", "--date", "2026-02-31"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "tanggal tidak valid: 2026-02-31" in result.output


def test_patrol_listing_reports_the_total_not_the_page(client: Any) -> None:
    analyst = login(client, "analis")
    for day in ("2026-11-24", "2026-11-25"):
        planned = client.post("/api/v1/schools/patrols/plan", headers=analyst,
                              json={"date": day})
        assert planned.status_code == 201, planned.text
    page = client.get("/api/v1/schools/patrols?limit=1", headers=analyst).json()
    assert len(page["items"]) == 1
    assert page["total"] == _patrol_count("/polda-jateng/polres-tegal/") >= 2
    planned_only = client.get("/api/v1/schools/patrols?status=planned&limit=1",
                              headers=analyst).json()
    assert 2 <= planned_only["total"] <= page["total"]


def test_incidents_dated_ahead_do_not_raise_a_schools_risk(client: Any) -> None:
    from siaga.db import get_database
    from siaga.students.models import BrawlIncident

    analyst = login(client, "analis")
    school_id = _school(client, analyst, f"SMK Risiko {uuid.uuid4().hex[:5]}", NORTH)
    with get_database().session() as session:
        # As older rows may hold: entered before future dates were refused.
        session.add(BrawlIncident(occurred_at=datetime(2030, 1, 1, tzinfo=UTC), place="uji",
                                  org_path="/", school_ids=[school_id], dead=1))
    risks = client.get("/api/v1/schools/risk", headers=analyst).json()["items"]
    mine = next(r for r in risks if r["school_id"] == school_id)
    assert mine["incidents_12m"] == 0 and mine["deaths_12m"] == 0


def test_a_school_cannot_be_moved_out_of_the_analysts_area(client: Any) -> None:
    analyst = login(client, "analis")
    school_id = _school(client, analyst, f"SMK Pindah {uuid.uuid4().hex[:5]}", NORTH)
    for body in ({"org": "polsek-klojen"}, {"lat": -7.9790, "lon": 112.6300}):
        moved = client.put(f"/api/v1/schools/{school_id}", headers=analyst, json=body)
        assert moved.status_code == 422, moved.text
        assert "luar wilayah" in moved.json()["detail"]["msg"]
    still = client.get(f"/api/v1/schools/{school_id}", headers=analyst).json()
    assert still["org_path"].endswith("/polsek-kramat/") and still["lat"] == NORTH[0]


def test_required_school_fields_refuse_null(client: Any) -> None:
    analyst = login(client, "analis")
    school_id = _school(client, analyst, f"SMK Null {uuid.uuid4().hex[:5]}", NORTH)
    for key in ("name", "level", "aliases", "dismissal_times", "brawl_prone"):
        response = client.put(f"/api/v1/schools/{school_id}", headers=analyst, json={key: None})
        assert response.status_code == 422, (key, response.text)
        assert "wajib diisi" in response.json()["detail"]["msg"]
