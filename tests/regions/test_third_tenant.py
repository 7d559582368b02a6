"""A Polres nobody prepared: set up from the command line, then the whole loop over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import LiveServer

PASSWORD = "Batas-Desa-Baru-2026!"


def siaga(env: dict[str, str], *args: str, stdin: str | None = None
          ) -> subprocess.CompletedProcess[str]:
    """Run the `siaga` command line against the test database."""
    return subprocess.run([sys.executable, "-m", "siaga.cli.main", *args], input=stdin,
                          text=True, capture_output=True, env={**os.environ, **env},
                          timeout=180)


def village(code: str, name: str, kecamatan: str, lon: float, lat: float,
            kabkota: str = "Kabupaten Tanah Uji", size: float = 0.02) -> dict[str, Any]:
    """A square desa as the Kemendagri boundary files describe one."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size],
            [lon, lat]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"code": code, "name": name, "kecamatan": kecamatan,
                           "kecamatan_code": code.rsplit(".", 1)[0], "kabkota": kabkota,
                           "kabkota_code": code.rsplit(".", 2)[0], "level": "desa"}}


def boundary_file(tmp_path: Path, features: list[dict[str, Any]]) -> Path:
    path = tmp_path / f"batas-{uuid.uuid4().hex[:6]}.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _login(http: httpx.Client, username: str) -> dict[str, str]:
    response = http.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _alarm(http: httpx.Client, lat: float, lon: float) -> dict[str, Any]:
    device = http.post("/api/v1/devices", json={
        "phone": f"08{uuid.uuid4().int % 10**10:010d}", "name": "Warga Tanah Uji"})
    assert device.status_code == 201, device.text
    headers = {"Authorization": f"Bearer {device.json()['token']}"}
    sent = http.post("/api/v1/alarms", headers=headers,
                     json={"client_id": str(uuid.uuid4()), "lat": lat, "lon": lon})
    assert sent.status_code == 201, sent.text
    return dict(sent.json())


def test_a_new_polres_from_the_command_line_to_a_routed_dispatched_alarm(
        siaga_env: dict[str, str], tmp_path: Path) -> None:
    # Two kecamatan of two desa each, in a corner of the map no demo tenant touches.
    path = boundary_file(tmp_path, [
        village("92.77.01.2001", "Sumber Uji", "Teluk Uji", 134.00, -1.00),
        village("92.77.01.2002", "Karang Uji", "Teluk Uji", 134.02, -1.00),
        village("92.77.02.2001", "Bukit Hijau", "Bukit Uji", 134.00, -1.02),
        village("92.77.02.2002", "Lembah Uji", "Bukit Uji", 134.02, -1.02),
    ])
    imported = siaga(siaga_env, "regions", "import", str(path))
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout) == {"kabkota": 1, "kecamatan": 2, "villages": 4}

    added = siaga(siaga_env, "org", "add-polres", "--code", "polres-tanah-uji", "--name",
                  "Polres Tanah Uji", "--kabkota", "92.77", "--polda-code", "polda-uji",
                  "--polda-name", "Polda Uji")
    assert added.returncode == 0, added.stderr
    created = json.loads(added.stdout)
    assert created["polres"] == "polres-tanah-uji"
    by_kecamatan = {p["kecamatan_codes"][0]: p for p in created["polsek"]}
    assert {k: p["name"] for k, p in by_kecamatan.items()} == {
        "92.77.01": "Polsek Teluk Uji", "92.77.02": "Polsek Bukit Uji"}
    teluk, bukit = by_kecamatan["92.77.01"]["code"], by_kecamatan["92.77.02"]["code"]

    for username, role, org in (("op.teluk.uji", "operator", teluk),
                                ("op.polres.uji", "operator", "polres-tanah-uji"),
                                ("kapolres.uji", "pimpinan", "polres-tanah-uji")):
        made = siaga(siaga_env, "user", "add", username, "--role", role, "--org", org,
                     "--password-stdin", stdin=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
    desk = siaga(siaga_env, "unit", "add", "PIKET-TELUK-UJI", "--org", teluk, "--kind", "desk")
    assert desk.returncode == 0, desk.stderr

    server = LiveServer(siaga_env)
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            in_teluk = _alarm(http, -0.99, 134.01)    # inside Sumber Uji
            in_bukit = _alarm(http, -1.01, 134.03)    # inside Lembah Uji
            assert (in_teluk["region_name"], in_teluk["org_code"]) == ("Sumber Uji", teluk)
            assert (in_bukit["region_name"], in_bukit["org_code"]) == ("Lembah Uji", bukit)

            polsek = _login(http, "op.teluk.uji")
            open_ids = {a["id"] for a in http.get("/api/v1/alarms", headers=polsek,
                                                  params={"status": "open"}).json()["items"]}
            assert in_teluk["id"] in open_ids and in_bukit["id"] not in open_ids
            assert http.get(f"/api/v1/alarms/{in_bukit['id']}", headers=polsek).status_code \
                in (403, 404)
            polres = _login(http, "op.polres.uji")
            polres_ids = {a["id"] for a in http.get("/api/v1/alarms", headers=polres,
                                                    params={"status": "open"}).json()["items"]}
            assert {in_teluk["id"], in_bukit["id"]} <= polres_ids

            ranked = http.get(f"/api/v1/alarms/{in_teluk['id']}/recommendations",
                              headers=polsek).json()["items"]
            desk_unit = next(r for r in ranked if r["callsign"] == "PIKET-TELUK-UJI")
            sent = http.post(f"/api/v1/alarms/{in_teluk['id']}/dispatch", headers=polsek,
                             json={"unit_id": desk_unit["unit_id"]})
            assert sent.status_code == 201, sent.text

            leader = _login(http, "kapolres.uji")
            coverage = http.get("/api/v1/visits/coverage", headers=leader).json()
            assert sorted(r["name"] for r in coverage["kelurahan"]) == [
                "Bukit Hijau", "Karang Uji", "Lembah Uji", "Sumber Uji"]
            week = datetime.now(UTC).strftime("%G-W%V")
            report = http.get("/api/v1/reports/anev", headers=leader,
                              params={"week": week, "org": "polres-tanah-uji"})
            assert report.status_code == 200, report.text
            assert "Sumber Uji" in report.text
    finally:
        server.stop()
