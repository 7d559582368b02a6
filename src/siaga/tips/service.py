"""Citizen tips: intake routed to the right Polsek, the staff queue, and status replies."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.devices.guards import check_tip_rate
from siaga.devices.models import Device
from siaga.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests
from siaga.events.service import record_event
from siaga.orgs.models import Organisation, Region
from siaga.orgs.service import locate
from siaga.ratelimit import RateLimiter
from siaga.tips.models import Tip
from siaga.tips.schemas import AreaOption, TipIn, TipMine, TipOptions, TipStaffOut, TipUpdate
from siaga.visits.models import FollowUp, Photo
from siaga.visits.photos import inspect_image, store_photo

CATEGORY_LABELS = {
    "crime": "Kejahatan",
    "drugs": "Narkoba",
    "brawl": "Tawuran / perkelahian",
    "traffic": "Lalu lintas",
    "disturbance": "Gangguan ketertiban",
    "suspicious": "Orang / kegiatan mencurigakan",
    "other": "Lainnya",
}
STATUS_LABELS = {
    "new": "Diterima",
    "in_review": "Sedang ditelaah",
    "acted": "Sudah ditindaklanjuti",
    "closed": "Selesai",
    "rejected": "Tidak dapat ditindaklanjuti",
}
_limiter: RateLimiter | None = None


def _rate_limiter() -> RateLimiter:
    global _limiter
    if _limiter is None:
        _limiter = RateLimiter(limit=get_settings().tips_per_device_per_hour, window_s=3600)
    return _limiter


def tip_options(session: Session) -> TipOptions:
    """Categories and the kelurahan a citizen may pick when not sharing their location."""
    rows = session.execute(
        select(Region.id, Region.name, Organisation.name)
        .join(Organisation, Organisation.id == Region.org_id)
        .where(Region.level.in_(("kelurahan", "desa"))).order_by(Region.name)
    ).all()
    return TipOptions(categories=CATEGORY_LABELS, statuses=STATUS_LABELS,
                      areas=[AreaOption(id=r[0], name=r[1], polsek=r[2]) for r in rows],
                      photo_max_bytes=get_settings().photo_max_bytes)


def create_tip(session: Session, *, device: Device, data: TipIn, photo: bytes | None,
               client_ip: str | None = None) -> tuple[Tip, bool]:
    """Store a citizen's tip once per client id, routed to the Polsek covering the place
    (`client_ip`: the sender's address over HTTP, limited per hour)."""
    existing = session.scalar(select(Tip).where(Tip.client_id == data.client_id))
    if existing is not None:
        return _same_device(existing, device), False
    if device.blocked:
        raise Forbidden("Perangkat ini diblokir operator.")
    check_tip_rate(client_ip=client_ip)  # before the photo costs a decode
    facts = inspect_image(photo, field="photo") if photo else None
    if data.lat is not None and data.lon is not None:
        place = locate(session, lat=data.lat, lon=data.lon)
        region_id, org_id, org_path = place.region_id, place.org_id, place.org_path
    elif data.region_id is not None:
        region = session.get(Region, data.region_id)
        org = session.get(Organisation, region.org_id) if region and region.org_id else None
        if region is None or org is None:
            raise Invalid("Kelurahan tidak ditemukan", field="region_id")
        region_id, org_id, org_path = region.id, org.id, org.path
    else:
        raise Invalid("Bagikan lokasi atau pilih kelurahan agar laporan sampai ke Polsek yang "
                      "tepat", field="lat")
    if not _rate_limiter().hit(str(device.id)):
        raise TooManyRequests("Terlalu banyak laporan dari perangkat ini. Coba lagi nanti.")
    stored = store_photo(session, data=photo, facts=facts) if photo and facts else None
    tip = Tip(client_id=data.client_id, device_id=device.id, category=data.category,
              text=data.text.strip(), photo_id=stored.id if stored else None, lat=data.lat,
              lon=data.lon, accuracy_m=data.accuracy_m, anonymous=data.anonymous,
              org_id=org_id, org_path=org_path, region_id=region_id, status="new")
    session.add(tip)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        winner = session.scalar(select(Tip).where(Tip.client_id == data.client_id))
        if winner is None:
            raise
        return _same_device(winner, device), False
    audit(session, action="tip.create", target=tip, actor=None, device_id=device.id,
          org_path=tip.org_path, detail={"category": tip.category, "anonymous": tip.anonymous})
    mine = tips_mine_out(session, [tip])[0]
    record_event(session, type="tip.created", org_path=tip.org_path,
                 payload={"tip": {"id": tip.id, "category": tip.category,
                                  "category_label": mine.category_label,
                                  "kelurahan": mine.kelurahan, "polsek": mine.polsek,
                                  "created_at": tip.created_at.isoformat()}})
    return tip, True


def _same_device(tip: Tip, device: Device) -> Tip:
    if tip.device_id != device.id:
        raise Conflict("client_id sudah dipakai perangkat lain", field="client_id")
    return tip


def tips_for_device(session: Session, *, device: Device, limit: int, offset: int
                    ) -> tuple[list[Tip], int]:
    """The device's own tips, newest first."""
    query = select(Tip).where(Tip.device_id == device.id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Tip.created_at.desc(), Tip.id.desc())
                           .limit(limit).offset(offset))
    return list(rows), int(total)


def list_tips(session: Session, *, staff: Staff, status: str | None, limit: int, offset: int
              ) -> tuple[list[Tip], int]:
    """The queue of tips in scope: unhandled ones first, oldest first."""
    query = select(Tip).where(Tip.org_path.startswith(staff.scope, autoescape=True))
    if status == "active":
        query = query.where(Tip.status.in_(("new", "in_review")))
    elif status:
        query = query.where(Tip.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Tip.created_at, Tip.id).limit(limit).offset(offset))
    return list(rows), int(total)


def tip_for_staff(session: Session, *, staff: Staff, tip_id: int) -> Tip:
    """The tip if it lies within the staff member's organisation."""
    tip = session.get(Tip, tip_id)
    if tip is None or not staff.sees(tip.org_path):
        raise NotFound("Laporan tidak ditemukan", field="id")
    return tip


def view_tip(session: Session, *, staff: Staff, tip_id: int) -> Tip:
    """Fetch a tip for staff; the reporter's details being seen is audited."""
    tip = tip_for_staff(session, staff=staff, tip_id=tip_id)
    audit(session, action="tip.view", target=tip, actor=staff.user, org_path=tip.org_path)
    return tip


def update_tip(session: Session, *, staff: Staff, tip_id: int, data: TipUpdate) -> Tip:
    """Move a tip along and tell the citizen why; audited."""
    tip = tip_for_staff(session, staff=staff, tip_id=tip_id)
    changes: dict[str, object] = {}
    if data.status is not None and data.status != tip.status:
        changes["status"] = [tip.status, data.status]
        tip.status = data.status
    if "public_note" in data.model_fields_set and data.public_note != tip.public_note:
        changes["public_note"] = data.public_note
        tip.public_note = data.public_note
    if changes:
        tip.handled_by_id = staff.user.id
        tip.updated_at = utcnow()
        audit(session, action="tip.update", target=tip, actor=staff.user, org_path=tip.org_path,
              detail=changes)
        session.flush()
    return tip


def tip_photo(session: Session, *, staff: Staff, tip_id: int) -> Photo:
    """The photo attached to a tip in scope."""
    tip = tip_for_staff(session, staff=staff, tip_id=tip_id)
    photo = session.get(Photo, tip.photo_id) if tip.photo_id else None
    if photo is None:
        raise NotFound("Laporan ini tanpa foto", field="photo")
    return photo


def _names(session: Session, tips: Sequence[Tip]) -> tuple[dict[int, str], dict[int, str]]:
    orgs = {o.id: o.name for o in session.scalars(select(Organisation).where(
        Organisation.id.in_({t.org_id for t in tips if t.org_id})))}
    regions = {r.id: r.name for r in session.scalars(select(Region).where(
        Region.id.in_({t.region_id for t in tips if t.region_id})))}
    return orgs, regions


def _mine(tip: Tip, orgs: dict[int, str], regions: dict[int, str]) -> TipMine:
    return TipMine(
        id=tip.id, client_id=tip.client_id, category=tip.category,
        category_label=CATEGORY_LABELS.get(tip.category, tip.category), text=tip.text,
        anonymous=tip.anonymous, status=tip.status,
        status_label=STATUS_LABELS.get(tip.status, tip.status), public_note=tip.public_note,
        polsek=orgs.get(tip.org_id) if tip.org_id else None,
        kelurahan=regions.get(tip.region_id) if tip.region_id else None,
        has_photo=tip.photo_id is not None, created_at=tip.created_at,
        updated_at=tip.updated_at)


def tips_mine_out(session: Session, tips: Sequence[Tip]) -> list[TipMine]:
    """Tips as their citizen sees them."""
    orgs, regions = _names(session, tips)
    return [_mine(t, orgs, regions) for t in tips]


def tips_staff_out(session: Session, tips: Sequence[Tip]) -> list[TipStaffOut]:
    """Tips as the queue shows them; anonymous reporters stay hidden."""
    if not tips:
        return []
    orgs, regions = _names(session, tips)
    codes = {o.id: o.code for o in session.scalars(select(Organisation).where(
        Organisation.id.in_({t.org_id for t in tips if t.org_id})))}
    devices = {d.id: d for d in session.scalars(select(Device).where(
        Device.id.in_({t.device_id for t in tips if not t.anonymous})))}
    handlers = {u.id: u.full_name for u in session.scalars(select(User).where(
        User.id.in_({t.handled_by_id for t in tips if t.handled_by_id})))}
    follow = dict(session.execute(
        select(FollowUp.tip_id, func.count()).where(FollowUp.tip_id.in_([t.id for t in tips]))
        .group_by(FollowUp.tip_id)).tuples().all())
    out = []
    for tip in tips:
        device = None if tip.anonymous else devices.get(tip.device_id)
        out.append(TipStaffOut(
            **_mine(tip, orgs, regions).model_dump(),
            org_code=codes.get(tip.org_id) if tip.org_id else None, lat=tip.lat, lon=tip.lon,
            accuracy_m=tip.accuracy_m,
            photo_url=f"/api/v1/tips/{tip.id}/photo" if tip.photo_id else None,
            reporter_name=device.name if device else None,
            reporter_phone=device.phone if device else None,
            handled_by=handlers.get(tip.handled_by_id) if tip.handled_by_id else None,
            follow_ups=int(follow.get(tip.id, 0)),
        ))
    return out
