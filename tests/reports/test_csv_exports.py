"""CSV exports for analysts: Indonesian headers and values, ISO dates in *_iso columns, numbers
as numbers, and a data dictionary (`?kamus=1`) naming every column."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from tests.conftest import login

RAW = ("none", "computed", "entered", "green", "amber", "polsek-", "polres-", "genuine")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _kamus(client: Any, url: str, headers: dict[str, str]) -> set[str]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    rows = _rows(response.text)
    assert all(r["arti"].strip() for r in rows)
    return {r["kolom"] for r in rows}


def test_student_export_counts_and_dates(client: Any) -> None:
    analyst = login(client, "analis")
    response = client.get("/api/v1/students/export.csv", headers=analyst)
    assert response.status_code == 200
    rows = _rows(response.text)
    assert rows and list(rows[0]) == ["pseudonim", "sekolah", "dipantau", "kasus_terbuka",
                                      "pantau_sampai_iso", "cek_terakhir_iso"]
    assert all(r["kasus_terbuka"].isdigit() and r["dipantau"] in ("ya", "tidak") for r in rows)
    for r in rows:
        for column in ("pantau_sampai_iso", "cek_terakhir_iso"):
            assert r[column] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[column])
    assert _kamus(client, "/api/v1/students/export.csv?kamus=1", analyst) == set(rows[0])


def test_monthly_csv_numbers_dates_and_words(client: Any) -> None:
    leader = login(client, "pimpinan.tegal")
    response = client.get("/api/v1/scorecard/report", headers=leader,
                          params={"org": "polres-tegal", "month": "2021-06", "format": "csv"})
    assert response.status_code == 200
    rows = _rows(response.text)
    assert {r["bagian"] for r in rows} >= {"Indikator kinerja (bulan)",
                                          "Indikator kinerja (tahun berjalan)",
                                          "Waktu respons alarm", "Rincian per satuan"}
    for r in rows:
        assert r["nilai"] == "" or re.fullmatch(r"-?\d+(\.\d+)?", r["nilai"]), r
        for column in ("tanggal_awal_iso", "tanggal_akhir_iso"):
            assert r[column] == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[column]), r
        assert r["lampu"] in ("", "hijau", "kuning", "merah", "belum ada data",
                              "terlambat", "sesuai jadwal")
        cells = " ".join(r.values())
        for raw in RAW:
            assert raw not in cells, (raw, r)
    month_rows = [r for r in rows if r["bagian"] == "Indikator kinerja (bulan)"]
    assert {r["periode"] for r in month_rows} == {"Juni 2021"}
    assert {r["tanggal_awal_iso"] for r in month_rows} == {"2021-06-01"}
    assert {r["tanggal_akhir_iso"] for r in month_rows} == {"2021-06-30"}
    ack = next(r for r in rows if r["indikator"] == "Diterima operator ≤ 10 detik")
    assert ack["keterangan"] == "alarm warga; tanpa dibatalkan pelapor, duplikat dan uji"
    assert _kamus(client, "/api/v1/scorecard/report?kamus=1", leader) == set(rows[0])
