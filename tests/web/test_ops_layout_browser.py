"""/ops layout at a 1366x768 command-room screen: queue rows show what an operator reads in
full, an incident with a new alarm is led by it, the queue says when it is empty, the map's
panels fold away, toasts cover no controls and the detail's actions stay in view after a merge."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import DEMO_PASSWORD, KLOJEN, LOWOKWARU
from tests.web.conftest import CHROMIUM

pytestmark = [pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium"),
              pytest.mark.timeout(300)]

SHOTS = os.environ.get("SIAGA_SHOTS_DIR", "")
# Apart from the other tests' alarms (the tests share a database, in any order): no incident
# of theirs within 150 m.
PLACE = (KLOJEN[0] - 0.006, KLOJEN[1] + 0.004)

# Elements a row must show in full (never cut by an ellipsis or the row's edge).
UNCUT = """() => {
  const cut = [];
  for (const li of document.querySelectorAll('#queue li:not([hidden])')) {
    const box = li.getBoundingClientRect();
    const parts = [...li.querySelectorAll('.line1, .caller .phone, .timer, button.act:not(.idle)')]
      .concat([...li.querySelectorAll('.badges > *')]);
    for (const node of parts) {
      if (node.hidden || getComputedStyle(node).display === 'none') continue;
      const r = node.getBoundingClientRect();
      const clip = node.closest('.badges') ? node.parentElement.getBoundingClientRect() : box;
      const inside = r.left >= clip.left - 0.5 && r.right <= clip.right + 0.5
        && r.top >= clip.top - 0.5 && r.bottom <= clip.bottom + 0.5;
      if (node.scrollWidth > node.clientWidth + 0.5 || !inside)
        cut.push(`#${li.dataset.alarm} ${node.className}: ${node.textContent}`
                 + ` (${node.scrollWidth}>${node.clientWidth}, inside=${inside})`);
    }
  }
  return cut;
}"""


def _staff(url: str, username: str = "operator") -> dict[str, str]:
    response = httpx.post(f"{url}/api/v1/auth/login",
                          json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _alarm(url: str, name: str, lat: float, lon: float, minutes_ago: float = 0) -> tuple[int, str]:
    """An alarm from a fresh phone; returns its id and the device's token."""
    phone = f"08{uuid.uuid4().int % 10**10:010d}"
    device = httpx.post(f"{url}/api/v1/devices", json={"phone": phone, "name": name, "pin": "2468"})
    assert device.status_code == 201, device.text
    token = device.json()["token"]
    at = (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat()
    body = {"client_id": str(uuid.uuid4()), "lat": lat, "lon": lon, "accuracy_m": 15,
            "triggered_at": at, "fix_at": at}
    response = httpx.post(f"{url}/api/v1/alarms", json=body,
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    return int(response.json()["id"]), token


def _operator(browser: Any, url: str, width: int = 1366, height: int = 768) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID",
                                  timezone_id="Asia/Jakarta")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.errors = errors
    page.goto(f"{url}/ops")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#conn.live", timeout=30_000)
    return page


def _order(page: Any) -> list[int]:
    return list(page.evaluate("() => [...document.querySelectorAll('#queue li:not([hidden])')]"
                              ".map(li => Number(li.dataset.alarm))"))


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name))


def test_queue_rows_uncut_incident_led_by_its_new_alarm_and_empty_state(
    browser: Any, live_server: Any
) -> None:
    url = live_server.url
    ops = _staff(url)
    active = httpx.get(f"{url}/api/v1/alarms?status=open&limit=1", headers=ops).json()["total"]
    page = _operator(browser, url)
    if active == 0:
        page.wait_for_selector(".queue-empty:has-text('Tidak ada alarm aktif.')")

    # A caller's cancel awaiting confirmation, elsewhere in the city.
    cancelled, cancel_token = _alarm(url, "Ani Lestari", *LOWOKWARU)
    taken = httpx.post(f"{url}/api/v1/alarms/{cancelled}/acknowledge", headers=ops)
    assert taken.status_code == 200, taken.text
    cancel = httpx.post(f"{url}/api/v1/alarms/{cancelled}/cancel", json={"pin": "2468"},
                        headers={"Authorization": f"Bearer {cancel_token}"})
    assert cancel.status_code == 200, cancel.text
    # An incident already taken on (its position 5 minutes old), then a second phone within
    # 150 m presses Help: a new alarm of the same incident.
    handled, _ = _alarm(url, "Siti Rahayu Kusumawardani", *PLACE, minutes_ago=5)
    assert httpx.post(f"{url}/api/v1/alarms/{handled}/acknowledge", headers=ops).status_code == 200
    new, _ = _alarm(url, "Budi Santoso Wicaksono", PLACE[0] + 0.0004, PLACE[1])
    incident = httpx.get(f"{url}/api/v1/alarms/{new}", headers=ops).json()["incident_id"]
    assert incident == handled

    for alarm_id in (cancelled, handled, new):
        page.wait_for_selector(f"#queue li[data-alarm='{alarm_id}']:not([hidden])", timeout=30_000)
    page.wait_for_selector(f"#queue li[data-alarm='{new}'] button.merge:not([hidden])")
    assert page.is_hidden(".queue-empty")

    # "Belum diterima di atas": the incident rises with its new alarm, which leads it.
    order = _order(page)
    assert order.index(new) + 1 == order.index(handled), order
    assert order.index(new) <= 1, order  # only the other waiting alarm may stand above it
    grouped = page.evaluate(f"() => [{new}, {handled}].map(id =>"
                            " document.querySelector(`#queue li[data-alarm='${id}']`)"
                            ".classList.contains('grouped'))")
    assert grouped == [True, True]
    assert "Belum diterima di atas" in page.inner_text("#hint")

    # What the operator needs is shown in full: status, phone, badges, buttons.
    # (Rows skip rendering until they near the viewport: wait for the text as drawn.)
    new_row = page.locator(f"#queue li[data-alarm='{new}']")
    expect(new_row).to_contain_text(f"Insiden #{handled} · 2 alarm", use_inner_text=True)
    expect(new_row).to_contain_text(f"Gabungkan ke #{handled}", use_inner_text=True)
    expect(page.locator(f"#queue li[data-alarm='{handled}']")).to_contain_text(
        "⚠ posisi 5 mnt lalu", use_inner_text=True)
    expect(page.locator(f"#queue li[data-alarm='{cancelled}']")).to_contain_text(
        "Batal, perlu konfirmasi", use_inner_text=True)
    assert page.get_attribute(f"#queue li[data-alarm='{cancelled}'] .status", "title") \
        == "Dibatalkan pelapor - perlu konfirmasi"
    assert page.evaluate(UNCUT) == []
    # With a detail open (the queue keeps its width) and on a wide screen alike.
    page.click(f"#queue li[data-alarm='{handled}'] .main .place")
    page.wait_for_selector("#detail:not([hidden]) .detail-head")
    assert page.evaluate(UNCUT) == []
    _shot(page, "layout_1366_detail.png")

    # A filter that matches nothing says so; without alarms the queue says that instead.
    page.select_option("#filter-status", "duress")
    page.wait_for_selector(".queue-empty:has-text('Tidak ada alarm yang cocok dengan saringan.')")
    page.select_option("#filter-status", "")
    assert page.is_hidden(".queue-empty")
    for alarm_id in (new, handled):
        closed = httpx.post(f"{url}/api/v1/alarms/{alarm_id}/close", headers=ops,
                            json={"outcome": "false_alarm"})
        assert closed.status_code == 200, closed.text
    assert httpx.post(f"{url}/api/v1/alarms/{cancelled}/confirm-cancel",
                      headers=ops).status_code == 200
    if active == 0:
        page.wait_for_selector(".queue-empty:has-text('Tidak ada alarm aktif.')", timeout=30_000)
    assert page.errors == []

    wide = _operator(browser, url, 1920, 1080)
    again, _ = _alarm(url, "Dewi", *PLACE)
    wide.wait_for_selector(f"#queue li[data-alarm='{again}']:not([hidden])", timeout=30_000)
    assert wide.evaluate(UNCUT) == []
    _shot(wide, "layout_1920.png")
    assert wide.errors == []
    httpx.post(f"{url}/api/v1/alarms/{again}/close", headers=ops, json={"outcome": "false_alarm"})


def test_map_panels_fold_toasts_clear_of_controls_and_merge_keeps_actions_in_view(
    browser: Any, live_server: Any
) -> None:
    url = live_server.url
    ops = _staff(url)
    first, _ = _alarm(url, "Siti Rahayu", *KLOJEN)
    assert httpx.post(f"{url}/api/v1/alarms/{first}/acknowledge", headers=ops).status_code == 200
    second, _ = _alarm(url, "Budi", KLOJEN[0] + 0.0003, KLOJEN[1])
    # The incident the second phone joined (the first alarm's, or an earlier one's still open).
    leader = httpx.get(f"{url}/api/v1/alarms/{second}", headers=ops).json()["incident_id"]
    assert leader is not None
    page = _operator(browser, url)

    # Below 1600 px the hotspot panel and the legend start folded; a choice is remembered.
    page.wait_for_selector(".hotspot-control summary")
    assert page.evaluate("() => [document.querySelector('.hotspot-control').open,"
                         " document.querySelector('.map-legend').open]") == [False, False]
    page.click(".hotspot-control summary")
    assert page.evaluate("() => document.querySelector('.hotspot-control').open")
    page.reload()
    page.wait_for_selector("#conn.live", timeout=30_000)
    page.wait_for_selector(".hotspot-control[open] summary")
    page.click(".hotspot-control summary")  # folded again for what follows

    # The detail after a merge: scrolled to its top, its title and actions in view.
    page.wait_for_selector(f"#queue li[data-alarm='{second}']:not([hidden])", timeout=30_000)
    page.click(f"#queue li[data-alarm='{second}'] .main .place")
    merge = page.locator(f"#detail button:has-text('Gabungkan ke alarm #{leader}')")
    merge.wait_for()
    page.evaluate("() => { const d = document.getElementById('detail');"
                  " d.scrollTop = d.scrollHeight; }")
    merge.scroll_into_view_if_needed()
    merge.click()
    page.wait_for_selector(f"#detail button:has-text('Pisahkan dari insiden #{leader}')",
                           timeout=30_000)
    page.wait_for_timeout(400)
    assert page.evaluate("document.getElementById('detail').scrollTop") == 0
    ack = page.locator("#detail [data-action=acknowledge]")
    box = ack.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768, box
    _shot(page, "layout_1366_merged.png")

    # A toast covers neither the detail's title and close button nor the map's controls.
    page.evaluate("() => import('/static/dialog.js').then(m =>"
                  " m.notice('PIKET-KLOJEN ditugaskan ke alarm #1 dan sudah menerima tugasnya.'))")
    page.wait_for_selector("#notice:not([hidden])")
    overlaps = page.evaluate("""() => {
      const t = document.getElementById('notice').getBoundingClientRect();
      const hit = (n) => { const r = n.getBoundingClientRect();
        return r.width > 0 && !(r.right <= t.left || r.left >= t.right
                                || r.bottom <= t.top || r.top >= t.bottom); };
      return [...document.querySelectorAll('#detail .detail-head, #detail .actions button,'
        + ' .leaflet-control, .bar button, .tabs button')].filter(hit)
        .map(n => n.className || n.tagName);
    }""")
    assert overlaps == []
    _shot(page, "layout_1366_toast.png")
    assert page.errors == []
    for alarm_id in (first, second, leader):
        httpx.post(f"{url}/api/v1/alarms/{alarm_id}/close", headers=ops,
                   json={"outcome": "false_alarm"})


def test_open_map_panel_folds_while_a_popup_under_it_is_open_and_labels_never_overlap(
    browser: Any, live_server: Any
) -> None:
    url = live_server.url
    # Three cars a few metres apart, as at a police station's yard.
    admin = _staff(url, "admin")
    tag = uuid.uuid4().hex[:4].upper()
    for k in range(3):
        tracker = f"uji-{tag}-{k}".lower()
        unit = httpx.post(f"{url}/api/v1/units", headers=admin, json={
            "callsign": f"R4-UJI{tag}-{k}", "org": "polsek-klojen", "kind": "car",
            "tracker_id": tracker})
        assert unit.status_code == 201, unit.text
        fix = httpx.get(f"{url}/gps/osmand", params={
            "id": tracker, "lat": KLOJEN[0] + 0.00005 * k, "lon": KLOJEN[1] + 0.01,
            "timestamp": int(datetime.now(UTC).timestamp())})
        assert fix.status_code == 200, fix.text
    page = _operator(browser, url)
    page.wait_for_selector(".hotspot-control summary")
    page.click(".map-legend summary")  # the operator opens the legend (bottom left)
    page.click("#tab-units")
    page.fill("#pane-units input[type=search]", "PIKET-KLOJEN")
    page.click(".unit-list li:not([hidden])")
    page.click(".leaflet-popup-close-button")
    # Drag the map until the unit lies under the open legend, then open its popup (keyboard:
    # the legend is over the marker).
    marker = "[title='PIKET-KLOJEN']"
    box = page.locator(marker).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 60, box["y"] + 120)
    page.mouse.down()
    page.mouse.move(box["x"] - 280, box["y"] + 180, steps=8)
    page.mouse.up()
    page.focus(marker)
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup")
    page.wait_for_function("() => !document.querySelector('.map-legend').open")
    covered = page.evaluate("""() => {
      const p = document.querySelector('.leaflet-popup').getBoundingClientRect();
      return [...document.querySelectorAll('.map-legend, .hotspot-control')].some(n => {
        const r = n.getBoundingClientRect();
        return !(r.right <= p.left || r.left >= p.right
                 || r.bottom <= p.top || r.top >= p.bottom); });
    }""")
    assert not covered
    page.click(".leaflet-popup-close-button")
    page.wait_for_function("() => document.querySelector('.map-legend').open")
    # The choice to open it was the operator's, and it is kept.
    assert page.evaluate("() => localStorage.getItem('siaga.ops.fold.legend')") == "open"

    # Callsign labels shown never overlap one another; the chosen car's label shows.
    page.fill("#pane-units input[type=search]", f"R4-UJI{tag}-1")
    page.click(".unit-list li:not([hidden])")
    page.wait_for_selector(f"[title='R4-UJI{tag}-1'] .unit-label", state="visible")
    page.wait_for_timeout(300)
    overlapping = page.evaluate("""() => {
      const shown = [...document.querySelectorAll('.labels-on .unit-label')]
        .filter(n => getComputedStyle(n).display !== 'none').map(n => n.getBoundingClientRect());
      let pairs = 0;
      for (let i = 0; i < shown.length; i++) for (let j = i + 1; j < shown.length; j++) {
        const a = shown[i], b = shown[j];
        if (!(a.right <= b.left || a.left >= b.right
              || a.bottom <= b.top || a.top >= b.bottom)) pairs++;
      }
      return [shown.length, pairs];
    }""")
    assert overlapping[0] >= 1 and overlapping[1] == 0, overlapping
    assert page.errors == []
