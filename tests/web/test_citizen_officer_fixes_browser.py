"""/warga and /petugas in a real browser: the Patroli tab's alert cards, a status pressed
without signal sent on reconnect, who is coming in a citizen's words, no cancel once the
officer is there, and error lines in Indonesian."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD, KLOJEN
from tests.dispatch.helpers import make_unit, offset

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "id-ID"}
OFFICER = "bhabin.kauman"


def _staff(http: httpx.Client, username: str) -> dict[str, str]:
    token = http.post("/api/v1/auth/login",
                      json={"username": username, "password": DEMO_PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def _officer_page(browser: Any, url: str, username: str = OFFICER) -> Any:
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{url}/petugas")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#tugas-list")).to_be_visible(timeout=15000)
    return page


def _citizen_page(browser: Any, url: str) -> Any:
    context = browser.new_context(
        **PHONE, geolocation={"latitude": KLOJEN[0], "longitude": KLOJEN[1], "accuracy": 12},
        permissions=["geolocation"])
    page = context.new_page()
    page.goto(f"{url}/warga")
    return page


def _register(page: Any, phone: str = "081298765432") -> None:
    page.fill("#register-form input[name=name]", "Siti Warga")
    page.fill("#register-form input[name=phone]", phone)
    page.fill("#register-form input[name=pin]", "1357")
    page.click("#register-form button[type=submit]")
    page.click("#accept-warning")
    page.wait_for_selector("#help")


def _press_help(page: Any) -> int:
    for _ in range(3):
        page.click("#help")
    page.wait_for_function(
        "() => (JSON.parse(localStorage.getItem('siaga.warga.outbox') || '[]')"
        ".find((a) => a.id) || null)", timeout=20000)
    return int(page.evaluate(
        "JSON.parse(localStorage.getItem('siaga.warga.outbox')).find((a) => a.id).id"))


def _api_alarm(http: httpx.Client) -> int:
    """An alarm from a fresh citizen device at Klojen, sent through the public API."""
    device = http.post("/api/v1/devices", json={
        "phone": f"08{uuid.uuid4().int % 10**10:010d}", "name": "Warga Uji", "pin": "2468"})
    assert device.status_code == 201, device.text
    headers = {"Authorization": f"Bearer {device.json()['token']}"}
    sent = http.post("/api/v1/alarms", headers=headers, json={
        "client_id": str(uuid.uuid4()), "lat": KLOJEN[0], "lon": KLOJEN[1], "accuracy_m": 15,
        "triggered_at": datetime.now(UTC).isoformat(), "kind": "panic"})
    assert sent.status_code == 201, sent.text
    return int(sent.json()["id"])


def _dispatch(http: httpx.Client, ops: dict[str, str], alarm_id: int, unit_id: int) -> int:
    sent = http.post(f"/api/v1/alarms/{alarm_id}/dispatch", json={"unit_id": unit_id},
                     headers=ops)
    assert sent.status_code == 201, sent.text
    return int(sent.json()["id"])


def _bhabin_unit() -> int:
    near = offset(*KLOJEN, 400, 200)
    return make_unit(kind="officer", lat=near[0], lon=near[1], username=OFFICER)


def test_patrol_tab_shows_alert_cards_not_object_text(browser: Any, live_server: Any) -> None:
    http = httpx.Client(base_url=live_server.url, timeout=10)
    ops = _staff(http, "operator")
    mine = http.get("/api/v1/alerts/mine", headers=_staff(http, OFFICER)).json()
    if not mine["items"]:
        created = http.post("/api/v1/crimes", headers=ops, json={
            "crime_type": "curanmor", "lat": KLOJEN[0], "lon": KLOJEN[1],
            "occurred_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat()})
        assert created.status_code == 201, created.text
    mine = http.get("/api/v1/alerts/mine", headers=_staff(http, OFFICER)).json()
    assert mine["items"], "the kelurahan officer has a near-repeat alert to show"

    page = _officer_page(browser, live_server.url)
    page.click("button[data-tab=patroli]")
    alerts = page.locator("#patroli-alerts")
    expect(alerts.locator(".pt-item").first).to_be_visible(timeout=15000)
    expect(alerts.locator(".pt-item")).to_have_count(len(mine["items"]))
    assert "[object" not in page.inner_text("#tab-patroli")
    expect(alerts.locator(".pt-item").first).to_contain_text(mine["items"][0]["crime_label"])
    # Styled like the other tabs: a card with the page's margin, not text at the screen edge.
    box = alerts.bounding_box()
    assert box is not None and box["x"] >= 8
    assert page.evaluate("getComputedStyle(document.getElementById('patroli-alerts'))"
                         ".backgroundColor") == "rgb(255, 255, 255)"


def test_status_pressed_offline_is_sent_when_back_online(browser: Any, live_server: Any) -> None:
    http = httpx.Client(base_url=live_server.url, timeout=10)
    ops = _staff(http, "operator")
    unit_id = _bhabin_unit()
    alarm_id = _api_alarm(http)
    assignment = _dispatch(http, ops, alarm_id, unit_id)

    def server_status() -> str:
        seen = http.get(f"/api/v1/alarms/{alarm_id}", headers=ops).json()
        return str(next(a for a in seen["assignments"] if a["id"] == assignment)["status"])

    page = _officer_page(browser, live_server.url)
    card = page.locator(f"[data-assignment-id='{assignment}']")
    expect(card).to_be_visible(timeout=15000)
    card.locator("button[data-step=on_scene]").click()
    expect(card.locator("[data-status]")).to_have_attribute("data-status", "on_scene",
                                                           timeout=10000)

    page.context.set_offline(True)
    expect(page.locator(".tg-dot.off")).to_be_visible(timeout=5000)
    expect(page.locator(".tg-status")).to_contain_text("Luring")
    assert "Offline" not in page.inner_text(".tg-status")
    card.locator("button[data-step=cleared]").click()
    page.click(".siaga-dialog button[value=ok]")
    expect(card.locator("[data-queued=cleared]")).to_be_visible(timeout=5000)
    expect(card.locator("button[data-step=cleared]")).to_have_count(0)
    assert server_status() == "on_scene"
    assert "Failed to fetch" not in page.inner_text("body")
    page.wait_for_timeout(4000)  # still no signal a while after the press

    back_online = datetime.now(UTC)
    page.context.set_offline(False)
    # The press made without signal reaches the server; the page says so and reloads at once.
    deadline = datetime.now(UTC) + timedelta(seconds=15)
    status = "on_scene"
    while datetime.now(UTC) < deadline and status != "cleared":
        status = server_status()
    assert status == "cleared"
    # Stamped when it was pressed, not when the signal came back.
    seen = http.get(f"/api/v1/alarms/{alarm_id}", headers=ops).json()
    cleared_at = datetime.fromisoformat(
        next(a for a in seen["assignments"] if a["id"] == assignment)["cleared_at"])
    assert (back_online - cleared_at).total_seconds() >= 3, (back_online, cleared_at)
    expect(page.locator(f"[data-assignment-id='{assignment}']")).to_have_count(0, timeout=10000)
    expect(page.locator(".tg-status")).to_contain_text("Daring · Diperbarui")
    expect(page.locator(".tg-dot.off")).to_have_count(0)
    expect(page.locator(".tg-error")).to_have_text("")


def test_citizen_sees_who_comes_and_no_cancel_once_the_officer_is_there(
        browser: Any, live_server: Any) -> None:
    http = httpx.Client(base_url=live_server.url, timeout=10)
    ops = _staff(http, "operator")
    officer = _staff(http, OFFICER)
    unit_id = _bhabin_unit()
    page = _citizen_page(browser, live_server.url)
    _register(page)
    alarm_id = _press_help(page)
    expect(page.locator("#cancel-form")).to_be_visible(timeout=15000)

    assignment = _dispatch(http, ops, alarm_id, unit_id)
    expect(page.locator("#unit-text")).to_contain_text("Bhabinkamtibmas Kauman", timeout=15000)
    expect(page.locator("#unit-text")).to_contain_text("Yang datang")
    assert "BHABIN" not in page.inner_text("#status")
    expect(page.locator("#cancel-form")).to_be_visible()

    moved = http.post(f"/api/v1/dispatch/{assignment}/status", json={"status": "on_scene"},
                      headers=officer)
    assert moved.status_code == 200, moved.text
    expect(page.locator("#status-text")).to_contain_text("Petugas sudah tiba", timeout=15000)
    expect(page.locator("#cancel-form")).to_be_hidden()
    expect(page.locator("#new-alarm")).to_be_hidden()
    expect(page.locator("#unit-text")).to_have_text("Di lokasi: Bhabinkamtibmas Kauman")

    done = http.post(f"/api/v1/dispatch/{assignment}/status", json={"status": "cleared"},
                     headers=officer)
    assert done.status_code == 200, done.text
    expect(page.locator("#status-text")).to_contain_text("sudah selesai", timeout=15000)
    expect(page.locator("#cancel-form")).to_be_hidden()
    expect(page.locator("#new-alarm")).to_be_visible()
    page.click("#new-alarm")
    expect(page.locator("#status")).to_be_hidden()


def test_error_lines_speak_indonesian(browser: Any, live_server: Any) -> None:
    page = _citizen_page(browser, live_server.url)
    page.fill("#register-form input[name=name]", "Siti Warga")
    page.fill("#register-form input[name=phone]", "12ab")
    page.fill("#register-form input[name=pin]", "1357")
    page.click("#register-form button[type=submit]")
    error = page.locator("#register-error")
    expect(error).not_to_be_empty(timeout=10000)
    assert "phone" not in error.inner_text()
    assert "Nomor HP" in error.inner_text()

    _register(page)
    # "Antar Aku": a time more than four hours ahead is refused on the phone, in words.
    later = (datetime.now(UTC) + timedelta(hours=7 + 5)).strftime("%H:%M")  # WIB, 5 h ahead
    page.fill("#journey-at", later)
    page.click("#journey-at-form button[type=submit]")
    expect(page.locator("#journey-error")).to_contain_text("paling lama 4 jam")
    assert "minutes" not in page.inner_text("#journey")
    expect(page.locator("#journey-run")).to_be_hidden()

    # A journey ended safely, then a new one: the old "sudah sampai" line goes.
    page.click("#journey [data-minutes='15']")
    expect(page.locator("#journey-run")).to_be_visible(timeout=10000)
    page.click("#journey-safe")
    expect(page.locator("#journey-done")).to_contain_text("Syukurlah", timeout=10000)
    page.click("#journey [data-minutes='30']")
    expect(page.locator("#journey-run")).to_be_visible(timeout=10000)
    expect(page.locator("#journey-done")).to_have_text("")
    page.click("#journey-safe")
    expect(page.locator("#journey-setup")).to_be_visible(timeout=10000)

    # Numbers and days as /ops writes them, from the one shared formatter.
    shown = page.evaluate("""() => import("/static/common.js").then((m) => [
        m.formatDistance(3300), m.formatDistance(540), m.formatDate("2025-12-23")])""")
    assert shown == ["3,3 km", "540 m", "23 Desember 2025"]

    # No signal at all: a sentence for people, never the browser's "Failed to fetch".
    page.context.set_offline(True)
    expect(page.locator("#net")).to_contain_text("Tanpa sinyal")
    page.click("button[data-tab=info]")
    expect(page.locator("#info")).to_contain_text("Tidak ada sambungan internet", timeout=10000)
    assert "Failed to fetch" not in page.inner_text("body")
    assert "Offline" not in page.inner_text("header")
