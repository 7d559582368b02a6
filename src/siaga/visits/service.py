"""Visit intake with photo proof checks, listing and access: one action per write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.capabilities import can
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.errors import Conflict, Forbidden, Invalid, NotFound
from siaga.geo import haversine_m
from siaga.orgs.models import Organisation, Region
from siaga.orgs.service import locate
from siaga.visits.followups import open_follow_up
from siaga.visits.labels import FUNCTION_LABELS, PLACE_TYPE_LABELS, TOPIC_LABELS
from siaga.visits.models import Photo, Visit, VisitPhoto
from siaga.visits.photos import ImageFacts, PayloadTooLarge, hamming, inspect_image, store_photo
from siaga.visits.schemas import FormOptions, RegionOption, VisitIn

MAX_CLOCK_SKEW = timedelta(minutes=5)
PHOTO_TIME_TOLERANCE = timedelta(hours=24)
KELURAHAN_LEVELS = ("kelurahan", "desa")


def _visited_at(value: datetime | None) -> datetime:
    now = utcnow()
    if value is None:
        return now
    if value.tzinfo is None:
        raise Invalid("Waktu kunjungan harus menyertakan zona waktu", field="visited_at")
    if value > now + MAX_CLOCK_SKEW:
        raise Invalid("Waktu kunjungan berada di masa depan", field="visited_at")
    max_age = timedelta(days=get_settings().visit_max_age_days)
    if value < now - max_age:
        raise Invalid(f"Kunjungan lebih dari {max_age.days} hari yang lalu tidak bisa dikirim",
                      field="visited_at")
    return value


def _region(session: Session, *, staff: Staff, region_id: int) -> Region:
    region = session.get(Region, region_id)
    if region is None or region.level not in KELURAHAN_LEVELS:
        raise Invalid("Kelurahan tidak ditemukan", field="region_id")
    org = session.get(Organisation, region.org_id) if region.org_id else None
    if org is None or not staff.sees(org.path):
        raise Forbidden("Kelurahan di luar wilayah Anda", field="region_id")
    return region


def form_options(session: Session, *, staff: Staff) -> FormOptions:
    """Codes, labels and the kelurahan an officer may choose, for the offline form."""
    rows = session.execute(
        select(Region.id, Region.name, Organisation.name)
        .join(Organisation, Organisation.id == Region.org_id)
        .where(Region.level.in_(KELURAHAN_LEVELS))
        .where(Organisation.path.startswith(staff.scope, autoescape=True))
        .order_by(Region.name)
    ).all()
    settings = get_settings()
    return FormOptions(
        place_types=PLACE_TYPE_LABELS, topics=TOPIC_LABELS, functions=FUNCTION_LABELS,
        regions=[RegionOption(id=r[0], name=r[1], polsek=r[2]) for r in rows],
        default_region_id=staff.user.region_id,
        photo_max_bytes=settings.photo_max_bytes, photos_per_visit=settings.photos_per_visit,
    )


def inspect_photos(photos: Sequence[bytes]) -> list[ImageFacts]:
    """Check every upload before anything is written; refusals name the photo."""
    limit = get_settings().photos_per_visit
    if len(photos) > limit:
        raise PayloadTooLarge(f"Paling banyak {limit} foto per kunjungan", field="photos")
    return [inspect_image(data, field=f"photos.{i}") for i, data in enumerate(photos)]


def create_visit(
    session: Session, *, staff: Staff, data: VisitIn, photos: Sequence[bytes]
) -> tuple[Visit, bool]:
    """Store an officer's visit once per client id, with its photos, flags and follow-ups."""
    officer = staff.user
    existing = session.scalar(select(Visit).where(Visit.client_id == data.client_id))
    if existing is not None:
        return _same_officer(existing, officer), False
    facts = inspect_photos(photos)
    visited_at = _visited_at(data.visited_at)
    region: Region | None = None
    region_id = data.region_id or officer.region_id
    if region_id is not None:
        region = _region(session, staff=staff, region_id=region_id)
    elif data.lat is not None and data.lon is not None:
        found = locate(session, lat=data.lat, lon=data.lon).region_id
        region = session.get(Region, found) if found else None
    org = session.get(Organisation, officer.org_id) if officer.org_id else None
    if org is None and region is not None and region.org_id:
        org = session.get(Organisation, region.org_id)
    visit = Visit(
        client_id=data.client_id, officer_id=officer.id, org_id=org.id if org else None,
        org_path=org.path if org else staff.scope, region_id=region.id if region else None,
        rw=data.rw, rt=data.rt, address=data.address, place_type=data.place_type,
        place_name=data.place_name, person_name=data.person_name,
        person_role=data.person_role, person_phone=data.person_phone,
        topics=sorted(set(data.topics)), findings=data.findings, problems=data.problems,
        visited_at=visited_at, lat=data.lat, lon=data.lon, accuracy_m=data.accuracy_m,
        flags=[], flagged=False,
    )
    session.add(visit)
    try:
        session.flush()
    except IntegrityError:
        # The same client id raced in on another connection; that one won.
        session.rollback()
        winner = session.scalar(select(Visit).where(Visit.client_id == data.client_id))
        if winner is None:
            raise
        return _same_officer(winner, officer), False
    stored: list[Photo] = []
    for data_bytes, fact in zip(photos, facts, strict=True):
        photo = store_photo(session, data=data_bytes, facts=fact)
        if photo.id not in {p.id for p in stored}:
            session.add(VisitPhoto(visit_id=visit.id, photo_id=photo.id, position=len(stored)))
            stored.append(photo)
    session.flush()
    visit.flags = check_visit(session, visit=visit, officer=officer, photos=stored)
    visit.flagged = bool(visit.flags)
    for request in data.follow_ups:
        open_follow_up(session, actor=officer, visit=visit, tip=None, function=request.function,
                       description=request.description, due_date=request.due_date)
    audit(session, action="visit.create", target=visit, actor=officer, org_path=visit.org_path,
          detail={"client_id": visit.client_id, "photos": [p.sha256 for p in stored],
                  "flags": [f["code"] for f in visit.flags]})
    session.flush()
    return visit, True


def _same_officer(visit: Visit, officer: User) -> Visit:
    if visit.officer_id != officer.id:
        raise Conflict("client_id sudah dipakai petugas lain", field="client_id")
    return visit


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} km"


def check_visit(session: Session, *, visit: Visit, officer: User, photos: list[Photo]
                ) -> list[dict[str, object]]:
    """Reasons to look twice: far from the assigned kelurahan, or photos used before."""
    settings = get_settings()
    flags: list[dict[str, object]] = []
    home = session.get(Region, officer.region_id) if officer.region_id else None
    reference = home or (session.get(Region, visit.region_id) if visit.region_id else None)
    if home is not None and visit.region_id is not None and visit.region_id != home.id:
        flags.append({"code": "outside_area",
                      "msg": f"Kunjungan di luar kelurahan binaan ({home.name})"})
    if (reference is not None and reference.lat is not None and reference.lon is not None
            and visit.lat is not None and visit.lon is not None):
        visit.distance_m = round(haversine_m(visit.lat, visit.lon, reference.lat,
                                             reference.lon), 1)
        if visit.distance_m > settings.visit_far_m:
            flags.append({"code": "far_off", "distance_m": visit.distance_m,
                          "msg": f"Lokasi HP saat mengirim {_km(visit.distance_m)} dari "
                                 f"kelurahan {reference.name}"})
    if visit.lat is None or visit.lon is None:
        flags.append({"code": "no_location", "msg": "Tanpa lokasi HP"})
    if not photos:
        flags.append({"code": "no_photo", "msg": "Tanpa foto bukti"})
    for index, photo in enumerate(photos, start=1):
        flags.extend(_photo_flags(session, visit=visit, photo=photo, index=index,
                                  reference=reference))
    return flags


def _photo_flags(session: Session, *, visit: Visit, photo: Photo, index: int,
                 reference: Region | None) -> list[dict[str, object]]:
    settings = get_settings()
    flags: list[dict[str, object]] = []
    reused = dict(session.execute(
        select(VisitPhoto.visit_id, Visit.org_path).join(Visit, Visit.id == VisitPhoto.visit_id)
        .where(VisitPhoto.photo_id == photo.id).where(VisitPhoto.visit_id != visit.id)
    ).tuples().all())
    if reused:
        flags.append(_reuse_flag("photo_reused", index, visit, reused,
                                 f"Foto {index} sudah dipakai di"))
    similar = {
        visit_id: org_path
        for visit_id, org_path, other_hash in session.execute(
            select(VisitPhoto.visit_id, Visit.org_path, Photo.dhash)
            .join(Photo, Photo.id == VisitPhoto.photo_id)
            .join(Visit, Visit.id == VisitPhoto.visit_id)
            .where(VisitPhoto.visit_id != visit.id)
            .where(Photo.id != photo.id)
        ).tuples()
        if visit_id not in reused
        and hamming(photo.dhash, other_hash) <= settings.photo_dhash_max_distance
    }
    if similar:
        flags.append(_reuse_flag("photo_similar", index, visit, similar,
                                 f"Foto {index} hampir sama dengan foto"))
    if (photo.exif_lat is not None and photo.exif_lon is not None and reference is not None
            and reference.lat is not None and reference.lon is not None):
        distance = haversine_m(photo.exif_lat, photo.exif_lon, reference.lat, reference.lon)
        if distance > settings.visit_far_m:
            flags.append({"code": "photo_far", "photo": index, "distance_m": round(distance, 1),
                          "msg": f"Foto {index} diambil {_km(distance)} dari kelurahan "
                                 f"{reference.name}"})
    if photo.taken_at is not None and abs(photo.taken_at - visit.visited_at) > \
            PHOTO_TIME_TOLERANCE:
        flags.append({"code": "photo_time", "photo": index,
                      "taken_at": photo.taken_at.isoformat(),
                      "msg": f"Foto {index} diambil lebih dari sehari dari waktu kunjungan"})
    return flags


def _reuse_flag(code: str, index: int, visit: Visit, others: dict[int, str],
                lead: str) -> dict[str, object]:
    """A photo seen in other visits: those of this visit's organisation by number, those of
    other organisations only counted (their readers are not this visit's readers)."""
    own = sorted(v for v, path in others.items() if path.startswith(visit.org_path))
    elsewhere = len(others) - len(own)
    parts = [f"#{', #'.join(map(str, own))}"] if own else []
    if elsewhere:
        parts.append(f"{elsewhere} kunjungan satuan lain")
    return {"code": code, "photo": index, "visits": own, "elsewhere": elsewhere,
            "msg": f"{lead} kunjungan lain ({'; '.join(parts)})"}


def visit_query(staff: Staff, scope: str | None = None) -> Select[Visit]:
    """Visits this staff member may read: officers their own, others their organisation's."""
    query = select(Visit)
    if not can(staff.user.role, "visits.read_all_in_scope"):
        return query.where(Visit.officer_id == staff.user.id)
    return query.where(Visit.org_path.startswith(scope or staff.scope, autoescape=True))


def list_visits(
    session: Session, *, staff: Staff, scope: str | None, officer_id: int | None,
    region_id: int | None,
    flagged: bool | None, since: datetime | None, until: datetime | None, limit: int,
    offset: int,
) -> tuple[list[Visit], int]:
    """Visits in scope (or a unit within it), newest first."""
    query = visit_query(staff, scope)
    if officer_id is not None:
        query = query.where(Visit.officer_id == officer_id)
    if region_id is not None:
        query = query.where(Visit.region_id == region_id)
    if flagged is not None:
        query = query.where(Visit.flagged.is_(flagged))
    if since is not None:
        query = query.where(Visit.visited_at >= since)
    if until is not None:
        query = query.where(Visit.visited_at < until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Visit.visited_at.desc(), Visit.id.desc())
                           .limit(limit).offset(offset))
    return list(rows), int(total)


def visit_for_staff(session: Session, *, staff: Staff, visit_id: int) -> Visit:
    """The visit if this staff member may read it."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFound("Kunjungan tidak ditemukan", field="id")
    if not can(staff.user.role, "visits.read_all_in_scope"):
        if visit.officer_id != staff.user.id:
            raise NotFound("Kunjungan tidak ditemukan", field="id")
    elif not staff.sees(visit.org_path):
        raise NotFound("Kunjungan tidak ditemukan", field="id")
    return visit


def view_visit(session: Session, *, staff: Staff, visit_id: int) -> Visit:
    """Fetch a visit; reading someone else's (with the person's details) is audited."""
    visit = visit_for_staff(session, staff=staff, visit_id=visit_id)
    if visit.officer_id != staff.user.id:
        audit(session, action="visit.view", target=visit, actor=staff.user,
              org_path=visit.org_path)
    return visit


def visit_photo(session: Session, *, staff: Staff, visit_id: int, photo_id: int) -> Photo:
    """A photo of a visit this staff member may read."""
    visit = visit_for_staff(session, staff=staff, visit_id=visit_id)
    linked = session.scalar(select(VisitPhoto).where(VisitPhoto.visit_id == visit.id)
                            .where(VisitPhoto.photo_id == photo_id))
    photo = session.get(Photo, photo_id) if linked else None
    if photo is None:
        raise NotFound("Foto tidak ditemukan", field="photo_id")
    return photo
