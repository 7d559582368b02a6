"""Browser test of the /ops geofence panel (1366x768): an open alert shows, 'Terima' takes it."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD, KLOJEN, login
from tests.geofence.helpers import ago, alerts, evaluate, send_fix
from tests.tracking.helpers import new_unit

CHROMIUM = "/usr/bin/chromium"
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
                page.screenshot(path="/tmp/geofence17-ops.png")
                row.locator("button", has_text="Terima").click()
                expect(row).to_have_count(0, timeout=10000)
            finally:
                browser.close()
        assert errors == []
        [taken] = alerts(http, rule_id=rule["id"])
        assert taken["status"] == "acknowledged"
    finally:
        http.delete(f"/api/v1/geofence/rules/{rule['id']}", headers=login(http, "admin"))
