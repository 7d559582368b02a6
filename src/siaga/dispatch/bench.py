"""`siaga bench recommend`: recommendation latency over synthetic units in a scratch database."""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from siaga.alarms.models import Alarm
from siaga.config import get_settings
from siaga.db import Database, utcnow
from siaga.devices.models import Device
from siaga.dispatch.recommend import recommend_units
from siaga.migrate import upgrade
from siaga.orgs.service import create_org
from siaga.stats import percentile
from siaga.units.models import UNIT_KINDS, Unit

CENTRE = (-7.9714, 112.6306)  # Polres Malang Kota
SPREAD_DEG = 0.06  # about 6.5 km either way: the whole city


def scratch_database(directory: Path) -> Database:
    """A migrated SQLite database in `directory`, separate from the configured one."""
    settings = get_settings().model_copy(update={
        "database_url": f"sqlite:///{directory / 'scratch.db'}", "data_dir": directory})
    database = Database(settings)
    upgrade(database.engine)
    return database


def run_recommend_bench(*, units: int, n: int, seed: int) -> dict[str, Any]:
    """Time `recommend_units` for n alarms among `units` placed units; p50/p99 in ms."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="siaga-bench-") as tmp:
        database = scratch_database(Path(tmp))
        try:
            with database.session() as session:
                polda = create_org(session, code="polda-bench", name="Polda Bench",
                                   level="polda", parent=None)
                polres = create_org(session, code="polres-bench", name="Polres Bench",
                                    level="polres", parent=polda, lat=CENTRE[0], lon=CENTRE[1])
                polseks = [create_org(session, code=f"polsek-bench-{i}", name=f"Polsek {i}",
                                      level="polsek", parent=polres,
                                      lat=CENTRE[0] + rng.uniform(-0.04, 0.04),
                                      lon=CENTRE[1] + rng.uniform(-0.04, 0.04))
                           for i in range(10)]
                now = utcnow()
                kinds = [k for k in UNIT_KINDS if k != "desk"]
                for i in range(units):
                    org = polseks[i % len(polseks)]
                    desk = i < len(polseks)
                    session.add(Unit(
                        callsign=f"B-{i:04d}", kind="desk" if desk else rng.choice(kinds),
                        status="available", org_id=org.id, org_path=org.path, crew=[],
                        lat=CENTRE[0] + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
                        lon=CENTRE[1] + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
                        position_at=now, status_changed_at=now, created_at=now))
                device = Device(public_id=str(uuid.uuid4()), phone="+620000", name="bench",
                                token_hash=uuid.uuid4().hex)
                session.add(device)
                session.flush()
                alarms = []
                for _ in range(20):
                    org = rng.choice(polseks)
                    alarms.append(Alarm(
                        client_id=str(uuid.uuid4()), device_id=device.id, status="open",
                        lat=CENTRE[0] + rng.uniform(-0.05, 0.05),
                        lon=CENTRE[1] + rng.uniform(-0.05, 0.05), org_id=org.id,
                        org_path=org.path, triggered_at=now, created_at=now, updated_at=now))
                session.add_all(alarms)
            timings: list[float] = []
            candidates = 0
            with database.session() as session:
                alarm_ids = [a.id for a in alarms]
                for i in range(n + 5):
                    alarm = session.get(Alarm, alarm_ids[i % len(alarm_ids)])
                    assert alarm is not None
                    start = time.perf_counter()
                    ranked = recommend_units(session, alarm=alarm, now=now)
                    elapsed = (time.perf_counter() - start) * 1000
                    if i >= 5:  # the first calls warm caches and compile statements
                        timings.append(elapsed)
                        candidates = len(ranked)
        finally:
            database.dispose()
    ordered = sorted(timings)
    return {"units": units, "returned": candidates, "n": len(timings),
            "p50_ms": round(percentile(ordered, 50), 3),
            "p99_ms": round(percentile(ordered, 99), 3),
            "mean_ms": round(sum(timings) / len(timings), 3)}
