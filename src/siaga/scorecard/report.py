"""The leadership report of a month or a year as JSON, CSV or PDF (dashboard export, CLI)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from siaga.orgs.models import Organisation
from siaga.reports.fmt import month_year
from siaga.reports.pdf import document_info
from siaga.scorecard.periods import Period
from siaga.scorecard.report_csv import report_csv
from siaga.scorecard.report_pdf import report_pdf
from siaga.scorecard.service import build_dashboard, build_scorecard, response_figures

FORMATS = ("json", "csv", "pdf")


def monthly_report(session: Session, *, org: Organisation | None, period: Period
                   ) -> dict[str, Any]:
    """Scorecard for a month (with the year to date) or a whole year, dashboard figures."""
    yearly = period.whole_year
    month = period.month_to if yearly else period.month_from
    card = build_scorecard(session, org=org, period=period)
    ytd = card if yearly else build_scorecard(session, org=org,
                                              period=Period(period.year, 1, month))
    ytd_by_key = {k["key"]: k for p in ytd["perspectives"] for k in p["kpis"]}
    dashboard = build_dashboard(session, org=org, period=period)
    kpis = []
    for perspective in card["perspectives"]:
        for k in perspective["kpis"]:
            year_to_date = ytd_by_key[k["key"]]
            kpis.append({
                "perspective": perspective["name"], "key": k["key"], "name": k["name"],
                "definition": k["definition"],
                "unit": k["unit"], "target": k["target_text"], "value": k["value"],
                "light": k["light"], "basis": k["basis"], "ytd_value": year_to_date["value"],
                "ytd_light": year_to_date["light"], "latest": k["latest"],
                "detail": k["detail"]})
    start, end = period.bounds()
    return {"org": card["org"], "scope": "year" if yearly else "month",
            "month": str(period.year) if yearly else f"{period.year}-{month:02d}",
            "period_label": f"Tahun {period.year}" if yearly else month_year(period.year, month),
            "start": start.isoformat(),
            "end": end.isoformat(), "generated_at": card["generated_at"], "kpis": kpis,
            "document": document_info(session, org=org),
            "response_figures": response_figures(session, org=org, period=period),
            "response_times": dashboard["response_times"],
            "alarms_by_hour": dashboard["alarms_by_hour"]["hours"],
            "polsek": dashboard["polsek"], "initiatives": dashboard["initiatives"]}


__all__ = ["FORMATS", "monthly_report", "report_csv", "report_pdf"]
