"""Entry endpoints: personnel, figures, meetings, survey tallies; validation, roles, audit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.conftest import login
from tests.scorecard.helpers import field_names, kpi, scorecard

BASE = "/api/v1/scorecard"


def _audit_actions(action_prefix: str) -> list[str]:
    from sqlalchemy import select

    from siaga.audit.models import AuditEntry
    from siaga.db import get_database

    with get_database().session() as session:
        return list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.startswith(action_prefix))))


def test_personnel_validation_names_the_field(client: Any) -> None:
    headers = login(client, "pimpinan.tegal")
    good = {"year": 2031, "authorised": 100, "operational": 80, "degree": 20, "trained": 30}
    cases = [
        ({**good, "authorised": 0}, "authorised"),
        ({**good, "operational": -1}, "operational"),
        ({**good, "year": 1999}, "year"),
        ({**good, "month": 13}, "month"),
        ({**good, "degree": 81}, "degree"),
        ({**good, "trained": 90}, "trained"),
        ({**good, "degree": 50, "diploma": 20, "high_school": 20}, "high_school"),
        ({k: v for k, v in good.items() if k != "authorised"}, "authorised"),
        ({**good, "org": "polres-malang-kota"}, "org"),
    ]
    for body, field in cases:
        response = client.post(f"{BASE}/personnel", json=body, headers=headers)
        assert 400 <= response.status_code < 500, (body, response.text)
        assert field in field_names(response), (body, response.json())


def test_personnel_entry_feeds_the_scorecard_and_is_audited(client: Any) -> None:
    headers = login(client, "pimpinan.tegal")
    body = {"org": "polsek-margasari", "year": 2030, "authorised": 40, "operational": 30,
            "degree": 10, "trained": 15}
    created = client.post(f"{BASE}/personnel", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["shortfall"] == 10
    card = scorecard(client, "pimpinan.tegal", org="polsek-margasari", year=2030)
    assert kpi(card, "personnel_fill")["value"] == 75.0
    assert kpi(card, "personnel_fill")["light"] == "amber"
    report_id = created.json()["id"]
    updated = client.put(f"{BASE}/personnel/{report_id}", json={**body, "operational": 38},
                         headers=headers)
    assert updated.status_code == 200 and updated.json()["operational"] == 38
    assert client.delete(f"{BASE}/personnel/{report_id}", headers=headers).status_code == 204
    actions = _audit_actions("scorecard.personnel.")
    for action in ("create", "update", "delete"):
        assert f"scorecard.personnel.{action}" in actions


def test_figures_validation_and_overlap(client: Any) -> None:
    headers = login(client, "pimpinan.tegal")
    base = {"org": "polsek-margasari", "metric": "brawls", "year": 2029, "value": 2}
    for body, field in [({**base, "metric": "meteors"}, "metric"),
                        ({**base, "value": -1}, "value"),
                        ({**base, "month_from": 6, "month_to": 3}, "month_to"),
                        ({**base, "month_from": 0}, "month_from")]:
        response = client.post(f"{BASE}/figures", json=body, headers=headers)
        assert 400 <= response.status_code < 500, (body, response.text)
        assert field in field_names(response), (body, response.json())
    march = client.post(f"{BASE}/figures", json={**base, "month_from": 3, "month_to": 3},
                        headers=headers)
    assert march.status_code == 201, march.text
    whole = client.post(f"{BASE}/figures", json=base, headers=headers)
    assert whole.status_code == 409 and "month_from" in field_names(whole)
    again = client.post(f"{BASE}/figures", json={**base, "month_from": 3, "month_to": 3,
                                                  "value": 3}, headers=headers)
    assert again.status_code == 201 and again.json()["id"] == march.json()["id"]
    card = scorecard(client, "pimpinan.tegal", org="polsek-margasari", year=2029, month=3)
    assert kpi(card, "brawls")["value"] == 3
    assert client.delete(f"{BASE}/figures/{march.json()['id']}", headers=headers
                         ).status_code == 204


def test_meeting_with_agreements_and_follow_up_actions(client: Any) -> None:
    headers = login(client, "pimpinan.tegal")
    held = date.today() - timedelta(days=3)
    body = {"kind": "fgd", "held_on": held.isoformat(), "title": "FGD pencegahan tawuran",
            "participants": ["Pemda Kabupaten Tegal", "DPRD", "Dinas Pendidikan", " "],
            "agreements": ["Patroli bersama saat jam pulang sekolah"],
            "actions": [{"description": "Jadwal patroli bersama", "owner": "Kasat Samapta",
                         "due_on": (held + timedelta(days=14)).isoformat()},
                        {"description": "Surat ke Dinas Pendidikan provinsi", "status": "done",
                         "done_on": held.isoformat()}]}
    before = scorecard(client, "pimpinan.tegal", year=held.year)
    created = client.post(f"{BASE}/meetings", json=body, headers=headers)
    assert created.status_code == 201, created.text
    meeting = created.json()
    assert meeting["participants"] == ["Pemda Kabupaten Tegal", "DPRD", "Dinas Pendidikan"]
    assert len(meeting["actions"]) == 2
    after = scorecard(client, "pimpinan.tegal", year=held.year)
    fgd_before = kpi(before, "fgd_meetings")["value"] or 0
    assert kpi(after, "fgd_meetings")["value"] == fgd_before + 1
    assert kpi(after, "meeting_actions_done")["detail"]["actions"] >= 2
    got = client.get(f"{BASE}/meetings/{meeting['id']}", headers=headers)
    assert got.status_code == 200
    assert client.delete(f"{BASE}/meetings/{meeting['id']}", headers=headers).status_code == 204
    assert "scorecard.meeting.create" in _audit_actions("scorecard.meeting.")


def test_meeting_validation(client: Any) -> None:
    headers = login(client, "pimpinan.tegal")
    body = {"kind": "koordinasi", "held_on": date.today().isoformat(), "title": "Rapat",
            "participants": ["Dinas Pendidikan"]}
    future = (date.today() + timedelta(days=2)).isoformat()
    for change, field in [({"kind": "pesta"}, "kind"), ({"held_on": future}, "held_on"),
                          ({"participants": []}, "participants"), ({"title": ""}, "title"),
                          ({"held_on": "kemarin"}, "held_on"),
                          ({"actions": [{"description": "Selesai", "status": "done"}]},
                           "actions.0.done_on")]:
        response = client.post(f"{BASE}/meetings", json={**body, **change}, headers=headers)
        assert 400 <= response.status_code < 500, (change, response.text)
        assert field in field_names(response), (change, response.json())


def test_survey_tally_validation(client: Any) -> None:
    headers = login(client, "pimpinan.tegal")
    body = {"title": "Survei uji", "year": 2028, "good": 0, "needs_improvement": 0, "poor": 0}
    response = client.post(f"{BASE}/surveys", json=body, headers=headers)
    assert response.status_code == 422 and "good" in field_names(response)
    response = client.post(f"{BASE}/surveys", json={**body, "poor": -2}, headers=headers)
    assert response.status_code == 422 and "poor" in field_names(response)


def test_roles(client: Any) -> None:
    body = {"year": 2031, "authorised": 10, "operational": 5}
    analis = login(client, "analis")
    assert client.get(f"{BASE}/personnel", headers=analis).status_code == 200
    assert client.get(BASE, headers=analis).status_code == 200
    assert client.post(f"{BASE}/personnel", json=body, headers=analis).status_code == 403
    for user in ("operator.tegal", "petugas.slawi"):
        assert client.get(BASE, headers=login(client, user)).status_code == 403
    assert client.get(BASE).status_code == 401
    admin = login(client, "admin")
    response = client.post(f"{BASE}/personnel", json=body, headers=admin)
    assert response.status_code == 422 and "org" in field_names(response)
