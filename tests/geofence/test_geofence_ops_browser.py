"""Browser test of the /ops geofence panel (1366x768): an open alert shows in the panel and as a
marker on the map, the panel centres the map on it, 'Terima' takes it off both."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD, KLOJEN, login
from tests.geofence.helpers import ago, alerts, evaluate, send_fix
from tests.tracking.helpers import new_unit

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("SIAGA_SHOTS", "/tmp/shots_b"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium")


def test_ops_lists_an_open_alert_and_takes_it(live_server: Any) -> None:
    from playwright.sync_api import expect, sync_playwright

    http = httpx.Client(base_url=live_server.url, timeout=10)
    unit = new_unit(http, org="polsek-klojen")
    made = http.post("/api/v1/geofence/rules", headers=login(http, "admin"), json={
        "name": "Unit diam 10 menit (uji layar)", "kind": "unit_silent",
        "org": "polsek-klojen", "silent_minutes": 10})
    assert made.status_code == 201, made.text
    rule = made.json()
    try:
        send_fix(http, unit["tracker_id"], *KLOJEN, ago(25))
        evaluate()
        [alert] = alerts(http, rule_id=rule["id"], status="open")
        errors: list[str] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(f"{live_server.url}/ops")
                page.fill("#login-form input[name=username]", "operator")
                page.fill("#login-form input[name=password]", DEMO_PASSWORD)
                page.click("#login-form button[type=submit]")
                row = page.locator(f"#geofence-alerts [data-alert='{alert['id']}']")
                expect(row).to_contain_text("Unit tidak mengirim posisi", timeout=15000)
                expect(row).to_contain_text(f"{unit['callsign']} tidak mengirim posisi sejak")
                # On the map: a diamond at the unit's last fix, listed in the legend.
                pin = page.locator(f".geofence-pin[data-geofence-alert='{alert['id']}']")
                expect(pin).to_have_count(1, timeout=15000)
                page.locator(".map-legend summary").click()
                expect(page.locator(".map-legend")).to_contain_text("Peringatan wilayah")
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / "ops-geofence-legend.png"))
                page.locator(".map-legend summary").click()
                row.locator("strong").click()  # the row, not its button: centre the map
                page.wait_for_timeout(600)
                centre = page.evaluate("(() => { const m = window.siagaOps.map;"
                                       " const c = m.getCenter(); return [c.lat, c.lng,"
                                       " m.getZoom()]; })()")
                assert abs(centre[0] - KLOJEN[0]) < 1e-4 and abs(centre[1] - KLOJEN[1]) < 1e-4
                assert centre[2] >= 16
                expect(pin).to_have_class(re.compile("selected"))
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / "ops-geofence-marker.png"))
                row.locator("button", has_text="Terima").click()
                expect(row).to_have_count(0, timeout=10000)
                expect(pin).to_have_count(0, timeout=10000)  # acknowledged: off the map
            finally:
                browser.close()
        assert errors == []
        [taken] = alerts(http, rule_id=rule["id"])
        assert taken["status"] == "acknowledged"
    finally:
        http.delete(f"/api/v1/geofence/rules/{rule['id']}", headers=login(http, "admin"))
