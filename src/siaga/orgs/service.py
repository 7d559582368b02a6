"""Organisations, their regions, and locating a point to its kelurahan and Polsek."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from siaga.errors import Invalid, NotFound
from siaga.geo import EARTH_RADIUS_M
from siaga.orgs.models import Organisation, Region
from siaga.orgs.spatial import APPROXIMATE_MIN_M, PolygonIndex

VILLAGE_LEVELS = ("kelurahan", "desa")


@dataclass(frozen=True)
class Location:
    region_id: int | None
    region_name: str | None
    org_id: int | None
    org_path: str
    distance_m: float | None
    # On a border, in a sliver, or a village known only by its centre: the nearest one.
    approximate: bool = False


def org_by_code(session: Session, *, code: str) -> Organisation:
    """The organisation with this code."""
    org = session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        raise NotFound(f"Satuan tidak ditemukan: {code}", field="org")
    return org


def create_org(
    session: Session,
    *,
    code: str,
    name: str,
    level: str,
    parent: Organisation | None,
    lat: float | None = None,
    lon: float | None = None,
    address: str | None = None,
) -> Organisation:
    """Add an organisation under its parent, keeping the materialised path."""
    if level not in ("polda", "polres", "polsek"):
        raise Invalid(f"Tingkat satuan tidak dikenal: {level}", field="level")
    path = (parent.path if parent else "/") + code + "/"
    org = Organisation(code=code, name=name, level=level, parent_id=parent.id if parent else None,
                       path=path, lat=lat, lon=lon, address=address)
    session.add(org)
    session.flush()
    return org


def outlines_in_scope(session: Session, *, scope: str) -> dict[str, object]:
    """Kelurahan/desa outlines routed to organisations under the scope, as GeoJSON."""
    kecamatan = aliased(Region)
    rows = session.execute(
        select(Region.id, Region.name, Region.boundary, kecamatan.name.label("kecamatan"),
               Organisation.code, Organisation.name.label("org_name"))
        .join(Organisation, Organisation.id == Region.org_id)
        .outerjoin(kecamatan, kecamatan.id == Region.parent_id)
        .where(Region.level.in_(VILLAGE_LEVELS)).where(Region.boundary.is_not(None))
        .where(Organisation.path.startswith(scope, autoescape=True))
        .order_by(Region.name)
    ).all()
    features = [{"type": "Feature", "geometry": json.loads(r.boundary), "properties": {
        "region_id": r.id, "name": r.name, "kecamatan": r.kecamatan, "org_code": r.code,
        "org_name": r.org_name}} for r in rows]
    return {"type": "FeatureCollection", "features": features}


def orgs_in_scope(session: Session, *, scope: str) -> list[Organisation]:
    """Every organisation under the scope path, top-down."""
    return list(session.scalars(
        select(Organisation).where(Organisation.path.startswith(scope, autoescape=True))
        .order_by(Organisation.path)
    ))


class _Locator:
    """Village lookup (polygons, then centres of villages without one), refreshed on change."""

    # How often a worker asks the database whether regions changed (another process, e.g. the
    # command line, may have imported boundaries or added a Polres); rebuilt only on change.
    TTL_S = 15.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded_at = -1e18
        self._signature: tuple[object, ...] | None = None
        self._lat = np.zeros(0)
        self._lon = np.zeros(0)
        self._rows: list[tuple[int, str, int | None, str]] = []
        self._centre_rows: list[int] = []
        self._polygons = PolygonIndex([])

    def invalidate(self) -> None:
        with self._lock:
            self._loaded_at = -1e18
            self._signature = None

    def _current_signature(self, session: Session) -> tuple[object, ...]:
        # Numeric columns only: cheap to read every few seconds. A re-imported polygon moves its
        # representative point (lat/lon), so it shows here too.
        row = session.execute(
            select(func.count(Region.id), func.sum(Region.org_id), func.max(Region.id),
                   func.count(Region.boundary), func.sum(Region.lat), func.sum(Region.lon))
            .where(Region.level.in_(VILLAGE_LEVELS))
        ).one()
        orgs = session.execute(select(func.count(Organisation.id), func.max(Organisation.id))).one()
        return (*tuple(row), *tuple(orgs))

    def _refresh(self, session: Session) -> None:
        signature = self._current_signature(session)
        self._loaded_at = time.monotonic()
        if signature == self._signature:
            return
        result = session.execute(
            select(Region.id, Region.name, Region.lat, Region.lon, Region.org_id, Organisation.path,
                   Region.boundary)
            .join(Organisation, Organisation.id == Region.org_id)
            .where(Region.level.in_(VILLAGE_LEVELS))
            .execution_options(yield_per=2000)
        )
        rows: list[tuple[int, str, int | None, str]] = []
        centre_rows: list[int] = []
        lats: list[float] = []
        lons: list[float] = []

        def polygons() -> Iterator[tuple[int, str]]:
            for r in result:
                index = len(rows)
                rows.append((r.id, r.name, r.org_id, r.path))
                if r.boundary:
                    yield index, r.boundary
                elif r.lat is not None and r.lon is not None:
                    centre_rows.append(index)
                    lats.append(r.lat)
                    lons.append(r.lon)

        self._polygons = PolygonIndex(polygons())
        self._rows, self._centre_rows = rows, centre_rows
        self._lat = np.radians(np.array(lats, dtype=float))
        self._lon = np.radians(np.array(lons, dtype=float))
        self._signature = signature

    def _nearest_centre(self, lat: float, lon: float) -> tuple[int, float] | None:
        if not self._centre_rows:
            return None
        la, lo = np.radians(lat), np.radians(lon)
        a = (np.sin((self._lat - la) / 2) ** 2
             + np.cos(la) * np.cos(self._lat) * np.sin((self._lon - lo) / 2) ** 2)
        i = int(np.argmin(a))
        distance = float(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(min(1.0, a[i]))))
        return self._centre_rows[i], distance

    def locate(self, session: Session, lat: float, lon: float) -> Location:
        with self._lock:
            if time.monotonic() - self._loaded_at > self.TTL_S:
                self._refresh(session)
            if not self._rows:
                return Location(None, None, None, "/", None)
            hit = self._polygons.locate(lat, lon)
            if hit is not None:
                region_id, name, org_id, path = self._rows[hit.key]
                return Location(region_id, name, org_id, path, hit.distance_m, hit.approximate)
            centre = self._nearest_centre(lat, lon)
            edge = self._polygons.nearest(lat, lon)
            if centre is not None and (edge is None or centre[1] < edge.distance_m):
                # A village known only by its centre: the nearest one, never exact.
                region_id, name, org_id, path = self._rows[centre[0]]
                return Location(region_id, name, org_id, path,
                                max(centre[1], APPROXIMATE_MIN_M), True)
            if edge is None:
                return Location(None, None, None, "/", None)
            # Farther than 1 km from every village of a bounded area: "di luar wilayah", but
            # the nearest command still receives it, so a real alarm is never left unseen.
            _, _, org_id, path = self._rows[edge.key]
            return Location(None, None, org_id, path, edge.distance_m, True)


_locator = _Locator()


def locate(session: Session, *, lat: float, lon: float) -> Location:
    """The village holding the point (or nearest, marked approximate) and its Polsek."""
    return _locator.locate(session, lat, lon)


def regions_changed() -> None:
    """Tell the locator and the label cache that regions or organisations changed."""
    _locator.invalidate()
    _labels.clear()


class _LabelCache:
    """Names of organisations and regions, which change rarely but are read on every alarm."""

    TTL_S = 300.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._orgs: dict[int, tuple[float, str, str]] = {}
        self._regions: dict[int, tuple[float, str]] = {}

    def org(self, session: Session, org_id: int) -> tuple[str, str] | None:
        hit = self._orgs.get(org_id)
        if hit is not None and time.monotonic() - hit[0] < self.TTL_S:
            return hit[1], hit[2]
        org = session.get(Organisation, org_id)
        if org is None:
            return None
        with self._lock:
            self._orgs[org_id] = (time.monotonic(), org.code, org.name)
        return org.code, org.name

    def region(self, session: Session, region_id: int) -> str | None:
        hit = self._regions.get(region_id)
        if hit is not None and time.monotonic() - hit[0] < self.TTL_S:
            return hit[1]
        region = session.get(Region, region_id)
        if region is None:
            return None
        with self._lock:
            self._regions[region_id] = (time.monotonic(), region.name)
        return region.name

    def clear(self) -> None:
        with self._lock:
            self._orgs.clear()
            self._regions.clear()


_labels = _LabelCache()


def org_label(session: Session, *, org_id: int | None) -> tuple[str, str] | None:
    """(code, name) of an organisation, cached for a few minutes."""
    return _labels.org(session, org_id) if org_id is not None else None


def region_label(session: Session, *, region_id: int | None) -> str | None:
    """A region's name, cached for a few minutes."""
    return _labels.region(session, region_id) if region_id is not None else None
