"""Incidents, follow-up steps and ambassadors refuse what does not belong to the analyst's area,
what does not exist, and what has not happened yet; listings record whose names were shown."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from tests.conftest import KLOJEN, SLAWI, login

TEGAL_SCHOOL = "SMK BP Pangkah"


def _detail(response: Any) -> dict[str, Any]:
    detail = response.json()["detail"]
    assert isinstance(detail, dict), detail
    return detail


def _count(model: Any, *where: Any) -> int:
    from siaga.db import get_database

    with get_database().session() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _malang_records(tag: str) -> dict[str, int]:
    """A school, student, ambassador and early warning of Polres Malang Kota (not Tegal's)."""
    from siaga.db import get_database
    from siaga.intel.models import EarlyWarning
    from siaga.orgs.models import Organisation
    from siaga.schools.models import School
    from siaga.students.models import Ambassador, Student

    with get_database().session() as session:
        org = session.scalar(select(Organisation).where(Organisation.code == "polsek-klojen"))
        assert org is not None
        school = School(name=f"SMA Malang Uji {tag}", level="SMA", org_id=org.id,
                        lat=KLOJEN[0], lon=KLOJEN[1], dismissal_times={"default": "14:00"})
        session.add(school)
        session.flush()
        student = Student(school_id=school.id, org_path=org.path, full_name="Pelajar Malang",
                          pseudonym=f"PLJ-M-{tag}", monitored=False)
        session.add(student)
        session.flush()
        ambassador = Ambassador(school_id=school.id, student_id=student.id, org_path=org.path,
                                appointed_on=date(2026, 1, 5), active=True)
        now = datetime.now(UTC)
        warning = EarlyWarning(org_id=org.id, org_path=org.path, first_post_at=now,
                               last_post_at=now, status="dismissed")
        session.add_all([ambassador, warning])
        session.flush()
        return {"school": school.id, "student": student.id, "ambassador": ambassador.id,
                "warning": warning.id}


def _tegal_warning() -> int:
    from siaga.db import get_database
    from siaga.intel.models import EarlyWarning
    from siaga.orgs.models import Organisation

    with get_database().session() as session:
        org = session.scalar(select(Organisation).where(Organisation.code == "polres-tegal"))
        assert org is not None
        now = datetime.now(UTC)
        warning = EarlyWarning(org_id=org.id, org_path=org.path, first_post_at=now,
                               last_post_at=now, status="dismissed")
        session.add(warning)
        session.flush()
        return warning.id


def _tegal_school(client: Any, headers: dict[str, str]) -> int:
    schools = client.get("/api/v1/schools", headers=headers).json()["items"]
    return int(next(s["id"] for s in schools if s["name"] == TEGAL_SCHOOL))


def _new_student(client: Any, headers: dict[str, str], school_id: int) -> int:
    made = client.post("/api/v1/students", headers=headers, json={
        "school_id": school_id, "full_name": "Pelajar Uji Integritas"})
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def _incident(place: str, **extra: Any) -> dict[str, Any]:
    return {"occurred_at": "2026-10-20T14:10:00+07:00", "place": place, **extra}


def _incidents_at(place: str) -> int:
    from siaga.students.models import BrawlIncident

    return _count(BrawlIncident, BrawlIncident.place == place)


def test_incident_refuses_a_warning_that_is_missing_or_not_ours(client: Any) -> None:
    analyst = login(client, "analis")
    tag = uuid.uuid4().hex[:6]
    malang = _malang_records(tag)
    place = f"Warning uji {tag}"
    for warning_id in (9999999, malang["warning"]):
        refused = client.post("/api/v1/incidents", headers=analyst,
                              json=_incident(place, warning_id=warning_id))
        assert refused.status_code == 422, refused.text
        assert _detail(refused)["field"] == "warning_id"
        assert "Peringatan dini" in _detail(refused)["msg"]
    assert _incidents_at(place) == 0
    ours = _tegal_warning()
    made = client.post("/api/v1/incidents", headers=analyst,
                       json=_incident(place, warning_id=ours))
    assert made.status_code == 201, made.text
    assert made.json()["warning_id"] == ours


def test_incident_stays_within_the_analysts_area(client: Any) -> None:
    analyst = login(client, "analis")
    tag = uuid.uuid4().hex[:6]
    malang = _malang_records(tag)
    school_id = _tegal_school(client, analyst)
    own_student = _new_student(client, analyst, school_id)
    place = f"Lokasi uji {tag}"
    # Malang's coordinates with a Tegal student: the place is outside the analyst's area.
    elsewhere = client.post("/api/v1/incidents", headers=analyst, json=_incident(
        place, lat=KLOJEN[0], lon=KLOJEN[1],
        students=[{"student_id": own_student, "role": "pelaku"}]))
    assert elsewhere.status_code == 422, elsewhere.text
    assert _detail(elsewhere)["field"] == "lat"
    assert "di luar wilayah Anda" in _detail(elsewhere)["msg"]
    foreign_student = client.post("/api/v1/incidents", headers=analyst, json=_incident(
        place, students=[{"student_id": own_student, "role": "pelaku"},
                         {"student_id": malang["student"], "role": "korban"}]))
    assert foreign_student.status_code == 422, foreign_student.text
    assert _detail(foreign_student)["field"] == "students.student_id"
    assert "Pelajar" in _detail(foreign_student)["msg"]
    foreign_school = client.post("/api/v1/incidents", headers=analyst, json=_incident(
        place, school_ids=[school_id, malang["school"]]))
    assert foreign_school.status_code == 422, foreign_school.text
    assert _detail(foreign_school)["field"] == "school_ids"
    assert "Sekolah" in _detail(foreign_school)["msg"]
    from siaga.students.models import IncidentStudent

    assert _incidents_at(place) == 0
    assert _count(IncidentStudent, IncidentStudent.student_id == own_student) == 0
    malang_operator = login(client, "operator")
    assert place not in str(client.get("/api/v1/incidents?limit=1000",
                                       headers=malang_operator).json())
    made = client.post("/api/v1/incidents", headers=analyst, json=_incident(
        place, lat=SLAWI[0], lon=SLAWI[1], school_ids=[school_id],
        students=[{"student_id": own_student, "role": "pelaku"}]))
    assert made.status_code == 201, made.text
    assert "/polres-tegal/" in made.json()["org_path"]
    seen = client.get(f"/api/v1/incidents/{made.json()['id']}", headers=analyst)
    assert seen.status_code == 200 and seen.json()["students"][0]["id"] == own_student


def _last_audit(action: str, username: str) -> dict[str, Any]:
    from siaga.audit.models import AuditEntry
    from siaga.auth.models import User
    from siaga.db import get_database

    with get_database().session() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        entry = session.scalar(select(AuditEntry).where(
            AuditEntry.action == action, AuditEntry.actor_user_id == user_id)
            .order_by(AuditEntry.id.desc()).limit(1))
        assert entry is not None
        return dict(entry.detail)


def test_listings_record_which_students_were_shown(client: Any) -> None:
    analyst = login(client, "analis")
    listed = client.get("/api/v1/students?monitored=true&limit=5&offset=3", headers=analyst)
    assert listed.status_code == 200
    shown = [i["id"] for i in listed.json()["items"]]
    assert len(shown) == 5 and all(i["name"] for i in listed.json()["items"])
    assert _last_audit("student.list", "analis")["student_ids"] == shown
    ambassadors = client.get("/api/v1/ambassadors", headers=analyst)
    assert ambassadors.status_code == 200
    shown = [a["student"]["id"] for a in ambassadors.json()["items"]]
    assert shown
    assert _last_audit("student.list", "analis")["student_ids"] == shown
    incident = client.get("/api/v1/incidents?limit=1000", headers=analyst).json()["items"]
    incident_id = next(i["id"] for i in incident if i["student_count"] >= 36)
    seen = client.get(f"/api/v1/incidents/{incident_id}", headers=analyst).json()
    detail = _last_audit("incident.view", "analis")
    assert detail["student_ids"] == [s["id"] for s in seen["students"]]


def test_a_student_is_appointed_ambassador_once(client: Any) -> None:
    from siaga.students.models import Ambassador

    analyst = login(client, "analis")
    student_id = _new_student(client, analyst, _tegal_school(client, analyst))
    first = client.post("/api/v1/ambassadors", headers=analyst,
                        json={"student_id": student_id, "appointed_on": "2026-11-10"})
    assert first.status_code == 201, first.text
    again = client.post("/api/v1/ambassadors", headers=analyst,
                        json={"student_id": student_id, "appointed_on": "2026-11-11"})
    assert again.status_code == 409, again.text
    assert _detail(again)["field"] == "student_id"
    assert "sudah menjadi duta pelajar" in _detail(again)["msg"]
    assert _count(Ambassador, Ambassador.student_id == student_id) == 1


def test_activity_names_only_known_ambassadors_of_the_area(client: Any) -> None:
    from siaga.students.models import AmbassadorActivity

    analyst = login(client, "analis")
    tag = uuid.uuid4().hex[:6]
    malang = _malang_records(tag)
    school_id = _tegal_school(client, analyst)
    title = f"Kampanye uji {tag}"
    body = {"school_id": school_id, "held_on": "2026-11-12", "title": title}
    for ids in ([999999, -5], [malang["ambassador"]]):
        refused = client.post("/api/v1/ambassador-activities", headers=analyst,
                              json={**body, "ambassador_ids": ids})
        assert refused.status_code == 422, refused.text
        assert _detail(refused)["field"] == "ambassador_ids"
        assert "Duta pelajar tidak ditemukan" in _detail(refused)["msg"]
        assert str(ids[0]) in _detail(refused)["msg"]
    assert _count(AmbassadorActivity, AmbassadorActivity.title == title) == 0
    ours = client.get("/api/v1/ambassadors", headers=analyst).json()["items"][0]["id"]
    made = client.post("/api/v1/ambassador-activities", headers=analyst,
                       json={**body, "ambassador_ids": [ours]})
    assert made.status_code == 201, made.text


def test_what_has_not_happened_yet_is_refused(client: Any) -> None:
    from siaga.students.models import FollowUpStep

    analyst = login(client, "analis")
    school_id = _tegal_school(client, analyst)
    tag = uuid.uuid4().hex[:6]
    place = f"Masa depan {tag}"
    future = client.post("/api/v1/incidents", headers=analyst, json={
        "occurred_at": "2030-01-01T14:00:00+07:00", "place": place, "school_ids": [school_id]})
    assert future.status_code == 422, future.text
    assert _detail(future)["field"] == "occurred_at"
    assert "masa depan" in _detail(future)["msg"]
    assert _incidents_at(place) == 0
    # A phone's clock a minute or two ahead is not "the future".
    soon = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()
    skewed = client.post("/api/v1/incidents", headers=analyst, json={
        "occurred_at": soon, "place": place, "school_ids": [school_id]})
    assert skewed.status_code == 201, skewed.text

    student_id = _new_student(client, analyst, school_id)
    case = client.post(f"/api/v1/students/{student_id}/cases", headers=analyst,
                       json={"opened_on": "2026-10-21"})
    assert case.status_code == 201, case.text
    case_id = case.json()["id"]
    step = client.post(f"/api/v1/followup-cases/{case_id}/steps", headers=analyst,
                       json={"kind": "parents_summoned", "done_on": "2030-01-01"})
    assert step.status_code == 422, step.text
    assert _detail(step)["field"] == "done_on"
    assert "masa depan" in _detail(step)["msg"]
    assert _count(FollowUpStep, FollowUpStep.case_id == case_id) == 0
    # Starting monitoring today plans its end months ahead: that date may lie in the future.
    today = datetime.now(UTC).date().isoformat()
    started = client.post(f"/api/v1/followup-cases/{case_id}/steps", headers=analyst,
                          json={"kind": "monitoring_start", "done_on": today,
                                "monitoring_days": 90})
    assert started.status_code == 201, started.text
    assert started.json()["monitoring_until"] > today
    later_case = client.post(f"/api/v1/students/{student_id}/cases", headers=analyst,
                             json={"opened_on": "2030-01-01"})
    assert later_case.status_code == 422 and _detail(later_case)["field"] == "opened_on"
