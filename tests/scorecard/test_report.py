"""The monthly report over HTTP and from `siaga report monthly`, as JSON, CSV and PDF."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import REPO, login

URL = "/api/v1/scorecard/report"


def test_report_formats_over_http(client: Any) -> None:
    headers = login(client, "pimpinan.tegal")
    data = client.get(URL, params={"month": "2022-10"}, headers=headers).json()
    assert data["month"] == "2022-10" and data["org"]["code"] == "polres-tegal"
    monitored = next(k for k in data["kpis"] if k["key"] == "students_monitored")
    assert monitored["value"] == 36
    brawls = next(k for k in data["kpis"] if k["key"] == "brawls")
    assert brawls["ytd_value"] is None and brawls["value"] is None
    response = client.get(URL, params={"month": "2022-10", "format": "csv"}, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert any(r["indikator"] == "Pelajar dalam pemantauan" and r["nilai"] == "36"
               and r["bagian"] == "Indikator kinerja (bulan)" and r["dasar"] == "dientri"
               and r["tanggal_awal_iso"] == "2022-10-01"
               and r["tanggal_akhir_iso"] == "2022-10-31" for r in rows)
    values = " ".join(v for r in rows for v in r.values())
    for raw in ("students_monitored", "computed", "none", "polres-tegal", "green"):
        assert raw not in values
    kamus = client.get(URL, params={"kamus": 1}, headers=headers)
    assert kamus.status_code == 200
    assert {r["kolom"] for r in csv.DictReader(io.StringIO(kamus.text))} == set(rows[0])
    pdf = client.get(URL, params={"month": "2022-10", "format": "pdf"}, headers=headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"


def test_bad_month_and_format(client: Any) -> None:
    headers = login(client, "pimpinan.tegal")
    bad = client.get(URL, params={"month": "2022-13"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "month"
    bad = client.get(URL, params={"month": "2022-01", "format": "docx"}, headers=headers)
    assert bad.status_code == 422


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "siaga.cli.main", "report", "monthly", *args],
                          env={**os.environ, **env}, cwd=REPO, capture_output=True, timeout=120)


def test_cli_monthly_report(siaga_env: dict[str, str], tmp_path: Path) -> None:
    result = _cli(siaga_env, "--org", "polres-tegal", "--month", "2022-10")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["org"]["code"] == "polres-tegal"
    assert len(data["kpis"]) >= 16
    out = tmp_path / "laporan.csv"
    result = _cli(siaga_env, "--org", "polres-tegal", "--month", "2022-10", "--format", "csv",
                  "--out", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert "Pelajar dalam pemantauan" in out.read_text()
    pdf = tmp_path / "laporan.pdf"
    result = _cli(siaga_env, "--org", "polres-tegal", "--month", "2026-11", "--format", "pdf",
                  "--out", str(pdf))
    assert result.returncode == 0, result.stderr.decode()
    assert pdf.read_bytes().startswith(b"%PDF")
    bad = _cli(siaga_env, "--org", "polres-nowhere", "--month", "2026-11")
    assert bad.returncode == 1 and b"tidak ditemukan" in bad.stderr
