"""The monthly leadership report as JSON, CSV or PDF (dashboard export and `siaga report`)."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy.orm import Session

from siaga.csvsafe import SafeCsvWriter
from siaga.orgs.models import Organisation
from siaga.scorecard.periods import MONTHS_ID, Period
from siaga.scorecard.service import build_dashboard, build_scorecard

LIGHT_ID = {"green": "hijau", "amber": "kuning", "red": "merah", "none": "belum ada data"}
LIGHT_RGB = {"green": (46, 160, 67), "amber": (230, 160, 0), "red": (200, 40, 40),
             "none": (170, 170, 170)}
FORMATS = ("json", "csv", "pdf")


def monthly_report(session: Session, *, org: Organisation | None, period: Period
                   ) -> dict[str, Any]:
    """Scorecard for the month and year to date, dashboard figures and initiatives."""
    month = period.month_from
    card = build_scorecard(session, org=org, period=period)
    ytd = build_scorecard(session, org=org, period=Period(period.year, 1, month))
    ytd_by_key = {k["key"]: k for p in ytd["perspectives"] for k in p["kpis"]}
    dashboard = build_dashboard(session, org=org, period=period)
    kpis = []
    for perspective in card["perspectives"]:
        for k in perspective["kpis"]:
            year_to_date = ytd_by_key[k["key"]]
            kpis.append({
                "perspective": perspective["name"], "key": k["key"], "name": k["name"],
                "unit": k["unit"], "target": k["target_text"], "value": k["value"],
                "light": k["light"], "basis": k["basis"], "ytd_value": year_to_date["value"],
                "ytd_light": year_to_date["light"], "latest": k["latest"],
                "detail": k["detail"]})
    return {"org": card["org"], "month": f"{period.year}-{month:02d}",
            "period_label": period.label, "generated_at": card["generated_at"], "kpis": kpis,
            "response_times": dashboard["response_times"],
            "alarms_by_hour": dashboard["alarms_by_hour"]["hours"],
            "polsek": dashboard["polsek"], "initiatives": dashboard["initiatives"]}


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return str(value)


def report_csv(report: dict[str, Any]) -> str:
    """Spreadsheet form: one row per KPI, then one per Polsek and initiative."""
    out = io.StringIO()
    w = SafeCsvWriter(out)
    w.writerow(["laporan", "satuan", "bulan"])
    w.writerow(["bulanan", report["org"]["name"], report["month"]])
    w.writerow([])
    w.writerow(["perspektif", "kpi", "nama", "nilai_bulan", "lampu_bulan", "nilai_tahun_berjalan",
                "lampu_tahun_berjalan", "satuan_ukur", "target", "dasar"])
    for k in report["kpis"]:
        w.writerow([k["perspective"], k["key"], k["name"], _fmt(k["value"]), LIGHT_ID[k["light"]],
                    _fmt(k["ytd_value"]), LIGHT_ID[k["ytd_light"]], k["unit"], k["target"],
                    k["basis"]])
    w.writerow([])
    w.writerow(["polsek", "alarm", "tertangani_10_menit_pct", "median_respons_menit",
                "median_terima_detik", "cakupan_kunjungan_pct", "peringatan", "tawuran"])
    for p in report["polsek"]:
        w.writerow([p["name"], p["alarms"], _fmt(p["response_pct"]),
                    _fmt(p["response_median_min"]), _fmt(p["ack_median_s"]),
                    _fmt(p["visit_coverage_pct"]), _fmt(p["warnings"]), _fmt(p["incidents"])])
    w.writerow([])
    w.writerow(["inisiatif", "jangka", "penanggung_jawab", "tenggat", "status", "progres_pct",
                "terlambat"])
    for i in report["initiatives"]:
        w.writerow([i["title"], i["term_label"], i["owner"], i["deadline"], i["status"],
                    i["progress"], "ya" if i["overdue"] else "tidak"])
    return out.getvalue()


def _latin1(text: str) -> str:
    replaced = (text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2265", ">=")
                .replace("\u2264", "<=").replace("\u2019", "'"))
    return replaced.encode("latin-1", "replace").decode("latin-1")


def report_pdf(report: dict[str, Any]) -> bytes:
    """A printable A4 report with the KPI table, a response chart and the Polsek table."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    month = int(report["month"][5:])
    title = f"Laporan Bulanan Pimpinan - {report['org']['name']}"
    pdf.cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _latin1(f"Periode: {MONTHS_ID[month - 1]} {report['month'][:4]}  |  dibuat "
                           f"{report['generated_at'][:16].replace('T', ' ')} UTC"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = (62, 22, 20, 22, 20, 44)
    pdf.set_font("Helvetica", "B", 8)
    for head, width in zip(("Indikator", "Bulan ini", "", "Thn berjalan", "", "Target"),
                           widths, strict=True):
        pdf.cell(width, 6, head, border="B")
    pdf.ln()
    current = None
    for k in report["kpis"]:
        if k["perspective"] != current:
            current = k["perspective"]
            pdf.set_font("Helvetica", "B", 9)
            pdf.cell(0, 6, _latin1(current), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        unit = "" if k["unit"] in ("kali", "kejadian", "kegiatan", "pelajar") else k["unit"]
        cells = (k["name"], f"{_fmt(k['value'])} {unit}".strip(), k["light"],
                 f"{_fmt(k['ytd_value'])} {unit}".strip(), k["ytd_light"], k["target"])
        for i, (text, width) in enumerate(zip(cells, widths, strict=True)):
            if i in (2, 4):
                x, y = pdf.get_x(), pdf.get_y()
                pdf.set_fill_color(*LIGHT_RGB[text])
                pdf.ellipse(x + 2, y + 1.2, 3.6, 3.6, style="F")
                pdf.cell(width, 6, _latin1(LIGHT_ID[text]) if text == "none" else "")
            else:
                pdf.cell(width, 6, _latin1(str(text))[:48])
        pdf.ln()
    _response_bars(pdf, report["response_times"])
    if report["polsek"]:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 7, "Rincian per satuan di bawahnya", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "B", 8)
        cols = (("Satuan", 55), ("Alarm", 18), ("<=10 mnt %", 22), ("Median mnt", 22),
                ("Kunjungan %", 24), ("Peringatan", 22), ("Tawuran", 20))
        for head, width in cols:
            pdf.cell(width, 6, head, border="B")
        pdf.ln()
        pdf.set_font("Helvetica", "", 8)
        for p in report["polsek"]:
            values = (p["name"], p["alarms"], p["response_pct"], p["response_median_min"],
                      p["visit_coverage_pct"], p["warnings"], p["incidents"])
            for value, (_head, width) in zip(values, cols, strict=True):
                pdf.cell(width, 5.5, _latin1(_fmt(value))[:34])
            pdf.ln()
    if report["initiatives"]:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 7, "Inisiatif strategis", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        for i in report["initiatives"]:
            late = " (TERLAMBAT)" if i["overdue"] else ""
            line = (f"[{i['term_label'].split(' (')[0]}] {i['title']} - {i['owner']}, tenggat "
                    f"{i['deadline']}, {i['status']} {i['progress']}%{late}")
            pdf.multi_cell(0, 5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _response_bars(pdf: Any, chart: dict[str, Any]) -> None:
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 7, "Waktu respons alarm (menit) - target 10 menit", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    if not chart["n"]:
        pdf.cell(0, 6, "Belum ada data alarm yang tertangani pada bulan ini.",
                 new_x="LMARGIN", new_y="NEXT")
        return
    top = max(b["count"] for b in chart["buckets"]) or 1
    x0, y0, height, width = pdf.get_x() + 5, pdf.get_y() + 2, 30.0, 20.0
    for i, bucket in enumerate(chart["buckets"]):
        h = height * bucket["count"] / top
        late = bucket["to_min"] is None or bucket["to_min"] > 10
        pdf.set_fill_color(*(LIGHT_RGB["red"] if late else LIGHT_RGB["green"]))
        pdf.rect(x0 + i * (width + 4), y0 + height - h, width, h, style="F")
        pdf.text(x0 + i * (width + 4) + 2, y0 + height + 4, f"{bucket['label']}: "
                 f"{bucket['count']}")
    pdf.set_y(y0 + height + 7)
