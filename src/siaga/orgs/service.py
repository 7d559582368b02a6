"""Organisations, their regions, and locating a point to its kelurahan and Polsek."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.errors import Invalid, NotFound
from siaga.geo import EARTH_RADIUS_M
from siaga.orgs.models import Organisation, Region
from siaga.orgs.spatial import PolygonIndex


@dataclass(frozen=True)
class Location:
    region_id: int | None
    region_name: str | None
    org_id: int | None
    org_path: str
    distance_m: float | None


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


def orgs_in_scope(session: Session, *, scope: str) -> list[Organisation]:
    """Every organisation under the scope path, top-down."""
    return list(session.scalars(
        select(Organisation).where(Organisation.path.startswith(scope, autoescape=True))
        .order_by(Organisation.path)
    ))


class _Locator:
    """Nearest-kelurahan lookup over an in-memory array, refreshed when regions change."""

    TTL_S = 300.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded_at = -1e18
        self._lat = np.zeros(0)
        self._lon = np.zeros(0)
        self._rows: list[tuple[int, str, int | None, str]] = []
        self._polygons = PolygonIndex([])

    def invalidate(self) -> None:
        with self._lock:
            self._loaded_at = -1e18

    def _refresh(self, session: Session) -> None:
        rows = session.execute(
            select(Region.id, Region.name, Region.lat, Region.lon, Region.org_id, Organisation.path,
                   Region.boundary)
            .join(Organisation, Organisation.id == Region.org_id)
            .where(Region.level.in_(("kelurahan", "desa")))
            .where(Region.lat.is_not(None))
        ).all()
        self._lat = np.radians(np.array([r.lat for r in rows], dtype=float))
        self._lon = np.radians(np.array([r.lon for r in rows], dtype=float))
        self._rows = [(r.id, r.name, r.org_id, r.path) for r in rows]
        self._polygons = PolygonIndex([(i, r.boundary) for i, r in enumerate(rows) if r.boundary])
        self._loaded_at = time.monotonic()

    def locate(self, session: Session, lat: float, lon: float) -> Location:
        with self._lock:
            if time.monotonic() - self._loaded_at > self.TTL_S:
                self._refresh(session)
            if not self._rows:
                return Location(None, None, None, "/", None)
            hit = self._polygons.locate(lat, lon)
            if hit is not None:
                index, distance_m = hit
                region_id, name, org_id, path = self._rows[index]
                return Location(region_id, name, org_id, path, distance_m)
            la, lo = np.radians(lat), np.radians(lon)
            a = (np.sin((self._lat - la) / 2) ** 2
                 + np.cos(la) * np.cos(self._lat) * np.sin((self._lon - lo) / 2) ** 2)
            i = int(np.argmin(a))
            distance = float(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(min(1.0, a[i]))))
            region_id, name, org_id, path = self._rows[i]
            return Location(region_id, name, org_id, path, distance)


_locator = _Locator()


def locate(session: Session, *, lat: float, lon: float) -> Location:
    """The kelurahan whose centre is nearest, and the Polsek covering it."""
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
