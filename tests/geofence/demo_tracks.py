"""The demo's patrol tracks: drawn by the demo's own generator (`siaga.demo.activity.patrols`)
with the demo's seed, and stored the way `siaga demo load` stores them (`store_fixes` with the
clock at the track's end)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from tests.conftest import login

Track = list[tuple[datetime, float, float, float]]
BOUNDARIES = Path(__file__).resolve().parents[2] / "src/siaga/demo/boundaries"


def demo_rng(code: str, domain: str) -> random.Random:
    """The generator `siaga demo load` draws this Polres's patrols from."""
    from siaga.demo.activity import DEMO_SEED

    return random.Random(f"{DEMO_SEED}/{code}/{domain}")


def office(client: Any, org: str) -> tuple[float, float]:
    """The Polsek's office, where the demo's cars start and end their patrols."""
    orgs = client.get("/api/v1/orgs", headers=login(client, "admin")).json()["items"]
    [found] = [o for o in orgs if o["code"] == org]
    return float(found["lat"]), float(found["lon"])


def patrol(rng: random.Random, *, start: tuple[float, float], stops: list[tuple[float, float]],
           begin: datetime, minutes: int) -> Track:
    from siaga.demo.activity.patrols import walk

    return walk(rng, start=start, stops=stops, begin=begin, end=begin + timedelta(minutes=minutes))


def record(unit: dict[str, Any], track: Track) -> None:
    """Store the track as the demo does (the same `store_fixes` the GPS intake uses)."""
    from siaga.db import get_database
    from siaga.demo.activity.patrols import _store
    from siaga.demo.activity.tenants import UnitRef

    ref = UnitRef(unit["id"], unit["callsign"], unit["kind"], 0, track[0][1], track[0][2],
                  unit["tracker_id"])
    with get_database().session() as session:
        assert _store(session, ref, track) == len(track)
        session.commit()


def kecamatan(file: str, name: str) -> BaseGeometry:
    """One kecamatan's outline, read straight from the Kemendagri boundary file."""
    features = json.loads((BOUNDARIES / file).read_text())["features"]
    return shapely.union_all([shape(f["geometry"]) for f in features
                              if f["properties"]["kecamatan"] == name])


def latest(track: Track, at: datetime, within: timedelta) -> tuple[datetime, float, float] | None:
    """The unit's newest fix at `at` no older than `within` (what the evaluator may use)."""
    seen = [(t, la, lo) for t, la, lo, _ in track if at - within < t <= at]
    return seen[-1] if seen else None


def ticks(begin: datetime, end: datetime, every_min: int = 3) -> list[datetime]:
    out, t = [], begin
    while t <= end:
        out.append(t)
        t += timedelta(minutes=every_min)
    return out
