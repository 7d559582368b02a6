""""Antar Aku" in a real browser with a fast clock: a journey times out, nobody answers, alarm."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.conftest import DEMO_PASSWORD, KLOJEN
from tests.dispatch.helpers import offset

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
WALK_START = offset(*KLOJEN, -2700, 2100)  # a spot no other test uses
LATER = offset(*WALK_START, 250, 80)


def _registered_phone(browser: Any, url: str) -> tuple[Any, Any]:
    context = browser.new_context(
        **PHONE, geolocation={"latitude": WALK_START[0], "longitude": WALK_START[1],
                              "accuracy": 12},
        permissions=["geolocation"], locale="id-ID")
    page = context.new_page()
    # The page's clock runs 20 minutes behind, so the fast-forwarded alarm time stays in the past.
    page.clock.install(time=datetime.now(UTC) - timedelta(minutes=20))
    page.goto(f"{url}/warga")
    page.fill("input[name=name]", "Rina Pulang")
    page.fill("input[name=phone]", f"08{uuid.uuid4().int % 10**10:010d}")
    page.fill("input[name=pin]", "2580")
    page.click("#register-form button[type=submit]")
    page.click("#accept-warning")
    page.wait_for_selector("#journey-setup:not([hidden])")
    return context, page


def _device_get(url: str, page: Any, path: str) -> Any:
    token = page.evaluate("() => localStorage.getItem('siaga.warga.token')")
    return httpx.get(f"{url}{path}", headers={"Authorization": f"Bearer {token}"}).json()


def _wait(predicate: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_an_unanswered_journey_raises_an_alarm_with_its_positions(
    browser: Any, live_server: Any
) -> None:
    url = live_server.url
    context, page = _registered_phone(browser, url)
    assert "jejak perjalanan langsung dihapus" in page.inner_text("#journey")
    page.screenshot(path="/tmp/journey17-setup.png", full_page=True)

    page.fill("#journey-dest", "Rumah Kos")
    page.click("#journey [data-minutes='15']")
    page.wait_for_selector("#journey-run:not([hidden])")
    assert "Rumah Kos" in page.inner_text("#journey-state")
    stored = page.evaluate("() => localStorage.getItem('siaga.warga.journey')")
    journey_id = json.loads(stored)["id"]
    _wait(lambda: _device_get(url, page, f"/api/v1/journeys/{journey_id}")["positions_kept"])
    page.screenshot(path="/tmp/journey17-running.png", full_page=True)

    # The citizen walks on; time runs out and the phone asks.
    context.set_geolocation({"latitude": LATER[0], "longitude": LATER[1], "accuracy": 10})
    page.clock.fast_forward("16:00")
    page.wait_for_selector("#journey-ask:not([hidden])", timeout=5_000)
    assert "Anda sudah sampai?" in page.inner_text("#journey-ask")
    assert "Saya aman" in page.inner_text("#journey-ask")
    page.screenshot(path="/tmp/journey17-ask.png")

    # Nobody answers for 60 seconds: the alarm goes out with the journey's positions.
    page.clock.fast_forward("01:05")
    page.wait_for_selector("#journey-ask", state="hidden", timeout=5_000)
    journey = _wait(lambda: (j := _device_get(url, page, f"/api/v1/journeys/{journey_id}"))
                    ["status"] == "alarm" and j)
    assert journey["positions_kept"] == 0  # the track now lives only on the alarm
    page.wait_for_selector(".steps li[data-step=sent].done", timeout=10_000)
    page.screenshot(path="/tmp/journey17-alarm.png")

    token = httpx.post(f"{url}/api/v1/auth/login", json={"username": "operator",
                       "password": DEMO_PASSWORD}).json()["access_token"]
    alarm = httpx.get(f"{url}/api/v1/alarms/{journey['alarm_id']}",
                      headers={"Authorization": f"Bearer {token}"}).json()
    trail = {(round(p["lat"], 5), round(p["lon"], 5)) for p in alarm["locations"]}
    assert (round(WALK_START[0], 5), round(WALK_START[1], 5)) in trail
    assert "journey" in [e["type"] for e in alarm["timeline"]]
    context.close()


def test_arriving_at_the_destination_suggests_check_in_which_deletes_the_track(
    browser: Any, live_server: Any
) -> None:
    url = live_server.url
    context, page = _registered_phone(browser, url)
    page.click("#journey-open-map")
    page.wait_for_selector("#journey-map .leaflet-container, #journey-map.leaflet-container")
    box = page.locator("#journey-map").bounding_box()
    assert box is not None
    # The map opens at the citizen's position: a tap in its middle puts home right here.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#journey-picked:has-text('Tujuan dipilih')")
    page.click("#journey [data-minutes='30']")
    page.wait_for_selector("#journey-near:not([hidden])", timeout=10_000)
    stored = page.evaluate("() => localStorage.getItem('siaga.warga.journey')")
    journey_id = json.loads(stored)["id"]
    _wait(lambda: _device_get(url, page, f"/api/v1/journeys/{journey_id}")["positions_kept"])
    page.screenshot(path="/tmp/journey17-near.png")

    page.click("#journey-safe")
    page.wait_for_selector("#journey-setup:not([hidden])")
    assert "Jejak perjalanan sudah dihapus" in page.inner_text("#journey-done")
    journey = _device_get(url, page, f"/api/v1/journeys/{journey_id}")
    assert journey["status"] == "safe" and journey["positions_kept"] == 0
    context.close()
