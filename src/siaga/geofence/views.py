"""Geofence routes: rules for admins, alerts for the command room."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from siaga.deps import SessionDep, Staff, require
from siaga.geofence import service
from siaga.geofence.models import GeofenceAlert, GeofenceRule
from siaga.geofence.schemas import AlertList, AlertOut, RuleActive, RuleIn, RuleList, RuleOut
from siaga.geofence.service import MAX_HOTSPOT_CELLS
from siaga.orgs.models import Organisation, Region
from siaga.reports.fmt import date_time_wib
from siaga.schools.models import School
from siaga.units.models import Unit

router = APIRouter(prefix="/api/v1/geofence", tags=["geofence"])
Viewer = Annotated[Staff, Depends(require("geofence.view"))]
Manager = Annotated[Staff, Depends(require("geofence.manage"))]

KIND_LABELS = {"leave_jurisdiction": "Unit keluar wilayah", "zone_uncovered": "Zona tanpa unit",
               "unit_silent": "Unit tidak mengirim posisi", "officer_sos": "SOS petugas"}
STATUS_LABELS = {"open": "Baru", "acknowledged": "Diterima", "resolved": "Selesai"}
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@router.get("/rules", response_model=RuleList)
def list_rules(staff: Viewer, session: SessionDep) -> RuleList:
    return RuleList(items=[_rule(session, r) for r in service.list_rules(session, staff=staff)])


@router.post("/rules", status_code=201, response_model=RuleOut)
def create_rule(body: RuleIn, staff: Manager, session: SessionDep) -> RuleOut:
    """A new rule: leaving the jurisdiction, a zone without a unit, a silent unit, an SOS."""
    return _rule(session, service.create_rule(
        session, staff=staff, settings=body))


@router.put("/rules/{rule_id}", response_model=RuleOut)
def update_rule(rule_id: int, body: RuleIn, staff: Manager, session: SessionDep) -> RuleOut:
    """Replace a rule's settings (the same body as creating it)."""
    return _rule(session, service.update_rule(
        session, staff=staff, rule_id=rule_id,
        settings=body))


@router.patch("/rules/{rule_id}", response_model=RuleOut)
def switch_rule(rule_id: int, body: RuleActive, staff: Manager, session: SessionDep) -> RuleOut:
    """Switch a rule on or off."""
    return _rule(session, service.set_rule_active(session, staff=staff, rule_id=rule_id,
                                                  active=body.active))


@router.delete("/rules/{rule_id}", response_model=RuleOut)
def delete_rule(rule_id: int, staff: Manager, session: SessionDep) -> RuleOut:
    return _rule(session, service.delete_rule(session, staff=staff, rule_id=rule_id))


@router.get("/hotspot-cells")
def hotspot_cells(staff: Manager, session: SessionDep,
                  org: Annotated[str, Query(max_length=64)],
                  top: Annotated[int, Query(ge=1, le=MAX_HOTSPOT_CELLS)] = 5) -> dict[str, Any]:
    """The top hotspot cells of the running shift that a 'sel titik rawan' zone watches now."""
    return service.hotspot_preview(session, staff=staff, org=org, top_n=top)


@router.get("/alerts", response_model=AlertList)
def list_alerts(staff: Viewer, session: SessionDep,
                status: Annotated[str | None, Query(max_length=16)] = None) -> AlertList:
    """Alerts in scope, newest first; `status=open` for those nobody has taken yet."""
    alerts = service.list_alerts(session, staff=staff, status=status)
    return AlertList(items=[_alert(session, a) for a in alerts])


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertOut)
def acknowledge(alert_id: int, staff: Viewer, session: SessionDep) -> AlertOut:
    return _alert(session, service.acknowledge_alert(session, staff=staff, alert_id=alert_id))


def window_label(rule: GeofenceRule) -> str:
    """Senin, Rabu · 13:00-15:00 WIB; Setiap hari · sepanjang hari."""
    days = ", ".join(DAY_NAMES[d - 1] for d in rule.days) if rule.days else "Setiap hari"
    if rule.zone_source == "hotspots":
        return f"{days} · shift berjalan (pagi, siang, malam)"
    hours = (f"{rule.start_time}–{rule.end_time} WIB" if rule.start_time and rule.end_time
             else "sepanjang hari")
    return f"{days} · {hours}"


def _zone_label(session: Session, rule: GeofenceRule, org: Organisation | None) -> str:
    if rule.kind != "zone_uncovered":
        return f"Wilayah {org.name}" if org else "-"
    if rule.zone_source == "region" and rule.region_id is not None:
        region = session.get(Region, rule.region_id)
        return f"{(region.level or 'wilayah').capitalize()} {region.name}" if region else "-"
    if rule.zone_source == "school" and rule.school_id is not None:
        school = session.get(School, rule.school_id)
        return f"{school.name if school else 'Sekolah'}, radius {rule.radius_m or 0:.0f} m"
    if rule.zone_source == "hotspots":
        return f"{rule.hotspot_top_n} sel titik rawan teratas shift berjalan"
    return "Zona digambar di peta"


def _threshold_label(rule: GeofenceRule) -> str:
    if rule.kind == "unit_silent":
        return f"Diam {rule.silent_minutes} menit"
    if rule.kind == "zone_uncovered":
        return "Tanpa unit selama 15 menit"
    return "Langsung"


def _rule(session: Session, rule: GeofenceRule) -> RuleOut:
    org = session.get(Organisation, rule.org_id)
    return RuleOut(id=rule.id, name=rule.name, kind=rule.kind, kind_label=KIND_LABELS[rule.kind],
                   org=org.code if org else "", org_name=org.name if org else "",
                   org_path=rule.org_path, zone_source=rule.zone_source,
                   zone_label=_zone_label(session, rule, org),
                   zone=json.loads(rule.zone_geojson) if rule.zone_geojson else None,
                   region_id=rule.region_id, school_id=rule.school_id,
                   center_lat=rule.center_lat, center_lon=rule.center_lon,
                   radius_m=rule.radius_m, silent_minutes=rule.silent_minutes,
                   hotspot_top_n=rule.hotspot_top_n, threshold_label=_threshold_label(rule),
                   days=list(rule.days), start_time=rule.start_time, end_time=rule.end_time,
                   window_label=window_label(rule), active=rule.active)


def _alert(session: Session, alert: GeofenceAlert) -> AlertOut:
    rule = session.get(GeofenceRule, alert.rule_id)
    unit = session.get(Unit, alert.unit_id) if alert.unit_id is not None else None
    return AlertOut(id=alert.id, rule_id=alert.rule_id, rule_name=rule.name if rule else "",
                    kind=alert.kind, kind_label=KIND_LABELS.get(alert.kind, "Peringatan"),
                    alarm_id=alert.alarm_id,
                    unit_id=alert.unit_id, unit_callsign=unit.callsign if unit else None,
                    status=alert.status, status_label=STATUS_LABELS[alert.status],
                    message=alert.message, lat=alert.lat, lon=alert.lon,
                    opened_at=alert.opened_at, opened_at_label=date_time_wib(alert.opened_at),
                    acknowledged_at=alert.acknowledged_at)
