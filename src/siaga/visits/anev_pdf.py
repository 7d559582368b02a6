"""The anev report as a PDF: summary, bar charts and tables, drawn with fpdf2."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fpdf import FPDF

from siaga.visits.periods import zone

BLUE = (11, 61, 145)
RED = (176, 0, 32)
GREY = (200, 205, 215)


def _t(text: object) -> str:
    # The built-in PDF fonts are Latin-1; anything else becomes "?" rather than failing.
    return str(text).encode("latin-1", "replace").decode("latin-1")


def _day(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(zone()).strftime("%d-%m-%Y")


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, _t(f"Siaga - laporan anev - halaman {self.page_no()}"), align="C")


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.get_y() > 250:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.set_text_color(*BLUE)
    pdf.cell(0, 7, _t(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", size=9)


def _bars(pdf: FPDF, rows: list[tuple[str, float]], *, color: tuple[int, int, int] = BLUE,
          unit: str = "") -> None:
    """Horizontal bars: label, bar scaled to the largest value, value."""
    top = max((v for _, v in rows), default=0) or 1
    label_w, bar_w, row_h = 55.0, 105.0, 5.5
    for label, value in rows:
        if pdf.get_y() > 275:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w, row_h, _t(label)[:34])
        pdf.set_fill_color(*GREY)
        pdf.rect(pdf.l_margin + label_w, y + 1, bar_w, row_h - 2, style="F")
        if value:
            pdf.set_fill_color(*color)
            pdf.rect(pdf.l_margin + label_w, y + 1, bar_w * value / top, row_h - 2, style="F")
        pdf.set_xy(pdf.l_margin + label_w + bar_w + 2, y)
        pdf.cell(20, row_h, _t(f"{value:g}{unit}"), new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, header: list[str], rows: list[list[Any]], widths: list[float]) -> None:
    pdf.set_font("Helvetica", "B", 9)
    for text, width in zip(header, widths, strict=True):
        pdf.cell(width, 6, _t(text), border="B")
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    for row in rows:
        if pdf.get_y() > 275:
            pdf.add_page()
        for value, width in zip(row, widths, strict=True):
            pdf.cell(width, 5.5, _t("-" if value is None else value)[:48])
        pdf.ln()


def anev_pdf(report: dict[str, Any]) -> bytes:
    """The report laid out for printing and for the meeting's screen."""
    pdf = _Report(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, _t(f"Laporan Anev Mingguan - {report['org']['name']}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, _t(f"Minggu {report['week']}: {_day(report['start'])} s.d. "
                      f"{_day(report['end'])} (WIB, Senin 00:00 sampai Senin berikutnya)"),
             new_x="LMARGIN", new_y="NEXT")
    s = report["summary"]
    a = report["alarms"]
    f = report["follow_ups"]
    _heading(pdf, "Ringkasan")
    _table(pdf, ["Ukuran", "Nilai"], [
        ["Kunjungan (DDS)", s["visits"]],
        ["Kunjungan bertanda (perlu dicek)", s["flagged_visits"]],
        ["Petugas aktif / seluruh Bhabinkamtibmas", f"{s['officers_active']} / "
                                                    f"{s['officers_total']}"],
        ["Kelurahan dikunjungi / seluruh", f"{s['kelurahan_visited']} / {s['kelurahan_total']}"],
        ["Tindak lanjut dibuka / selesai", f"{f['opened']} / {f['closed']}"],
        ["Tindak lanjut masih terbuka / lewat tenggat", f"{f['open_at_end']} / "
                                                         f"{f['overdue_at_end']}"],
        ["Alarm panik / diterima operator", f"{a['total']} / {a['acknowledged']}"],
        ["Waktu terima alarm median / p90 (detik)", f"{a['ack_median_s'] or '-'} / "
                                                    f"{a['ack_p90_s'] or '-'}"],
        [f"Alarm diterima <= {a['target_s']} detik", a["ack_within_target"]],
        ["Alarm dengan unit dikirim / median (detik)", f"{a['dispatched']} / "
                                                       f"{a['dispatch_median_s'] or '-'}"],
        ["Unit tiba di lokasi / median (detik)", f"{a['arrived']} / "
                                                 f"{a['arrival_median_s'] or '-'}"],
        [f"Tiba <= {a['arrival_target_s'] // 60} menit", a["arrival_within_target"]],
        ["Laporan warga (non-darurat)", report["tips"]["received"]],
    ], [120, 60])
    _heading(pdf, "Kunjungan dan alarm per hari")
    _bars(pdf, [(f"{d['date']} kunjungan", d["visits"]) for d in report["daily"]])
    _bars(pdf, [(f"{d['date']} alarm", d["alarms"]) for d in report["daily"]], color=RED)
    _heading(pdf, "Topik yang dibahas")
    _bars(pdf, [(t["label"], t["count"]) for t in report["topics"]])
    _heading(pdf, "Jenis tempat dikunjungi")
    _bars(pdf, [(t["label"], t["count"]) for t in report["place_types"]])
    _heading(pdf, "Kunjungan per petugas")
    _table(pdf, ["Petugas", "Kelurahan", "Kunjungan", "Tempat", "Bertanda"],
           [[r["officer"], r["kelurahan"], r["visits"], r["places"], r["flagged"]]
            for r in report["visits_by_officer"]], [70, 45, 25, 20, 20])
    _heading(pdf, "Kunjungan per kelurahan")
    _table(pdf, ["Kelurahan", "Polsek", "Kunjungan", "Petugas"],
           [[r["kelurahan"], r["polsek"], r["visits"], r["officers"]]
            for r in report["visits_by_kelurahan"]], [60, 60, 30, 30])
    _heading(pdf, "Celah cakupan (tanpa kunjungan minggu ini)")
    gaps = report["gaps"]
    for label, names in (("Kelurahan", gaps["kelurahan"]), ("Petugas", gaps["officers"])):
        pdf.multi_cell(0, 5, _t(f"{label}: " + (", ".join(names) or "tidak ada")),
                       new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, "Tindak lanjut per fungsi")
    _table(pdf, ["Fungsi", "Dibuka", "Selesai", "Terbuka di akhir minggu"],
           [[r["label"], r["opened"], r["closed"], r["open_at_end"]]
            for r in f["by_function"]], [50, 30, 30, 60])
    return bytes(pdf.output())
