"""A unit's crew: the demo patrol units reach their officer's phone; admins add and remove
officers of the unit's organisation (audited, capability-checked, scoped)."""

from __future__ import annotations

from typing import Any

from tests.admin.helpers import audit_rows, polres_admin
from tests.conftest import DEMO_PASSWORD, KLOJEN, login, register_device
from tests.dispatch.helpers import offset, post_alarm, set_unit
from tests.tracking.helpers import new_unit


def _unit(client: Any, callsign: str) -> dict[str, Any]:
    page = client.get("/api/v1/units?limit=1000", headers=login(client, "admin")).json()
    return next(u for u in page["items"] if u["callsign"] == callsign)


def _petugas_of(org_code: str) -> str:
    from sqlalchemy import select

    from siaga.auth.models import User
    from siaga.db import get_database
    from siaga.orgs.models import Organisation

    with get_database().session() as session:
        name = session.scalar(
            select(User.username).join(Organisation, Organisation.id == User.org_id)
            .where(Organisation.code == org_code, User.role == "petugas")
            .where(User.username.startswith("bhabin.")).order_by(User.username).limit(1))
        assert name is not None
        return name


def _dispatch(client: Any, unit_id: int) -> int:
    from siaga.db import utcnow

    near = offset(*KLOJEN, 400)
    set_unit(unit_id, lat=near[0], lon=near[1], position_at=utcnow(), status="available")
    alarm = post_alarm(client, register_device(client))
    sent = client.post(f"/api/v1/alarms/{alarm['id']}/dispatch", json={"unit_id": unit_id},
                       headers=login(client, "operator"))
    assert sent.status_code == 201, sent.text
    return int(alarm["id"])


def _task_alarms(client: Any, username: str) -> set[int]:
    tasks = client.get("/api/v1/dispatch/mine", headers=login(client, username, DEMO_PASSWORD))
    assert tasks.status_code == 200, tasks.text
    return {t["alarm"]["id"] for t in tasks.json()["items"]}


def test_dispatching_a_demo_patrol_unit_reaches_its_officers_phone(client: Any) -> None:
    car = _unit(client, "R4-KLOJEN")
    assert car["crew"] == ["patroli.r4-klojen"]
    alarm_id = _dispatch(client, car["id"])
    assert alarm_id in _task_alarms(client, "patroli.r4-klojen")
    # Another Polsek's patrol officer does not get it.
    assert alarm_id not in _task_alarms(client, "patroli.r4-blimbing")
    for callsign in ("R2-KLOJEN", "R4-MAKOTA-1"):
        assert _unit(client, callsign)["crew"] == [f"patroli.{callsign.lower()}"]


def test_admin_adds_and_removes_an_officer_of_the_units_organisation(client: Any) -> None:
    unit = new_unit(client)
    admin = login(client, "admin")
    candidates = client.get(f"/api/v1/units/{unit['id']}/crew/candidates", headers=admin)
    assert candidates.status_code == 200, candidates.text
    names = {c["username"] for c in candidates.json()["items"]}
    assert "bhabin.kauman" in names and _petugas_of("polsek-blimbing") not in names
    assert "operator.klojen" not in names  # not an officer in the field: no /petugas tasks
    kauman = next(c for c in candidates.json()["items"] if c["username"] == "bhabin.kauman")

    added = client.post(f"/api/v1/units/{unit['id']}/crew", json={"user_id": kauman["id"]},
                        headers=admin)
    assert added.status_code == 200, added.text
    assert added.json()["crew"] == ["bhabin.kauman"]
    [row] = audit_rows("unit.crew_add", unit["id"])
    assert row.detail["member"] == "bhabin.kauman"
    again = client.post(f"/api/v1/units/{unit['id']}/crew", json={"user_id": kauman["id"]},
                        headers=admin)
    assert again.status_code == 409
    alarm_id = _dispatch(client, unit["id"])
    assert alarm_id in _task_alarms(client, "bhabin.kauman")

    removed = client.delete(f"/api/v1/units/{unit['id']}/crew/bhabin.kauman", headers=admin)
    assert removed.status_code == 200, removed.text
    assert removed.json()["crew"] == []
    [row] = audit_rows("unit.crew_remove", unit["id"])
    assert row.detail["crew"] == [["bhabin.kauman"], []]
    assert alarm_id not in _task_alarms(client, "bhabin.kauman")
    missing = client.delete(f"/api/v1/units/{unit['id']}/crew/bhabin.kauman", headers=admin)
    assert missing.status_code == 404


def test_crew_must_be_an_officer_of_the_unit_and_only_admins_edit_it(client: Any) -> None:
    from sqlalchemy import select

    from siaga.auth.models import User
    from siaga.db import get_database

    unit = new_unit(client)
    admin = login(client, "admin")
    with get_database().session() as session:
        ids = {u.username: u.id for u in session.scalars(select(User).where(User.username.in_(
            [_petugas_of("polsek-blimbing"), "operator.klojen", "bhabin.kauman"])))}
    path = f"/api/v1/units/{unit['id']}/crew"
    other_polsek = client.post(path, json={"user_id": ids[_petugas_of("polsek-blimbing")]},
                               headers=admin)
    assert other_polsek.status_code == 422
    assert "bukan personel aktif" in other_polsek.json()["detail"]["msg"]
    desk_staff = client.post(path, json={"user_id": ids["operator.klojen"]}, headers=admin)
    assert desk_staff.status_code == 422 and "petugas" in desk_staff.json()["detail"]["msg"]
    assert client.post(path, json={"user_id": 0}, headers=admin).status_code == 422
    assert client.post(path, json={"user_id": 99_999_999}, headers=admin).status_code == 404
    operator = login(client, "operator")
    assert client.post(path, json={"user_id": ids["bhabin.kauman"]},
                       headers=operator).status_code == 403
    assert client.get(f"{path}/candidates", headers=operator).status_code == 403
    tegal = polres_admin(client, "polres-tegal")
    assert client.post(path, json={"user_id": ids["bhabin.kauman"]},
                       headers=tegal).status_code == 404
    assert client.delete(f"{path}/x", headers=tegal).status_code == 404
    assert _unit(client, unit["callsign"])["crew"] == []


def test_a_patrol_officer_sharing_from_the_phone_moves_their_car_into_the_recommendations(
        client: Any) -> None:
    car = _unit(client, "R4-SUKUN")
    officer = login(client, "patroli.r4-sukun", DEMO_PASSWORD)
    near = offset(*KLOJEN, 0, 700)
    shared = client.post("/api/v1/tracking/me", json={"lat": near[0], "lon": near[1],
                                                      "accuracy": 8}, headers=officer)
    assert shared.status_code == 200, shared.text
    assert shared.json()["unit_id"] == car["id"]  # the car they lead, no second unit
    alarm = post_alarm(client, register_device(client))
    ranked = client.get(f"/api/v1/alarms/{alarm['id']}/recommendations?limit=50",
                        headers=login(client, "operator")).json()["items"]
    assert car["id"] in [r["unit_id"] for r in ranked]
