"""Monthly and anev PDFs: letterhead, period, page numbers, WIB, the signer kept exactly."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import login
from tests.reports.pdftools import overlapping_words, pages_as_png, text_of

WIB = ZoneInfo("Asia/Jakarta")
SIGNER = {"place": "Slawi", "position": "Kapolres Tegal",
          "name": "Ni Luh Ayu Nguyễn Şükrü Dewantari, S.H., M.H.", "rank": "AKBP",
          "nrp": "78091234"}
LETTERHEAD = ("KEPOLISIAN NEGARA REPUBLIK INDONESIA", "DAERAH JAWA TENGAH", "RESOR TEGAL")


@pytest.fixture()
def signed(client: Any) -> dict[str, Any]:
    admin = login(client, "admin")
    response = client.put("/api/v1/reports/signature?org=polres-tegal", json=SIGNER,
                          headers=admin)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _save(tmp_path: Path, name: str, content: bytes) -> Path:
    target = tmp_path / f"{name}.pdf"
    target.write_bytes(content)
    return target


def _check_document(pdf: Path, tmp_path: Path, *, title: str) -> str:
    text = text_of(pdf)
    flat = " ".join(text.split())
    for line in LETTERHEAD:
        assert line in text
    assert title.upper() in flat
    assert "Halaman 1 dari" in flat and "WIB" in flat
    assert SIGNER["name"] in flat
    assert f"{SIGNER['rank']} NRP {SIGNER['nrp']}" in flat
    assert "KAPOLRES TEGAL" in flat
    assert "?" not in SIGNER["name"] and "UTC" not in flat
    assert overlapping_words(pdf) == []
    pages = pages_as_png(pdf, tmp_path / pdf.stem)
    assert pages and all(p.stat().st_size > 5000 for p in pages)
    keep = Path("/tmp/reports16")
    if keep.is_dir():  # for looking at the pages while developing
        for page in pages:
            shutil.copy(page, keep / page.name)
    return flat


def test_monthly_report_pdf_is_fit_to_sign(client: Any, signed: dict[str, Any],
                                           tmp_path: Path) -> None:
    assert signed["configured"] and signed["name"] == SIGNER["name"]
    headers = login(client, "pimpinan.tegal")
    last_month = datetime.now(WIB).replace(day=1) - timedelta(days=1)
    month = f"{last_month.year}-{last_month.month:02d}"
    response = client.get(f"/api/v1/scorecard/report?org=polres-tegal&month={month}"
                          "&format=pdf", headers=headers)
    assert response.status_code == 200, response.text
    pdf = _save(tmp_path, "bulanan", response.content)
    flat = _check_document(pdf, tmp_path, title="Laporan Bulanan Pimpinan")
    from babel.dates import format_date

    assert format_date(last_month.date(), format="MMMM y", locale="id") in flat
    assert "belum ada data" in flat or "hijau" not in flat


def test_anev_pdf_is_fit_to_sign(client: Any, signed: dict[str, Any], tmp_path: Path) -> None:
    monday = datetime.now(WIB).date() - timedelta(days=datetime.now(WIB).weekday() + 7)
    year, week, _ = monday.isocalendar()
    response = client.get(f"/api/v1/reports/anev?org=polsek-slawi&week={year}-W{week:02d}"
                          "&format=pdf", headers=login(client, "pimpinan.tegal"))
    assert response.status_code == 200, response.text
    pdf = _save(tmp_path, "anev", response.content)
    flat = _check_document(pdf, tmp_path, title="Laporan Analisa dan Evaluasi Mingguan")
    assert "SEKTOR SLAWI" in text_of(pdf)
    from babel.dates import format_date

    assert format_date(monday, format="d MMMM y", locale="id") in flat


def test_unsigned_report_leaves_room_to_sign(client: Any, tmp_path: Path) -> None:
    response = client.get("/api/v1/scorecard/report?org=polres-malang-kota&month=2026-01"
                          "&format=pdf", headers=login(client, "pimpinan"))
    assert response.status_code == 200, response.text
    flat = " ".join(text_of(_save(tmp_path, "tanpa", response.content)).split())
    assert "RESOR MALANG KOTA" in flat and "DAERAH JAWA TIMUR" in flat
    assert "Penanda tangan belum diatur" in flat


def test_missing_font_package_is_named(client: Any, monkeypatch: Any, tmp_path: Path) -> None:
    from siaga.reports import pdf

    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)
    response = client.get("/api/v1/scorecard/report?org=polres-tegal&month=2026-01&format=pdf",
                          headers=login(client, "pimpinan.tegal"))
    assert response.status_code == 503
    assert "dejavu-fonts-ttf" in str(response.json()["detail"])
