"""Fetch-and-check helpers: what an admin may touch is their own organisation subtree."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.errors import NotFound
from siaga.orgs.models import Organisation, Region


def org_in_scope(session: Session, *, staff: Staff, code: str) -> Organisation:
    """The organisation with this code if it lies in the staff member's subtree."""
    org = session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None or not staff.sees(org.path):
        raise NotFound(f"Satuan tidak ditemukan: {code}", field="org")
    return org


def user_org_path(session: Session, user: User) -> str | None:
    """The organisation path of a staff account; None for an account above every organisation."""
    if user.org_id is None:
        return None
    org = session.get(Organisation, user.org_id)
    return org.path if org else None


def user_in_scope(session: Session, *, staff: Staff, user_id: int) -> User:
    """The account if the staff member may administer it (accounts without an org: national)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Pengguna tidak ditemukan", field="user_id")
    path = user_org_path(session, user)
    if path is None:
        if staff.scope != "/":
            raise NotFound("Pengguna tidak ditemukan", field="user_id")
    elif not staff.sees(path):
        raise NotFound("Pengguna tidak ditemukan", field="user_id")
    return user


def region_in_scope(session: Session, *, staff: Staff, region_id: int) -> Region:
    """A kelurahan/desa covered by an organisation in the staff member's subtree."""
    region = session.get(Region, region_id)
    org = session.get(Organisation, region.org_id) if region and region.org_id else None
    if region is None or org is None or not staff.sees(org.path):
        raise NotFound("Kelurahan/desa tidak ditemukan", field="region_id")
    return region


