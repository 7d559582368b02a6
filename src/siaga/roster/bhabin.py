"""Bhabinkamtibmas per kelurahan/desa: one officer may cover several villages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.admin.scope import region_in_scope, user_in_scope, user_org_path
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.errors import Invalid, NotFound
from siaga.orgs.models import Organisation, Region
from siaga.roster.models import BhabinAssignment

VILLAGE_LEVELS = ("kelurahan", "desa")


@dataclass(frozen=True)
class VillageOfficer:
    region: Region
    polsek: Organisation
    officer: User | None


def bhabin_for_region(session: Session, *, region_id: int) -> User | None:
    """The active Bhabinkamtibmas of a village: its assignment, else an officer whose home
    village it is (accounts made with a village before assignments existed)."""
    user = session.scalar(
        select(User).join(BhabinAssignment, BhabinAssignment.user_id == User.id)
        .where(BhabinAssignment.region_id == region_id).where(User.active.is_(True)))
    if user is not None:
        return user
    return session.scalar(select(User).where(User.region_id == region_id)
                          .where(User.role == "petugas").where(User.active.is_(True))
                          .order_by(User.id).limit(1))


def bhabins_by_region(session: Session, *, region_ids: list[int]) -> dict[int, list[User]]:
    """The Bhabinkamtibmas of each of these villages (assignment first, home village after)."""
    found: dict[int, list[User]] = {}
    if not region_ids:
        return found
    assigned = session.execute(
        select(BhabinAssignment.region_id, User)
        .join(User, User.id == BhabinAssignment.user_id)
        .where(BhabinAssignment.region_id.in_(region_ids)).where(User.active.is_(True))).all()
    for region_id, user in assigned:
        found[region_id] = [user]
    assigned_ids = set(found)
    homes = session.scalars(select(User).where(User.region_id.in_(region_ids))
                            .where(User.role == "petugas").where(User.active.is_(True))
                            .order_by(User.id)).all()
    for user in homes:
        if user.region_id is not None and user.region_id not in assigned_ids:
            found.setdefault(user.region_id, []).append(user)
    return found


def assign_bhabin(session: Session, *, staff: Staff, region_id: int, user_id: int
                  ) -> VillageOfficer:
    """Make this officer the Bhabinkamtibmas of this village (replacing any other), audited."""
    region = region_in_scope(session, staff=staff, region_id=region_id)
    if region.level not in VILLAGE_LEVELS:
        raise Invalid("Bhabinkamtibmas ditugaskan per kelurahan/desa", field="region_id")
    user = user_in_scope(session, staff=staff, user_id=user_id)
    polsek = session.get(Organisation, region.org_id)
    assert polsek is not None
    if user.role != "petugas" or not user.active:
        raise Invalid(f"{user.full_name} bukan petugas aktif", field="user_id")
    path = user_org_path(session, user)
    if path is None or not (polsek.path.startswith(path) or path.startswith(polsek.path)):
        raise Invalid(f"{user.full_name} bukan personel {polsek.name}", field="user_id")
    row = session.scalar(select(BhabinAssignment).where(BhabinAssignment.region_id == region.id))
    previous = row.user_id if row else None
    if row is None:
        row = BhabinAssignment(region_id=region.id, user_id=user.id)
        session.add(row)
    row.user_id = user.id
    session.flush()
    audit(session, action="bhabin.assign", target=region, actor=staff.user,
          org_path=polsek.path,
          detail={"region": region.name, "user": user.username, "previous_user_id": previous})
    return VillageOfficer(region, polsek, user)


def unassign_bhabin(session: Session, *, staff: Staff, region_id: int) -> None:
    """Remove a village's assignment, audited."""
    region = region_in_scope(session, staff=staff, region_id=region_id)
    row = session.scalar(select(BhabinAssignment).where(BhabinAssignment.region_id == region.id))
    if row is None:
        raise NotFound("Kelurahan/desa ini belum punya penugasan", field="region_id")
    polsek = session.get(Organisation, region.org_id)
    audit(session, action="bhabin.unassign", target=region, actor=staff.user,
          org_path=polsek.path if polsek else None,
          detail={"region": region.name, "user_id": row.user_id})
    session.delete(row)
    session.flush()


def village_officers(session: Session, *, staff: Staff, org: Organisation | None
                     ) -> list[VillageOfficer]:
    """Every village in scope (or under one organisation) with its Bhabinkamtibmas."""
    scope = org.path if org is not None else staff.scope
    rows = session.execute(
        select(Region, Organisation).join(Organisation, Organisation.id == Region.org_id)
        .where(Organisation.path.startswith(scope, autoescape=True))
        .where(Region.level.in_(VILLAGE_LEVELS))
        .order_by(Organisation.name, Region.name)).all()
    officers = bhabins_by_region(session, region_ids=[r.id for r, _ in rows])
    return [VillageOfficer(region, polsek, next(iter(officers.get(region.id, [])), None))
            for region, polsek in rows]
