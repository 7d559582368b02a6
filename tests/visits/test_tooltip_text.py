"""Names typed by officers show on the /kunjungan map as text, never as markup."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD
from tests.visits.helpers import make_image, region_of

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) or shutil.which("chromium")), reason="chromium not installed")
HOSTILE = "<img src=x onerror=window.__pwned=1><b>x</b>"
# Leaflet is loaded by the page itself; this only keeps a handle on the layers it makes, so
# the test can open the tooltip of the one visit it cares about.
KEEP_LAYERS = """
let leaflet;
Object.defineProperty(window, "L", { configurable: true, get() { return leaflet; }, set(value) {
  leaflet = value;
  window.__tooltipLayers = [];
  const bind = value.Layer.prototype.bindTooltip;
  value.Layer.prototype.bindTooltip = function (content, options) {
    window.__tooltipLayers.push(this);
    return bind.call(this, content, options);
  };
} });
"""


def _token(base: str, username: str) -> str:
    response = httpx.post(f"{base}/api/v1/auth/login", timeout=10,
                          json={"username": username, "password": DEMO_PASSWORD})
    return str(response.json()["access_token"])


def test_a_hostile_place_name_shows_as_literal_text_in_the_map_tooltip(
        live_server: Any) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    kauman = region_of("bhabin.kauman")
    body = {"client_id": str(uuid.uuid4()), "place_type": "shop", "place_name": HOSTILE,
            "rw": "01", "rt": "01", "address": "Jl. Uji 1", "person_name": "Pak Uji",
            "person_role": "Pemilik", "topics": ["crime"], "findings": "Uji tooltip.",
            "problems": "", "lat": kauman["lat"], "lon": kauman["lon"], "accuracy_m": 10}
    posted = httpx.post(f"{base}/api/v1/visits", data={"data": json.dumps(body)},
                        files=[("photos", ("a.jpg", make_image(), "image/jpeg"))],
                        headers={"Authorization": f"Bearer {_token(base, 'bhabin.kauman')}"},
                        timeout=30)
    assert posted.status_code == 201, posted.text

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.add_init_script(KEEP_LAYERS)
        page.goto(f"{base}/healthz")
        page.evaluate("t => localStorage.setItem('siaga.staff.token', t)",
                      _token(base, "pimpinan"))
        page.goto(f"{base}/kunjungan")
        expect(page.locator("#kelurahan tr").first).to_be_visible(timeout=15000)
        page.wait_for_function("() => (window.__tooltipLayers || []).length > 0")
        opened = page.evaluate("""(name) => {
            const layer = window.__tooltipLayers.find((l) => {
              const c = l.getTooltip() && l.getTooltip().getContent();
              return c && (c.textContent || String(c)).includes("onerror=");
            });
            if (!layer) return false;
            layer.openTooltip();
            return true;
        }""", HOSTILE)
        assert opened
        tooltip = page.locator(".leaflet-tooltip", has_text="onerror=")
        expect(tooltip).to_contain_text(HOSTILE)
        assert tooltip.locator("img, b").count() == 0
        assert page.evaluate("() => window.__pwned") is None
        page.screenshot(path="/tmp/trust15-kunjungan-tooltip.png")
        browser.close()
    assert not errors, errors
