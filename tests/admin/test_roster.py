"""Duty roster: shifts per organisation, who is on duty now, the supervisor told on escalation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.admin.helpers import audit_rows, new_account, polres_admin
from tests.conftest import SLAWI, login, register_device
from tests.dispatch.helpers import post_alarm


def _shift(client: Any, headers: dict[str, str], org: str, start: datetime, hours: float,
           supervisor: int | None, duties: list[tuple[str, int]]) -> Any:
    return client.post("/api/v1/roster/shifts", headers=headers, json={
        "org": org, "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=hours)).isoformat(), "label": "Piket uji",
        "supervisor_id": supervisor, "duties": [{"desk": d, "user_id": u} for d, u in duties]})


def test_roster_now_shows_desks_and_supervisor_in_scope(client: Any) -> None:
    supervisor = new_account(client, role="pimpinan", org="polres-malang-kota",
                             phone="0812-3000-1111", full_name="AKP Sutrisno")
    desk = new_account(client, role="operator", org="polsek-blimbing", full_name="Brigpol Rina")
    start = datetime.now(UTC) - timedelta(hours=1)
    created = _shift(client, login(client, "admin"), "polsek-blimbing", start, 8,
                     supervisor["id"], [("SPKT", desk["id"])])
    assert created.status_code == 201, created.text
    shift = created.json()
    assert audit_rows("roster.create", shift["id"])
    now = client.get("/api/v1/roster/now", headers=login(client, "operator")).json()
    mine = [s for s in now["shifts"] if s["id"] == shift["id"]]
    assert mine and mine[0]["supervisor"]["name"] == "AKP Sutrisno"
    assert mine[0]["supervisor"]["phone"] == "0812-3000-1111"
    assert [(d["desk"], d["person"]["name"]) for d in mine[0]["duties"]] == [
        ("SPKT", "Brigpol Rina")]
    tegal_now = client.get("/api/v1/roster/now", headers=login(client, "operator.tegal")).json()
    assert shift["id"] not in {s["id"] for s in tegal_now["shifts"]}
    overlap = _shift(client, login(client, "admin"), "polsek-blimbing",
                     start + timedelta(hours=2), 4, supervisor["id"], [])
    assert overlap.status_code == 409
    # Deleting it (audited) frees the slot again.
    assert client.delete(f"/api/v1/roster/shifts/{shift['id']}",
                         headers=login(client, "admin")).status_code == 204
    assert audit_rows("roster.delete", shift["id"])


def test_roster_scope_and_roles(client: Any) -> None:
    tegal = polres_admin(client, "polres-tegal")
    malang_officer = new_account(client, role="operator", org="polsek-klojen")
    start = datetime(2031, 5, 1, 0, 0, tzinfo=UTC)
    assert _shift(client, tegal, "polsek-klojen", start, 8, None,
                  [("SPKT", malang_officer["id"])]).status_code == 404
    # A Tegal shift may not seat a Malang officer either.
    assert _shift(client, tegal, "polsek-slawi", start, 8, None,
                  [("SPKT", malang_officer["id"])]).status_code == 404
    operator = login(client, "operator")
    assert _shift(client, operator, "polsek-klojen", start, 8, None,
                  [("SPKT", malang_officer["id"])]).status_code == 403
    bad = _shift(client, login(client, "admin"), "polsek-klojen", start, -1, None,
                 [("SPKT", malang_officer["id"])])
    assert bad.status_code == 422
    naive = client.post("/api/v1/roster/shifts", headers=login(client, "admin"), json={
        "org": "polsek-klojen", "starts_at": "2031-05-01T08:00:00",
        "ends_at": "2031-05-01T16:00:00", "duties": [{"desk": "SPKT",
                                                      "user_id": malang_officer["id"]}]})
    assert naive.status_code == 422


def test_escalation_to_the_supervisor_names_them(client: Any) -> None:
    from sqlalchemy import select

    from siaga.alarms.models import AlarmEvent
    from siaga.db import get_database
    from siaga.dispatch.escalation import escalate_due_alarms
    from siaga.roster.service import supervisor_on_duty

    supervisor = new_account(client, role="pimpinan", org="polres-tegal",
                             phone="0813-2222-9999", full_name="Kompol Hartono")
    alarm = post_alarm(client, register_device(client), lat=SLAWI[0], lon=SLAWI[1])
    created = datetime.fromisoformat(alarm["created_at"])
    later = created + timedelta(seconds=120)
    # A shift of the Polres that covers the escalation time.
    shift = _shift(client, login(client, "admin"), "polres-tegal",
                   later - timedelta(minutes=30), 1, supervisor["id"], [])
    assert shift.status_code == 201, shift.text
    with get_database().session() as session:
        from siaga.orgs.models import Organisation

        polres = session.scalar(select(Organisation).where(Organisation.code == "polres-tegal"))
        assert polres is not None
        found = supervisor_on_duty(session, org_id=polres.id, at=later)
        assert found is not None and found.id == supervisor["id"]
        escalate_due_alarms(session, now=later)
        session.commit()
        events = session.scalars(select(AlarmEvent).where(AlarmEvent.alarm_id == alarm["id"])
                                 .where(AlarmEvent.type == "escalated")).all()
    to_supervisor = [e for e in events if e.data.get("level") == 2]
    assert to_supervisor, [e.data for e in events]
    assert to_supervisor[0].data["notified"]["name"] == "Kompol Hartono"
    assert "Kompol Hartono" in (to_supervisor[0].note or "")
    detail = client.get(f"/api/v1/alarms/{alarm['id']}",
                        headers=login(client, "operator.tegal")).json()
    assert "Kompol Hartono" in str(detail)
