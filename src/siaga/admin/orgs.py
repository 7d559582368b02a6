"""Organisation details an admin keeps: name, address, phone and office position."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.staff import Staff
from siaga.errors import Invalid
from siaga.orgs.models import Organisation
from siaga.orgs.service import orgs_in_scope, regions_changed
from siaga.units.models import Unit
from siaga.units.service import publish_unit


def list_org_details(session: Session, *, staff: Staff) -> list[Organisation]:
    """Every organisation in the admin's subtree, top-down."""
    return orgs_in_scope(session, scope=staff.scope)


def update_org_details(
    session: Session, *, staff: Staff, org: Organisation, fields: dict[str, object],
) -> Organisation:
    """Change the given details; a new office position moves the duty desk unit with it."""
    before = {k: getattr(org, k) for k in ("name", "address", "phone", "lat", "lon")}
    for key in ("name", "address", "phone"):
        if key in fields:
            value = fields[key]
            text = value.strip() if isinstance(value, str) else None
            setattr(org, key, text or (before[key] if key == "name" else None))
    if "lat" in fields or "lon" in fields:
        lat, lon = fields.get("lat", org.lat), fields.get("lon", org.lon)
        if (lat is None) != (lon is None):
            raise Invalid("Isi lintang dan bujur bersama-sama", field="lat")
        org.lat, org.lon = lat, lon  # type: ignore[assignment]
    session.flush()
    after = {k: getattr(org, k) for k in before}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if not changed:
        return org
    audit(session, action="org.update", target=org, actor=staff.user, org_path=org.path,
          detail={"code": org.code, **changed})
    if "lat" in changed or "lon" in changed:
        desks = session.scalars(select(Unit).where(Unit.org_id == org.id)
                                .where(Unit.kind == "desk")
                                .where(Unit.retired_at.is_(None))).all()
        for desk in desks:
            desk.lat, desk.lon = org.lat, org.lon
            audit(session, action="unit.move_base", target=desk, actor=staff.user,
                  org_path=desk.org_path, detail={"lat": org.lat, "lon": org.lon})
            publish_unit(session, unit=desk, type="unit.updated")
    # Names and positions are cached for the alarm path.
    regions_changed()
    return org
