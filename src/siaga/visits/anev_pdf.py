"""The anev report as a signed A4 document: summary, bars and tables (fpdf2, DejaVu)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from babel.dates import format_date

from siaga.reports.fmt import NO_DATA, duration, long_date, number
from siaga.reports.pdf import OfficialPdf, heading_from
from siaga.visits.periods import zone

RED = (176, 0, 32)


def _period(report: dict[str, Any]) -> str:
    start = datetime.fromisoformat(report["start"]).astimezone(zone()).date()
    end = (datetime.fromisoformat(report["end"]) - timedelta(days=1)).astimezone(zone()).date()
    week = report["week"].split("-W")
    return (f"Minggu ke-{int(week[1])} tahun {week[0]}: {long_date(start)} s.d. "
            f"{long_date(end)} · {report['org']['name']}")


def _summary(pdf: OfficialPdf, report: dict[str, Any]) -> None:
    s, a, f = report["summary"], report["alarms"], report["follow_ups"]
    pdf.section("Ringkasan")
    rows = [
        ("Kunjungan (DDS)", number(s["visits"])),
        ("Kunjungan bertanda (perlu dicek)", number(s["flagged_visits"])),
        ("Petugas berkunjung / seluruh Bhabinkamtibmas",
         f"{s['officers_active']} / {s['officers_total']}"),
        ("Kelurahan dikunjungi / seluruh", f"{s['kelurahan_visited']} / {s['kelurahan_total']}"),
        ("Tindak lanjut dibuka / selesai", f"{f['opened']} / {f['closed']}"),
        ("Tindak lanjut masih terbuka / lewat tenggat",
         f"{f['open_at_end']} / {f['overdue_at_end']}"),
        ("Laporan warga (non-darurat)", number(report["tips"]["received"])),
    ]
    pdf.grid(("Ukuran", "Nilai"), rows, (130.0, 50.0), aligns=("L", "R"))
    pdf.section("Alarm warga (satu definisi untuk semua laporan)")
    pdf.paragraph(f"{number(a['total'])} alarm dihitung: {a['counts']}.")
    figure_rows = []
    for fig in a["figures"]:
        value = (NO_DATA if fig["value"] is None else
                 f"{number(fig['value'])}%" if fig["unit"] == "%" else duration(fig["value"]))
        figure_rows.append((fig["label"], value, number(fig["n"]), fig["counts"]))
    pdf.grid(("Ukuran", "Nilai", "Alarm dihitung", "Yang dihitung"), figure_rows,
             (46.0, 32.0, 22.0, 80.0), aligns=("L", "R", "R", "L"))


def _day(iso: str) -> str:
    return format_date(date.fromisoformat(iso), format="EEEE, d MMM", locale="id")


def anev_pdf(report: dict[str, Any]) -> bytes:
    """The report laid out for printing and for the meeting's screen."""
    heading = heading_from(report["document"], title="Laporan Analisa dan Evaluasi Mingguan",
                           period=_period(report), generated_at=report["generated_at"])
    pdf = OfficialPdf(heading)
    _summary(pdf, report)
    pdf.section("Kunjungan per hari")
    pdf.bars([(_day(d["date"]), float(d["visits"]), f"{d['visits']} kunjungan")
              for d in report["daily"]], label_w=45)
    pdf.section("Alarm warga per hari")
    pdf.bars([(_day(d["date"]), float(d["alarms"]), f"{d['alarms']} alarm")
              for d in report["daily"]], colour=RED, label_w=45)
    pdf.section("Topik yang dibahas")
    pdf.bars([(t["label"], float(t["count"]), number(t["count"])) for t in report["topics"]])
    pdf.section("Jenis tempat dikunjungi")
    pdf.bars([(t["label"], float(t["count"]), number(t["count"]))
              for t in report["place_types"]])
    pdf.section("Kunjungan per petugas")
    pdf.grid(("Petugas", "Kelurahan", "Kunjungan", "Tempat", "Bertanda"),
             [(r["officer"], r["kelurahan"] or "-", number(r["visits"]), number(r["places"]),
               number(r["flagged"])) for r in report["visits_by_officer"]],
             (70.0, 50.0, 22.0, 18.0, 20.0), aligns=("L", "L", "R", "R", "R"))
    pdf.section("Kunjungan per kelurahan")
    pdf.grid(("Kelurahan", "Polsek", "Kunjungan", "Petugas"),
             [(r["kelurahan"], r["polsek"], number(r["visits"]), number(r["officers"]))
              for r in report["visits_by_kelurahan"]], (60.0, 70.0, 25.0, 25.0),
             aligns=("L", "L", "R", "R"))
    pdf.section("Celah cakupan (tanpa kunjungan minggu ini)")
    gaps = report["gaps"]
    for label, names in (("Kelurahan", gaps["kelurahan"]), ("Petugas", gaps["officers"])):
        pdf.paragraph(f"{label}: " + (", ".join(names) or "tidak ada"))
    pdf.section("Tindak lanjut per fungsi")
    pdf.grid(("Fungsi", "Dibuka", "Selesai", "Terbuka di akhir minggu"),
             [(r["label"], number(r["opened"]), number(r["closed"]), number(r["open_at_end"]))
              for r in report["follow_ups"]["by_function"]], (60.0, 35.0, 35.0, 50.0),
             aligns=("L", "R", "R", "R"))
    return pdf.finish()
