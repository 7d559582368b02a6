"""Citizens' satisfaction answers from /warga and their aggregation by Polres."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.db import utcnow
from siaga.devices.models import Device
from siaga.errors import Invalid, TooManyRequests
from siaga.orgs.models import Organisation
from siaga.orgs.service import locate
from siaga.ratelimit import RateLimiter
from siaga.scorecard.models import SurveyResponse, SurveyTally
from siaga.scorecard.periods import Period, local_month
from siaga.scorecard.schemas import CitizenSurveyIn, CitizenSurveyOut, PolresOption

RESPONSES_PER_IP_PER_MINUTE = 30
_limiter = RateLimiter(limit=RESPONSES_PER_IP_PER_MINUTE, window_s=60)


def polres_options(session: Session) -> list[PolresOption]:
    """Every Polres a citizen may rate."""
    rows = session.scalars(select(Organisation).where(Organisation.level == "polres")
                           .order_by(Organisation.name))
    return [PolresOption(code=o.code, name=o.name) for o in rows]


def _polres_of(session: Session, org_path: str) -> Organisation | None:
    parts = [p for p in org_path.split("/") if p]
    for code in parts:
        org = session.scalar(select(Organisation).where(Organisation.code == code))
        if org is not None and org.level == "polres":
            return org
    return None


def submit_survey(session: Session, *, data: CitizenSurveyIn, device: Device | None,
                  client_ip: str) -> CitizenSurveyOut:
    """Store a citizen's rating of a Polres; one answer per device, Polres and month."""
    if not _limiter.hit(client_ip):
        raise TooManyRequests("Terlalu banyak isian survei dari alamat ini. Coba lagi nanti.")
    if data.polres:
        org = session.scalar(select(Organisation).where(Organisation.code == data.polres))
        if org is None or org.level != "polres":
            raise Invalid("Polres tidak dikenal", field="polres")
    elif data.lat is not None and data.lon is not None:
        place = locate(session, lat=data.lat, lon=data.lon)
        found = _polres_of(session, place.org_path) if place.org_path else None
        if found is None:
            raise Invalid("Lokasi Anda di luar wilayah Polres yang terdaftar", field="lat")
        org = found
    else:
        raise Invalid("Pilih Polres atau kirim lokasi Anda", field="polres")
    comment = data.comment.strip() if data.comment else None
    replaced = False
    row: SurveyResponse | None = None
    if device is not None:
        year, month = local_month(utcnow())
        start, end = Period(year, month, month).bounds()
        row = session.scalar(select(SurveyResponse).where(
            SurveyResponse.device_id == device.id, SurveyResponse.org_id == org.id,
            SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end))
        replaced = row is not None
    if row is None:
        row = SurveyResponse(org_id=org.id, org_path=org.path,
                             device_id=device.id if device else None)
        session.add(row)
    row.rating, row.comment, row.submitted_at = data.rating, comment or None, utcnow()
    session.flush()
    audit(session, action="scorecard.citizen_survey." + ("update" if replaced else "create"),
          target=row, actor=None, device_id=device.id if device else None, org_path=org.path,
          detail={"rating": data.rating})
    return CitizenSurveyOut(id=row.id, polres_code=org.code, polres_name=org.name,
                            rating=row.rating, replaced=replaced)


def survey_counts(session: Session, *, scope: str, period: Period
                  ) -> dict[str, dict[str, int]]:
    """Answers per organisation path in scope: good/needs_improvement/poor, split by origin."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    start, end = period.bounds()
    for path, rating in session.execute(
        select(SurveyResponse.org_path, SurveyResponse.rating).where(
            SurveyResponse.org_path.startswith(scope, autoescape=True),
            SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end)
    ):
        key = {"baik": "good", "perlu_peningkatan": "needs_improvement"}.get(rating, "poor")
        counts[path][key] += 1
        counts[path]["from_citizens"] += 1
    for tally in session.scalars(select(SurveyTally).where(
        SurveyTally.org_path.startswith(scope, autoescape=True),
        SurveyTally.year == period.year, SurveyTally.month_from >= period.month_from,
        SurveyTally.month_to <= period.month_to)
    ):
        c = counts[tally.org_path]
        c["good"] += tally.good
        c["needs_improvement"] += tally.needs_improvement
        c["poor"] += tally.poor
        c["from_tallies"] += tally.good + tally.needs_improvement + tally.poor
    return {path: dict(c) for path, c in counts.items()}


def summary_by_polres(session: Session, *, scope: str, period: Period) -> list[dict[str, object]]:
    """Survey totals rolled up to each Polres in scope."""
    per_path = survey_counts(session, scope=scope, period=period)
    polres = {o.path: o for o in session.scalars(select(Organisation).where(
        Organisation.level == "polres"))}
    rolled: dict[str, dict[str, int]] = {}
    for path, c in per_path.items():
        owner = next((p for p in polres if path.startswith(p)), None)
        if owner is None:
            continue
        acc = rolled.setdefault(owner, defaultdict(int))
        for k, v in c.items():
            acc[k] += v
    rows: list[dict[str, object]] = []
    for path, c in sorted(rolled.items(), key=lambda kv: polres[kv[0]].name):
        total = c.get("good", 0) + c.get("needs_improvement", 0) + c.get("poor", 0)
        rows.append({"org_code": polres[path].code, "org_name": polres[path].name,
                     "good": c.get("good", 0), "needs_improvement": c.get("needs_improvement", 0),
                     "poor": c.get("poor", 0), "total": total,
                     "satisfaction_pct": round(100 * c.get("good", 0) / total, 1) if total
                     else None,
                     "from_citizens": c.get("from_citizens", 0),
                     "from_tallies": c.get("from_tallies", 0)})
    return rows

