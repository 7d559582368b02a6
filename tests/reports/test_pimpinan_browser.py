"""/pimpinan in a real browser on command-room screens: Indonesian words only, monthly trends,
chart text readable from the back of the room, the alarms behind a figure one click away."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import DEMO_PASSWORD, login
from tests.reports.test_figures_agree import week_of_alarms

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ORG = "polsek-warureja"
RAW = re.compile(r"\b(none|null|undefined|NaN|computed|entered|green|amber)\b|polsek-|polres-|"
                 r"\d{4}-\d{2}-\d{2}")
SHOTS = Path("/tmp/reports16")
NOVEMBER_2024 = datetime(2024, 11, 4, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture()
def browser() -> Any:
    assert shutil.which(CHROMIUM), "chromium missing: make chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def _three_months_of_evaluations(client: Any) -> None:
    now = datetime.now(ZoneInfo("Asia/Jakarta"))
    months = [((now.year * 12 + now.month - 1 - back) // 12,
               (now.year * 12 + now.month - 1 - back) % 12 + 1) for back in (3, 2, 1)]
    headers = login(client, "pimpinan.tegal")
    for (year, month), value in zip(months, (1, 2, 1), strict=True):
        listed = client.get("/api/v1/scorecard/figures", headers=headers,
                            params={"org": ORG, "year": year}).json()["items"]
        if any(f["metric"] == "evaluations" and f["month_from"] == month for f in listed):
            continue
        made = client.post("/api/v1/scorecard/figures", headers=headers, json={
            "org": ORG, "metric": "evaluations", "year": year, "month_from": month,
            "month_to": month, "value": value, "source": "Uji tren"})
        assert made.status_code == 201, made.text


def _smallest_chart_text_px(page: Any) -> float:
    """The font size chart text is drawn at on screen: its size in viewBox units x the scale."""
    return float(page.evaluate("""() => Math.min(...[...document.querySelectorAll(
        '#tab-dasbor svg.chart text')].map((t) => {
          const svg = t.ownerSVGElement;
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return parseFloat(getComputedStyle(t).fontSize) * scale;
        }))"""))


def _overlapping_chart_text(page: Any) -> list[str]:
    """Pairs of labels in one chart printed over each other."""
    return list(page.evaluate("""() => {
        const found = [];
        for (const svg of document.querySelectorAll('#tab-dasbor svg.chart')) {
          const boxes = [...svg.querySelectorAll('text')].map((t) => [t.textContent,
            t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
          boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, q]) => {
            const wide = Math.min(r.right, q.right) - Math.max(r.left, q.left);
            const high = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
            if (wide > 1 && high > 1) found.push(a + " / " + b);
          }));
        }
        return found;
    }"""))


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_pimpinan_reads_well_on_command_room_screens(live_server: Any, browser: Any,
                                                     client: Any, size: tuple[int, int]) -> None:
    _three_months_of_evaluations(client)
    week_of_alarms(client, NOVEMBER_2024)
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/pimpinan")
    page.fill("input[name=username]", "pimpinan.tegal")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("text=Balanced Scorecard Polres Tegal", timeout=20000)
    page.select_option("#org", ORG)
    page.wait_for_selector("text=Balanced Scorecard Polsek Warureja", timeout=20000)
    trend = page.locator("[data-kpi=evaluations] svg.spark")
    assert trend.count() == 1 and trend.locator("circle").count() >= 3
    assert page.locator("[data-kpi] svg.spark rect").count() == 0  # no single-bar sparklines
    label_px = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
        'svg.spark text')].map((t) => parseFloat(getComputedStyle(t).fontSize)
          * t.ownerSVGElement.getBoundingClientRect().width
          / t.ownerSVGElement.viewBox.baseVal.width))""")
    assert label_px >= 12
    text = page.locator("#app").inner_text()
    assert not RAW.search(text), RAW.search(text)
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"pimpinan-{width}-skor.png"), full_page=False)

    page.select_option("#org", "polres-tegal")
    page.select_option("#year", "2024")
    page.click("button[data-tab=dasbor]")
    page.wait_for_selector("text=Dasbor Polres Tegal · 2024")
    page.wait_for_selector("text=Rincian per satuan")
    assert page.locator("#tab-dasbor svg.chart").count() >= 3  # response, per month, per hour
    page.wait_for_timeout(300)  # the chart text follows the charts' size
    assert _smallest_chart_text_px(page) >= 12
    assert _overlapping_chart_text(page) == []
    figures = page.locator("table.figures tbody tr")
    assert figures.count() == 9
    assert "alarm warga; tanpa dibatalkan pelapor, duplikat dan uji" in \
        page.locator("table.figures").inner_text()
    text = page.locator("#app").inner_text()
    assert not RAW.search(text), RAW.search(text)
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"pimpinan-{width}-dasbor.png"), full_page=False)
    assert errors == []
