"""Browser test of the /admin geofence tab at 1366x768: a zone drawn on the map and a zone taken
from a kelurahan become rules in the list, and one is switched off there."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD, login

SHOTS = Path(os.environ.get("SIAGA_SHOTS", "/tmp/shots_b"))
pytestmark = pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"),
                                reason="needs /usr/bin/chromium")


def _rules(http: httpx.Client) -> dict[str, dict[str, Any]]:
    page = http.get("/api/v1/geofence/rules", headers=login(http, "admin"))
    assert page.status_code == 200, page.text
    return {r["name"]: r for r in page.json()["items"]}


def test_admin_draws_a_zone_picks_a_kelurahan_and_switches_a_rule_off(
        live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    http = httpx.Client(base_url=live_server.url, timeout=10)
    errors: list[str] = []
    page = browser.new_context(viewport={"width": 1366, "height": 768},
                                                         locale="id-ID",
                                                         timezone_id="Asia/Jakarta").new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/admin")
    page.fill("#login-form input[name=username]", "admin")
    page.fill("#login-form input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.click("nav.tabs button[data-tab=geofence]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    form = page.locator("#geofence-form")
    expect(form).to_be_visible(timeout=15000)
    expect(page.locator("#geofence-rules")).to_contain_text("Belum ada aturan")

    # 1. A zone drawn on the map: four corners, closed on the first.
    form.locator("input[name=name]").fill("Zona gambar Alun-alun")
    form.locator("select[name=org]").select_option("polsek-klojen")
    page.locator(".leaflet-pm-icon-polygon").click()
    box = page.locator("#geofence-map").bounding_box()
    assert box is not None
    corners = [(0.35, 0.35), (0.65, 0.35), (0.65, 0.65), (0.35, 0.65), (0.35, 0.35)]
    for fx, fy in corners:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(150)
    form.locator("input[name=start_time]").fill("13:00")
    form.locator("input[name=end_time]").fill("15:00")
    form.locator("button[type=submit]").click()
    drawn_row = page.locator("#geofence-rules tr", has_text="Zona gambar Alun-alun")
    expect(drawn_row).to_contain_text("Zona digambar di peta", timeout=10000)
    expect(drawn_row).to_contain_text("13:00–15:00 WIB")
    expect(drawn_row).to_contain_text("Aktif")
    page.screenshot(path=str(SHOTS / "admin-geofence-drawn.png"), full_page=True)
    drawn = _rules(http)["Zona gambar Alun-alun"]
    assert drawn["zone"]["type"] == "Polygon" and len(drawn["zone"]["coordinates"][0]) == 5
    assert drawn["org"] == "polsek-klojen"

    # 2. A zone taken from a kelurahan.
    form.locator("input[name=name]").fill("Kauman tanpa unit")
    form.locator("select[name=zone_source]").select_option("region")
    region = form.locator("select[name=region_id]")
    region.select_option(label=next(o for o in region.locator("option").all_inner_texts()
                                    if o.startswith("Kauman")))
    form.locator("button[type=submit]").click()
    region_row = page.locator("#geofence-rules tr", has_text="Kauman tanpa unit")
    expect(region_row).to_contain_text("Kelurahan Kauman", timeout=10000)
    expect(region_row).to_contain_text("Setiap hari · sepanjang hari")
    assert _rules(http)["Kauman tanpa unit"]["org"] == "polsek-klojen"
    page.screenshot(path=str(SHOTS / "admin-geofence.png"), full_page=True)

    # 3. Switched off in the list.
    region_row.locator("button", has_text="Aktif").click()
    expect(region_row.locator("button", has_text="Mati")).to_be_visible(timeout=10000)
    assert _rules(http)["Kauman tanpa unit"]["active"] is False
    assert _rules(http)["Zona gambar Alun-alun"]["active"] is True
    page.screenshot(path=str(SHOTS / "admin-geofence-off.png"))

    # Edited from the list: the drawn zone comes back onto the map and is kept.
    drawn_row.locator("button", has_text="Ubah").click()
    expect(page.locator("#geofence-form h2")).to_have_text("Ubah aturan: Zona gambar Alun-alun")
    form.locator("input[name=name]").fill("Zona gambar Alun-alun sore")
    form.locator("button[type=submit]").click()
    expect(page.locator("#geofence-rules")).to_contain_text("Zona gambar Alun-alun sore",
                                                            timeout=10000)
    edited = _rules(http)["Zona gambar Alun-alun sore"]
    assert edited["id"] == drawn["id"] and edited["zone"] == drawn["zone"]
    assert edited["start_time"] == "13:00"

    # A school zone is previewed as its circle; the shift's hotspot cells say when there are none.
    form.locator("select[name=org]").select_option("polsek-slawi")
    form.locator("select[name=zone_source]").select_option("school")
    school = form.locator("select[name=school_id]")
    school.select_option(label="SMK Pertanian Slawi")
    expect(page.locator("#geofence-map path.leaflet-interactive")).to_have_count(1)
    page.screenshot(path=str(SHOTS / "admin-geofence-school.png"), full_page=True)
    form.locator("select[name=zone_source]").select_option("hotspots")
    expect(form.locator("input[name=start_time]")).to_be_hidden()
    expect(page.locator("#tab-geofence [role=status]")).to_contain_text(
        "Belum ada sel titik rawan", timeout=10000)

    # A silent-unit rule shows its own field, not the zone's.
    form.locator("select[name=kind]").select_option("unit_silent")
    expect(form.locator("input[name=silent_minutes]")).to_be_visible()
    expect(form.locator("select[name=zone_source]")).to_be_hidden()
    assert [e for e in errors if "Failed to load resource" not in e] == []
    for rule in _rules(http).values():
        http.delete(f"/api/v1/geofence/rules/{rule['id']}", headers=login(http, "admin"))
