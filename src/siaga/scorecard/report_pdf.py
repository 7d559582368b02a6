"""The leadership report (a month or a year) as a signed A4 document: letterhead, tables."""

from __future__ import annotations

from datetime import date
from typing import Any

from siaga.reports.fmt import NO_DATA, duration, long_date, number
from siaga.reports.pdf import SMALL_PT, OfficialPdf, heading_from
from siaga.scorecard.report_csv import BASIS_ID, LIGHT_ID, STATUS_ID

LIGHT_RGB = {"green": (46, 160, 67), "amber": (230, 160, 0), "red": (200, 40, 40),
             "none": (170, 170, 170)}
COUNT_UNITS = ("kali", "kejadian", "kegiatan", "pelajar")


def value_text(value: float | None, unit: str) -> str:
    """66,7% / 6,5 detik / 3 kali; "belum ada data" without a value."""
    if value is None:
        return NO_DATA
    if unit == "%":
        return f"{number(value)}%"
    if unit == "detik":
        return duration(value)
    return f"{number(value)} {unit}"


def _kpi_tables(pdf: OfficialPdf, report: dict[str, Any]) -> None:
    widths = (58.0, 38.0, 38.0, 46.0)
    perspectives: dict[str, list[dict[str, Any]]] = {}
    for k in report["kpis"]:
        perspectives.setdefault(k["perspective"], []).append(k)
    for name, kpis in perspectives.items():
        pdf.section(f"Perspektif {name.lower()}")
        def target(k: dict[str, Any]) -> str:
            basis = BASIS_ID.get(k["basis"])
            return str(k["target"]) + (f" · {basis}" if basis else "")

        if report.get("scope") == "year":
            # A year's report: the year is its own "year to date", so one value column.
            pdf.grid(("Indikator", report["period_label"], "Target · dasar"),
                     [(k["name"], value_text(k["value"], k["unit"]), target(k)) for k in kpis],
                     (70.0, 50.0, 60.0), dots={1: [LIGHT_RGB[k["light"]] for k in kpis]})
            continue
        rows = [(k["name"], value_text(k["value"], k["unit"]),
                 value_text(k["ytd_value"], k["unit"]), target(k)) for k in kpis]
        pdf.grid(("Indikator", "Bulan ini", "Tahun berjalan", "Target · dasar"), rows, widths,
                  dots={1: [LIGHT_RGB[k["light"]] for k in kpis],
                        2: [LIGHT_RGB[k["ytd_light"]] for k in kpis]})


def _figures(pdf: OfficialPdf, report: dict[str, Any]) -> None:
    pdf.section("Waktu respons alarm (satu definisi untuk semua laporan)")
    rows = [(f["label"], value_text(f["value"], f["unit"]), number(f["n"], digits=0),
             f["counts"]) for f in report["response_figures"]]
    pdf.grid(("Ukuran", "Nilai", "Alarm dihitung", "Yang dihitung"), rows,
              (46.0, 32.0, 22.0, 80.0), aligns=("L", "R", "R", "L"))


def _period_words(report: dict[str, Any]) -> str:
    return "tahun ini" if report.get("scope") == "year" else "bulan ini"


def _response_chart(pdf: OfficialPdf, report: dict[str, Any]) -> None:
    chart = report["response_times"]
    pdf.section(f"Sebaran waktu tiba unit (menit) · target {number(chart['target_min'])} menit")
    if not chart["n"]:
        pdf.paragraph("Belum ada alarm dengan unit tiba di lokasi pada "
                      f"{_period_words(report)}.")
        return
    items, colours = [], []
    for b in chart["buckets"]:
        label = (f"{b['from_min']}–{b['to_min']} menit" if b["to_min"]
                 else f"≥ {b['from_min']} menit")
        items.append((label, float(b["count"]), f"{b['count']} alarm"))
        late = b["to_min"] is None or b["to_min"] > chart["target_min"]
        colours.append(LIGHT_RGB["red"] if late else LIGHT_RGB["green"])
    pdf.paragraph("Hijau: dalam target; merah: lewat target.", size=SMALL_PT)
    pdf.bars(items, label_w=40, colours=colours)


def _polsek(pdf: OfficialPdf, report: dict[str, Any]) -> None:
    if not report["polsek"]:
        return
    pdf.section("Rincian per satuan di bawahnya")
    pdf.paragraph(f"– = belum ada data pada {_period_words(report)}.", size=SMALL_PT)

    def cell(value: Any, unit: str = "") -> str:
        return "–" if value is None else f"{number(value)}{unit}"

    rows = [(p["name"], number(p["alarms"], digits=0), cell(p["response_pct"], "%"),
             cell(p["response_median_min"], " mnt"), cell(p["ack_median_s"], " dtk"),
             cell(p["visit_coverage_pct"], "%"), cell(p["warnings"]), cell(p["incidents"]))
            for p in report["polsek"]]
    pdf.grid(("Satuan", "Alarm", "Tiba ≤ 10 mnt", "Median tiba", "Median terima",
              "Cakupan kunjungan", "Peringatan dini", "Tawuran"), rows,
             (33.0, 15.0, 21.0, 21.0, 22.0, 24.0, 24.0, 20.0),
             aligns=("L", "R", "R", "R", "R", "R", "R", "R"))


def _initiatives(pdf: OfficialPdf, report: dict[str, Any]) -> None:
    if not report["initiatives"]:
        return
    pdf.section("Inisiatif strategis")
    rows = [(i["title"], i["term_label"].split(" (")[0], i["owner"],
             long_date(date.fromisoformat(i["deadline"])),
             f"{STATUS_ID.get(i['status'], i['status'])} {i['progress']}%"
             + (" · terlambat" if i["overdue"] else "")) for i in report["initiatives"]]
    pdf.grid(("Inisiatif", "Jangka", "Penanggung jawab", "Tenggat", "Status"), rows,
              (60.0, 22.0, 38.0, 30.0, 30.0))


def report_pdf(report: dict[str, Any]) -> bytes:
    """A printable A4 report: KPIs, response figures and chart, Polsek table, initiatives."""
    title = ("Laporan Tahunan Pimpinan" if report.get("scope") == "year"
             else "Laporan Bulanan Pimpinan")
    heading = heading_from(report["document"], title=title,
                           period=f"{report['period_label']} · {report['org']['name']}",
                           generated_at=report["generated_at"])
    pdf = OfficialPdf(heading)
    pdf.paragraph("Lampu: hijau = target tercapai, kuning = mendekati target, merah = di bawah "
                  "target, abu-abu = belum ada data.", size=SMALL_PT)
    _kpi_tables(pdf, report)
    _figures(pdf, report)
    _response_chart(pdf, report)
    _polsek(pdf, report)
    _initiatives(pdf, report)
    return pdf.finish()


__all__ = ["LIGHT_ID", "report_pdf", "value_text"]
