"""Each geofence rule on recorded tracks: leaving the Polsek area, a school zone without a unit,
a silent unit; one live alert per rule and unit, acknowledged, audited, in scope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.admin.helpers import audit_rows
from tests.conftest import KLOJEN, LOWOKWARU, login
from tests.geofence.helpers import (
    add_rule,
    ago,
    alert_events,
    alerts,
    drop_rule,
    evaluate,
    now,
    send_fix,
    wib_window,
)
from tests.tracking.helpers import new_unit

SCHOOL_SLAWI = (-6.985826, 109.12522)  # SMK Pertanian Slawi, a brawl-prone demo school


def _school_id(client: Any) -> int:
    response = client.get("/api/v1/schools", headers=login(client, "operator.tegal"))
    assert response.status_code == 200, response.text
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    [school] = [s for s in items if s["name"] == "SMK Pertanian Slawi"]
    return int(school["id"])


def test_unit_leaving_its_polsek_area_raises_an_alert(client: Any) -> None:
    unit = new_unit(client, org="polsek-klojen")
    rule = add_rule(client, name="Keluar wilayah Polres", kind="leave_jurisdiction",
                    org="polres-malang-kota")
    try:
        send_fix(client, unit["tracker_id"], *KLOJEN, ago(20))
        evaluate()
        assert alerts(client, rule_id=rule["id"], unit_id=unit["id"]) == []
        send_fix(client, unit["tracker_id"], *LOWOKWARU, ago(2))  # Lowokwaru: another Polsek
        evaluate()
        [alert] = alerts(client, rule_id=rule["id"], unit_id=unit["id"], status="open")
        assert alert["unit_id"] == unit["id"]
        assert alert["message"] == f"{unit['callsign']} keluar dari wilayah Polsek Klojen"
        assert alert["kind_label"] == "Unit keluar wilayah"
        assert alert["opened_at_label"].endswith("WIB")
        assert [e["status"] for e in alert_events(alert["id"])] == ["open"]
        assert audit_rows("geofence.alert_open", alert["id"])
        # Back inside: the alert resolves itself.
        send_fix(client, unit["tracker_id"], *KLOJEN, ago(0))
        evaluate()
        [done] = alerts(client, rule_id=rule["id"], unit_id=unit["id"])
        assert done["status"] == "resolved" and done["status_label"] == "Selesai"
    finally:
        drop_rule(client, rule["id"])


def test_school_zone_without_a_unit_in_its_window_raises_and_a_unit_inside_clears(
        client: Any) -> None:
    start, end = wib_window(30, 30)
    rule = add_rule(client, name="Bubaran SMK Pertanian Slawi", kind="zone_uncovered",
                    org="polres-tegal", zone_source="school", school_id=_school_id(client),
                    radius_m=300, start_time=start, end_time=end)
    assert rule["window_label"] == f"Setiap hari · {start}–{end} WIB"
    try:
        evaluate(now() + timedelta(hours=3))  # outside the window: nothing to cover
        assert alerts(client, rule_id=rule["id"], user="operator.tegal") == []
        evaluate()
        [alert] = alerts(client, rule_id=rule["id"], user="operator.tegal", status="open")
        assert alert["unit_id"] is None
        assert alert["message"] == "Tidak ada unit di zona Bubaran SMK Pertanian Slawi"
        unit = new_unit(client, org="polsek-slawi")
        send_fix(client, unit["tracker_id"], SCHOOL_SLAWI[0] + 0.001, SCHOOL_SLAWI[1], ago(1))
        evaluate()
        [done] = alerts(client, rule_id=rule["id"], user="operator.tegal")
        assert done["id"] == alert["id"] and done["status"] == "resolved"
        assert [e["status"] for e in alert_events(alert["id"])] == ["open", "resolved"]
    finally:
        drop_rule(client, rule["id"])


def test_silent_unit_raises_once_until_acknowledged_and_clears_when_it_reports(
        client: Any) -> None:
    unit = new_unit(client, org="polsek-klojen")
    rule = add_rule(client, name="Unit diam 10 menit", kind="unit_silent",
                    org="polsek-klojen", silent_minutes=10)
    try:
        send_fix(client, unit["tracker_id"], *KLOJEN, ago(30))
        evaluate()
        evaluate()  # a second tick opens nothing new
        [alert] = alerts(client, rule_id=rule["id"], unit_id=unit["id"])
        assert alert["unit_id"] == unit["id"] and alert["status"] == "open"
        assert "tidak mengirim posisi sejak" in alert["message"]
        assert alert["message"].endswith("WIB (30 menit)")
        url = f"/api/v1/geofence/alerts/{alert['id']}/acknowledge"
        taken = client.post(url, headers=login(client, "operator.klojen"))
        assert taken.status_code == 200, taken.text
        assert taken.json()["status_label"] == "Diterima"
        assert audit_rows("geofence.alert_acknowledge", alert["id"])
        again = client.post(url, headers=login(client, "operator.klojen"))
        assert again.status_code == 409 and again.json()["detail"]
        evaluate()  # still silent, already taken: no new alert
        [same] = alerts(client, rule_id=rule["id"], unit_id=unit["id"])
        assert same["status"] == "acknowledged"
        assert alerts(client, rule_id=rule["id"], unit_id=unit["id"], status="open") == []
        send_fix(client, unit["tracker_id"], *KLOJEN, ago(0))
        evaluate()
        [done] = alerts(client, rule_id=rule["id"], unit_id=unit["id"])
        assert done["status"] == "resolved"
    finally:
        drop_rule(client, rule["id"])


def test_alerts_stay_in_scope_and_only_admins_write_rules(client: Any) -> None:
    unit = new_unit(client, org="polsek-klojen")
    rule = add_rule(client, name="Diam 5 menit Malang", kind="unit_silent",
                    org="polres-malang-kota", silent_minutes=5)
    try:
        send_fix(client, unit["tracker_id"], *KLOJEN, ago(20))
        evaluate()
        [alert] = alerts(client, rule_id=rule["id"], unit_id=unit["id"], user="pimpinan")
        assert alerts(client, rule_id=rule["id"], unit_id=unit["id"], user="operator.tegal") == []
        foreign = client.post(f"/api/v1/geofence/alerts/{alert['id']}/acknowledge",
                              headers=login(client, "operator.tegal"))
        assert foreign.status_code == 404
        for user in ("operator", "pimpinan"):
            denied = client.post("/api/v1/geofence/rules", headers=login(client, user),
                                 json={"name": "x", "kind": "unit_silent",
                                       "org": "polres-malang-kota", "silent_minutes": 5})
            assert denied.status_code == 403, user
        assert client.get("/api/v1/geofence/alerts",
                          headers=login(client, "analis")).status_code == 403
    finally:
        drop_rule(client, rule["id"])


def test_bad_rules_get_a_clear_4xx(client: Any) -> None:
    admin = login(client, "admin")
    cases = [
        ({"name": "a", "kind": "terbang", "org": "polres-tegal"}, "kind"),
        ({"name": "a", "kind": "unit_silent", "org": "polres-tegal"}, "silent_minutes"),
        ({"name": "a", "kind": "unit_silent", "org": "polres-tegal", "silent_minutes": 5,
          "start_time": "25:00", "end_time": "10:00"}, "start_time"),
        ({"name": "a", "kind": "zone_uncovered", "org": "polres-tegal",
          "zone_source": "polygon", "zone": {"type": "Point", "coordinates": [0, 0]}}, "zone"),
        ({"name": "a", "kind": "zone_uncovered", "org": "tidak-ada"}, "org"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/geofence/rules", headers=admin, json=body)
        assert 400 <= response.status_code < 500, (body, response.text)
        assert field in response.text, (body, response.text)


def test_officer_sos_raises_one_alert_linked_to_its_alarm(client: Any) -> None:
    unit = new_unit(client, org="polsek-klojen")
    rule = add_rule(client, name="SOS petugas Klojen", kind="officer_sos", org="polsek-klojen")
    try:
        for lat in (KLOJEN[0], KLOJEN[0] + 0.0002):  # the repeat SOS joins the same alarm
            sent = client.get("/gps/osmand", params={
                "id": unit["tracker_id"], "lat": lat, "lon": KLOJEN[1],
                "timestamp": int(now().timestamp()), "alarm": "sos"})
            assert sent.status_code == 200, sent.text
            evaluate()
        [alert] = alerts(client, rule_id=rule["id"], unit_id=unit["id"],
                         user="operator.klojen")
        assert alert["message"] == f"SOS petugas: {unit['callsign']}"
        assert alert["unit_id"] == unit["id"] and alert["alarm_id"] is not None
        sos = client.get(f"/api/v1/alarms/{alert['alarm_id']}", headers=login(client, "operator"))
        assert sos.status_code == 200 and sos.json()["kind"] == "officer_sos"
    finally:
        drop_rule(client, rule["id"])
