"""The coverage map of /kunjungan draws the real kelurahan outlines in the browser."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD
from tests.visits.test_browser import ARGS, CHROMIUM, pytestmark  # noqa: F401

__all__ = ["pytestmark"]


@pytest.mark.timeout(240)
def test_kunjungan_map_draws_outlines(live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    base = live_server.url
    token = httpx.post(f"{base}/api/v1/auth/login", timeout=10, json={
        "username": "pimpinan", "password": DEMO_PASSWORD}).json()["access_token"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/healthz")
        page.evaluate("([k, t]) => localStorage.setItem(k, t)", ["siaga.staff.token", token])
        with page.expect_response(lambda r: r.url.endswith("/api/v1/orgs/outlines")) as got:
            page.goto(f"{base}/kunjungan")
        outlines = got.value.json()
        assert got.value.status == 200 and len(outlines["features"]) == 57
        page.wait_for_timeout(1500)
        page.screenshot(path="/tmp/geo13-kunjungan.png")
        browser.close()
    assert errors == []


@pytest.mark.timeout(240)
def test_ops_map_draws_the_polsek_outlines(live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    base = live_server.url
    token = httpx.post(f"{base}/api/v1/auth/login", timeout=10, json={
        "username": "operator.klojen", "password": DEMO_PASSWORD}).json()["access_token"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        page.goto(f"{base}/healthz")
        page.evaluate("([k, t]) => localStorage.setItem(k, t)", ["siaga.ops.token", token])
        page.goto(f"{base}/ops")
        # SVG renderer: one path per kelurahan of Polsek Klojen, with its name as a tooltip.
        outlines = page.locator("#map path.leaflet-interactive")
        outlines.nth(10).wait_for(timeout=20_000)
        assert outlines.count() >= 11
        page.screenshot(path="/tmp/geo13-ops.png")
        browser.close()
