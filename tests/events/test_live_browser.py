"""In a real browser: pages open the live socket with a ticket, and /petugas takes its tasks
from the socket, polling only while the socket is down."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD, KLOJEN
from tests.dispatch.helpers import make_unit, offset
from tests.events.helpers import STAFF_PASSWORD, make_staff

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium"),
              pytest.mark.timeout(240)]


def _alarm(http: Any) -> int:
    phone = f"08{uuid.uuid4().int % 10**10:010d}"
    device = http.post("/api/v1/devices", json={"phone": phone, "name": "Warga Uji",
                                                "pin": "2468"}).json()
    body = {"client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1]}
    response = http.post("/api/v1/alarms", json=body,
                         headers={"Authorization": f"Bearer {device['token']}"})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _polls_during(page: Any, calls: list[float], seconds: float) -> int:
    start = time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    return sum(1 for t in calls if t >= start)


def test_officer_page_takes_tasks_from_the_socket_and_polls_only_when_it_is_down(
        live_server: Any) -> None:
    import httpx
    from playwright.sync_api import expect, sync_playwright

    officer = make_staff("petugas", "polsek-klojen")
    near = offset(*KLOJEN, 700, 200)
    # Two units crewed by the officer: one task each.
    unit_id, spare_id = (make_unit(kind="motorbike", lat=near[0], lon=near[1], username=officer)
                         for _ in range(2))
    http = httpx.Client(base_url=live_server.url, timeout=10)
    token = http.post("/api/v1/auth/login", json={"username": "operator",
                                                  "password": DEMO_PASSWORD}).json()
    ops = {"Authorization": f"Bearer {token['access_token']}"}
    polls: list[float] = []
    socket_urls: list[str] = []
    live: dict[str, Any] = {"refuse": False, "routes": []}

    def route_socket(ws: Any) -> None:
        if live["refuse"]:
            ws.close(code=1011, reason="uji: server tidak terjangkau")
            return
        live["routes"].append(ws)
        ws.connect_to_server()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 390, "height": 844},
                                       is_mobile=True, has_touch=True).new_page()
            page.route_web_socket("**/ws/ops**", route_socket)
            page.on("websocket", lambda ws: socket_urls.append(ws.url))
            page.on("request", lambda r: polls.append(time.monotonic())
                    if "/api/v1/dispatch/mine" in r.url else None)
            page.goto(f"{live_server.url}/petugas")
            page.fill("input[name=username]", officer)
            page.fill("input[name=password]", STAFF_PASSWORD)
            page.click("#login-form button[type=submit]")
            expect(page.locator("#tugas-list")).to_contain_text("Belum ada tugas aktif",
                                                                timeout=15000)
            expect(page.locator(".tg-dot.on")).to_be_visible(timeout=10000)

            # Socket up: no polling (the page used to ask every 4 s).
            assert _polls_during(page, polls, 9) == 0
            # A dispatch reaches the phone through the socket, well before any poll would.
            first = http.post(f"/api/v1/alarms/{_alarm(http)}/dispatch",
                              json={"unit_id": unit_id}, headers=ops)
            assert first.status_code == 201, first.text
            sent_at = time.monotonic()
            expect(page.locator(f"[data-assignment-id='{first.json()['id']}']")).to_be_visible(
                timeout=4000)
            assert time.monotonic() - sent_at < 4

            # Socket down (and every reconnect refused): the page falls back to polling ...
            live["refuse"] = True
            for route in live["routes"]:
                route.close(code=1001, reason="uji: koneksi putus")
            expect(page.locator(".tg-dot.on")).to_have_count(0, timeout=5000)
            assert _polls_during(page, polls, 9) >= 2
            # ... and a task sent meanwhile still arrives.
            second = http.post(f"/api/v1/alarms/{_alarm(http)}/dispatch",
                               json={"unit_id": spare_id}, headers=ops)
            assert second.status_code == 201, second.text
            expect(page.locator(f"[data-assignment-id='{second.json()['id']}']")).to_be_visible(
                timeout=10000)

            # Back up: polling stops again.
            live["refuse"] = False
            expect(page.locator(".tg-dot.on")).to_be_visible(timeout=30000)
            page.wait_for_timeout(1000)  # the catch-up load on reconnecting
            assert _polls_during(page, polls, 9) == 0
            page.screenshot(path="/tmp/live14-petugas.png")
        finally:
            browser.close()
    assert socket_urls and all("ticket=" in u and "token=" not in u for u in socket_urls)
    assert token["access_token"] not in " ".join(socket_urls)


def test_command_center_opens_its_socket_with_a_ticket(live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    socket_urls: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            page.on("websocket", lambda ws: socket_urls.append(ws.url))
            page.goto(f"{live_server.url}/ops")
            page.fill("input[name=username]", "operator")
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("#login-form button[type=submit]")
            page.wait_for_selector("#conn.live", timeout=15000)
            stored = page.evaluate("localStorage.getItem('siaga.ops.token')")
        finally:
            browser.close()
    assert socket_urls and all("/ws/ops?ticket=" in u for u in socket_urls)
    assert stored and stored not in " ".join(socket_urls)
