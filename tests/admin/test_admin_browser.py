"""Browser test of /admin at 1366x768: a Polres admin creates a user and a unit, sees the QR."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest

from tests.admin.helpers import STRONG, tag

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium")


def test_polres_admin_creates_user_and_unit_and_sees_qr(live_server: Any) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.conftest import login

    http = httpx.Client(base_url=live_server.url, timeout=10)
    admin_name = f"admin.tegal.{tag()}"
    made = http.post("/api/v1/admin/users", headers=login(http, "admin"), json={
        "username": admin_name, "password": STRONG, "role": "admin", "org": "polres-tegal",
        "full_name": "Kompol Admin Tegal"})
    assert made.status_code == 201, made.text
    new_user, callsign = f"operator.slawi.{tag()}", f"R4-SLAWI-{tag().upper()}"
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                    if r.status >= 400 else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{live_server.url}/admin")
            page.fill("#login-form input[name=username]", admin_name)
            page.fill("#login-form input[name=password]", STRONG)
            page.click("#login-form button[type=submit]")
            expect(page.locator("#user-form")).to_be_visible(timeout=15000)
            # Before log-in the signature tab's script asks once without a token (401).
            errors.clear()
            assert page.locator("[data-tab=onboarding]").is_hidden()
            page.screenshot(path="/tmp/admin13-users.png")

            form = page.locator("#user-form")
            form.locator("input[name=username]").fill(new_user)
            form.locator("input[name=full_name]").fill("Brigpol Sari Slawi")
            form.locator("select[name=role]").select_option("operator")
            form.locator("select[name=org]").select_option("polsek-slawi")
            form.locator("input[name=phone]").fill("0812-7777-1234")
            form.locator("input[name=password]").fill(STRONG)
            form.locator("button[type=submit]").click()
            expect(page.locator("#status")).to_contain_text("Brigpol Sari Slawi", timeout=10000)
            row = page.locator(f"tr[data-user='{new_user}']")
            expect(row).to_contain_text("Polsek Slawi")
            # Malang accounts are not this admin's.
            expect(page.locator("tr[data-user='operator.klojen']")).to_have_count(0)
            row.get_by_role("button", name="Kode reset sandi").click()
            expect(page.locator("#reset-code .code-box")).to_be_visible()
            page.screenshot(path="/tmp/admin13-users-created.png")

            page.click("[data-tab=units]")
            units = page.locator("#unit-form")
            expect(units).to_be_visible(timeout=10000)
            units.locator("input[name=callsign]").fill(callsign)
            units.locator("select[name=kind]").select_option("car")
            units.locator("select[name=org]").select_option("polsek-slawi")
            units.locator("input[name=crew]").fill("Bripda Ani, Briptu Budi")
            units.locator("button[type=submit]").click()
            setup = page.locator(f"#unit-setup [data-unit='{callsign}']")
            expect(setup).to_be_visible(timeout=10000)
            qr = setup.locator("img").first
            expect(qr).to_have_attribute("alt", f"Kode QR Traccar Client untuk {callsign}")
            page.wait_for_function(
                "(img) => img.complete && img.naturalWidth > 100", arg=qr.element_handle(),
                timeout=10000)
            expect(setup).to_contain_text("/gps/osmand")
            page.screenshot(path="/tmp/admin13-unit-qr.png")

            for tab in ("orgs", "bhabin", "roster", "import", "signature"):
                page.click(f"[data-tab={tab}]")
                expect(page.locator(f"#tab-{tab}")).to_be_visible()
                page.wait_for_timeout(400)
            page.click("[data-tab=roster]")
            expect(page.locator("#roster-form")).to_be_visible()
            page.screenshot(path="/tmp/admin13-roster.png")
            # On a phone the forms stack above the lists and stay usable.
            page.set_viewport_size({"width": 390, "height": 844})
            page.click("[data-tab=users]")
            expect(page.locator("#user-form button[type=submit]")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path="/tmp/admin13-phone.png")
        finally:
            browser.close()
    assert not errors, errors
    listed = http.get("/api/v1/admin/users", params={"q": new_user},
                      headers=login(http, admin_name, STRONG)).json()["items"]
    assert [u["org_code"] for u in listed] == ["polsek-slawi"]
    units = http.get("/api/v1/units", headers=login(http, "operator.tegal")).json()["items"]
    mine = [u for u in units if u["callsign"] == callsign]
    assert mine and mine[0]["crew"] == ["Bripda Ani", "Briptu Budi"]
    assert mine[0]["tracker_id"] is None


def test_ops_shows_who_is_on_duty_now(live_server: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from playwright.sync_api import expect, sync_playwright

    from tests.conftest import DEMO_PASSWORD, login

    http = httpx.Client(base_url=live_server.url, timeout=10)
    admin = login(http, "admin")
    supervisor = http.post("/api/v1/admin/users", headers=admin, json={
        "username": f"pasiaga.{tag()}", "password": STRONG, "role": "pimpinan",
        "org": "polres-malang-kota", "full_name": "AKP Dewi Pa Siaga",
        "phone": "0812-5555-0101"}).json()
    start = datetime.now(UTC) - timedelta(minutes=30)
    shift = http.post("/api/v1/roster/shifts", headers=admin, json={
        "org": "polsek-kedungkandang", "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=4)).isoformat(), "supervisor_id": supervisor["id"],
        "duties": [{"desk": "SPKT", "user_id": supervisor["id"]}]})
    assert shift.status_code == 201, shift.text
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            page.goto(f"{live_server.url}/ops")
            page.fill("#login-form input[name=username]", "operator")
            page.fill("#login-form input[name=password]", DEMO_PASSWORD)
            page.click("#login-form button[type=submit]")
            panel = page.locator("#roster-now")
            expect(panel).to_contain_text("AKP Dewi Pa Siaga", timeout=15000)
            panel.locator("summary").click()
            expect(panel).to_contain_text("Polsek Kedungkandang")
            expect(panel).to_contain_text("SPKT: AKP Dewi Pa Siaga (0812-5555-0101)")
            page.screenshot(path="/tmp/admin13-ops-roster.png")
        finally:
            browser.close()
    http.delete(f"/api/v1/roster/shifts/{shift.json()['id']}", headers=admin)
