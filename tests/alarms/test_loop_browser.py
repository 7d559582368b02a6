"""The alarm loop in three browsers at once: the citizen's phone (/warga), the operator's console
(/ops at 1366x768) and the officer's phone (/petugas): cancel after dispatch, the duress PIN and
a repeat press."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD, KLOJEN
from tests.dispatch.helpers import make_unit, offset

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "id-ID"}


def _officer() -> str:
    from siaga.auth.service import create_user
    from siaga.db import get_database
    from siaga.orgs.service import org_by_code

    username = f"petugas.loop.{uuid.uuid4().hex[:6]}"
    with get_database().session() as session:
        create_user(session, username=username, password=DEMO_PASSWORD, role="petugas",
                    org=org_by_code(session, code="polsek-klojen"), full_name="Bripka Loop")
    return username


@pytest.fixture()
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


class Loop:
    """The three screens of one emergency and the operator's API session."""

    def __init__(self, browser: Any, url: str, *, duress_pin: str | None = None) -> None:
        import httpx

        self.url = url
        self.http = httpx.Client(base_url=url, timeout=15)
        token = self.http.post("/api/v1/auth/login", json={
            "username": "operator", "password": DEMO_PASSWORD}).json()["access_token"]
        self.ops_headers = {"Authorization": f"Bearer {token}"}
        self.officer = _officer()
        spot = offset(*KLOJEN, 800, 200)
        self.unit = make_unit(kind="motorbike", lat=spot[0], lon=spot[1], username=self.officer)
        self.warga = self._citizen(browser, duress_pin)
        self.ops = self._operator(browser)
        self.petugas = self._petugas(browser)

    def _citizen(self, browser: Any, duress_pin: str | None) -> Any:
        page = browser.new_context(
            **PHONE, geolocation={"latitude": KLOJEN[0], "longitude": KLOJEN[1], "accuracy": 12},
            permissions=["geolocation"]).new_page()
        page.goto(f"{self.url}/warga")
        page.fill("#register-form input[name=name]", "Warga Loop")
        page.fill("#register-form input[name=phone]", f"08{uuid.uuid4().int % 10**10:010d}")
        page.fill("#register-form input[name=pin]", "2468")
        if duress_pin:
            page.fill("#register-form input[name=duress_pin]", duress_pin)
        page.click("#register-form button[type=submit]")
        page.click("#accept-warning")
        page.wait_for_selector("#help")
        return page

    def _operator(self, browser: Any) -> Any:
        page = browser.new_context(viewport={"width": 1366, "height": 768},
                                   locale="id-ID").new_page()
        page.goto(f"{self.url}/ops")
        page.fill("input[name=username]", "operator")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#conn.live", timeout=20000)
        return page

    def _petugas(self, browser: Any) -> Any:
        page = browser.new_context(**PHONE).new_page()
        page.add_init_script(
            "window.__vibrations = [];"
            "navigator.vibrate = (p) => { window.__vibrations.push(p); return true; };")
        page.goto(f"{self.url}/petugas")
        page.fill("input[name=username]", self.officer)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#tugas-list")
        return page

    def press_help(self) -> int:
        """Three presses on the citizen's phone; the id the server answered."""
        before = len(self._outbox())
        for _ in range(3):
            self.warga.click("#help")
        self.warga.wait_for_function(
            f"() => {{ const o = JSON.parse(localStorage.getItem('siaga.warga.outbox') || '[]');"
            f" return o.length > {before} && o[o.length - 1].id; }}", timeout=20000)
        return int(self._outbox()[-1]["id"])

    def _outbox(self) -> list[dict[str, Any]]:
        return list(json.loads(self.warga.evaluate(
            "() => localStorage.getItem('siaga.warga.outbox') || '[]'")))

    def dispatch(self, alarm_id: int) -> int:
        sent = self.http.post(f"/api/v1/alarms/{alarm_id}/dispatch",
                              json={"unit_id": self.unit}, headers=self.ops_headers)
        assert sent.status_code == 201, sent.text
        return int(sent.json()["id"])

    def cancel_on_phone(self, pin: str) -> None:
        self.warga.wait_for_selector("#cancel-form:not([hidden])", timeout=15000)
        self.warga.fill("#cancel-form input[name=pin]", pin)
        self.warga.click("#cancel-form button[type=submit]")

    def staff_view(self, alarm_id: int) -> dict[str, Any]:
        return dict(self.http.get(f"/api/v1/alarms/{alarm_id}", headers=self.ops_headers).json())

    def unit_status(self) -> str:
        from siaga.db import get_database
        from siaga.units.models import Unit

        with get_database().session() as session:
            unit = session.get(Unit, self.unit)
            assert unit is not None
            return unit.status


def test_cancel_after_dispatch_alerts_the_officer_and_waits_on_ops(browser: Any,
                                                                   live_server: Any) -> None:
    from playwright.sync_api import expect

    loop = Loop(browser, live_server.url)
    alarm_id = loop.press_help()
    expect(loop.ops.locator("body")).to_contain_text(f"{alarm_id}", timeout=15000)
    assignment = loop.dispatch(alarm_id)
    card = loop.petugas.locator(f"[data-assignment-id='{assignment}']")
    expect(card).to_be_visible(timeout=15000)
    expect(loop.warga.locator(".steps li[data-step=coming]")).to_have_class("done",
                                                                           timeout=15000)
    expect(loop.warga.locator("#status-text")).to_have_text("Petugas menuju lokasi Anda.")
    loop.warga.screenshot(path="/tmp/core14-warga-coming.png")

    loop.cancel_on_phone("2468")
    expect(loop.warga.locator("#status-text")).to_contain_text("Alarm dibatalkan",
                                                               timeout=15000)
    expect(loop.warga.locator(".steps li[data-step=end]")).to_have_text("Dibatalkan")
    loop.warga.screenshot(path="/tmp/core14-warga-cancelled.png")
    # The officer's phone: banner at once, vibration, and the task gone.
    banner = loop.petugas.locator("#tg-cancel")
    expect(banner).to_be_visible(timeout=15000)
    expect(banner).to_contain_text(f"alarm #{alarm_id}")
    expect(card).to_have_count(0, timeout=15000)
    assert loop.petugas.evaluate("window.__vibrations.some((p) => Array.isArray(p) && "
                                 "p.length === 5 && p[0] === 300)")
    # ...and the task list reloading after it does not cut the vibration or the title short.
    loop.petugas.wait_for_timeout(1500)
    after = loop.petugas.evaluate("window.__vibrations.slice(window.__vibrations.findIndex("
                                  "(p) => Array.isArray(p) && p[0] === 300) + 1)")
    assert 0 not in after, after
    assert loop.petugas.title().startswith("DIBATALKAN PELAPOR")
    loop.petugas.screenshot(path="/tmp/core14-petugas-cancelled.png")
    assert loop.unit_status() == "available"
    # The operators still have it, marked, until one confirms.
    expect(loop.ops.locator("body")).to_contain_text("Dibatalkan pelapor", timeout=15000)
    loop.ops.screenshot(path="/tmp/core14-ops-cancelled.png")
    seen = loop.staff_view(alarm_id)
    assert seen["needs_cancel_confirmation"] is True
    assert seen["assignments"][0]["status"] == "cancelled_by_caller"
    assert loop.http.post(f"/api/v1/alarms/{alarm_id}/confirm-cancel",
                          headers=loop.ops_headers).status_code == 200


def test_duress_pin_looks_cancelled_on_the_phone_and_raises_the_alarm_on_ops(
        browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    loop = Loop(browser, live_server.url, duress_pin="8642")
    alarm_id = loop.press_help()
    assignment = loop.dispatch(alarm_id)
    card = loop.petugas.locator(f"[data-assignment-id='{assignment}']")
    expect(card).to_be_visible(timeout=15000)
    loop.cancel_on_phone("8642")
    # The phone reads exactly like a cancel...
    expect(loop.warga.locator("#status-text")).to_contain_text("Alarm dibatalkan",
                                                               timeout=15000)
    expect(loop.warga.locator(".steps li[data-step=end]")).to_have_text("Dibatalkan")
    expect(loop.warga.locator("#unit-text")).to_have_text("")
    assert "ancaman" not in loop.warga.inner_text("body").lower()
    loop.warga.screenshot(path="/tmp/core14-warga-duress.png")
    # ...while the alarm stays active and raised for staff, the officer still on the way.
    seen = loop.staff_view(alarm_id)
    assert seen["duress"] is True and seen["priority"] == 1 and seen["status"] == "dispatched"
    expect(loop.ops.locator("body")).to_contain_text("ancaman", timeout=15000)
    loop.ops.screenshot(path="/tmp/core14-ops-duress.png")
    loop.petugas.wait_for_timeout(1500)
    assert loop.petugas.locator("#tg-cancel").is_hidden()
    expect(card).to_be_visible()
    assert loop.unit_status() == "dispatched"


def test_a_repeat_press_joins_the_alarm_everywhere(browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    loop = Loop(browser, live_server.url)
    first = loop.press_help()
    loop.warga.wait_for_timeout(3200)  # a new series of three presses
    second = loop.press_help()
    assert second == first
    expect(loop.warga.locator("#alarm-note")).to_contain_text("digabung", timeout=15000)
    loop.warga.screenshot(path="/tmp/core14-warga-joined.png")
    seen = loop.staff_view(first)
    assert [e["type"] for e in seen["timeline"]][:2] == ["created", "joined"]
    # Still one alarm, and the phone can still cancel it.
    loop.cancel_on_phone("2468")
    expect(loop.warga.locator("#status-text")).to_contain_text("Alarm dibatalkan",
                                                               timeout=15000)
    assert loop.staff_view(first)["status"] == "cancelled"
