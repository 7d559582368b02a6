"""Coverage: who visited where this week and month, and who and where nobody did."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import Forbidden, Invalid
from siaga.orgs.models import Organisation, Region
from siaga.orgs.service import org_by_code
from siaga.roster.bhabin import bhabins_by_region
from siaga.visits.models import Visit
from siaga.visits.periods import month_start, week_start
from siaga.visits.schemas import Coverage, CoverageRow, MapPoint

KELURAHAN_LEVELS = ("kelurahan", "desa")
MAP_DAYS = 31
MAP_LIMIT = 3000


def scope_for(session: Session, *, staff: Staff, org_code: str | None) -> str:
    """The organisation path a report covers: the staff member's, or a unit within it."""
    if not org_code:
        return staff.scope
    org = org_by_code(session, code=org_code)
    if not staff.sees(org.path):
        raise Forbidden("Satuan di luar wewenang Anda", field="org")
    return org.path


def report_org(session: Session, *, staff: Staff, org_code: str | None) -> Organisation:
    """The unit a report is about: the one named (within scope), else the staff member's own."""
    if org_code:
        org = org_by_code(session, code=org_code)
        if not staff.sees(org.path):
            raise Forbidden("Satuan di luar wewenang Anda", field="org")
        return org
    found = session.get(Organisation, staff.user.org_id) if staff.user.org_id else None
    if found is None:
        raise Invalid("Pilih satuan (org) untuk laporan", field="org")
    return found


def _place_key(v: Visit) -> str:
    name = (v.place_name or v.address or f"#{v.id}").strip().lower()
    return f"{v.region_id}|{v.place_type}|{name}"


def _days_since(now: datetime, last: datetime | None) -> int | None:
    return None if last is None else max(0, (now - last).days)


def coverage(session: Session, *, scope: str, now: datetime | None = None) -> Coverage:
    """Per kelurahan, RW and officer: visits this week and month, places, days since last."""
    now = now or utcnow()
    week, month = week_start(now), month_start(now)
    since = min(week, month)
    in_scope = Visit.org_path.startswith(scope, autoescape=True)
    regions = session.execute(
        select(Region, Organisation.name)
        .join(Organisation, Organisation.id == Region.org_id)
        .where(Region.level.in_(KELURAHAN_LEVELS))
        .where(Organisation.path.startswith(scope, autoescape=True))
        .order_by(Region.name)
    ).tuples().all()
    officers = session.execute(
        select(User, Organisation.path)
        .join(Organisation, Organisation.id == User.org_id)
        .where(User.role == "petugas").where(User.active.is_(True))
        .where(Organisation.path.startswith(scope, autoescape=True))
        .order_by(User.full_name)
    ).tuples().all()
    recent = session.scalars(select(Visit).where(in_scope).where(Visit.visited_at >= since)
                             .order_by(Visit.visited_at)).all()
    last_by_region = dict(session.execute(
        select(Visit.region_id, func.max(Visit.visited_at)).where(in_scope)
        .group_by(Visit.region_id)).tuples().all())
    last_by_officer = dict(session.execute(
        select(Visit.officer_id, func.max(Visit.visited_at)).where(in_scope)
        .group_by(Visit.officer_id)).tuples().all())
    last_by_rw: dict[tuple[int | None, str], datetime] = {
        (r, w or ""): t for r, w, t in session.execute(
            select(Visit.region_id, Visit.rw, func.max(Visit.visited_at)).where(in_scope)
            .where(Visit.rw.is_not(None)).group_by(Visit.region_id, Visit.rw)).tuples()}

    def tally(rows: list[Visit]) -> tuple[int, int, int]:
        week_n = sum(1 for v in rows if v.visited_at >= week)
        month_rows = [v for v in rows if v.visited_at >= month]
        return week_n, len(month_rows), len({_place_key(v) for v in month_rows})

    by_region: dict[int | None, list[Visit]] = defaultdict(list)
    by_officer: dict[int, list[Visit]] = defaultdict(list)
    by_rw: dict[tuple[int | None, str], list[Visit]] = defaultdict(list)
    for v in recent:
        by_region[v.region_id].append(v)
        by_officer[v.officer_id].append(v)
        if v.rw:
            by_rw[(v.region_id, v.rw)].append(v)
    # Each village's Bhabinkamtibmas: the roster's assignment (one officer, several villages).
    officer_names: dict[int | None, list[str]] = {
        region_id: [u.full_name for u in users] for region_id, users in
        bhabins_by_region(session, region_ids=[region.id for region, _ in regions]).items()}
    region_names: dict[int | None, str] = {region.id: region.name for region, _ in regions}

    kelurahan_rows = []
    for region, polsek in regions:
        w, m, p = tally(by_region.get(region.id, []))
        last = last_by_region.get(region.id)
        kelurahan_rows.append(CoverageRow(
            key=f"region-{region.id}", name=region.name, region_id=region.id, polsek=polsek,
            officers=officer_names.get(region.id, []), visits_week=w, visits_month=m,
            places_month=p, last_visit_at=last, days_since_last=_days_since(now, last),
            lat=region.lat, lon=region.lon))
    rw_keys = set(by_rw) | {k for k in last_by_rw if k[0] in region_names}
    rw_rows = []
    for region_id, rw in sorted(rw_keys, key=lambda k: (region_names.get(k[0]) or "",
                                                        k[1].zfill(3))):
        w, m, p = tally(by_rw.get((region_id, rw), []))
        last = last_by_rw.get((region_id, rw))
        rw_rows.append(CoverageRow(
            key=f"rw-{region_id}-{rw}", name=f"{region_names.get(region_id, '?')} RW {rw}",
            region_id=region_id, rw=rw, visits_week=w, visits_month=m, places_month=p,
            last_visit_at=last, days_since_last=_days_since(now, last)))
    officer_rows = []
    for user, _path in officers:
        w, m, p = tally(by_officer.get(user.id, []))
        last = last_by_officer.get(user.id)
        officer_rows.append(CoverageRow(
            key=f"user-{user.id}", name=user.full_name, region_id=user.region_id,
            polsek=None, officers=[user.username], visits_week=w, visits_month=m,
            places_month=p, last_visit_at=last, days_since_last=_days_since(now, last)))

    def gaps_first(row: CoverageRow) -> tuple[int, int, str]:
        return (row.visits_month, row.visits_week, row.name)

    map_since = now - timedelta(days=MAP_DAYS)
    officers_by_id = {u.id: u.full_name for u, _ in officers}
    points = session.scalars(
        select(Visit).where(in_scope).where(Visit.visited_at >= map_since)
        .where(Visit.lat.is_not(None)).order_by(Visit.visited_at.desc()).limit(MAP_LIMIT)
    ).all()
    missing = {v.officer_id for v in points} - set(officers_by_id)
    if missing:
        officers_by_id.update({u.id: u.full_name for u in session.scalars(
            select(User).where(User.id.in_(missing)))})
    return Coverage(
        scope=scope, week_start=week, month_start=month,
        kelurahan=sorted(kelurahan_rows, key=gaps_first), rw=rw_rows,
        officers=sorted(officer_rows, key=gaps_first),
        points=[MapPoint(id=v.id, lat=v.lat, lon=v.lon,
                         officer=officers_by_id.get(v.officer_id, ""),
                         place_type=v.place_type, place_name=v.place_name,
                         region_name=region_names.get(v.region_id) if v.region_id else None,
                         visited_at=v.visited_at, flagged=v.flagged) for v in points],
    )
