"""Geofence routes: rules for admins, alerts for the command room."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from siaga.deps import SessionDep, Staff, require
from siaga.geofence import service
from siaga.geofence.models import GeofenceAlert, GeofenceRule
from siaga.geofence.schemas import AlertList, AlertOut, RuleIn, RuleList, RuleOut
from siaga.reports.fmt import date_time_wib
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
    return RuleList(items=[_rule(r) for r in service.list_rules(session, staff=staff)])


@router.post("/rules", status_code=201, response_model=RuleOut)
def create_rule(body: RuleIn, staff: Manager, session: SessionDep) -> RuleOut:
    """A new rule: leaving the jurisdiction, a zone without a unit, or a silent unit."""
    return _rule(service.create_rule(
        session, staff=staff, name=body.name, kind=body.kind, org=body.org,
        zone_source=body.zone_source, zone=body.zone, region_id=body.region_id,
        school_id=body.school_id, radius_m=body.radius_m, silent_minutes=body.silent_minutes,
        days=body.days, start_time=body.start_time, end_time=body.end_time))


@router.delete("/rules/{rule_id}", response_model=RuleOut)
def delete_rule(rule_id: int, staff: Manager, session: SessionDep) -> RuleOut:
    return _rule(service.delete_rule(session, staff=staff, rule_id=rule_id))


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
    hours = (f"{rule.start_time}–{rule.end_time} WIB" if rule.start_time and rule.end_time
             else "sepanjang hari")
    return f"{days} · {hours}"


def _rule(rule: GeofenceRule) -> RuleOut:
    return RuleOut(id=rule.id, name=rule.name, kind=rule.kind, kind_label=KIND_LABELS[rule.kind],
                   org_path=rule.org_path, zone_source=rule.zone_source,
                   region_id=rule.region_id, school_id=rule.school_id, radius_m=rule.radius_m,
                   silent_minutes=rule.silent_minutes, days=list(rule.days),
                   start_time=rule.start_time, end_time=rule.end_time,
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
