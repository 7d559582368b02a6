"""/docs works offline: Swagger UI from node_modules, under the same page policy as every page."""

from __future__ import annotations

import re
from typing import Any


def test_docs_reference_no_outside_host_and_their_assets_answer(client: Any) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "<script>" not in page.text  # no inline script for the policy to refuse
    assert client.get("/openapi.json").status_code == 200


def test_docs_render_offline_under_the_page_policy(live_server: Any) -> None:
    import os

    import pytest
    from playwright.sync_api import expect, sync_playwright

    if not os.path.exists("/usr/bin/chromium"):
        pytest.fail("chromium missing")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        hosts: set[str] = set()
        refused: list[str] = []
        page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
        page.on("console", lambda m: refused.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.goto(f"{live_server.url}/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Siaga", timeout=20000)
        page.screenshot(path="/tmp/trust15-docs.png")
        # Swagger breaks long paths with invisible characters; data-path holds the path itself.
        expect(page.locator('.opblock-summary-path[data-path="/api/v1/auth/login"]')
               ).to_be_visible(timeout=20000)
        browser.close()
    assert hosts == {f"127.0.0.1:{live_server.port}"}, hosts
    assert not refused, refused
