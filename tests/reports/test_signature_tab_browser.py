"""The /admin tab "Tanda tangan laporan" (admin-signature.js) in a real browser: an admin picks a
Polres, types the signer with diacritics, sees the printed block and saves it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tests.conftest import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NAME = "Bripka Ni Luh Ayu Dewantari Nguyễn, S.H."


def test_admin_sets_the_signer_in_the_tab(live_server: Any, client: Any) -> None:
    assert shutil.which(CHROMIUM), "chromium missing: make chromium"
    from playwright.sync_api import sync_playwright

    token = client.post("/api/v1/auth/login", json={"username": "admin",
                                                     "password": DEMO_PASSWORD}).json()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # The tab's host page belongs to the admin area; the module only needs its section.
        page.goto(f"{live_server.url}/static/admin-signature.css")
        page.evaluate("""(token) => {
            localStorage.setItem("siaga.staff.token", token);
            document.documentElement.innerHTML =
              '<head></head><body><section id="tab-signature"></section></body>';
            const s = document.createElement("script");
            s.type = "module"; s.src = "/static/admin-signature.js";
            document.body.append(s);
        }""", token["access_token"])
        page.wait_for_selector("#signature-org option[value=polres-tegal]", state="attached")
        page.select_option("#signature-org", "polres-tegal")
        page.wait_for_selector("text=untuk Polres Tegal")
        for field, value in (("place", "Slawi"), ("position", "Kapolres Tegal"),
                             ("name", NAME), ("rank", "AKBP"), ("nrp", "abc")):
            page.fill(f"#signature-{field}", value)
        assert NAME in page.locator(".signature-preview").inner_text()
        assert "KAPOLRES TEGAL" in page.locator(".signature-preview").inner_text()
        page.click("#signature-form button[type=submit]")
        page.wait_for_selector("#tab-signature p.error")
        assert "nrp" in page.locator("#tab-signature p.error").inner_text().lower()
        page.fill("#signature-nrp", "78091234")
        page.click("#signature-form button[type=submit]")
        page.wait_for_selector("text=Tanda tangan Polres Tegal disimpan")
        keep = Path("/tmp/reports16")
        if keep.is_dir():
            page.screenshot(path=str(keep / "admin-signature-1366.png"))
        browser.close()
    saved = client.get("/api/v1/reports/signature?org=polres-tegal",
                       headers={"Authorization": f"Bearer {token['access_token']}"}).json()
    assert saved["name"] == NAME and saved["nrp"] == "78091234"
    assert errors == []


def test_admin_page_asks_nothing_before_log_in_and_the_tab_has_the_page_margin(
        live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        api_calls: list[tuple[str, int]] = []
        page.on("response", lambda r: api_calls.append((r.url, r.status))
                if "/api/v1/" in r.url else None)
        page.goto(f"{live_server.url}/admin")
        page.wait_for_selector("#login-form input[name=username]")
        page.wait_for_timeout(500)
        # No API request (and so no 401 in the console) before the user has signed in.
        assert api_calls == []
        page.fill("#login-form input[name=username]", "admin")
        page.fill("#login-form input[name=password]", DEMO_PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#app:not([hidden])")
        page.click("[data-tab=signature]")
        page.wait_for_selector("#signature-org option[value=polres-tegal]", state="attached")
        assert not [c for c in api_calls if c[1] == 401], api_calls
        for selector in ("#tab-signature h2", "#tab-signature form", "#tab-signature p.muted"):
            left = page.locator(selector).first.bounding_box()
            assert left is not None and left["x"] >= 16, (selector, left)
        shots = Path("/tmp/shots_i")
        if shots.is_dir():
            page.screenshot(path=str(shots / "admin_1366_09_signature.png"))
        browser.close()
