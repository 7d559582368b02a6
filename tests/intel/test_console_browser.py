"""The analyst console and the command-center warning layer in a real Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture()
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _login(browser: Any, url: str, path: str, username: str) -> tuple[Any, list[str]]:
    page = browser.new_context(viewport={"width": 1300, "height": 900}, locale="id-ID").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{url}{path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    return page, errors


def test_analyst_reviews_and_confirms_a_warning(browser: Any, live_server: Any) -> None:
    page, errors = _login(browser, live_server.url, "/intel", "analis")
    item = page.wait_for_selector("#warning-list li:has-text('SMKN 2 Slawi')", timeout=15_000)
    item.click()
    page.wait_for_selector("#warning-detail .evidence li")
    detail = page.inner_text("#warning-detail")
    assert "Procot" in detail and "Saran tindakan" in detail and "Bhabinkamtibmas" in detail
    assert page.inner_text("#warning-detail .badge") in ("Penggalangan", "Sudah berkumpul")
    assert "100%" not in detail  # a probability is never shown as certainty
    page.click("#warning-detail button.ok")
    page.wait_for_selector("#warning-detail h2:has-text('Dikonfirmasi')")
    page.click(".tabs button[data-tab=schools]")
    page.wait_for_selector("#risk-table td.risk.tinggi")
    # Risk in words with a score out of 100, never the raw 0-1 value.
    risks = page.locator("#risk-table td.risk").all_inner_texts()
    assert risks and all(re.fullmatch(r"(tinggi|sedang|rendah) \(skor \d{1,3}\)", r)
                         for r in risks), risks
    page.click(".tabs button[data-tab=students]")
    page.wait_for_selector("#student-table td:has-text('Pelajar Demo')")
    page.locator("#student-table tbody tr").first.click()
    page.wait_for_selector("#student-detail li")
    shown = page.inner_text("#student-table") + page.inner_text("#student-detail")
    # Dates as people write them ("28 Februari 2027"), never ISO.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", shown), shown
    assert re.search(r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|"
                     r"Oktober|November|Desember) \d{4}", shown), shown
    assert not errors, errors


def test_analyst_tries_a_text_and_reads_the_answer_in_words(browser: Any,
                                                            live_server: Any) -> None:
    page, errors = _login(browser, live_server.url, "/intel", "analis")
    page.wait_for_selector("#warning-list li", timeout=15_000)
    page.click(".tabs button[data-tab=test]")
    page.fill("#test-form textarea[name=text]",
              "b3s0k plg sekolah smkn2 slawi ditunggu di procot bawa gir")
    page.click("#test-form button[type=submit]")
    page.wait_for_selector("#test-result:has-text('Alasan')")
    answer = page.inner_text("#test-result")
    assert "menjadi peringatan" in answer and "tidak menjadi" not in answer
    assert "SMKN 2 Slawi" in answer and "besok" in answer
    assert '"risk"' not in answer  # words for people, not the API's JSON
    assert not errors, errors


def test_ops_map_shows_warnings(browser: Any, live_server: Any) -> None:
    page, errors = _login(browser, live_server.url, "/ops", "operator.tegal")
    page.wait_for_selector(".warn-dot", timeout=15_000)
    assert not errors, errors
