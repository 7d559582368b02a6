"""One piece for each shared thing in the front end, and the pages still work through them.

The source checks fail when a log-in card, tab switching, an IndexedDB outbox, WebAudio tone
code, a service worker or a browser-native dialog is written again outside its module. The
browser checks sign in on every staff page through the shared card, switch tabs with the mouse
and the keyboard, answer a shared dialog by keyboard, and open /petugas and /warga offline.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD

STATIC = Path(__file__).resolve().parents[2] / "src" / "siaga" / "web" / "static"
SOURCES = sorted([*STATIC.glob("*.js"), *STATIC.glob("*.html")])


def _code(path: Path) -> str:
    """The file without its // and /* */ comments (a comment may name what it replaces)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(^|[^:\"'])//[^\n]*", r"\1", text)


def _files_matching(pattern: str) -> set[str]:
    regex = re.compile(pattern)
    return {p.name for p in SOURCES if regex.search(_code(p))}


@pytest.mark.parametrize(("what", "pattern", "owners"), [
    ("log-in card", r"current-password", {"login.js"}),
    ("log-in request", r"/api/v1/auth/login", {"common.js"}),
    ("tab switching", r"dataset\.tab\b", {"tabs.js"}),
    ("IndexedDB outbox", r"indexedDB\.open|(import\(|from) *\"/vendor/idb-keyval", {"outbox.js"}),
    ("WebAudio tones", r"AudioContext|createOscillator", {"tones.js"}),
    ("service worker", r"addEventListener\(\s*[\"']fetch[\"']", {"sw.js"}),
    ("service worker registration", r"serviceWorker\.register", {"petugas.js", "warga.js"}),
    ("modal dialog", r"showModal\(", {"dialog.js", "ops-history.js"}),
])
def test_each_shared_thing_is_written_once(what: str, pattern: str, owners: set[str]) -> None:
    assert _files_matching(pattern) == owners, f"{what} belongs in {sorted(owners)} only"


def test_no_browser_native_dialogs() -> None:
    native = _files_matching(r"(?<![.\w])(alert|confirm|prompt)\(")
    assert native == set(), f"use dialog.js instead of alert()/confirm()/prompt() in {native}"


def test_every_staff_page_draws_the_shared_card() -> None:
    staff = ["admin-info", "admin", "intel", "kunjungan", "ops", "petugas", "pimpinan", "replay"]
    for name in staff:
        html = (STATIC / f"{name}.html").read_text(encoding="utf-8")
        assert re.search(r'<section id="login"[^>]*hidden', html), name
        assert 'id="login-form"' not in html, f"{name}.html copies the log-in card"


# --- in a browser ---------------------------------------------------------------------------

# page, user, what shows once signed in, a tab to switch to (button, its panel)
PAGES = [
    ("/ops", "operator", "#console", ("#tab-units", "#pane-units")),
    ("/petugas", "bhabin.kauman", "#app", ("button[data-tab=kunjungan]", "#tab-kunjungan")),
    ("/pimpinan", "pimpinan", "#app", ("button[data-tab=dasbor]", "#tab-dasbor")),
    ("/kunjungan", "pimpinan", "#app", ("button[data-tab=anev]", "#tab-anev")),
    ("/intel", "analis", "#app", ("button[data-tab=test]", "#tab-test")),
    ("/admin", "admin", "#app", ("button[data-tab=orgs]", "#tab-orgs")),
    ("/admin/info", "admin", "#app", None),
    ("/replay", "operator", "#page", None),
]


@pytest.mark.timeout(280)
def test_staff_pages_sign_in_switch_tabs_and_sign_out(live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    for path, user, shown, tab in PAGES:
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.on("pageerror", lambda exc, path=path: errors.append(f"{path}: {exc}"))
        page.goto(f"{live_server.url}{path}")
        card = page.locator("#login")
        expect(card.locator("h1")).to_be_visible()
        page.fill("#login input[name=username]", user)
        page.fill("#login input[name=password]", "salah-sekali")
        page.click("#login button[type=submit]")
        expect(page.locator("#login-error")).not_to_be_empty()
        page.fill("#login input[name=password]", DEMO_PASSWORD)
        page.press("#login input[name=password]", "Enter")
        expect(page.locator(shown)).to_be_visible(timeout=15000)
        expect(card).to_be_hidden()
        if tab:
            button, panel = tab
            page.click(button)
            expect(page.locator(panel)).to_be_visible()
            expect(page.locator(button)).to_have_class(re.compile(r"\bactive\b"))
            # Arrow keys move along the tab list, as in any tablist.
            page.focus(button)
            page.keyboard.press("ArrowLeft")
            expect(page.locator(panel)).to_be_hidden()
        if page.locator("#logout").count():
            page.click("#logout")
            expect(page.locator("#login h1")).to_be_visible(timeout=10000)
        page.context.close()
    assert errors == []


def test_role_refused_and_tones_named(live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(f"{live_server.url}/admin")
    page.fill("#login input[name=username]", "operator")
    page.fill("#login input[name=password]", DEMO_PASSWORD)
    page.click("#login button[type=submit]")
    expect(page.locator("#login")).to_contain_text("Halaman ini khusus admin")
    expect(page.locator("#app")).to_be_hidden()
    names = page.evaluate("async () => { const t = await import('/static/tones.js'); t.unlock();"
                          " return [t.TONE_NAMES, ['alarm', 'sos', 'task', 'cancel', 'geofence',"
                          " 'journey'].map((n) => t.play(n)), t.play('nada-lain')]; }")
    assert names[0] == ["alarm", "sos", "task", "cancel", "geofence", "journey"]
    assert names[1] == [True] * 6
    assert names[2] is False


def test_shared_dialog_answers_by_keyboard(live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    token = httpx.post(f"{live_server.url}/api/v1/auth/login",
                       json={"username": "admin", "password": DEMO_PASSWORD},
                       timeout=10).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = httpx.post(f"{live_server.url}/api/v1/info/items", headers=headers, timeout=10,
                         json={"kind": "tip", "title": "Uji dialog bersama", "body": "x"})
    assert created.status_code in (200, 201), created.text
    item = created.json()["id"]
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/healthz")
    page.evaluate("t => localStorage.setItem('siaga.staff.token', t)", token)
    page.goto(f"{live_server.url}/admin/info")
    row = page.locator(f"tr[data-item-id='{item}']")
    row.get_by_role("button", name="Hapus").click()
    dialog = page.locator("dialog.siaga-dialog[open]")
    expect(dialog).to_contain_text("Uji dialog bersama")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Hapus").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")  # from "Batal" to "Hapus"
    page.keyboard.press("Enter")
    expect(row).to_have_count(0)
    remaining = httpx.get(f"{live_server.url}/api/v1/info/items?limit=1000", headers=headers,
                          timeout=10).json()["items"]
    assert item not in [i["id"] for i in remaining]


@pytest.mark.parametrize(("path", "user", "shown"), [
    # Offline, /petugas cannot check the stored log-in, so it shows the card (as it always did).
    ("/petugas", "bhabin.kauman", "#login h1"),
    ("/warga", None, "#onboard"),
])
def test_page_opens_offline_from_its_worker(live_server: Any, browser: Any, path: str,
                                            user: str | None, shown: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    if user:
        token = httpx.post(f"{live_server.url}/api/v1/auth/login",
                           json={"username": user, "password": DEMO_PASSWORD},
                           timeout=10).json()["access_token"]
        page.goto(f"{live_server.url}/healthz")
        page.evaluate("t => localStorage.setItem('siaga.petugas.token', t)", token)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_function("async () => !!(await navigator.serviceWorker.ready).active")
    page.wait_for_function("async () => { const keys = await caches.keys();"
                           " return keys.length > 0 &&"
                           " (await (await caches.open(keys[0])).keys()).length > 5; }")
    context.set_offline(True)
    page.reload()
    # Drawn by the page's modules, so every module it imports came from the worker's cache.
    expect(page.locator(shown)).to_be_visible(timeout=10000)
    context.close()


def test_outbox_adopts_what_the_old_visit_database_held(live_server: Any, browser: Any) -> None:
    page = browser.new_page()
    page.goto(f"{live_server.url}/healthz")
    held = page.evaluate("""async () => {
        // The store /petugas used before the shared outbox: keyed by client_id (keyPath).
        await new Promise((resolve, reject) => {
          const open = indexedDB.open('siaga-petugas', 1);
          open.onupgradeneeded = () =>
            open.result.createObjectStore('visits', { keyPath: 'client_id' });
          open.onsuccess = () => {
            const t = open.result.transaction('visits', 'readwrite');
            t.objectStore('visits').put({ client_id: 'lama-1', state: 'queued', owner: 'x' });
            t.oncomplete = () => { open.result.close(); resolve(); };
            t.onerror = () => reject(t.error);
          };
        });
        const { openOutbox, retryable } = await import('/static/outbox.js');
        const box = openOutbox('visits');
        const before = (await box.all()).map((r) => r.client_id);
        await box.put({ client_id: 'baru-2', state: 'queued' });
        const sent = [];
        const done = await box.drain({ send: async (r) => { sent.push(r.client_id); return 1; } });
        return { before, sent, done, left: (await box.all()).length,
                 rules: [undefined, 500, 408, 429, 401, 422].map((s) => retryable({ status: s })),
                 rule401: retryable({ status: 401 }, { retry401: true }) };
    }""")
    assert held["before"] == ["lama-1"]
    assert sorted(held["sent"]) == ["baru-2", "lama-1"] and held["done"] is True
    assert held["left"] == 0
    assert held["rules"] == [True, True, True, True, False, False] and held["rule401"] is True
