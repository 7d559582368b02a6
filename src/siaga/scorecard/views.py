"""Scorecard routes: leadership views and entry (pimpinan/admin, analis reads), citizen survey."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from siaga.deps import ClientIP, SessionDep, Staff, require
from siaga.devices.models import Device
from siaga.devices.service import device_for_token
from siaga.errors import Invalid, Unauthorized
from siaga.reports.kamus import csv_response, kamus_csv
from siaga.scorecard import entries, initiatives, report, service, surveys
from siaga.scorecard.access import org_for_staff, scope_of
from siaga.scorecard.periods import Period, check_period, current_year, parse_month
from siaga.scorecard.report_csv import KAMUS as REPORT_KAMUS
from siaga.scorecard.schemas import (
    CitizenSurveyIn,
    CitizenSurveyOut,
    FigureIn,
    FigureOut,
    InitiativeIn,
    InitiativeOut,
    MeetingIn,
    MeetingOut,
    PersonnelIn,
    PersonnelOut,
    PolresOption,
    SurveySummaryRow,
    SurveyTallyIn,
    SurveyTallyOut,
)

staff_router = APIRouter(prefix="/api/v1/scorecard", tags=["scorecard"])
public_router = APIRouter(prefix="/api/v1/survey", tags=["survey"])
router = APIRouter()

Reader = Annotated[Staff, Depends(require("scorecard.view"))]
Writer = Annotated[Staff, Depends(require("scorecard.edit"))]
OrgQ = Annotated[str | None, Query(max_length=64, description="kode satuan")]
YearQ = Annotated[int | None, Query(ge=2000, le=2100)]
MonthQ = Annotated[int | None, Query(ge=1, le=12)]
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _period(year: int | None, month: int | None) -> Period:
    y = year or current_year()
    return check_period(y, month or 1, month or 12)


def _page(items: list[Any], total: int) -> dict[str, Any]:
    return {"items": items, "total": total}


@staff_router.get("")
def scorecard(staff: Reader, session: SessionDep, org: OrgQ = None, year: YearQ = None,
              month: MonthQ = None) -> dict[str, Any]:
    target = org_for_staff(session, staff=staff, code=org)
    return service.build_scorecard(session, org=target, period=_period(year, month))


@staff_router.get("/kpis")
def kpis(staff: Reader) -> dict[str, Any]:
    items = service.catalogue()
    return _page(items, len(items))


@staff_router.get("/dashboard")
def dashboard(staff: Reader, session: SessionDep, org: OrgQ = None, year: YearQ = None,
              month: MonthQ = None) -> dict[str, Any]:
    target = org_for_staff(session, staff=staff, code=org)
    return service.build_dashboard(session, org=target, period=_period(year, month))


@staff_router.get("/report", response_model=None)
def monthly_report(staff: Reader, session: SessionDep,
                   month: Annotated[str | None, Query(max_length=7, description="YYYY-MM")]
                   = None,
                   org: OrgQ = None,
                   year: YearQ = None,
                   format: Annotated[str, Query(pattern="^(json|csv|pdf)$")] = "json",
                   kamus: Annotated[bool, Query(description="kamus data kolom CSV")] = False
                   ) -> Response:
    if kamus:
        return csv_response(kamus_csv(REPORT_KAMUS), "kamus-laporan-bulanan")
    if month is None and year is None:
        raise Invalid("Bulan (mis. 2026-11) atau tahun (mis. 2026) wajib diisi", field="month")
    period = parse_month(month) if month is not None else check_period(year or 0, 1, 12)
    target = org_for_staff(session, staff=staff, code=org)
    data = report.monthly_report(session, org=target, period=period)
    name = f"laporan-{data['org']['code']}-{data['month']}"
    if format == "csv":
        return csv_response(report.report_csv(data), name)
    if format == "pdf":
        return Response(report.report_pdf(data), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    return JSONResponse(data)


@staff_router.get("/alarms")
def figure_alarms(staff: Reader, session: SessionDep,
                  figure: Annotated[str, Query(max_length=40, description="kunci ukuran")],
                  org: OrgQ = None, year: YearQ = None, month: MonthQ = None
                  ) -> dict[str, Any]:
    """Drill-down: exactly the alarms a response-time figure counts."""
    target = org_for_staff(session, staff=staff, code=org)
    return service.figure_alarms(session, org=target, period=_period(year, month),
                                 figure=figure)


# --- entered figures ---------------------------------------------------------------------------

@staff_router.get("/figures")
def list_figures(staff: Reader, session: SessionDep, org: OrgQ = None, year: YearQ = None,
                 metric: Annotated[str | None, Query(max_length=40)] = None,
                 limit: Limit = 200, offset: Offset = 0) -> dict[str, Any]:
    rows, total = entries.list_figures(session, staff=staff, org_code=org, year=year,
                                       metric=metric, limit=limit, offset=offset)
    return _page(rows, total)


@staff_router.post("/figures", status_code=201, response_model=FigureOut)
def create_figure(body: FigureIn, staff: Writer, session: SessionDep) -> FigureOut:
    return entries.save_figure(session, staff=staff, data=body)


@staff_router.put("/figures/{figure_id}", response_model=FigureOut)
def update_figure(figure_id: Id, body: FigureIn, staff: Writer,
                  session: SessionDep) -> FigureOut:
    return entries.save_figure(session, staff=staff, data=body, figure_id=figure_id)


@staff_router.delete("/figures/{figure_id}", status_code=204)
def delete_figure(figure_id: Id, staff: Writer, session: SessionDep) -> None:
    entries.delete_figure(session, staff=staff, figure_id=figure_id)


# --- personnel ---------------------------------------------------------------------------------

@staff_router.get("/personnel")
def list_personnel(staff: Reader, session: SessionDep, org: OrgQ = None, year: YearQ = None,
                   limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    rows, total = entries.list_personnel(session, staff=staff, org_code=org, year=year,
                                         limit=limit, offset=offset)
    return _page(rows, total)


@staff_router.post("/personnel", status_code=201, response_model=PersonnelOut)
def create_personnel(body: PersonnelIn, staff: Writer, session: SessionDep) -> PersonnelOut:
    return entries.save_personnel(session, staff=staff, data=body)


@staff_router.put("/personnel/{report_id}", response_model=PersonnelOut)
def update_personnel(report_id: Id, body: PersonnelIn, staff: Writer,
                     session: SessionDep) -> PersonnelOut:
    return entries.save_personnel(session, staff=staff, data=body, report_id=report_id)


@staff_router.delete("/personnel/{report_id}", status_code=204)
def delete_personnel(report_id: Id, staff: Writer, session: SessionDep) -> None:
    entries.delete_personnel(session, staff=staff, report_id=report_id)


# --- stakeholder meetings ----------------------------------------------------------------------

@staff_router.get("/meetings")
def list_meetings(staff: Reader, session: SessionDep, org: OrgQ = None, year: YearQ = None,
                  limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    rows, total = entries.list_meetings(session, staff=staff, org_code=org, year=year,
                                        limit=limit, offset=offset)
    return _page(rows, total)


@staff_router.post("/meetings", status_code=201, response_model=MeetingOut)
def create_meeting(body: MeetingIn, staff: Writer, session: SessionDep) -> MeetingOut:
    return entries.save_meeting(session, staff=staff, data=body)


@staff_router.get("/meetings/{meeting_id}", response_model=MeetingOut)
def get_meeting(meeting_id: Id, staff: Reader, session: SessionDep) -> MeetingOut:
    return entries.get_meeting(session, staff=staff, meeting_id=meeting_id)


@staff_router.put("/meetings/{meeting_id}", response_model=MeetingOut)
def update_meeting(meeting_id: Id, body: MeetingIn, staff: Writer,
                   session: SessionDep) -> MeetingOut:
    return entries.save_meeting(session, staff=staff, data=body, meeting_id=meeting_id)


@staff_router.delete("/meetings/{meeting_id}", status_code=204)
def delete_meeting(meeting_id: Id, staff: Writer, session: SessionDep) -> None:
    entries.delete_meeting(session, staff=staff, meeting_id=meeting_id)


# --- surveys -----------------------------------------------------------------------------------

@staff_router.get("/surveys")
def list_tallies(staff: Reader, session: SessionDep, org: OrgQ = None, year: YearQ = None,
                 limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    rows, total = entries.list_tallies(session, staff=staff, org_code=org, year=year,
                                       limit=limit, offset=offset)
    return _page(rows, total)


@staff_router.get("/surveys/summary")
def survey_summary(staff: Reader, session: SessionDep, org: OrgQ = None, year: YearQ = None,
                   month: MonthQ = None) -> dict[str, Any]:
    target = org_for_staff(session, staff=staff, code=org)
    rows = surveys.summary_by_polres(session, scope=scope_of(target),
                                     period=_period(year, month))
    return _page([SurveySummaryRow.model_validate(r) for r in rows], len(rows))


@staff_router.post("/surveys", status_code=201, response_model=SurveyTallyOut)
def create_tally(body: SurveyTallyIn, staff: Writer, session: SessionDep) -> SurveyTallyOut:
    return entries.save_tally(session, staff=staff, data=body)


@staff_router.put("/surveys/{tally_id}", response_model=SurveyTallyOut)
def update_tally(tally_id: Id, body: SurveyTallyIn, staff: Writer,
                 session: SessionDep) -> SurveyTallyOut:
    return entries.save_tally(session, staff=staff, data=body, tally_id=tally_id)


@staff_router.delete("/surveys/{tally_id}", status_code=204)
def delete_tally(tally_id: Id, staff: Writer, session: SessionDep) -> None:
    entries.delete_tally(session, staff=staff, tally_id=tally_id)


# --- initiatives -------------------------------------------------------------------------------

@staff_router.get("/initiatives")
def list_initiatives(staff: Reader, session: SessionDep, org: OrgQ = None,
                     term: Annotated[str | None, Query(pattern="^(short|medium|long)$")] = None
                     ) -> dict[str, Any]:
    rows = initiatives.list_initiatives(session, staff=staff, org_code=org, term=term)
    return _page(rows, len(rows))


@staff_router.post("/initiatives", status_code=201, response_model=InitiativeOut)
def create_initiative(body: InitiativeIn, staff: Writer, session: SessionDep) -> InitiativeOut:
    return initiatives.save_initiative(session, staff=staff, data=body)


@staff_router.get("/initiatives/{initiative_id}", response_model=InitiativeOut)
def get_initiative(initiative_id: Id, staff: Reader, session: SessionDep) -> InitiativeOut:
    return initiatives.get_initiative(session, staff=staff, initiative_id=initiative_id)


@staff_router.put("/initiatives/{initiative_id}", response_model=InitiativeOut)
def update_initiative(initiative_id: Id, body: InitiativeIn, staff: Writer,
                      session: SessionDep) -> InitiativeOut:
    return initiatives.save_initiative(session, staff=staff, data=body,
                                       initiative_id=initiative_id)


@staff_router.delete("/initiatives/{initiative_id}", status_code=204)
def delete_initiative(initiative_id: Id, staff: Writer, session: SessionDep) -> None:
    initiatives.delete_initiative(session, staff=staff, initiative_id=initiative_id)


# --- citizens ----------------------------------------------------------------------------------

def _optional_device(request: Request, session: SessionDep) -> Device | None:
    """The citizen device behind a bearer token, if one was sent and is valid."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        return device_for_token(session, token=token)
    except Unauthorized:
        # A stale token must not stop a citizen from answering; the answer is then anonymous.
        return None


OptionalDevice = Annotated[Device | None, Depends(_optional_device)]


@public_router.get("/polres")
def polres_options(session: SessionDep) -> dict[str, Any]:
    rows: list[PolresOption] = surveys.polres_options(session)
    return _page(rows, len(rows))


@public_router.post("", status_code=201, response_model=CitizenSurveyOut)
def submit(body: CitizenSurveyIn, session: SessionDep, device: OptionalDevice, ip: ClientIP,
           response: Response) -> CitizenSurveyOut:
    out = surveys.submit_survey(session, data=body, device=device, client_ip=ip)
    if out.replaced:
        response.status_code = 200
    return out


router.include_router(staff_router)
router.include_router(public_router)
