"""`siaga demo load` fills a year of activity: run once by the CLI on a fresh SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

REPO = Path(__file__).resolve().parents[2]
# One demo load: about a minute and a half of CPU, more wall time on a busy shared machine.
pytestmark = pytest.mark.timeout(1200)
CODES = ("polres-malang-kota", "polres-tegal")


class Loaded:
    def __init__(self, env: dict[str, str], output: str, seconds: float) -> None:
        self.env, self.output, self.seconds = env, output, seconds

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "siaga.cli.main", *args], env=self.env,
                              cwd=REPO, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    tmp = tmp_path_factory.mktemp("demo-year")
    env = {**os.environ, "SIAGA_ENV": "development",
           "SIAGA_DATABASE_URL": f"sqlite:///{tmp / 'demo.db'}",
           "SIAGA_DATA_DIR": str(tmp / "data")}
    run = Loaded(env, "", 0.0)
    upgraded = run.cli("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    started = time.perf_counter()
    done = run.cli("demo", "load")
    run.seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-3000:]
    run.output = done.stdout
    print(done.stdout[-1500:], f"\nwall {run.seconds:.0f} s")  # shown with -s: the load time
    return run


@pytest.fixture(scope="module")
def demo_db(loaded: Loaded) -> Iterator[Any]:
    """A session factory on the loaded demo database (not the test session's database)."""
    from siaga.config import Settings
    from siaga.db import Database

    database = Database(Settings(database_url=loaded.env["SIAGA_DATABASE_URL"],
                                 data_dir=Path(loaded.env["SIAGA_DATA_DIR"])))
    yield database
    database.dispose()


def _last_month(today: date) -> tuple[int, int]:
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month


def _kpis(session: Any, code: str, year: int, month: int | None) -> list[dict[str, Any]]:
    from siaga.orgs.models import Organisation
    from siaga.scorecard.periods import Period
    from siaga.scorecard.service import build_scorecard

    org = session.scalar(select(Organisation).where(Organisation.code == code))
    period = Period(year, month, month) if month else Period(year)
    out = build_scorecard(session, org=org, period=period)
    return [k for p in out["perspectives"] for k in p["kpis"]]


def _today() -> date:
    from siaga.demo.activity import today_wib

    return today_wib()


def test_last_month_shows_a_value_for_most_kpis_of_each_polres(demo_db: Any) -> None:
    year, month = _last_month(_today())
    with demo_db.session() as session:
        for code in CODES:
            kpis = _kpis(session, code, year, month)
            assert len(kpis) == 16
            valued = [k["key"] for k in kpis if k["value"] is not None]
            assert len(valued) >= 12, (code, sorted({k["key"] for k in kpis} - set(valued)))
            # The operational figures come from the year's own records, not entered totals.
            for key in ("alarm_acknowledgement", "alarm_response", "visit_coverage",
                        "warnings_reviewed", "public_satisfaction"):
                assert key in valued, (code, key)


def test_trends_have_a_point_for_every_month_of_the_demo_year(demo_db: Any) -> None:
    today = _today()
    year, month = _last_month(today)
    first_full = today - timedelta(days=330)  # the year began 365 days ago; skip its edge
    months = [m for m in range(1, month + 1) if date(year, m, 28) >= first_full]
    assert months
    with demo_db.session() as session:
        for code in CODES:
            kpis = _kpis(session, code, year, month)
            full = [k["key"] for k in kpis
                    if all(p["value"] is not None for p in k["monthly"] if p["month"] in months)]
            assert len(full) >= 12, (code, full)
            alarms = next(k for k in kpis if k["key"] == "alarm_acknowledgement")
            values = {p["month"]: p["value"] for p in alarms["monthly"]}
            # Operators get faster over the year: a trend, not a flat line.
            assert values[months[-1]] < values[months[0]], values


def test_tegal_study_figures_stay_exact(demo_db: Any) -> None:
    with demo_db.session() as session:
        yearly = {(k["key"], y["year"]): y["value"]
                  for k in _kpis(session, "polres-tegal", 2023, None) for y in k["yearly"]}
    assert yearly[("brawls", 2021)] == 7
    assert yearly[("brawls", 2022)] == 30
    assert yearly[("prevention_activities", 2020)] == 120
    assert yearly[("prevention_activities", 2022)] == 97
    assert yearly[("coordination_meetings", 2021)] == 16
    assert yearly[("fgd_meetings", 2022)] == 1
    assert yearly[("personnel_fill", 2023)] == round(100 * 442 / 965, 1)
    assert yearly[("public_satisfaction", 2023)] == round(100 * 85 / 156, 1)


def test_the_year_holds_pranks_escalations_gaps_and_gps_tracks(demo_db: Any) -> None:
    from siaga.alarms.models import Alarm
    from siaga.devices.models import Device
    from siaga.schools.models import SchoolPatrol
    from siaga.units.models import Unit, UnitPosition

    with demo_db.session() as session:
        for code in CODES:
            scope = f"%/{code}/%"
            total = session.scalar(select(func.count()).select_from(Alarm)
                                   .where(Alarm.org_path.like(scope)))
            pranks = session.scalar(select(func.count()).select_from(Alarm).where(
                Alarm.org_path.like(scope), Alarm.outcome == "prank"))
            assert total and 200 <= total <= 5000, total
            assert pranks and 0.05 < pranks / total < 0.25, (pranks, total)
        assert session.scalar(select(func.count()).select_from(Device)
                              .where(Device.blocked.is_(True)))
        covered = session.scalar(select(func.count()).select_from(SchoolPatrol)
                                 .where(SchoolPatrol.status == "covered"))
        missed = session.scalar(select(func.count()).select_from(SchoolPatrol)
                                .where(SchoolPatrol.status == "missed"))
        assert covered and missed and covered > missed
        car = session.scalar(select(Unit).where(Unit.callsign == "R4-MAKOTA-1"))
        assert car is not None
        week_ago = _today() - timedelta(days=7)
        from siaga.demo.activity.clock import day_start

        points = session.scalar(select(func.count()).select_from(UnitPosition).where(
            UnitPosition.unit_id == car.id, UnitPosition.at >= day_start(week_ago)))
        assert points and points >= 100


def test_same_seed_gives_the_same_year(demo_db: Any) -> None:
    from siaga.alarms.models import Alarm
    from siaga.demo.activity import DEMO_SEED, plan_activity
    from siaga.visits.models import Visit

    today = _today()
    with demo_db.session() as session:
        first = plan_activity(session, seed=DEMO_SEED, today=today)
        again = plan_activity(session, seed=DEMO_SEED, today=today)
        other = plan_activity(session, seed=DEMO_SEED + 1, today=today)
        for code in CODES:
            assert first[code] == again[code]
            assert first[code].alarms != other[code].alarms
            # What was loaded is exactly that plan.
            loaded = session.scalars(select(Alarm.client_id).where(
                Alarm.org_path.like(f"%/{code}/%"))).all()
            assert set(loaded) >= {a.client_id for a in first[code].alarms}
            visits = set(session.scalars(select(Visit.client_id)).all())
            assert {v.client_id for v in first[code].visits} <= visits


def test_loading_again_adds_nothing(loaded: Loaded, demo_db: Any) -> None:
    from siaga.alarms.models import Alarm
    from siaga.visits.models import Visit

    def counts() -> tuple[int | None, int | None]:
        with demo_db.session() as session:
            return (session.scalar(select(func.count()).select_from(Alarm)),
                    session.scalar(select(func.count()).select_from(Visit)))

    before = counts()
    again = loaded.cli("demo", "load")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "sudah dimuat sebelumnya" in again.stdout
    assert counts() == before
    assert "alarm" in loaded.output and "kunjungan" in loaded.output


def test_every_patrol_unit_has_an_officer_who_can_log_in(loaded: Loaded, demo_db: Any) -> None:
    from siaga.auth.models import User
    from siaga.auth.security import verify_password
    from siaga.units.models import Unit

    with demo_db.session() as session:
        units = session.scalars(select(Unit).where(Unit.kind.in_(("car", "motorbike")))).all()
        assert len(units) >= 10
        for unit in units:
            [username] = unit.crew
            officer = session.scalar(select(User).where(User.username == username))
            assert officer is not None and officer.active and officer.role == "petugas", username
            assert unit.user_id == officer.id
            assert verify_password(officer.password_hash, "siaga-demo-2026")
    # The log-ins are printed with the others (and listed in the README).
    assert "patroli.r4-klojen" in loaded.output and "patroli.r2-klojen" in loaded.output
    readme = (REPO / "README.md").read_text()
    assert "patroli.r4-klojen" in readme
