"""A real browser opens /pimpinan as the Kapolres of Tegal and sees the scorecard."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from tests.conftest import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture()
def browser() -> Any:
    if not shutil.which(CHROMIUM):
        pytest.skip("chromium missing: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_pimpinan_sees_the_scorecard(live_server: Any, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/pimpinan")
    page.fill("input[name=username]", "pimpinan.tegal")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("text=Balanced Scorecard Polres Tegal", timeout=20000)
    fill = page.locator("[data-kpi=personnel_fill]")
    assert "442 dari 965" in fill.inner_text()
    assert page.locator("[data-perspective]").count() == 4

    # The study's survey year: a figure no other test (the survey one below) can change.
    page.select_option("#year", "2023")
    page.wait_for_selector("text=Balanced Scorecard Polres Tegal · 2023")
    assert "54,5%" in page.locator("[data-kpi=public_satisfaction]").inner_text()

    page.select_option("#year", "2022")
    page.wait_for_selector("text=Balanced Scorecard Polres Tegal · 2022")
    assert "30 kejadian" in page.locator("[data-kpi=brawls]").inner_text()

    page.click("button[data-tab=dasbor]")
    page.wait_for_selector("text=Rincian per satuan")
    assert page.locator("#tab-dasbor .chart-card").count() == 6
    assert page.locator("#tab-dasbor svg.chart").count() + \
        page.locator("#tab-dasbor .nodata-box").count() == 6
    page.click("tr[data-org=polsek-slawi]")
    page.wait_for_selector("text=Dasbor Polsek Slawi")

    page.select_option("#org", "polres-tegal")
    page.click("button[data-tab=strategi]")
    page.wait_for_selector("text=Membentuk Satgas Tim Tanggap Konflik Tawuran")
    assert errors == []


def test_citizen_survey_module_submits(live_server: Any, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(f"{live_server.url}/static/pimpinan.html")
    page.evaluate("""async () => {
        document.body.innerHTML = '<div id="survey"></div>';
        const { Api } = await import('/static/common.js');
        const { mount } = await import('/static/warga-survey.js');
        await mount(document.getElementById('survey'), new Api('siaga.test.survey'));
    }""")
    page.select_option("select[name=polres]", "polres-tegal")
    page.check("input[value=perlu_peningkatan]")
    page.fill("textarea[name=comment]", "Patroli saat jam pulang sekolah ditambah")
    page.click("form.survey button[type=submit]")
    page.wait_for_selector("text=sudah kami terima")
