"""Early warnings: warning posts that share schools or places and times, grouped into one
brawl in the making, published to the command center and judged by an analyst."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import NotFound
from siaga.events.service import record_event
from siaga.intel.analysis import Analysis
from siaga.intel.entities import PlaceEntry, SchoolEntry
from siaga.intel.models import EarlyWarning, MediaPost, WarningPost
from siaga.intel.times import WEEKDAYS, zone
from siaga.orgs.models import Organisation, Region
from siaga.schools.models import School

# Posts more than this far apart are about different brawls, whatever they name.
GROUP_GAP = timedelta(hours=48)
# Two time windows this close count as the same appointment ("jam 2" and "pulang sekolah").
WINDOW_SLACK = timedelta(hours=2)


def _overlaps(a_start: datetime | None, a_end: datetime | None, b_start: datetime | None,
              b_end: datetime | None) -> bool:
    if a_start is None or a_end is None or b_start is None or b_end is None:
        return True  # a post without a time does not contradict one with a time
    return a_start - WINDOW_SLACK <= b_end and b_start - WINDOW_SLACK <= a_end


def _window(analysis: Analysis) -> tuple[datetime | None, datetime | None]:
    if not analysis.times:
        return None, None
    return (min(t.start for t in analysis.times), max(t.end for t in analysis.times))


def find_group(session: Session, *, post: MediaPost, analysis: Analysis,
               scope: str = "/") -> EarlyWarning | None:
    """The open warning within `scope` (the sender's organisation) this post belongs to: a
    shared school or place, close in time."""
    schools = {s.name for s in analysis.schools}
    places = {p.name for p in analysis.places}
    if not schools and not places:
        return None
    start, end = _window(analysis)
    candidates = session.scalars(
        select(EarlyWarning)
        .where(EarlyWarning.status != "dismissed")
        .where(EarlyWarning.org_path.startswith(scope, autoescape=True))
        .where(EarlyWarning.last_post_at >= post.posted_at - GROUP_GAP)
        .where(EarlyWarning.first_post_at <= post.posted_at + GROUP_GAP)
        .order_by(EarlyWarning.last_post_at.desc())
    )
    for warning in candidates:
        shared = schools & set(warning.schools) or places & set(warning.places)
        if shared and _overlaps(start, end, warning.window_start, warning.window_end):
            return warning
    return None


def attach_post(session: Session, *, post: MediaPost, analysis: Analysis,
                scope: str = "/") -> EarlyWarning:
    """Add a warning post to its group within `scope`, or open a new warning; publishes."""
    warning = find_group(session, post=post, analysis=analysis, scope=scope)
    created = warning is None
    if warning is None:
        warning = EarlyWarning(status="open", stage="assembling", risk=0.0, schools=[],
                               school_ids=[], places=[], first_post_at=post.posted_at,
                               last_post_at=post.posted_at, post_count=0, reasons=[],
                               org_path=post.org_path, version=1)
        session.add(warning)
        session.flush()
    session.add(WarningPost(warning_id=warning.id, post_id=post.id))
    _merge(session, warning=warning, post=post, analysis=analysis)
    session.flush()
    publish_warning(session, warning=warning,
                    type="warning.created" if created else "warning.updated")
    return warning


def _merge(session: Session, *, warning: EarlyWarning, post: MediaPost,
           analysis: Analysis) -> None:
    warning.schools = list(dict.fromkeys([*warning.schools, *(s.name for s in analysis.schools)]))
    warning.school_ids = list(dict.fromkeys(
        [*warning.school_ids, *(s.id for s in analysis.schools if s.id is not None)]))
    warning.places = list(dict.fromkeys([*warning.places, *(p.name for p in analysis.places)]))
    start, end = _window(analysis)
    if start is not None and end is not None:
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        warning.window_start = min(start, warning.window_start or start)
        warning.window_end = max(end, warning.window_end or end)
    warning.first_post_at = min(warning.first_post_at, post.posted_at)
    warning.last_post_at = max(warning.last_post_at, post.posted_at)
    warning.post_count += 1
    # Independent posts pointing at the same brawl make it likelier than any one of them.
    warning.risk = round(min(1.0, 1 - (1 - warning.risk) * (1 - analysis.risk)), 4)
    if warning.lat is None:
        entries: list[PlaceEntry | SchoolEntry] = [*analysis.places, *analysis.schools]
        located = next((e for e in entries if e.lat is not None), None)
        if located is not None:
            warning.lat, warning.lon = located.lat, located.lon
            warning.org_id = located.org_id
            warning.org_path = _org_path(session, located.org_id) or warning.org_path
    in_window = (warning.window_start is not None and warning.window_end is not None
                 and warning.window_start <= warning.last_post_at <= warning.window_end)
    if analysis.gathering or in_window:
        warning.stage = "gathering"
    reasons = [r for r in analysis.reasons if not r.startswith("model:")]
    warning.reasons = list(dict.fromkeys([*warning.reasons, *reasons]))[:40]
    warning.suggested_action = suggest_action(session, warning=warning)
    warning.updated_at = utcnow()
    warning.version += 1


def _org_path(session: Session, org_id: int | None) -> str | None:
    if org_id is None:
        return None
    org = session.get(Organisation, org_id)
    return org.path if org else None


def suggest_action(session: Session, *, warning: EarlyWarning) -> str:
    """One sentence for the duty officer: where to patrol, when, and whom to alert."""
    where = warning.places[0] if warning.places else (
        f"sekitar {warning.schools[0]}" if warning.schools else "lokasi yang disebut")
    if warning.window_start is not None and warning.window_end is not None:
        start = warning.window_start.astimezone(zone())
        end = warning.window_end.astimezone(zone())
        when = (f"{WEEKDAYS[start.weekday()]} {start:%d/%m} pukul {start:%H:%M}-"
                f"{end:%H:%M} WIB")
    else:
        when = "secepatnya dan pada jam pulang sekolah"
    if warning.stage == "gathering":
        action = f"SEGERA kirim unit ke {where} untuk membubarkan kerumunan ({when})."
    else:
        action = f"Patroli ke {where} pada {when}."
    alerts: list[str] = []
    if warning.places:
        region = session.scalar(select(Region).where(Region.name == warning.places[0]).limit(1))
        if region is not None:
            officer = session.scalar(select(User).where(User.region_id == region.id,
                                                        User.role == "petugas").limit(1))
            alerts.append(f"Bhabinkamtibmas {region.name}"
                          + (f" ({officer.full_name})" if officer else ""))
    if not alerts:
        alerts.append("Bhabinkamtibmas setempat")
    for name in warning.schools:
        school = session.scalar(select(School).where(School.name == name))
        contact = school.contact if school is not None and school.contact else None
        alerts.append(f"pihak {name}" + (f" ({contact})" if contact else ""))
    return f"{action} Kabari {', '.join(alerts)}."


def warning_summary(warning: EarlyWarning) -> dict[str, Any]:
    """The wire form of a warning (events and lists)."""
    return {
        "id": warning.id, "status": warning.status, "stage": warning.stage,
        "risk": warning.risk, "schools": list(warning.schools), "places": list(warning.places),
        "lat": warning.lat, "lon": warning.lon,
        "window_start": warning.window_start.isoformat() if warning.window_start else None,
        "window_end": warning.window_end.isoformat() if warning.window_end else None,
        "first_post_at": warning.first_post_at.isoformat(),
        "last_post_at": warning.last_post_at.isoformat(),
        "post_count": warning.post_count, "reasons": list(warning.reasons),
        "suggested_action": warning.suggested_action, "org_path": warning.org_path,
        "version": warning.version,
        "verdict_at": warning.verdict_at.isoformat() if warning.verdict_at else None,
        "verdict_note": warning.verdict_note,
    }


def publish_warning(session: Session, *, warning: EarlyWarning, type: str) -> None:
    """Queue a warning event for the command-center map; it leaves after commit."""
    session.flush()
    record_event(session, type=type, org_path=warning.org_path,
                 payload={"warning": warning_summary(warning)})


def warning_for_staff(session: Session, *, staff: Staff, warning_id: int) -> EarlyWarning:
    """The warning if it lies within the staff member's organisation."""
    warning = session.get(EarlyWarning, warning_id)
    if warning is None or not staff.sees(warning.org_path):
        raise NotFound("Peringatan tidak ditemukan", field="id")
    return warning


def list_warnings(session: Session, *, staff: Staff, status: str | None, limit: int,
                  offset: int) -> tuple[list[EarlyWarning], int]:
    """Warnings in the staff member's scope, newest activity first."""
    query = select(EarlyWarning).where(
        EarlyWarning.org_path.startswith(staff.scope, autoescape=True))
    if status:
        query = query.where(EarlyWarning.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(EarlyWarning.last_post_at.desc(), EarlyWarning.id.desc())
                           .limit(limit).offset(offset))
    return list(rows), int(total)


def warning_posts(session: Session, *, warning: EarlyWarning) -> list[MediaPost]:
    """The evidence of a warning, oldest first."""
    return list(session.scalars(
        select(MediaPost).join(WarningPost, WarningPost.post_id == MediaPost.id)
        .where(WarningPost.warning_id == warning.id).order_by(MediaPost.posted_at, MediaPost.id)))


def judge_warning(session: Session, *, staff: Staff, warning_id: int, verdict: str,
                  note: str | None) -> EarlyWarning:
    """An analyst confirms or dismisses a warning; its posts become labelled training data."""
    warning = warning_for_staff(session, staff=staff, warning_id=warning_id)
    now = utcnow()
    warning.status = verdict
    warning.verdict_by_id = staff.user.id
    warning.verdict_at = now
    warning.verdict_note = note
    warning.updated_at = now
    warning.version += 1
    label = 1 if verdict == "confirmed" else 0
    for post in warning_posts(session, warning=warning):
        post.label = label
        post.labelled_at = now
    audit(session, action=f"warning.{'confirm' if label else 'dismiss'}", target=warning,
          actor=staff.user, org_path=warning.org_path, detail={"note": note})
    publish_warning(session, warning=warning, type="warning.updated")
    return warning


def labelled_posts(session: Session) -> list[tuple[str, int]]:
    """(text, label) of every post an analyst's verdict labelled."""
    return [(text, int(label or 0)) for text, label in session.execute(
        select(MediaPost.text, MediaPost.label).where(MediaPost.label.is_not(None))
        .order_by(MediaPost.id)).tuples()]
