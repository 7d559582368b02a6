"""The leaders' page, the information-menu admin page and the citizen's Lapor tab in a browser."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD, KLOJEN
from tests.visits.helpers import make_image, region_of
from tests.visits.test_browser import ARGS, CHROMIUM, pytestmark  # noqa: F401

__all__ = ["pytestmark"]


def _token(base: str, username: str) -> str:
    response = httpx.post(f"{base}/api/v1/auth/login",
                          json={"username": username, "password": DEMO_PASSWORD}, timeout=10)
    return str(response.json()["access_token"])


@pytest.mark.timeout(240)
def test_leader_admin_and_citizen_pages(live_server: Any) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    officer = _token(base, "bhabin.gadingkasri")
    gading = region_of("bhabin.gadingkasri")
    place = f"Gereja {uuid.uuid4().hex[:6]}"
    body = {"client_id": str(uuid.uuid4()), "place_type": "worship", "place_name": place,
            "rw": "05", "topics": ["dispute"], "findings": "Sengketa lahan parkir.",
            "lat": gading["lat"], "lon": gading["lon"],
            "follow_ups": [{"function": "binmas", "description": "Mediasi sengketa parkir"}]}
    posted = httpx.post(f"{base}/api/v1/visits", data={"data": json.dumps(body)},
                        files=[("photos", ("a.jpg", make_image(), "image/jpeg"))],
                        headers={"Authorization": f"Bearer {officer}"}, timeout=10)
    assert posted.status_code == 201, posted.text
    device = httpx.post(f"{base}/api/v1/devices", json={"phone": "081299990000",
                                                        "name": "Warga Uji"}, timeout=10).json()
    citizen = {"Authorization": f"Bearer {device['token']}"}
    httpx.post(f"{base}/api/v1/devices/me/accept-warning", headers=citizen, timeout=10)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        errors: list[str] = []

        def page_as(key: str, token: str, **context: Any) -> Any:
            page = browser.new_context(**context).new_page()
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{base}/healthz")
            page.evaluate("([k, t]) => localStorage.setItem(k, t)", [key, token])
            return page

        leader = page_as("siaga.staff.token", _token(base, "pimpinan"),
                         viewport={"width": 1280, "height": 900})
        leader.goto(f"{base}/kunjungan")
        leader.select_option("#org", "polsek-klojen")
        row = leader.locator("#kelurahan tr", has_text="Gadingkasri")
        expect(row).to_contain_text("hari ini", timeout=15000)
        expect(leader.locator("#kelurahan tr.gap").first).to_be_visible()
        leader.click("button[data-tab=kunjungan]")
        expect(leader.locator("#visits")).to_contain_text(place)
        leader.click("button[data-tab=tindaklanjut]")
        task = leader.locator("#followups tr", has_text="Mediasi sengketa parkir")
        expect(task).to_have_count(1)
        task.get_by_role("button", name="Saya tangani").click()
        expect(leader.locator("#followups tr", has_text="Mediasi sengketa parkir")
               ).to_contain_text("Kabagops Polres Malang Kota")
        leader.click("button[data-tab=anev]")
        expect(leader.locator("#anev")).to_contain_text("Anev Polsek Klojen")
        expect(leader.locator("#anev svg.chart").first).to_be_visible()
        with leader.expect_download() as download:
            leader.click("#anev-csv")
        assert download.value.suggested_filename.endswith(".csv")

        admin = page_as("siaga.staff.token", _token(base, "admin"),
                        viewport={"width": 1280, "height": 900})
        admin.goto(f"{base}/admin/info")
        title = f"Pos ronda {uuid.uuid4().hex[:5]}"
        admin.select_option("select[name=kind]", "notice")
        admin.select_option("#org-code", "polres-malang-kota")
        admin.fill("input[name=title]", title)
        admin.fill("textarea[name=body]", "Pos ronda RW 05 aktif tiap malam.")
        admin.get_by_role("button", name="Simpan").click()
        expect(admin.locator("#status")).to_have_text("Tersimpan.")
        expect(admin.locator("#items")).to_contain_text(title)
        menu = httpx.get(f"{base}/api/v1/info?lat={KLOJEN[0]}&lon={KLOJEN[1]}", timeout=10)
        assert title in {n["title"] for n in menu.json()["notices"]}

        warga = page_as("siaga.warga.token", device["token"],
                        viewport={"width": 390, "height": 844}, is_mobile=True,
                        geolocation={"latitude": KLOJEN[0], "longitude": KLOJEN[1]},
                        permissions=["geolocation"])
        warga.goto(f"{base}/warga")
        warga.click("button[data-tab=lapor]")
        tab = warga.locator("#tab-lapor")
        tab.locator("select[name=category]").select_option("drugs")
        tab.locator("textarea[name=text]").fill("Transaksi mencurigakan di gang belakang pasar")
        tab.locator("input[name=anonymous]").check()
        tab.get_by_role("button", name="Kirim laporan").click()
        expect(tab.locator(".tips-item")).to_contain_text("Narkoba — Diterima", timeout=15000)
        expect(tab.locator(".tips-item")).to_contain_text("Polsek Klojen")
        browser.close()
    assert not errors, errors
    mine = httpx.get(f"{base}/api/v1/tips/mine", headers=citizen, timeout=10).json()
    assert mine["total"] == 1 and mine["items"][0]["anonymous"] is True
