"""Recommendation: ranking by estimated travel time, filters, the Polsek desk fallback."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import KLOJEN, login, register_device
from tests.dispatch.helpers import make_unit, offset, post_alarm


def _ranked(client: Any, alarm_id: int, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/alarms/{alarm_id}/recommendations?limit=100",
                          headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_units_ranked_by_travel_time_not_distance(client: Any) -> None:
    alarm = post_alarm(client, register_device(client))
    # A motorbike 2 km away beats an officer on foot 600 m away; a car 1 km away beats both.
    car = make_unit(kind="car", lat=offset(*KLOJEN, 1000)[0], lon=offset(*KLOJEN, 1000)[1])
    bike = make_unit(kind="motorbike", lat=offset(*KLOJEN, -2000)[0],
                     lon=offset(*KLOJEN, -2000)[1])
    foot = make_unit(kind="officer", lat=offset(*KLOJEN, 0, 600)[0],
                     lon=offset(*KLOJEN, 0, 600)[1])
    items = _ranked(client, alarm["id"], login(client, "operator"))
    ids = [i["unit_id"] for i in items]
    assert ids.index(car) < ids.index(bike) < ids.index(foot)
    # Mobile units with fixes of the same age are ranked by their travel time (other tests'
    # units, with older fixes, weigh their age too; the desk's place is the fallback rule's).
    etas = [i["eta_s"] for i in items if i["unit_id"] in {car, bike, foot}]
    assert etas == sorted(etas)
    car_item = items[ids.index(car)]
    # 1 km x 1.35 detour at 30 km/h plus 30 s turnout = 192 s.
    assert abs(car_item["distance_m"] - 1000) < 5
    assert abs(car_item["eta_s"] - (30 + 1000 * 1.35 / (30 / 3.6))) < 2
    assert car_item["eta_at"] and car_item["kind_label"] == "Mobil patroli"


def test_busy_stale_unplaced_and_other_polres_units_are_left_out(client: Any) -> None:
    from siaga.db import utcnow

    alarm = post_alarm(client, register_device(client))
    near = offset(*KLOJEN, 300)
    busy = make_unit(lat=near[0], lon=near[1], status="on_scene")
    stale = make_unit(lat=near[0], lon=near[1], position_at=utcnow() - timedelta(minutes=30))
    unplaced = make_unit()
    tegal = make_unit(lat=near[0], lon=near[1], org="polres-tegal")
    ok = make_unit(lat=near[0], lon=near[1])
    ids = [i["unit_id"] for i in _ranked(client, alarm["id"], login(client, "operator"))]
    assert ok in ids
    assert not {busy, stale, unplaced, tegal} & set(ids)


def test_polsek_desk_is_always_offered_as_fallback(client: Any) -> None:
    alarm = post_alarm(client, register_device(client))
    items = _ranked(client, alarm["id"], login(client, "operator"))
    fallback = [i for i in items if i["fallback"]]
    assert len(fallback) == 1
    desk = fallback[0]
    assert desk["kind"] == "desk" and desk["org_code"] == "polsek-klojen"
    # The desk sets off from the Polsek with a car's speed after assembling a team.
    assert desk["eta_s"] >= 180
    limited = client.get(f"/api/v1/alarms/{alarm['id']}/recommendations?limit=1",
                         headers=login(client, "operator")).json()["items"]
    assert any(i["fallback"] for i in limited)


def _klojen_desk() -> tuple[float, float]:
    from siaga.db import get_database
    from siaga.orgs.service import org_by_code

    with get_database().session() as session:
        org = org_by_code(session, code="polsek-klojen")
        assert org.lat is not None and org.lon is not None
        return org.lat, org.lon


def test_officer_with_a_fresh_fix_ranks_above_the_nearer_desk(client: Any) -> None:
    from siaga.db import utcnow

    # The review's Kauman alarm: the desk 629 m away, an officer 510 m away heard 10 s ago.
    alarm_at = offset(*_klojen_desk(), 629)
    alarm = post_alarm(client, register_device(client), lat=alarm_at[0], lon=alarm_at[1])
    officer_at = offset(*alarm_at, 0, 510)
    officer = make_unit(kind="officer", lat=officer_at[0], lon=officer_at[1],
                        position_at=utcnow() - timedelta(seconds=10))
    items = _ranked(client, alarm["id"], login(client, "operator"))
    kinds = [(i["unit_id"], i["kind"], i["fallback"]) for i in items]
    ids = [i["unit_id"] for i in items]
    desk = next(n for n, i in enumerate(items) if i["fallback"])
    assert ids.index(officer) < desk, kinds
    # The ETA shown stays the travel time: the desk's is shorter, it is just the fallback.
    assert items[desk]["eta_s"] < items[ids.index(officer)]["eta_s"]
    assert abs(items[desk]["distance_m"] - 629) < 10


def test_desk_ranks_first_when_the_mobile_units_are_much_farther(client: Any) -> None:
    alarm_at = offset(*_klojen_desk(), 300)
    alarm = post_alarm(client, register_device(client), lat=alarm_at[0], lon=alarm_at[1])
    far = offset(*alarm_at, 0, 2500)
    officer = make_unit(kind="officer", lat=far[0], lon=far[1])
    items = _ranked(client, alarm["id"], login(client, "operator"))
    ids = [i["unit_id"] for i in items]
    desk = next(n for n, i in enumerate(items) if i["fallback"])
    assert items[desk]["kind"] == "desk" and desk < ids.index(officer)


def test_an_older_fix_ranks_after_an_equally_near_fresh_one(client: Any) -> None:
    from siaga.db import utcnow

    alarm = post_alarm(client, register_device(client))
    near = offset(*KLOJEN, 800)
    old = make_unit(lat=near[0], lon=near[1], position_at=utcnow() - timedelta(minutes=4))
    fresh = make_unit(lat=near[0], lon=near[1], position_at=utcnow() - timedelta(seconds=5))
    ids = [i["unit_id"] for i in _ranked(client, alarm["id"], login(client, "operator"))]
    assert ids.index(fresh) < ids.index(old)


def test_recommendations_need_staff_of_the_alarm_scope(client: Any) -> None:
    alarm = post_alarm(client, register_device(client))
    url = f"/api/v1/alarms/{alarm['id']}/recommendations"
    assert client.get(url, headers=login(client, "operator.tegal")).status_code == 404
    assert client.get(url, headers=login(client, "bhabin.kauman")).status_code == 403
    assert client.get(url).status_code == 401


def test_recommendation_among_500_units_is_fast() -> None:
    from siaga.dispatch.bench import run_recommend_bench

    result = run_recommend_bench(units=500, n=40, seed=3)
    assert result["units"] == 500 and result["returned"] >= 10
    # The target is 20 ms (`siaga bench recommend` reports it); the margin absorbs busy CI hosts.
    assert result["p50_ms"] < 100, result
