"""Landmarks: named places posts use (a square, a stadium, a bridge), added by analysts for the
gazetteer."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.staff import Staff
from siaga.errors import Conflict, Invalid
from siaga.intel.entities import gazetteer_changed
from siaga.intel.models import Landmark
from siaga.intel.schemas import LandmarkIn
from siaga.orgs.models import Organisation
from siaga.orgs.service import locate

# A landmark farther than this from every kelurahan centre lies outside every tenant.
LANDMARK_MAX_M = 25_000.0


def create_landmark(session: Session, *, staff: Staff, data: LandmarkIn) -> Landmark:
    """A named place for the gazetteer, inside the analyst's area; names are unique."""
    org = None
    if data.org:
        org = session.scalar(select(Organisation).where(Organisation.code == data.org))
        # An unknown code and another area's code read alike: no probing for codes.
        if org is None or not staff.sees(org.path):
            raise Invalid(f"Satuan tidak ada di wilayah Anda: {data.org}", field="org")
    place = locate(session, lat=data.lat, lon=data.lon)
    if (place.region_id is None or (place.distance_m or 0.0) > LANDMARK_MAX_M
            or not staff.sees(place.org_path)):
        raise Invalid("Titik landmark di luar wilayah Anda", field="lat")
    taken = session.scalar(select(Landmark.id).where(
        func.lower(Landmark.name) == data.name.lower()).limit(1))
    if taken is not None:
        raise Conflict(f"Landmark bernama {data.name} sudah ada", field="name")
    landmark = Landmark(name=data.name, aliases=data.aliases, lat=data.lat, lon=data.lon,
                        coords_approximate=False, region_id=place.region_id,
                        org_id=org.id if org is not None else place.org_id)
    try:
        with session.begin_nested():
            session.add(landmark)
    except IntegrityError:
        # Another analyst saved the same name between the check and this write.
        raise Conflict(f"Landmark bernama {data.name} sudah ada", field="name") from None
    audit(session, action="intel.landmark.create", target=landmark, actor=staff.user,
          org_path=org.path if org is not None else place.org_path)
    gazetteer_changed()
    return landmark
