"""OwnTracks over HTTP (Basic auth with an officer's log-in) and the officer page's sharing."""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import select

from tests.conftest import DEMO_PASSWORD, login
from tests.tracking.helpers import epoch


def _basic(username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _officer_unit(username: str) -> Any:
    from siaga.auth.models import User
    from siaga.db import get_database
    from siaga.units.models import Unit

    with get_database().session() as session:
        return session.scalar(select(Unit).join(User, User.id == Unit.user_id)
                              .where(User.username == username, Unit.kind == "officer"))


def _location(**extra: Any) -> dict[str, Any]:
    # As OwnTracks (Android 2.4) posts it in HTTP mode.
    body = {"_type": "location", "acc": 12, "alt": 447, "batt": 64, "bs": 1, "cog": 271,
            "conn": "m", "created_at": epoch(), "lat": -7.9612, "lon": 112.6205, "m": 1,
            "tid": "KM", "tst": epoch(-4), "vac": 3, "vel": 27, "topic": "owntracks/x/phone"}
    body.update(extra)
    return body


def test_location_with_basic_auth_stores_on_the_officers_unit(client: Any) -> None:
    response = client.post("/gps/owntracks", json=_location(),
                           headers={**_basic("bhabin.oro-oro-dowo"), "X-Limit-U": "x",
                                    "X-Limit-D": "phone"})
    assert response.status_code == 200, response.text
    assert response.json() == []
    unit = _officer_unit("bhabin.oro-oro-dowo")
    assert unit is not None and unit.kind == "officer"
    assert unit.org_path.endswith("/polsek-klojen/")
    assert (unit.lat, unit.lon) == (-7.9612, 112.6205)
    assert unit.speed_kmh == 27  # OwnTracks vel is already km/h
    assert unit.heading == 271 and unit.battery == 64


def test_other_message_types_are_accepted_and_ignored(client: Any) -> None:
    headers = _basic("bhabin.kidul-dalem")
    for body in ({"_type": "transition", "event": "enter", "tst": epoch()},
                 {"_type": "lwt", "tst": epoch()}, {"_type": "card", "name": "x"},
                 {"_type": "encrypted", "data": "abc"}):
        response = client.post("/gps/owntracks", json=body, headers=headers)
        assert response.status_code == 200 and response.json() == [], body
    assert _officer_unit("bhabin.kidul-dalem") is None


def test_credentials_are_checked(client: Any) -> None:
    assert client.post("/gps/owntracks", json=_location()).status_code == 401
    wrong = client.post("/gps/owntracks", json=_location(),
                        headers=_basic("bhabin.kauman", "salah-sandi"))
    assert wrong.status_code == 401
    garbage = client.post("/gps/owntracks", json=_location(),
                          headers={"Authorization": "Basic !!!"})
    assert garbage.status_code == 401
    staff = client.post("/gps/owntracks", json=_location(), headers=_basic("operator"))
    assert staff.status_code == 403


def test_zero_fix_over_owntracks_is_recorded_not_stored(client: Any) -> None:
    from siaga.db import get_database
    from siaga.units.models import RejectedFix

    response = client.post("/gps/owntracks", json=_location(lat=0, lon=0),
                           headers=_basic("bhabin.rampal-celaket"))
    assert response.status_code == 200 and response.json() == []
    unit = _officer_unit("bhabin.rampal-celaket")
    with get_database().session() as session:
        reasons = session.scalars(select(RejectedFix.reason)
                                  .where(RejectedFix.unit_id == unit.id)).all()
    assert reasons and reasons[0].startswith("zero_position")
    assert unit.lat is None


def test_unreadable_location_is_400(client: Any) -> None:
    response = client.post("/gps/owntracks", json={"_type": "location", "lat": "x", "lon": 1},
                           headers=_basic("bhabin.kauman"))
    assert response.status_code == 400


def test_officer_page_shares_location(client: Any) -> None:
    headers = login(client, "bhabin.samaan")
    response = client.post("/api/v1/tracking/me", headers=headers,
                           json={"lat": -7.9735, "lon": 112.6290, "accuracy": 15})
    assert response.status_code == 200, response.text
    reply = response.json()
    assert reply["accepted"] is True and reply["status"] == "stored"
    unit = _officer_unit("bhabin.samaan")
    assert unit.id == reply["unit_id"] and unit.lat == -7.9735
    again = client.post("/api/v1/tracking/me", headers=headers,
                        json={"lat": -7.9736, "lon": 112.6291})
    assert again.json()["unit_id"] == unit.id
    ops = login(client, "operator")
    units = client.get("/api/v1/units?kind=officer&limit=1000", headers=ops).json()["items"]
    assert any(u["id"] == unit.id and u["position"]["lat"] == -7.9736 for u in units)


def test_officer_page_sharing_is_for_officers_only(client: Any) -> None:
    response = client.post("/api/v1/tracking/me", headers=login(client, "operator"),
                           json={"lat": -7.97, "lon": 112.63})
    assert response.status_code == 403
    assert client.post("/api/v1/tracking/me", json={"lat": -7.97, "lon": 112.63}
                       ).status_code == 401
    bad = client.post("/api/v1/tracking/me", headers=login(client, "bhabin.samaan"),
                      json={"lat": 91, "lon": 112.63})
    assert bad.status_code == 422
