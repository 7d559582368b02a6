"""The whole panic path in a real browser: citizen presses Help, the command center sees it."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import DEMO_PASSWORD, KLOJEN

PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}


def _citizen(browser: Any, url: str) -> Any:
    context = browser.new_context(
        **PHONE, geolocation={"latitude": KLOJEN[0], "longitude": KLOJEN[1], "accuracy": 15},
        permissions=["geolocation"], locale="id-ID",
    )
    page = context.new_page()
    page.goto(f"{url}/warga")
    page.fill("input[name=name]", "Siti Warga")
    page.fill("input[name=phone]", "081298765432")
    page.fill("input[name=pin]", "1357")
    page.click("#register-form button[type=submit]")
    page.wait_for_selector("#warning:not([hidden])")
    assert "UU ITE" in page.inner_text("#warning")
    page.click("#accept-warning")
    page.wait_for_selector("#help")
    return page


def _sent_alarm_id(citizen: Any) -> int:
    """The id the server gave the citizen's last alarm, as the page keeps it."""
    outbox = json.loads(citizen.evaluate("() => localStorage.getItem('siaga.warga.outbox')"))
    return int(outbox[-1]["id"])


def _operator(browser: Any, url: str) -> Any:
    page = browser.new_context(viewport={"width": 1400, "height": 900}, locale="id-ID").new_page()
    page.goto(f"{url}/ops")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#conn.live")
    # Once logged in the console fills the screen: no log-in card above it.
    assert not page.is_visible("#login")
    assert page.evaluate("document.getElementById('console').getBoundingClientRect().top") < 5
    return page


def _open_alarm_count(url: str) -> int:
    import httpx

    token = httpx.post(f"{url}/api/v1/auth/login",
                       json={"username": "admin", "password": DEMO_PASSWORD}).json()["access_token"]
    page = httpx.get(f"{url}/api/v1/alarms?status=open&limit=1",
                     headers={"Authorization": f"Bearer {token}"}).json()
    return int(page["total"])


def test_three_presses_reach_the_ops_map_and_acknowledge_stops_blinking(
    browser: Any, live_server: Any
) -> None:
    ops = _operator(browser, live_server.url)
    citizen = _citizen(browser, live_server.url)

    for _ in range(3):
        citizen.click("#help")
    citizen.wait_for_selector(".steps li[data-step=sent].done", timeout=10_000)
    assert "terkirim" in citizen.inner_text("#status-text").lower()

    alarm_id = _sent_alarm_id(citizen)
    ops.wait_for_selector(f".alarm-dot.blinking[data-alarm='{alarm_id}']", timeout=5_000)
    # The row is filled in place once the alarm's details arrive.
    item = ops.wait_for_selector(
        f".queue li.open[data-alarm='{alarm_id}']:has-text('Siti Warga')", timeout=10_000)
    assert item is not None

    second = _operator(browser, live_server.url)
    second.wait_for_selector(f".alarm-dot.blinking[data-alarm='{alarm_id}']")

    # The row's corner: the middle of a row grouped into an incident holds its merge button.
    ops.click(f".queue li[data-alarm='{alarm_id}']", position={"x": 6, "y": 6})
    ops.wait_for_selector("#detail h3")
    assert "null" not in ops.inner_text("#detail")
    ops.click(f".queue li[data-alarm='{alarm_id}'] button.ack")
    for screen in (ops, second):
        screen.wait_for_selector(f".alarm-dot.acknowledged[data-alarm='{alarm_id}']")
        assert screen.query_selector(f".alarm-dot.blinking[data-alarm='{alarm_id}']") is None
    citizen.wait_for_selector(".steps li[data-step=ack].done", timeout=15_000)
    assert "Diterima operator" in citizen.inner_text("#status-text")
    ops.wait_for_selector("#detail .timeline li:has-text('Diterima operator')")
    assert "null" not in ops.inner_text("#detail")


def test_one_or_two_presses_send_nothing_and_explain(browser: Any, live_server: Any) -> None:
    citizen = _citizen(browser, live_server.url)
    before = _open_alarm_count(live_server.url)
    citizen.click("#help")
    assert "2 kali lagi" in citizen.inner_text("#help-hint")
    citizen.click("#help")
    assert "1 kali lagi" in citizen.inner_text("#help-hint")
    citizen.wait_for_selector("#help-hint:has-text('belum terkirim')", timeout=6_000)
    assert citizen.is_hidden("#status")
    assert _open_alarm_count(live_server.url) == before


def test_alarm_sent_offline_is_delivered_when_the_network_returns(
    browser: Any, live_server: Any
) -> None:
    citizen = _citizen(browser, live_server.url)
    before = _open_alarm_count(live_server.url)
    citizen.context.set_offline(True)
    for _ in range(3):
        citizen.click("#help")
    citizen.wait_for_selector("#status-text:has-text('sinyal')", timeout=10_000)
    assert _open_alarm_count(live_server.url) == before
    citizen.context.set_offline(False)
    citizen.wait_for_selector(".steps li[data-step=sent].done", timeout=20_000)
    assert _open_alarm_count(live_server.url) == before + 1
