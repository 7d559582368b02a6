"""The live unit layer in a real browser: markers by status, live moves, stale dimming, trail."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium")


@pytest.fixture()
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update"])
        yield instance
        instance.close()


def _unit(url: str) -> dict[str, Any]:
    token = httpx.post(f"{url}/api/v1/auth/login",
                       json={"username": "admin", "password": DEMO_PASSWORD}).json()
    tag = uuid.uuid4().hex[:8]
    response = httpx.post(f"{url}/api/v1/units",
                          headers={"Authorization": f"Bearer {token['access_token']}"},
                          json={"callsign": f"MAP-{tag}".upper(), "org": "polsek-klojen",
                                "tracker_id": f"map-{tag}"})
    assert response.status_code == 201, response.text
    return dict(response.json())


def _fix(url: str, unit: dict[str, Any], lat: float, ts: int, bearing: int) -> None:
    # East of the other tests' positions, so no other marker lies on top of these.
    response = httpx.get(f"{url}/gps/osmand", params={
        "id": unit["tracker_id"], "lat": lat, "lon": 112.6720, "timestamp": ts,
        "bearing": bearing, "speed": 12})
    assert response.status_code == 200, response.text


def test_units_layer_on_the_command_center_map(browser: Any, live_server: Any) -> None:
    url = live_server.url
    unit = _unit(url)
    quiet = _unit(url)
    now = int(time.time())
    _fix(url, unit, -7.9800, now - 60, 0)
    _fix(url, quiet, -7.9820, now - 3600, 0)  # last heard of an hour ago
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.goto(f"{url}/ops")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_function("() => window.siagaOps && window.siagaOps.map", timeout=20_000)

    def look_at(lat: float, lon: float) -> None:
        # Close enough that units are drawn one by one (the suite leaves enough units in scope
        # for the map to cluster them when zoomed out).
        page.evaluate("([lat, lon]) => window.siagaOps.map.setView([lat, lon], 17)", [lat, lon])

    token = page.evaluate("() => localStorage.getItem('siaga.ops.token')")
    desks = httpx.get(f"{url}/api/v1/units", params={"kind": "desk", "limit": 1000},
                      headers={"Authorization": f"Bearer {token}"}).json()["items"]
    [desk] = [d for d in desks if d["callsign"] == "PIKET-KLOJEN"]
    look_at(desk["position"]["lat"], desk["position"]["lon"])
    page.wait_for_selector("[title='PIKET-KLOJEN'] .unit-dot", timeout=20_000)
    assert page.locator("[title='PIKET-KLOJEN'] .unit-dot.stale").count() == 0  # desks never
    look_at(-7.9810, 112.6720)
    marker = page.wait_for_selector(f"[title='{unit['callsign']}'] .unit-dot", timeout=20_000)
    assert marker is not None
    # A unit without a recent fix is dimmed.
    page.wait_for_selector(f"[title='{quiet['callsign']}'] .unit-dot.stale", timeout=20_000)
    assert "stale" not in (marker.get_attribute("class") or "")
    # A new fix moves the marker and turns its arrow, through the live socket.
    page.wait_for_selector("#conn.live", timeout=20_000)
    _fix(url, unit, -7.9750, now - 5, 90)
    page.wait_for_function(
        "cs => { const a = document.querySelector(`[title='${cs}'] .unit-arrow`);"
        " return a && a.style.transform.includes('90deg'); }",
        arg=unit["callsign"], timeout=20_000)
    # Status colour follows the operator's change.
    token = page.evaluate("() => localStorage.getItem('siaga.ops.token')")
    httpx.post(f"{url}/api/v1/units/{unit['id']}/status", json={"status": "en_route"},
               headers={"Authorization": f"Bearer {token}"})
    page.wait_for_function(
        "cs => { const d = document.querySelector(`[title='${cs}'] .unit-dot`);"
        " return d && d.style.background.includes('21, 101, 192'); }",
        arg=unit["callsign"], timeout=20_000)
    # Clicking shows the popup and the recent trail from the GeoJSON export.
    paths_before = page.locator("path.leaflet-interactive").count()
    page.locator(f"[title='{unit['callsign']}']").dispatch_event("click")
    page.wait_for_selector(".unit-popup", timeout=10_000)
    assert unit["callsign"] in page.inner_text(".unit-popup")
    assert "Menuju lokasi" in page.inner_text(".unit-popup")
    page.wait_for_function(f"() => document.querySelectorAll('path.leaflet-interactive').length"
                           f" > {paths_before}", timeout=10_000)
