"""Geofence rules (create, edit, switch on/off, delete) and their alerts (list, acknowledge),
audited."""

from __future__ import annotations

import json
import re
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.staff import Staff
from siaga.errors import Conflict, Invalid, NotFound
from siaga.events.service import record_event
from siaga.geofence.models import ALERT_STATUSES, RULE_KINDS, GeofenceAlert, GeofenceRule
from siaga.geofence.rules import shift_hotspots
from siaga.geofence.schemas import RuleIn
from siaga.orgs.models import Organisation, Region
from siaga.orm import utcnow
from siaga.schools.models import School
from siaga.schools.service import school_path

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DEFAULT_SCHOOL_RADIUS_M = 300.0
MAX_HOTSPOT_CELLS = 20


def create_rule(session: Session, *, staff: Staff, settings: RuleIn) -> GeofenceRule:
    """Save a rule in the staff member's scope; its zone is resolved to stored geometry now."""
    rule = GeofenceRule(active=True, created_by=staff.user.id)
    _fill(session, staff=staff, rule=rule, settings=settings)
    session.add(rule)
    session.flush()
    audit(session, action="geofence.rule_create", target=rule, actor=staff.user,
          org_path=rule.org_path, detail={"kind": rule.kind, "name": rule.name})
    return rule


def update_rule(session: Session, *, staff: Staff, rule_id: int,
                settings: RuleIn) -> GeofenceRule:
    """Replace a rule's settings; its live alerts are resolved (the next tick re-checks)."""
    rule = rule_for_staff(session, staff=staff, rule_id=rule_id)
    before = _settings(rule)
    _fill(session, staff=staff, rule=rule, settings=settings)
    rule.updated_at = utcnow()
    _resolve_live(session, rule=rule)
    session.flush()
    audit(session, action="geofence.rule_update", target=rule, actor=staff.user,
          org_path=rule.org_path, detail={"before": before, "after": _settings(rule)})
    return rule


def set_rule_active(session: Session, *, staff: Staff, rule_id: int,
                    active: bool) -> GeofenceRule:
    """Switch a rule on or off; switching off resolves its live alerts."""
    rule = rule_for_staff(session, staff=staff, rule_id=rule_id)
    if rule.active == active:
        return rule
    rule.active, rule.updated_at = active, utcnow()
    if not active:
        _resolve_live(session, rule=rule)
    session.flush()
    audit(session, action="geofence.rule_on" if active else "geofence.rule_off", target=rule,
          actor=staff.user, org_path=rule.org_path)
    return rule


def rule_for_staff(session: Session, *, staff: Staff, rule_id: int) -> GeofenceRule:
    """A rule that exists, is not deleted and lies in the staff member's scope."""
    rule = session.get(GeofenceRule, rule_id)
    if rule is None or rule.deleted_at is not None or not staff.sees(rule.org_path):
        raise NotFound("Aturan tidak ditemukan", field="rule_id")
    return rule


def _settings(rule: GeofenceRule) -> dict[str, Any]:
    return {"name": rule.name, "kind": rule.kind, "org_path": rule.org_path,
            "zone_source": rule.zone_source, "region_id": rule.region_id,
            "school_id": rule.school_id, "radius_m": rule.radius_m,
            "silent_minutes": rule.silent_minutes, "hotspot_top_n": rule.hotspot_top_n,
            "days": list(rule.days or []), "start_time": rule.start_time,
            "end_time": rule.end_time}


def _fill(session: Session, *, staff: Staff, rule: GeofenceRule,
          settings: RuleIn) -> None:
    name, kind, org, zone_source = (settings.name, settings.kind, settings.org,
                                    settings.zone_source)
    days, start_time, end_time = settings.days, settings.start_time, settings.end_time
    label = name.strip()
    if not label:
        raise Invalid("Nama aturan wajib diisi", field="name")
    if kind not in RULE_KINDS:
        raise Invalid("Jenis aturan tidak dikenal", field="kind")
    organisation = session.scalar(select(Organisation).where(Organisation.code == org))
    if organisation is None or not staff.sees(organisation.path):
        raise NotFound("Satuan tidak ditemukan", field="org")
    if kind == "zone_uncovered" and zone_source == "hotspots":
        # The shift is the window: the forecast cells change with each shift.
        start_time = end_time = None
    _check_window(days=days, start_time=start_time, end_time=end_time)
    rule.name, rule.kind, rule.org_id, rule.org_path = (label, kind, organisation.id,
                                                        organisation.path)
    rule.days, rule.start_time, rule.end_time = sorted(set(days)), start_time, end_time
    rule.silent_minutes = rule.hotspot_top_n = rule.zone_source = rule.zone_geojson = None
    rule.region_id = rule.school_id = None
    rule.center_lat = rule.center_lon = rule.radius_m = None
    if kind == "unit_silent":
        minutes = settings.silent_minutes
        if minutes is None or not 1 <= minutes <= 1440:
            raise Invalid("Batas diam harus 1 sampai 1440 menit", field="silent_minutes")
        rule.silent_minutes = minutes
    if kind == "zone_uncovered":
        _resolve_zone(session, staff=staff, rule=rule, zone_source=zone_source,
                      zone=settings.zone, region_id=settings.region_id,
                      school_id=settings.school_id, radius_m=settings.radius_m,
                      hotspot_top_n=settings.hotspot_top_n)


def _resolve_live(session: Session, *, rule: GeofenceRule) -> None:
    now = utcnow()
    for alert in session.scalars(select(GeofenceAlert).where(
            GeofenceAlert.rule_id == rule.id, GeofenceAlert.active_key.is_not(None))):
        alert.status, alert.resolved_at, alert.active_key = "resolved", now, None
        session.flush()
        publish_alert(session, alert=alert)


def hotspot_preview(session: Session, *, staff: Staff, org: str,
                    top_n: int) -> dict[str, Any]:
    """The cells a hotspot zone of this organisation watches in the shift running now."""
    organisation = session.scalar(select(Organisation).where(Organisation.code == org))
    if organisation is None or not staff.sees(organisation.path):
        raise NotFound("Satuan tidak ditemukan", field="org")
    return shift_hotspots(session, org_path=organisation.path, top_n=top_n, at=utcnow())


def list_rules(session: Session, *, staff: Staff) -> list[GeofenceRule]:
    return list(session.scalars(
        select(GeofenceRule).where(GeofenceRule.deleted_at.is_(None))
        .where(GeofenceRule.org_path.startswith(staff.scope)).order_by(GeofenceRule.id)))


def delete_rule(session: Session, *, staff: Staff, rule_id: int) -> GeofenceRule:
    """Retire a rule; its live alerts are resolved with it, the history stays."""
    rule = rule_for_staff(session, staff=staff, rule_id=rule_id)
    rule.deleted_at, rule.active = utcnow(), False
    _resolve_live(session, rule=rule)
    session.flush()
    audit(session, action="geofence.rule_delete", target=rule, actor=staff.user,
          org_path=rule.org_path)
    return rule


def list_alerts(session: Session, *, staff: Staff, status: str | None) -> list[GeofenceAlert]:
    if status is not None and status not in ALERT_STATUSES:
        raise Invalid("Status harus open, acknowledged atau resolved", field="status")
    query = (select(GeofenceAlert).where(GeofenceAlert.org_path.startswith(staff.scope))
             .order_by(GeofenceAlert.opened_at.desc(), GeofenceAlert.id.desc()).limit(200))
    if status is not None:
        query = query.where(GeofenceAlert.status == status)
    return list(session.scalars(query))


def acknowledge_alert(session: Session, *, staff: Staff, alert_id: int) -> GeofenceAlert:
    """An operator takes the alert; it stays live (no new one) until its condition clears."""
    alert = session.get(GeofenceAlert, alert_id)
    if alert is None or not staff.sees(alert.org_path):
        raise NotFound("Peringatan tidak ditemukan", field="alert_id")
    if alert.status != "open":
        raise Conflict("Peringatan ini sudah diterima atau selesai", field="alert_id")
    alert.status, alert.acknowledged_at, alert.acknowledged_by = ("acknowledged", utcnow(),
                                                                  staff.user.id)
    session.flush()
    audit(session, action="geofence.alert_acknowledge", target=alert, actor=staff.user,
          org_path=alert.org_path)
    publish_alert(session, alert=alert)
    return alert


def publish_alert(session: Session, *, alert: GeofenceAlert) -> None:
    """Tell /ops live: the `geofence.alert` event carries the alert's new state."""
    record_event(session, type="geofence.alert", org_path=alert.org_path, payload={
        "alert_id": alert.id, "rule_id": alert.rule_id, "unit_id": alert.unit_id,
        "alarm_id": alert.alarm_id,
        "kind": alert.kind, "status": alert.status, "message": alert.message,
        "lat": alert.lat, "lon": alert.lon})


def _check_window(*, days: list[int], start_time: str | None, end_time: str | None) -> None:
    if any(not 1 <= d <= 7 for d in days):
        raise Invalid("Hari harus 1 (Senin) sampai 7 (Minggu)", field="days")
    if (start_time is None) != (end_time is None):
        raise Invalid("Isi jam mulai dan jam selesai, atau kosongkan keduanya",
                      field="start_time")
    for field, value in (("start_time", start_time), ("end_time", end_time)):
        if value is not None and not _HHMM.match(value):
            raise Invalid("Jam harus berbentuk JJ:MM, misalnya 13:30", field=field)
    if start_time is not None and start_time == end_time:
        raise Invalid("Jam mulai dan jam selesai tidak boleh sama", field="end_time")


def _resolve_zone(session: Session, *, staff: Staff, rule: GeofenceRule, zone_source: str | None,
                  zone: dict[str, Any] | None, region_id: int | None, school_id: int | None,
                  radius_m: float | None, hotspot_top_n: int | None) -> None:
    rule.zone_source = zone_source
    if zone_source == "hotspots":
        if hotspot_top_n is None or not 1 <= hotspot_top_n <= MAX_HOTSPOT_CELLS:
            raise Invalid(f"Jumlah sel titik rawan harus 1 sampai {MAX_HOTSPOT_CELLS}",
                          field="hotspot_top_n")
        rule.hotspot_top_n = hotspot_top_n
    elif zone_source == "polygon":
        rule.zone_geojson = _polygon(zone)
    elif zone_source == "region":
        rule.region_id, rule.zone_geojson = _region_zone(session, staff=staff, rule=rule,
                                                         region_id=region_id)
    elif zone_source == "school":
        school = session.get(School, school_id) if school_id is not None else None
        where = school_path(session, school) if school is not None else None
        if school is None or where is None or not staff.sees(where):
            raise NotFound("Sekolah tidak ditemukan", field="school_id")
        if not where.startswith(rule.org_path):
            raise Invalid("Sekolah ini di luar wilayah satuan aturan", field="school_id")
        if school.lat is None or school.lon is None:
            raise Invalid("Sekolah ini belum punya titik lokasi", field="school_id")
        radius = DEFAULT_SCHOOL_RADIUS_M if radius_m is None else radius_m
        if not 20 <= radius <= 5000:
            raise Invalid("Radius harus 20 sampai 5000 meter", field="radius_m")
        rule.school_id, rule.center_lat, rule.center_lon = school.id, school.lat, school.lon
        rule.radius_m = radius
    else:
        raise Invalid("Zona harus digambar, diambil dari wilayah, dari sekolah, atau dari "
                      "sel titik rawan shift",
                      field="zone_source")


def _polygon(zone: dict[str, Any] | None) -> str:
    if not zone or zone.get("type") not in ("Polygon", "MultiPolygon"):
        raise Invalid("Zona harus berupa poligon GeoJSON", field="zone")
    try:
        geom = shape(zone)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise Invalid("Poligon zona tidak terbaca", field="zone") from exc
    if geom.is_empty or not geom.is_valid or geom.area == 0:
        raise Invalid("Poligon zona tidak sah (bersilangan atau kosong)", field="zone")
    return json.dumps(mapping(geom), separators=(",", ":"))


def _region_zone(session: Session, *, staff: Staff, rule: GeofenceRule,
                 region_id: int | None) -> tuple[int, str]:
    region = session.get(Region, region_id) if region_id is not None else None
    org = session.get(Organisation, region.org_id) if region and region.org_id else None
    if region is None or org is None or not staff.sees(org.path):
        raise NotFound("Wilayah tidak ditemukan", field="region_id")
    if not org.path.startswith(rule.org_path):
        raise Invalid(f"{region.name} di luar wilayah satuan aturan", field="region_id")
    boundaries = [region.boundary] if region.boundary else [
        b for b in session.scalars(select(Region.boundary).where(Region.parent_id == region.id))
        if b]
    if not boundaries:
        raise Invalid("Wilayah ini belum punya batas peta", field="region_id")
    union = shapely.union_all([shapely.from_geojson(b) for b in boundaries])
    return region.id, json.dumps(mapping(union), separators=(",", ":"))


