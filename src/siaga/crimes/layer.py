"""The hotspot map layer: forecast cells for the next shift or week, and the study's places."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.crimes.patterns import local_zone
from siaga.crimes.service import incident_points
from siaga.crimes.types import crime_types
from siaga.db import utcnow
from siaga.demo.places import MALANG_CRIME_PRONE
from siaga.geo import EARTH_RADIUS_M, slugify
from siaga.hotspots.predict import CellRisk, predict_cells
from siaga.orgs.models import Organisation

Horizon = Literal["shift", "week"]
# Duty shifts in local time: pagi 06-14, siang 14-22, malam 22-06.
SHIFT_STARTS = (time(6), time(14), time(22))
SHIFT_NAMES = ("pagi", "siang", "malam")
SHIFT_HOURS = 8
# The shift forecast mixes all-hours risk with risk from incidents in the shift's hours only;
# one type's few incidents per shift are too sparse to stand alone.
SHIFT_MIX = 0.5
CELL_M = 150.0


@dataclass(frozen=True)
class Shift:
    name: str
    start: datetime
    end: datetime

    def hours(self) -> set[int]:
        """Local hours of day the shift covers."""
        first = self.start.astimezone(local_zone()).hour
        return {(first + i) % 24 for i in range(SHIFT_HOURS)}


def shift_at(when: datetime) -> Shift:
    """The duty shift that contains `when` (aware)."""
    local = when.astimezone(local_zone())
    for i in reversed(range(len(SHIFT_STARTS))):
        start = datetime.combine(local.date(), SHIFT_STARTS[i], tzinfo=local.tzinfo)
        if local >= start:
            return Shift(SHIFT_NAMES[i], start, start + timedelta(hours=SHIFT_HOURS))
    start = datetime.combine(local.date() - timedelta(days=1), SHIFT_STARTS[-1],
                             tzinfo=local.tzinfo)
    return Shift(SHIFT_NAMES[-1], start, start + timedelta(hours=SHIFT_HOURS))


def _normalised(cells: list[CellRisk]) -> dict[tuple[float, float], float]:
    top = max((c.score for c in cells), default=0.0)
    return {(c.lat, c.lon): (c.score / top if top > 0 else 0.0) for c in cells}


def _on_lattice(cells: list[CellRisk], other: list[CellRisk]) -> dict[tuple[float, float], float]:
    """`other`'s relative risks moved onto the nearest cell of `cells`.

    A forecast from a subset of events centres its grid elsewhere, so its cells are matched to
    the full forecast's lattice by rounding their offsets to whole cells.
    """
    if not cells:
        return {}
    lat0, lon0 = cells[0].lat, cells[0].lon
    k_lat = math.radians(1.0) * EARTH_RADIUS_M
    k_lon = k_lat * math.cos(math.radians(lat0))

    def node(lat: float, lon: float) -> tuple[int, int]:
        return (round((lon - lon0) * k_lon / CELL_M), round((lat - lat0) * k_lat / CELL_M))

    keys = {node(c.lat, c.lon): (c.lat, c.lon) for c in cells}
    out: dict[tuple[float, float], float] = {}
    for key, value in _normalised(other).items():
        target = keys.get(node(*key))
        if target is not None:
            out[target] = max(out.get(target, 0.0), value)
    return out


def forecast_cells(
    session: Session, *, scope: str, crime_type: str | None, horizon: Horizon,
    at: datetime | None = None, limit: int = 50,
) -> tuple[list[tuple[CellRisk, float]], Shift | None, int]:
    """Top cells with a 0..1 relative risk, the shift (for that horizon), and events used."""
    at = at or utcnow()
    points = incident_points(session, scope=scope, crime_type=crime_type)
    points = [p for p in points if p[0] < at]
    if not points:
        return [], shift_at(at) if horizon == "shift" else None, 0
    cells = predict_cells(events=points, at=at, cell_m=CELL_M)
    risk = _normalised(cells)
    shift = None
    if horizon == "shift":
        shift = shift_at(at)
        zone, hours = local_zone(), shift.hours()
        in_shift = [p for p in points if p[0].astimezone(zone).hour in hours]
        if in_shift:
            shift_risk = _on_lattice(cells, predict_cells(events=in_shift, at=at, cell_m=CELL_M))
            mixed = {k: (1 - SHIFT_MIX) * v + SHIFT_MIX * shift_risk.get(k, 0.0)
                     for k, v in risk.items()}
            # The two maps may peak in different cells; the riskiest cell of the mix reads 1.
            top = max(mixed.values(), default=0.0)
            risk = {k: (v / top if top > 0 else 0.0) for k, v in mixed.items()}
    ranked = sorted(cells, key=lambda c: (-risk[(c.lat, c.lon)], c.lat, c.lon))[:limit]
    return [(c, round(risk[(c.lat, c.lon)], 4)) for c in ranked], shift, len(points)


def _square(lat: float, lon: float, size_m: float) -> list[list[float]]:
    half_lat = math.degrees(size_m / 2 / EARTH_RADIUS_M)
    half_lon = half_lat / max(1e-6, math.cos(math.radians(lat)))
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]
    return [[round(lon + dx * half_lon, 6), round(lat + dy * half_lat, 6)] for dx, dy in corners]


def hotspot_geojson(
    session: Session, *, scope: str, crime_type: str | None, horizon: Horizon,
    at: datetime | None = None, limit: int = 50,
) -> dict[str, Any]:
    """The forecast as a GeoJSON FeatureCollection of square cells, riskiest first."""
    at = at or utcnow()
    ranked, shift, used = forecast_cells(session, scope=scope, crime_type=crime_type,
                                         horizon=horizon, at=at, limit=limit)
    features = [{
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [_square(c.lat, c.lon, c.size_m)]},
        "properties": {"rank": i + 1, "risk": r, "score": round(c.score, 6),
                       "lat": round(c.lat, 6), "lon": round(c.lon, 6), "size_m": c.size_m},
    } for i, (c, r) in enumerate(ranked)]
    start = shift.start if shift else at
    end = shift.end if shift else at + timedelta(days=7)
    labels = {c.code: c.label for c in crime_types()}
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "horizon": horizon, "crime_type": crime_type,
            "crime_label": labels.get(crime_type or "", "Semua jenis kejahatan"),
            "shift": shift.name if shift else None,
            "valid_from": start.isoformat(), "valid_until": end.isoformat(),
            "events_used": used, "cell_m": CELL_M, "generated_at": at.isoformat(),
        },
    }


def crime_prone_places(session: Session, *, scope: str) -> dict[str, Any]:
    """The Malang study's crime-prone places as labelled GeoJSON points, within the scope."""
    codes = {f"polsek-{slugify(name)}": name for name in MALANG_CRIME_PRONE}
    paths = dict(session.execute(select(Organisation.code, Organisation.path)
                                 .where(Organisation.code.in_(sorted(codes)))).tuples().all())
    features = []
    for code, polsek in codes.items():
        path = paths.get(code)
        if path is None or not path.startswith(scope):
            continue
        for name, lat, lon in MALANG_CRIME_PRONE[polsek]:
            features.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"name": name, "polsek": f"Polsek {polsek}", "org_code": code,
                               "source": "Studi Polres Malang Kota 2017",
                               "coords_approximate": True},
            })
    return {"type": "FeatureCollection", "features": features}
