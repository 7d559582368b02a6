"""Routes of the crime register, its patterns, the hotspot layer and near-repeat alerts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from siaga.crimes import layer, nearrepeat, patterns, service
from siaga.crimes.models import CrimeIncident, NearRepeatAlert
from siaga.crimes.schemas import (
    AlertOut,
    AlertPage,
    CrimeTypeOut,
    IncidentCreate,
    IncidentOut,
    IncidentPage,
)
from siaga.crimes.types import crime_types
from siaga.deps import CurrentUser, SessionDep, Staff, require
from siaga.errors import NotFound
from siaga.orgs.models import Region
from siaga.orgs.service import org_by_code
from siaga.timeparams import QueryTime

router = APIRouter(tags=["crimes"])
Reader = Annotated[Staff, Depends(require("crimes.view"))]
Recorder = Annotated[Staff, Depends(require("crimes.record"))]
OrgParam = Annotated[str | None, Query(max_length=64, description="Kode satuan")]
TypeParam = Annotated[str | None, Query(alias="type", max_length=40)]


def _scope(session: Session, staff: Staff, org: str | None) -> str:
    if org is None:
        return staff.scope
    found = org_by_code(session, code=org)
    if not staff.sees(found.path):
        raise NotFound(f"Satuan tidak ditemukan: {org}", field="org")
    return found.path


def _incident_out(session: Session, incident: CrimeIncident, labels: dict[str, str]
                  ) -> IncidentOut:
    region = session.get(Region, incident.region_id) if incident.region_id else None
    return IncidentOut(
        id=incident.id, crime_type=incident.crime_type,
        crime_label=labels.get(incident.crime_type, incident.crime_type),
        occurred_at=incident.occurred_at, lat=incident.lat, lon=incident.lon,
        region_id=incident.region_id, region_name=region.name if region else None,
        org_path=incident.org_path, source=incident.source, external_id=incident.external_id,
        alarm_id=incident.alarm_id, description=incident.description,
        created_at=incident.created_at,
    )


@router.get("/api/v1/crimes/types", response_model=list[CrimeTypeOut])
def types(staff: Reader) -> list[CrimeTypeOut]:
    return [CrimeTypeOut(code=c.code, label=c.label) for c in crime_types()]


@router.get("/api/v1/crimes", response_model=IncidentPage)
def list_(
    staff: Reader, session: SessionDep, org: OrgParam = None, crime_type: TypeParam = None,
    since: QueryTime | None = None, until: QueryTime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> IncidentPage:
    rows, total = service.list_incidents(session, scope=_scope(session, staff, org),
                                         crime_type=crime_type, since=since, until=until,
                                         limit=limit, offset=offset)
    labels = {c.code: c.label for c in crime_types()}
    return IncidentPage(items=[_incident_out(session, r, labels) for r in rows], total=total)


@router.post("/api/v1/crimes", status_code=201, response_model=IncidentOut)
def create(body: IncidentCreate, staff: Recorder, session: SessionDep) -> IncidentOut:
    incident = service.record_incident(
        session, crime_type=body.crime_type, occurred_at=body.occurred_at, lat=body.lat,
        lon=body.lon, source="report", actor=staff.user, scope=staff.scope,
        description=body.description,
    )
    return _incident_out(session, incident, {c.code: c.label for c in crime_types()})


@router.get("/api/v1/crimes/patterns")
def crime_patterns(
    staff: Reader, session: SessionDep, org: OrgParam = None, crime_type: TypeParam = None,
    since: QueryTime | None = None, until: QueryTime | None = None,
) -> dict[str, Any]:
    return patterns.crime_patterns(session, scope=_scope(session, staff, org),
                                   crime_type=crime_type, since=since, until=until)


@router.get("/api/v1/hotspots")
def hotspots(
    staff: Reader, session: SessionDep, org: OrgParam = None, crime_type: TypeParam = None,
    horizon: Annotated[layer.Horizon, Query()] = "week",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    return layer.hotspot_geojson(session, scope=_scope(session, staff, org),
                                 crime_type=crime_type, horizon=horizon, limit=limit)


@router.get("/api/v1/hotspots/places")
def places(staff: Reader, session: SessionDep, org: OrgParam = None) -> dict[str, Any]:
    return layer.crime_prone_places(session, scope=_scope(session, staff, org))


def _alert_out(alert: NearRepeatAlert) -> AlertOut:
    return AlertOut.model_validate(nearrepeat.alert_payload(alert))


@router.get("/api/v1/alerts/mine", response_model=AlertPage)
def my_alerts(
    user: CurrentUser, session: SessionDep, include_expired: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AlertPage:
    rows, total = nearrepeat.alerts_for_officer(session, user=user,
                                                include_expired=include_expired,
                                                limit=limit, offset=offset)
    return AlertPage(items=[_alert_out(a) for a in rows], total=total)


@router.post("/api/v1/alerts/{alert_id}/read", response_model=AlertOut)
def mark_read(alert_id: int, user: CurrentUser, session: SessionDep) -> AlertOut:
    alert = nearrepeat.alert_for_officer(session, user=user, alert_id=alert_id)
    return _alert_out(nearrepeat.mark_alert_read(session, alert=alert))
