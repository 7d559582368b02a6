"""/warga offers "Kirim lewat SMS" to the Polres gateway when an alarm cannot go over data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest

from tests.conftest import KLOJEN, LiveServer

GATEWAY = "081234567890"


@pytest.fixture()
def gateway_server(siaga_env: dict[str, str]) -> Iterator[LiveServer]:
    server = LiveServer(siaga_env, extra_env={"SIAGA_SMS_GATEWAY_NUMBER": GATEWAY})
    yield server
    server.stop()


def test_an_alarm_stuck_offline_offers_an_sms_with_the_position(
    browser: Any, gateway_server: LiveServer
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        geolocation={"latitude": KLOJEN[0], "longitude": KLOJEN[1], "accuracy": 15},
        permissions=["geolocation"], locale="id-ID")
    page = context.new_page()
    page.goto(f"{gateway_server.url}/warga")
    page.fill("input[name=name]", "Dewi Sinyal")
    page.fill("input[name=phone]", "081377788899")
    page.fill("input[name=pin]", "1470")
    page.click("#register-form button[type=submit]")
    page.click("#accept-warning")
    page.wait_for_function("() => localStorage.getItem('siaga.warga.smsgateway')")
    assert page.is_hidden("#sms-fallback")

    context.set_offline(True)
    for _ in range(3):
        page.click("#help")
    link = page.wait_for_selector("#sms-fallback:not([hidden]) #sms-link", timeout=10_000)
    href = link.get_attribute("href") or ""
    number, _, query = href.partition("?body=")
    assert number == f"sms:{GATEWAY}"
    assert unquote(query) == f"TOLONG {KLOJEN[0]:.5f},{KLOJEN[1]:.5f}"
    assert "Kirim lewat SMS" in link.inner_text()
    page.screenshot(path="/tmp/journey17-sms.png")

    # Back online, the outbox delivers the alarm and the SMS offer goes away.
    context.set_offline(False)
    page.wait_for_selector(".steps li[data-step=sent].done", timeout=20_000)
    assert page.is_hidden("#sms-fallback")
    context.close()
