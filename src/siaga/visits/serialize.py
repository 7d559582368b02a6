"""Turning visit rows into the shapes the API and pages use, in a few batched queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.auth.models import User
from siaga.orgs.models import Organisation, Region
from siaga.visits.followups import follow_up_out
from siaga.visits.models import FollowUp, Photo, Visit, VisitPhoto
from siaga.visits.schemas import FollowUpOut, PhotoOut, VisitOut


def visits_out(session: Session, visits: Sequence[Visit]) -> list[VisitOut]:
    """Visits with officer, kelurahan, photos and follow-ups resolved."""
    if not visits:
        return []
    ids = [v.id for v in visits]
    officers = {u.id: u.full_name for u in session.scalars(
        select(User).where(User.id.in_({v.officer_id for v in visits})))}
    regions = {r.id: r.name for r in session.scalars(
        select(Region).where(Region.id.in_({v.region_id for v in visits if v.region_id})))}
    orgs = {o.id: o.code for o in session.scalars(
        select(Organisation).where(Organisation.id.in_({v.org_id for v in visits if v.org_id})))}
    photos: dict[int, list[PhotoOut]] = defaultdict(list)
    for link, photo in session.execute(
        select(VisitPhoto, Photo).join(Photo, Photo.id == VisitPhoto.photo_id)
        .where(VisitPhoto.visit_id.in_(ids)).order_by(VisitPhoto.position)
    ).tuples():
        photos[link.visit_id].append(PhotoOut(
            id=photo.id, url=f"/api/v1/visits/{link.visit_id}/photos/{photo.id}",
            width=photo.width, height=photo.height, taken_at=photo.taken_at,
            exif_lat=photo.exif_lat, exif_lon=photo.exif_lon))
    follow_rows = session.scalars(select(FollowUp).where(FollowUp.visit_id.in_(ids))
                                  .order_by(FollowUp.id)).all()
    follow: dict[int, list[FollowUpOut]] = defaultdict(list)
    for out in follow_up_out(session, follow_rows):
        if out.visit_id is not None:
            follow[out.visit_id].append(out)
    return [
        VisitOut(
            id=v.id, client_id=v.client_id, officer_id=v.officer_id,
            officer_name=officers.get(v.officer_id, ""),
            org_code=orgs.get(v.org_id) if v.org_id else None, region_id=v.region_id,
            region_name=regions.get(v.region_id) if v.region_id else None, rw=v.rw, rt=v.rt,
            address=v.address, place_type=v.place_type, place_name=v.place_name,
            person_name=v.person_name, person_role=v.person_role,
            person_phone=v.person_phone, topics=list(v.topics or []), findings=v.findings,
            problems=v.problems, visited_at=v.visited_at, created_at=v.created_at, lat=v.lat,
            lon=v.lon, accuracy_m=v.accuracy_m, distance_m=v.distance_m,
            flags=list(v.flags or []), flagged=v.flagged, photos=photos.get(v.id, []),
            follow_ups=follow.get(v.id, []),
        )
        for v in visits
    ]
