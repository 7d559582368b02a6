"""The replay page in a browser: the operator plays an alarm back at 60x and sees the unit
marker move along its track while the WIB time label advances."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD
from tests.replay.helpers import stage

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium")


def _marker_position(page: Any, callsign: str) -> dict[str, float]:
    box = page.locator(".unit-label", has_text=callsign).bounding_box()
    assert box is not None
    return {"x": box["x"], "y": box["y"]}


def test_replay_plays_back_unit_track(live_server: Any) -> None:
    import httpx
    from playwright.sync_api import expect, sync_playwright

    http = httpx.Client(base_url=live_server.url, timeout=10)
    staged = stage(http)
    callsign = staged.assigned["callsign"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            ops = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            # The operator opens the alarm on /ops and follows "Putar ulang" (same log-in).
            ops.goto(f"{live_server.url}/ops")
            ops.fill("input[name=username]", "operator")
            ops.fill("input[name=password]", DEMO_PASSWORD)
            ops.click("#login-form button[type=submit]")
            # Top left: the row's middle may hold an action button (merge, acknowledge).
            ops.click(f"#queue li[data-alarm='{staged.alarm_id}']", position={"x": 12, "y": 12})
            expect(ops.locator("#detail h3")).to_contain_text(f"Alarm #{staged.alarm_id}",
                                                              timeout=15000)
            link = ops.locator("#detail a.replay-link")
            expect(link).to_have_text("Putar ulang")
            link.scroll_into_view_if_needed()
            ops.screenshot(path="/tmp/replay17-ops.png")
            with ops.expect_popup() as popup:
                link.click()
            page = popup.value
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.wait_for_load_state()
            assert page.url.endswith(f"/replay?alarm={staged.alarm_id}")
            expect(page.locator("#title")).to_have_text(f"Putar ulang alarm #{staged.alarm_id}")
            units = page.locator("#units")
            expect(units).to_contain_text(callsign)
            expect(units).to_contain_text(staged.near["callsign"])
            expect(units).not_to_contain_text(staged.far["callsign"])
            expect(page.locator("#timeline")).to_contain_text("Alarm masuk")
            expect(page.locator(".unit-label", has_text=callsign)).to_be_visible()
            start_label = page.locator("#now").inner_text()
            assert start_label.endswith(" WIB"), start_label
            assert any(month in start_label for month in MONTHS), start_label
            start_at = _marker_position(page, callsign)
            page.screenshot(path="/tmp/replay17-start.png")

            page.click("[data-speed='60']")
            expect(page.locator("[data-speed='60']")).to_have_attribute("aria-pressed", "true")
            page.click("#play")
            expect(page.locator("#play")).to_have_text("Jeda")
            page.wait_for_timeout(2500)
            page.screenshot(path="/tmp/replay17-playing.png")
            assert page.locator("#now").inner_text() != start_label
            moved = _marker_position(page, callsign)
            assert abs(moved["y"] - start_at["y"]) > 5  # the unit drives south towards the alarm
            # At 60x the four-minute replay ends within seconds: the last step is highlighted.
            expect(page.locator("#play")).to_have_text("Putar", timeout=15000)
            expect(page.locator("#timeline li.current")).to_have_count(1)
            expect(page.locator("#timeline li").last).to_have_class("current")
            page.screenshot(path="/tmp/replay17-end.png")

            with page.expect_download() as info:
                page.click("#download")
            assert info.value.suggested_filename == f"putar-ulang-alarm-{staged.alarm_id}.geojson"

            phone = page.context.new_page()  # the same log-in, at phone width
            phone.set_viewport_size({"width": 390, "height": 844})
            phone.goto(f"{live_server.url}/replay?alarm={staged.alarm_id}")
            expect(phone.locator("#title")).to_have_text(f"Putar ulang alarm #{staged.alarm_id}")
            phone.screenshot(path="/tmp/replay17-phone.png", full_page=True)
            assert not errors, errors
        finally:
            browser.close()
