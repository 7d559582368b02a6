"""Visit coverage has one definition for a month, the year to date and a whole year; the
/pimpinan download follows the selected period (a whole year gives the year's report)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import login
from tests.reports.pdftools import text_of
from tests.scorecard.helpers import kpi, scorecard

URL = "/api/v1/scorecard/report"
YEAR = 2021
WIB = ZoneInfo("Asia/Jakarta")


def _visit_all_but_one_each_month() -> tuple[int, list[float]]:
    """Klojen's kelurahan visited each month of YEAR except one (a different one each month):
    every kelurahan is visited in the year, no month reaches 100%."""
    from sqlalchemy import select

    from siaga.auth.models import User
    from siaga.db import get_database
    from siaga.orgs.service import org_by_code
    from siaga.scorecard.sources import leaf_regions
    from siaga.visits.models import Visit

    with get_database().session() as session:
        polsek = org_by_code(session, code="polsek-klojen")
        regions = sorted(leaf_regions(session, scope=polsek.path))
        officer = session.scalar(select(User).where(User.username == "bhabin.kauman"))
        assert officer is not None and len(regions) > 3
        monthly = []
        for month in range(1, 13):
            skipped = regions[month % len(regions)]
            visited = [r for r in regions if r != skipped]
            for n, region_id in enumerate(visited):
                session.add(Visit(
                    client_id=str(uuid.uuid4()), officer_id=officer.id, org_id=polsek.id,
                    org_path=polsek.path, region_id=region_id, place_type="rumah",
                    topics=[], findings="", problems="", flags=[],
                    visited_at=datetime(YEAR, month, 10, 9, n % 50, tzinfo=WIB)))
            monthly.append(round(100 * len(visited) / len(regions), 1))
        return len(regions), monthly


def test_year_and_year_to_date_coverage_agree_with_the_months(client: Any,
                                                              tmp_path: Path) -> None:
    regions, monthly = _visit_all_but_one_each_month()
    mean = round(sum(monthly) / 12, 1)
    year = kpi(scorecard(client, "pimpinan", org="polsek-klojen", year=YEAR), "visit_coverage")
    # Every kelurahan was visited at least once in the year, yet no month was complete.
    assert year["detail"]["visited"] == regions and year["detail"]["months"] == 12
    assert year["value"] == mean < 100
    for month, value in zip(range(1, 13), monthly, strict=True):
        card = scorecard(client, "pimpinan", org="polsek-klojen", year=YEAR, month=month)
        assert kpi(card, "visit_coverage")["value"] == value

    headers = login(client, "pimpinan")
    december = client.get(URL, params={"month": f"{YEAR}-12", "org": "polsek-klojen"},
                          headers=headers).json()
    coverage = next(k for k in december["kpis"] if k["key"] == "visit_coverage")
    assert coverage["value"] == monthly[-1] and coverage["ytd_value"] == mean
    pdf = client.get(URL, params={"month": f"{YEAR}-12", "org": "polsek-klojen",
                                  "format": "pdf"}, headers=headers)
    path = tmp_path / "desember.pdf"
    path.write_bytes(pdf.content)
    line = next(t for t in text_of(path).splitlines() if "Cakupan kunjungan" in t)
    percent = f"{mean:.1f}".replace(".", ",") + "%"
    assert percent in line and "100%" not in line, line


def test_a_whole_year_downloads_the_years_report(client: Any, tmp_path: Path) -> None:
    # The same visits as above (added again, they change no month's coverage), so this test
    # holds whichever of the two runs first.
    _visit_all_but_one_each_month()
    headers = login(client, "pimpinan")
    params = {"year": str(YEAR), "org": "polsek-klojen"}
    pdf = client.get(URL, params={**params, "format": "pdf"}, headers=headers)
    assert pdf.status_code == 200, pdf.text
    assert f'filename="laporan-polsek-klojen-{YEAR}.pdf"' in pdf.headers["content-disposition"]
    path = tmp_path / "tahun.pdf"
    path.write_bytes(pdf.content)
    text = text_of(path)
    assert "LAPORAN TAHUNAN PIMPINAN" in text and f"Periode: Tahun {YEAR}" in text
    assert "Bulan ini" not in text and "bulan ini" not in text
    line = next(t for t in text.splitlines() if "Cakupan kunjungan" in t)
    assert "100%" not in line and "belum ada data" not in line, line
    data = client.get(URL, params=params, headers=headers).json()
    assert data["scope"] == "year" and data["month"] == str(YEAR)
    assert data["start"].startswith(f"{YEAR - 1}-12-31T17:00")  # 1 January, WIB
    response = client.get(URL, params={**params, "format": "csv"}, headers=headers)
    assert f"laporan-polsek-klojen-{YEAR}.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    kpi_rows = [r for r in rows if r["bagian"].startswith("Indikator kinerja")]
    assert kpi_rows and {r["bagian"] for r in kpi_rows} == {"Indikator kinerja (tahun)"}
    assert {r["tanggal_awal_iso"] for r in kpi_rows} == {f"{YEAR}-01-01"}
    assert {r["tanggal_akhir_iso"] for r in kpi_rows} == {f"{YEAR}-12-31"}


def test_a_report_needs_a_month_or_a_year(client: Any) -> None:
    headers = login(client, "pimpinan")
    missing = client.get(URL, headers=headers)
    assert missing.status_code == 422 and "tahun" in missing.json()["detail"]["msg"]
    bad = client.get(URL, params={"year": "1800"}, headers=headers)
    assert bad.status_code == 422
