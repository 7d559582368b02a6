"""Students are minors: names only for analis/pimpinan of their organisation, views audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tests.conftest import login


def _audit_count(action: str, username: str) -> int:
    from siaga.audit.models import AuditEntry
    from siaga.auth.models import User
    from siaga.db import get_database

    with get_database().session() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        return int(session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == action, AuditEntry.actor_user_id == user_id)) or 0)


def _monitored(client: Any, headers: dict[str, str]) -> Any:
    return client.get("/api/v1/students?monitored=true&limit=1000", headers=headers)


def test_analyst_sees_names_and_every_view_is_audited(client: Any) -> None:
    analyst = login(client, "analis")
    before_list = _audit_count("student.list", "analis")
    listed = _monitored(client, analyst)
    assert listed.status_code == 200
    items = listed.json()["items"]
    # The analyst sees every monitored student's name: the 36 of the demo brawl and any that
    # other tests of this module added.
    assert all(i["name"] for i in items)
    demo = [i for i in items if i["name"].startswith("Pelajar Demo")]
    assert len(demo) >= 36
    assert _audit_count("student.list", "analis") == before_list + 1
    student_id = demo[0]["id"]
    before_view = _audit_count("student.view", "analis")
    detail = client.get(f"/api/v1/students/{student_id}", headers=analyst).json()
    assert detail["name"] == demo[0]["name"]
    assert detail["cases"][0]["steps"][0]["kind"] == "parents_summoned"
    assert _audit_count("student.view", "analis") == before_view + 1


def test_operator_gets_403_and_pseudonyms_in_incidents(client: Any) -> None:
    operator = login(client, "operator.tegal")
    assert _monitored(client, operator).status_code == 403
    analyst = login(client, "analis")
    student_id = _monitored(client, analyst).json()["items"][0]["id"]
    assert client.get(f"/api/v1/students/{student_id}", headers=operator).status_code == 403
    incidents = client.get("/api/v1/incidents", headers=operator).json()["items"]
    incident_id = next(i["id"] for i in incidents if i["student_count"] >= 36)
    before = _audit_count("incident.view", "operator.tegal")
    seen = client.get(f"/api/v1/incidents/{incident_id}", headers=operator).json()
    assert seen["students"]
    for student in seen["students"]:
        assert student["name"] is None and student["display"].startswith("PLJ-")
    assert _audit_count("incident.view", "operator.tegal") == before + 1
    named = client.get(f"/api/v1/incidents/{incident_id}", headers=analyst).json()
    assert named["students"][0]["name"].startswith("Pelajar Demo")


def test_leaders_see_names_only_in_their_own_organisation(client: Any) -> None:
    analyst = login(client, "analis")
    student_id = _monitored(client, analyst).json()["items"][0]["id"]
    tegal = client.get(f"/api/v1/students/{student_id}", headers=login(client, "pimpinan.tegal"))
    assert tegal.status_code == 200 and tegal.json()["name"]
    malang = client.get(f"/api/v1/students/{student_id}", headers=login(client, "pimpinan"))
    assert malang.status_code == 404
    admin = client.get(f"/api/v1/students/{student_id}", headers=login(client, "admin"))
    assert admin.status_code == 200
    assert admin.json()["name"] is None and admin.json()["display"].startswith("PLJ-")


def test_export_is_pseudonymised(client: Any) -> None:
    analyst = login(client, "analis")
    before = _audit_count("student.export", "analis")
    response = client.get("/api/v1/students/export.csv", headers=analyst)
    assert response.status_code == 200
    assert "PLJ-DEMO-01" in response.text
    assert "Pelajar Demo" not in response.text
    assert _audit_count("student.export", "analis") == before + 1


def test_followup_sop_steps_and_monitoring(client: Any) -> None:
    analyst = login(client, "analis")
    schools = client.get("/api/v1/schools", headers=analyst).json()["items"]
    school_id = next(s["id"] for s in schools if s["name"] == "SMK BP Pangkah")
    student = client.post("/api/v1/students", headers=analyst, json={
        "school_id": school_id, "full_name": "Nama Uji Coba", "class_name": "X-2"}).json()
    incident = client.post("/api/v1/incidents", headers=analyst, json={
        "occurred_at": "2026-10-20T14:10:00+07:00", "place": "Lapangan Balamoa",
        "school_ids": [school_id], "injured": 1, "weapons_seized": ["gir", "gesper"],
        "students": [{"student_id": student["id"], "role": "pelaku"}]})
    assert incident.status_code == 201, incident.text
    case = client.post(f"/api/v1/students/{student['id']}/cases", headers=analyst,
                       json={"incident_id": incident.json()["id"], "opened_on": "2026-10-21"})
    assert case.status_code == 201
    case_id = case.json()["id"]
    for kind, on in [("parents_summoned", "2026-10-21"), ("guidance", "2026-10-22"),
                     ("written_promise", "2026-10-22"), ("counselling", "2026-10-28")]:
        step = client.post(f"/api/v1/followup-cases/{case_id}/steps", headers=analyst,
                           json={"kind": kind, "done_on": on})
        assert step.status_code == 201, step.text
    started = client.post(f"/api/v1/followup-cases/{case_id}/steps", headers=analyst,
                          json={"kind": "monitoring_start", "done_on": "2026-11-01",
                                "monitoring_days": 90}).json()
    assert started["monitoring_until"] == "2027-01-30"
    assert started["missing"] == []
    bad = client.post(f"/api/v1/followup-cases/{case_id}/steps", headers=analyst,
                      json={"kind": "dance", "done_on": "2026-11-02"})
    assert bad.status_code == 422
    detail = client.get(f"/api/v1/students/{student['id']}", headers=analyst).json()
    assert detail["monitored"] is True
    amb = client.post("/api/v1/ambassadors", headers=analyst,
                      json={"student_id": student["id"], "appointed_on": "2026-11-10"})
    assert amb.status_code == 201
    act = client.post("/api/v1/ambassador-activities", headers=analyst, json={
        "school_id": school_id, "held_on": "2026-11-12", "title": "Kampanye damai",
        "participants": 120})
    assert act.status_code == 201


def test_export_counts_open_cases_per_student(client: Any) -> None:
    import csv
    import io

    response = client.get("/api/v1/students/export.csv", headers=login(client, "analis"))
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows
    counts = [row["kasus_terbuka"] for row in rows]
    assert all(c.isdigit() for c in counts)
    # The demo's 36 SMKN 2 Slawi students each have exactly one open follow-up case.
    assert sum(int(c) for c in counts) >= 36 and max(int(c) for c in counts) <= 3


def test_csv_cells_that_spreadsheets_would_run_are_neutralised() -> None:
    import csv
    import io

    from siaga.csvsafe import SafeCsvWriter

    out = io.StringIO()
    SafeCsvWriter(out).writerow(['=HYPERLINK("http://x","klik")', "+1+1", "@SUM(A1)", "-5",
                                 "-2,5", "\tx", "Sekolah Biasa", 7])
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells == ["'=HYPERLINK(\"http://x\",\"klik\")", "'+1+1", "'@SUM(A1)", "-5", "-2,5",
                     "'\tx", "Sekolah Biasa", "7"]
