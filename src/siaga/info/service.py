"""The information menu citizens read and admins edit."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import Forbidden, NotFound
from siaga.geo import haversine_m
from siaga.info.models import InfoItem
from siaga.info.schemas import InfoItemIn, InfoItemOut, InfoMenu, OfficerOut, PlaceOut
from siaga.orgs.models import Organisation, Region
from siaga.orgs.service import locate, org_by_code
from siaga.roster.bhabin import bhabin_for_region


def _out(session: Session, item: InfoItem) -> InfoItemOut:
    org = session.get(Organisation, item.org_id) if item.org_id else None
    return InfoItemOut(id=item.id, kind=item.kind, title=item.title, body=item.body,
                       phone=item.phone, position=item.position,
                       org_code=org.code if org else None)


def info_menu(session: Session, *, lat: float | None, lon: float | None) -> InfoMenu:
    """Hotlines, tips and notices for where the citizen is, with their Polsek and officer."""
    polres_id = None
    kelurahan = None
    nearest = None
    officer = None
    if lat is not None and lon is not None:
        place = locate(session, lat=lat, lon=lon)
        if place.org_id is not None:
            polsek = session.get(Organisation, place.org_id)
            if polsek is not None:
                polres_id = polsek.parent_id
                nearest = PlaceOut(
                    name=polsek.name, address=polsek.address, phone=polsek.phone,
                    lat=polsek.lat, lon=polsek.lon,
                    distance_m=(haversine_m(lat, lon, polsek.lat, polsek.lon)
                                if polsek.lat is not None and polsek.lon is not None else None),
                )
        if place.region_id is not None:
            region = session.get(Region, place.region_id)
            kelurahan = region.name if region else None
            user = bhabin_for_region(session, region_id=place.region_id)
            if user is not None and kelurahan:
                officer = OfficerOut(name=user.full_name, phone=user.phone, kelurahan=kelurahan)
    items = session.scalars(
        select(InfoItem)
        .where(or_(InfoItem.org_id.is_(None), InfoItem.org_id == polres_id))
        .order_by(InfoItem.kind, InfoItem.position, InfoItem.id)
    ).all()
    outs = [_out(session, i) for i in items]
    return InfoMenu(
        hotlines=[o for o in outs if o.kind == "hotline"],
        tips=[o for o in outs if o.kind == "tip"],
        notices=[o for o in outs if o.kind == "notice"],
        kelurahan=kelurahan, nearest_polsek=nearest, bhabinkamtibmas=officer,
    )


def list_items(session: Session, *, staff: Staff, limit: int, offset: int
               ) -> tuple[list[InfoItemOut], int]:
    """Every item an admin may edit."""
    query = select(InfoItem).order_by(InfoItem.kind, InfoItem.position, InfoItem.id)
    total = session.scalar(select(func.count()).select_from(InfoItem)) or 0
    items = session.scalars(query.limit(limit).offset(offset)).all()
    return [_out(session, i) for i in items], int(total)


def _org_for(session: Session, staff: Staff, code: str | None) -> int | None:
    if code is None:
        if staff.scope != "/":
            raise Forbidden("Hanya admin pusat yang boleh mengubah info umum", field="org_code")
        return None
    org = org_by_code(session, code=code)
    if not staff.sees(org.path):
        raise Forbidden("Satuan di luar wewenang Anda", field="org_code")
    return org.id


def save_item(session: Session, *, staff: Staff, item_id: int | None, data: InfoItemIn
              ) -> InfoItemOut:
    """Create or update one menu item, audited."""
    org_id = _org_for(session, staff, data.org_code)
    if item_id is None:
        item = InfoItem()
        session.add(item)
    else:
        found = session.get(InfoItem, item_id)
        if found is None:
            raise NotFound("Info tidak ditemukan", field="id")
        _org_for(session, staff, _code(session, found.org_id))
        item = found
    item.kind, item.title, item.body = data.kind, data.title, data.body
    item.phone, item.position, item.org_id = data.phone, data.position, org_id
    item.updated_at = utcnow()
    session.flush()
    audit(session, action="info.save", target=item, actor=staff.user,
          detail=data.model_dump())
    return _out(session, item)


def delete_item(session: Session, *, staff: Staff, item_id: int) -> None:
    """Remove a menu item, audited with its content."""
    item = session.get(InfoItem, item_id)
    if item is None:
        raise NotFound("Info tidak ditemukan", field="id")
    _org_for(session, staff, _code(session, item.org_id))
    audit(session, action="info.delete", target=item, actor=staff.user,
          detail={"title": item.title, "body": item.body, "kind": item.kind})
    session.delete(item)


def _code(session: Session, org_id: int | None) -> str | None:
    org = session.get(Organisation, org_id) if org_id else None
    return org.code if org else None
