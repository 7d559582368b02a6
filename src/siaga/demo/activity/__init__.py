"""A year of demo activity for both demo Polres, generated from a seed through the services.

`plan_activity` draws what happens (alarms, visits, tips, media posts and brawls) from the seed
alone, given the demo's geography and the day it runs; `load_activity` plays it, and the
patrols, GPS tracks, meetings, figures and surveys that follow, through the same service
functions users' requests call, with the clock set to each action's own time.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.db import utcnow
from siaga.demo.activity.alarms import (
    PROFILES,
    PlannedAlarm,
    first_client_id,
    plan_alarms,
    play_alarms,
)
from siaga.demo.activity.clock import WIB, at, day_start, demo_days
from siaga.demo.activity.intel import (
    MALANG_SCHOOLS,
    IntelPlan,
    demo_schools,
    plan_intel,
    play_intel,
)
from siaga.demo.activity.patrols import play_night_patrols, play_school_patrols
from siaga.demo.activity.scorecard import play_scorecard
from siaga.demo.activity.tenants import (
    MALANG,
    TEGAL,
    load_tenant,
    read_geography,
    register_citizens,
)
from siaga.demo.activity.tips import PlannedTip, plan_tips, play_tips
from siaga.demo.activity.visits import PlannedVisit, plan_visits, play_visits
from siaga.orgs.models import Organisation
from siaga.schools.models import School

DEMO_SEED = 2026
CODES = (MALANG, TEGAL)


@dataclass
class TenantPlan:
    alarms: list[PlannedAlarm]
    visits: list[PlannedVisit]
    tips: list[PlannedTip]
    intel: IntelPlan


@dataclass
class ActivitySummary:
    """What loading added, per Polres, and how long it took."""

    loaded: bool
    first_day: date | None = None
    last_day: date | None = None
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


class _Lap:
    """CPU seconds per step, kept in the summary (loading must stay well under 2 minutes; CPU
    time, because wall time on a shared machine says more about the neighbours)."""

    def __init__(self, into: dict[str, float], code: str) -> None:
        self.into, self.code, self.last = into, code, time.process_time()

    def __call__(self, step: str) -> None:
        now = time.process_time()
        self.into[f"{self.code}:{step}"] = round(now - self.last, 1)
        self.last = now


def _rng(seed: int, code: str, domain: str) -> random.Random:
    return random.Random(f"{seed}/{code}/{domain}")


def _school_names(session: Session, code: str, polseks: list[int]) -> list[str]:
    if code == MALANG:
        return [name for name, *_ in MALANG_SCHOOLS]
    return list(session.scalars(select(School.name).where(School.org_id.in_(polseks))
                                .order_by(School.id)))


def today_wib() -> date:
    return utcnow().astimezone(WIB).date()


def plan_activity(session: Session, *, seed: int = DEMO_SEED, today: date | None = None
                  ) -> dict[str, TenantPlan]:
    """What happens in the demo year, per Polres code: a function of the seed and the day."""
    days = demo_days(today or today_wib())
    plans: dict[str, TenantPlan] = {}
    for code in CODES:
        polres = session.scalar(select(Organisation).where(Organisation.code == code))
        if polres is None:
            continue
        polseks, places, units = read_geography(session, polres)
        plans[code] = TenantPlan(
            alarms=plan_alarms(_rng(seed, code, "alarms"), code=code, places=places,
                               units=units, days=days),
            visits=plan_visits(_rng(seed, code, "visits"), code=code, places=places, days=days),
            tips=plan_tips(_rng(seed, code, "tips"), code=code, places=places, days=days,
                           devices=PROFILES[code].devices),
            intel=plan_intel(_rng(seed, code, "intel"), code=code,
                             schools=_school_names(session, code, list(polseks)), days=days))
    return plans


def already_loaded(session: Session) -> bool:
    """Whether the demo year was loaded before (its first alarm exists)."""
    return session.scalar(select(Alarm.id).where(
        Alarm.client_id.in_([first_client_id(code) for code in CODES]))) is not None


def load_activity(session: Session, *, password_hash: str, seed: int = DEMO_SEED,
                  today: date | None = None) -> ActivitySummary:
    """Play the demo year up to yesterday; a second run adds nothing."""
    if already_loaded(session):
        return ActivitySummary(loaded=False)
    started, cpu = time.perf_counter(), time.process_time()
    today = today or today_wib()
    days = demo_days(today)
    until = min(utcnow(), day_start(today))
    summary = ActivitySummary(loaded=True, first_day=days[0], last_day=days[-1])
    with at(day_start(days[0])):
        tenants = {code: load_tenant(session, code=code, password_hash=password_hash)
                   for code in CODES}
        schools = {code: demo_schools(session, t) for code, t in tenants.items() if t}
    plans = plan_activity(session, seed=seed, today=today)
    for code, tenant in tenants.items():
        if tenant is None or code not in plans:
            continue
        plan = plans[code]
        counts: dict[str, Any] = {}
        lap = _Lap(summary.seconds, code)
        with at(day_start(days[0])):
            register_citizens(session, tenant, rng=_rng(seed, code, "citizens"),
                              count=PROFILES[code].devices)
        lap("citizens")
        counts.update(vars(play_alarms(session, tenant, plan.alarms)))
        lap("alarms")
        counts.update({f"visits_{k}": v for k, v in vars(
            play_visits(session, tenant, plan.visits, until=until)).items()})
        lap("visits")
        counts.update({f"tips_{k}": v for k, v in vars(
            play_tips(session, tenant, plan.tips, until=until)).items()})
        lap("tips")
        counts.update({f"intel_{k}": v for k, v in vars(play_intel(
            session, tenant, plan.intel, schools=schools[code], rng=_rng(seed, code, "brawls"),
            until=until)).items()})
        lap("intel")
        school = play_school_patrols(session, tenant, rng=_rng(seed, code, "patrols"),
                                     days=days, until=until)
        night = play_night_patrols(session, tenant, rng=_rng(seed, code, "nights"), days=days,
                                   until=until)
        counts.update(school_patrols=school.school_patrols, school_patrols_covered=school.covered,
                      night_shifts=night.night_shifts, gps_fixes=school.fixes + night.fixes)
        lap("patrols")
        counts.update(play_scorecard(session, tenant, rng=_rng(seed, code, "scorecard"),
                                     days=days, until=until))
        lap("scorecard")
        summary.counts[code] = counts
    session.flush()
    summary.seconds["total"] = round(time.perf_counter() - started, 1)
    summary.seconds["cpu_total"] = round(time.process_time() - cpu, 1)
    return summary


__all__ = ["DEMO_SEED", "ActivitySummary", "already_loaded", "load_activity", "plan_activity"]
