"""Browser test of the dispatch flow: the operator dispatches, the officer's page alerts and
accepts, and the citizen sees the unit coming."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD, KLOJEN
from tests.dispatch.helpers import make_unit, offset

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium")


def _officer() -> str:
    from siaga.auth.service import create_user
    from siaga.db import get_database
    from siaga.orgs.service import org_by_code

    username = f"petugas.uji.{uuid.uuid4().hex[:6]}"
    with get_database().session() as session:
        create_user(session, username=username, password=DEMO_PASSWORD, role="petugas",
                    org=org_by_code(session, code="polsek-klojen"), full_name="Brigpol Uji")
    return username


def test_operator_dispatches_officer_accepts_citizen_sees_unit(live_server: Any) -> None:
    import httpx
    from playwright.sync_api import expect, sync_playwright

    officer = _officer()
    near = offset(*KLOJEN, 900, 300)
    unit_id = make_unit(kind="motorbike", lat=near[0], lon=near[1], username=officer)
    http = httpx.Client(base_url=live_server.url, timeout=10)
    token = http.post("/api/v1/auth/login", json={"username": "operator",
                                                  "password": DEMO_PASSWORD}).json()
    ops = {"Authorization": f"Bearer {token['access_token']}"}

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # The citizen registers on /warga and presses Help three times.
            warga = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                geolocation={"latitude": KLOJEN[0], "longitude": KLOJEN[1], "accuracy": 12},
                permissions=["geolocation"]).new_page()
            warga.goto(f"{live_server.url}/warga")
            warga.fill("#register-form input[name=name]", "Warga Uji")
            warga.fill("#register-form input[name=phone]", "081234567890")
            warga.fill("#register-form input[name=pin]", "2468")
            warga.click("#register-form button[type=submit]")
            warga.click("#accept-warning")
            for _ in range(3):
                warga.click("#help")
            expect(warga.locator("#status")).to_be_visible(timeout=15000)
            warga.wait_for_function(
                "() => (JSON.parse(localStorage.getItem('siaga.warga.outbox') || '[]')"
                ".find((a) => a.id) || null)", timeout=20000)
            alarm_id = warga.evaluate(
                "JSON.parse(localStorage.getItem('siaga.warga.outbox')).find((a) => a.id).id")
            citizen = {"Authorization": "Bearer " + warga.evaluate(
                "localStorage.getItem('siaga.warga.token')")}
            alarm = http.get(f"/api/v1/alarms/{alarm_id}", headers=citizen).json()
            assert alarm["org_code"] == "polsek-klojen"

            page = browser.new_context(viewport={"width": 390, "height": 844},
                                       is_mobile=True, has_touch=True).new_page()
            page.add_init_script(
                "window.__vibrations = [];"
                "navigator.vibrate = (p) => { window.__vibrations.push(p); return true; };")
            page.goto(f"{live_server.url}/petugas")
            page.fill("input[name=username]", officer)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("#login-form button[type=submit]")
            expect(page.locator("#tugas-list")).to_contain_text("Belum ada tugas aktif",
                                                                timeout=15000)

            # The operator picks the officer's motorbike from the recommendations and sends it.
            ranked = http.get(f"/api/v1/alarms/{alarm['id']}/recommendations?limit=50",
                              headers=ops).json()["items"]
            assert unit_id in [r["unit_id"] for r in ranked]
            sent = http.post(f"/api/v1/alarms/{alarm['id']}/dispatch",
                             json={"unit_id": unit_id}, headers=ops)
            assert sent.status_code == 201, sent.text
            assignment_id = sent.json()["id"]

            card = page.locator(f"[data-assignment-id='{assignment_id}']")
            expect(card).to_be_visible(timeout=15000)
            expect(card).to_have_class("card tg-task tg-new")
            assert page.evaluate("window.__vibrations.length") >= 1
            nav = card.locator("a[data-nav=google]")
            href = nav.get_attribute("href") or ""
            assert href.startswith("https://www.google.com/maps/dir/?api=1&destination=")
            assert f"{KLOJEN[0]:.6f},{KLOJEN[1]:.6f}" in href
            assert (card.locator("a[data-nav=geo]").get_attribute("href") or "").startswith(
                "geo:")

            card.locator("button[data-step=accepted]").click()
            expect(card.locator("[data-status]")).to_have_attribute("data-status", "accepted",
                                                                   timeout=10000)
            card.locator("button[data-step=en_route]").click()
            expect(card.locator("[data-status]")).to_have_attribute("data-status", "en_route",
                                                                   timeout=10000)

            # Back on the citizen's phone: the unit that is coming and its ETA.
            # In words a citizen understands, never the unit's callsign.
            expect(warga.locator("#unit-text")).to_contain_text("Motor patroli Polsek Klojen",
                                                                timeout=15000)
            assert "T-MOT" not in warga.inner_text("#unit-text")
            expect(warga.locator("#unit-text")).to_contain_text("menit")
        finally:
            browser.close()

    # The citizen's view of the same alarm: which unit is coming, its ETA and status.
    seen = http.get(f"/api/v1/alarms/{alarm['id']}", headers=citizen).json()
    coming = seen["assigned_unit"]
    assert seen["status"] == "en_route"
    assert coming["status"] == "en_route" and coming["kind"] == "motorbike"
    assert coming["callsign"].startswith("T-MOT")
    assert coming["citizen_label"] == "Motor patroli Polsek Klojen"
    assert coming["eta_s"] is not None and coming["eta_minutes"] is not None
    timeline = [e["type"] for e in seen["timeline"]]
    assert timeline[-2:] == ["unit.accepted", "unit.en_route"]
