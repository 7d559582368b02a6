"""The leadership report (a month or a year) as one tidy CSV table (Indonesian headers)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from siaga.csvsafe import SafeCsvWriter
from siaga.reports.fmt import wib

LIGHT_ID = {"green": "hijau", "amber": "kuning", "red": "merah", "none": "belum ada data"}
BASIS_ID = {"entered": "dientri", "computed": "dihitung Siaga", "none": ""}
STATUS_ID = {"planned": "Direncanakan", "in_progress": "Berjalan", "done": "Selesai",
             "stalled": "Terhambat"}
COLUMNS = ["bagian", "satuan_kerja", "indikator", "periode", "tanggal_awal_iso",
           "tanggal_akhir_iso", "nilai", "satuan_ukur", "lampu", "dasar", "target",
           "jumlah_alarm", "keterangan"]
KAMUS = {
    "bagian": "Bagian laporan: indikator kinerja (bulan / tahun berjalan / tahun), waktu respons "
              "alarm, rincian per satuan, inisiatif strategis",
    "satuan_kerja": "Nama Polres/Polsek yang diukur",
    "indikator": "Nama indikator atau ukuran",
    "periode": "Periode dalam kata-kata, mis. Desember 2026",
    "tanggal_awal_iso": "Hari pertama periode (WIB), format ISO YYYY-MM-DD",
    "tanggal_akhir_iso": "Hari terakhir periode (WIB) atau tenggat inisiatif, YYYY-MM-DD",
    "nilai": "Nilai angka (titik desimal); kosong = belum ada data",
    "satuan_ukur": "Satuan nilai: %, detik, menit, kali, kejadian, kegiatan, pelajar, alarm",
    "lampu": "Lampu kinerja terhadap target: hijau, kuning, merah, belum ada data",
    "dasar": "Asal nilai: dientri (angka yang dilaporkan) atau dihitung Siaga (dari catatan)",
    "target": "Target indikator dalam kata-kata",
    "jumlah_alarm": "Banyak alarm yang dihitung ukuran waktu respons ini",
    "keterangan": "Alarm mana yang dihitung, definisi, atau penanggung jawab inisiatif",
}


def _num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


def _days(report: dict[str, Any]) -> tuple[str, str]:
    start = wib(datetime.fromisoformat(report["start"])).date()
    end = wib(datetime.fromisoformat(report["end"])).date() - timedelta(days=1)
    return start.isoformat(), end.isoformat()


def report_csv(report: dict[str, Any]) -> str:
    """One row per fact; numbers as numbers, dates ISO in *_iso columns."""
    out = io.StringIO()
    w = SafeCsvWriter(out, lineterminator="\n")
    w.writerow(COLUMNS)
    org = report["org"]["name"]
    first, last = _days(report)
    year_start = f"{first[:4]}-01-01"
    ytd_label = f"Januari s.d. {report['period_label']}"
    yearly = report.get("scope") == "year"
    for k in report["kpis"]:
        facts = [("Indikator kinerja (tahun)" if yearly else "Indikator kinerja (bulan)",
                  report["period_label"], first, k["value"], k["light"])]
        if not yearly:
            facts.append(("Indikator kinerja (tahun berjalan)", ytd_label, year_start,
                          k["ytd_value"], k["ytd_light"]))
        for bagian, period, start, value, light in facts:
            w.writerow([bagian, org, k["name"], period, start, last, _num(value), k["unit"],
                        LIGHT_ID[light], BASIS_ID.get(k["basis"], ""), k["target"], "",
                        k.get("definition", "")])
    for f in report["response_figures"]:
        w.writerow(["Waktu respons alarm", org, f["label"], report["period_label"], first, last,
                    _num(f["value"]), f["unit"], "", "dihitung Siaga", "", f["n"], f["counts"]])
    for p in report["polsek"]:
        for name, value, unit in (
                ("Alarm warga", p["alarms"], "alarm"),
                ("Unit tiba ≤ 10 menit", p["response_pct"], "%"),
                ("Median waktu tiba", p["response_median_min"], "menit"),
                ("Median waktu terima", p["ack_median_s"], "detik"),
                ("Cakupan kunjungan kelurahan/desa", p["visit_coverage_pct"], "%"),
                ("Peringatan dini", p["warnings"], "peringatan"),
                ("Kejadian tawuran", p["incidents"], "kejadian")):
            w.writerow(["Rincian per satuan", p["name"], name, report["period_label"], first,
                        last, _num(value), unit, "", "dihitung Siaga", "", "", ""])
    for i in report["initiatives"]:
        w.writerow(["Inisiatif strategis", i["org_name"], i["title"], i["term_label"], "",
                    i["deadline"], i["progress"], "%", "terlambat" if i["overdue"]
                    else "sesuai jadwal", STATUS_ID.get(i["status"], i["status"]), "100%", "",
                    f"Penanggung jawab: {i['owner']}"])
    return out.getvalue()
