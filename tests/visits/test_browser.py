"""A Bhabinkamtibmas files a visit with a photo on a phone-sized screen, offline then online."""

from __future__ import annotations

import os
import shutil
import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD
from tests.visits.helpers import make_image, region_of

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(
    not (os.path.exists(CHROMIUM) or shutil.which("chromium")), reason="chromium not installed")


def _visits(base: str, token: str, place_name: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{base}/api/v1/visits?limit=1000",
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    response.raise_for_status()
    return [v for v in response.json()["items"] if v["place_name"] == place_name]


def test_visit_with_photo_filed_offline_is_sent_once_back_online(live_server: Any,
                                                                   tmp_path: Any) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    token = httpx.post(f"{base}/api/v1/auth/login", json={"username": "bhabin.kauman",
                                                          "password": DEMO_PASSWORD}
                       ).json()["access_token"]
    kauman = region_of("bhabin.kauman")
    place = f"SDN Kauman {uuid.uuid4().hex[:6]}"
    photo = tmp_path / "bukti.jpg"
    photo.write_bytes(make_image(gps=(kauman["lat"], kauman["lon"])))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
            has_touch=True, locale="id-ID", timezone_id="Asia/Jakarta",
            geolocation={"latitude": kauman["lat"], "longitude": kauman["lon"],
                         "accuracy": 12},
            permissions=["geolocation"])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/petugas")
        page.fill("input[name=username]", "bhabin.kauman")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("#login-form button[type=submit]")
        page.click("button[data-tab=kunjungan]")
        tab = page.locator("#tab-kunjungan")
        expect(tab.get_by_text("+ Kunjungan baru")).to_be_visible(timeout=15000)
        tab.get_by_text("+ Kunjungan baru").click()

        form = tab.locator("form")
        form.locator("select[name=place_type]").select_option("school")
        form.locator("input[name=place_name]").fill(place)
        form.locator("input[name=rw]").fill("04")
        form.locator("input[name=rt]").fill("02")
        form.locator("input[name=person_name]").fill("Bu Kepala Sekolah")
        form.locator("input[name=person_role]").fill("Kepala sekolah")
        form.get_by_label("Narkoba").check()
        form.get_by_label("Tawuran").check()
        form.locator("textarea[name=findings]").fill("Siswa diajak tawuran lewat grup WA.")
        form.locator("textarea[name=problems]").fill("Ajakan tawuran sepulang sekolah.")
        form.get_by_text("+ Tambah tindak lanjut").click()
        form.locator("select[name=fu_function]").select_option("intelkam")
        form.locator("input[name=fu_description]").fill("Pantau grup WA alumni")
        form.locator("input[type=file]").set_input_files(str(photo))
        expect(form.locator(".kv-thumbs img")).to_have_count(1)
        expect(form.get_by_text("Lokasi HP:")).to_be_visible(timeout=10000)
        box = page.viewport_size
        assert box is not None and box["width"] == 390
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page scrolls sideways on a phone ({width}px)"

        context.set_offline(True)
        form.get_by_role("button", name="Kirim").click()
        waiting = tab.locator(".kv-outbox .kv-queued")
        expect(waiting).to_have_count(1)
        expect(waiting).to_contain_text("Menunggu sinyal")
        expect(tab.locator(".kv-status")).to_contain_text("1 kunjungan menunggu")
        page.wait_for_timeout(1500)
        assert _visits(base, token, place) == []

        # The phone survives a reload while offline? The page itself needs the network, so
        # instead check the visit sits in IndexedDB with its photo.
        stored = page.evaluate("""() => new Promise((resolve) => {
            const open = indexedDB.open('siaga-outbox-visits');
            open.onsuccess = () => {
              const all = open.result.transaction('records').objectStore('records').getAll();
              all.onsuccess = () => resolve(all.result.map((r) => [r.state, r.photos.length,
                                                                   r.photos[0].blob.size]));
            };
        })""")
        assert stored == [["queued", 1, photo.stat().st_size]]

        context.set_offline(False)
        sent = tab.locator(".kv-history .kv-sent", has_text=place)
        expect(sent).to_have_count(1, timeout=30000)
        expect(tab.locator(".kv-outbox .kv-item")).to_have_count(0)
        expect(tab.locator(".kv-status")).to_contain_text("0 kunjungan menunggu")
        assert not errors, errors
        browser.close()

    visits = _visits(base, token, place)
    assert len(visits) == 1
    visit = visits[0]
    assert visit["place_type"] == "school" and visit["rw"] == "04"
    assert set(visit["topics"]) == {"drugs", "brawl"}
    assert len(visit["photos"]) == 1 and visit["photos"][0]["exif_lat"] is not None
    assert visit["lat"] is not None and visit["region_name"] == "Kauman"
    assert [f["function"] for f in visit["follow_ups"]] == ["intelkam"]
    assert not any(f["code"] in ("far_off", "no_photo") for f in visit["flags"])
    served = httpx.get(f"{base}{visit['photos'][0]['url']}",
                       headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert served.status_code == 200 and served.content == photo.read_bytes()
