"""Importing administrative regions from the `areaid` package."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.errors import NotFound
from siaga.orgs.models import Region


@dataclass
class KecamatanData:
    source_id: str
    name: str
    kelurahan: list[tuple[str, str, str | None]] = field(default_factory=list)


@dataclass
class KabupatenData:
    source_id: str
    name: str
    kecamatan: list[KecamatanData]


def read_kabupaten(*, province: str, kabupaten: str) -> KabupatenData:
    """One kabupaten/kota with its kecamatan and kelurahan, as the areaid package ships them."""
    from areaid import buka_data

    for prov in buka_data(province.lower()):
        for kab in prov["kabupaten"]:
            if str(kab["kab_kota"]).lower() == kabupaten.lower():
                return KabupatenData(
                    source_id=f"kab-{kab['id']}",
                    name=str(kab["kab_kota"]),
                    kecamatan=[
                        KecamatanData(
                            source_id=f"kec-{kec['id']}",
                            name=str(kec["kec"]),
                            kelurahan=[(f"kel-{k['id']}", str(k["kelu"]),
                                        str(k["pos"]) if k.get("pos") else None)
                                       for k in kec["kelurahan"]],
                        )
                        for kec in kab["kecamatan"]
                    ],
                )
    raise NotFound(f"{kabupaten} tidak ada di data areaid provinsi {province}")


def spread_around(lat: float, lon: float, index: int, count: int, radius_m: float
                  ) -> tuple[float, float]:
    """A stand-in position for a sub-region around its parent's centre (marked approximate)."""
    angle = 2 * math.pi * index / max(count, 1)
    ring = radius_m * (0.55 if index % 2 else 1.0)
    dlat = ring * math.cos(angle) / 111_320.0
    dlon = ring * math.sin(angle) / (111_320.0 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def upsert_region(
    session: Session, *, source_id: str, name: str, level: str, parent: Region | None,
    lat: float | None, lon: float | None, org_id: int | None, postal_code: str | None = None,
) -> Region:
    """Create or refresh a region by its areaid identifier."""
    region = session.scalar(select(Region).where(Region.source_id == source_id))
    if region is None:
        region = Region(source_id=source_id)
        session.add(region)
    region.name, region.level = name, level
    region.parent_id = parent.id if parent else None
    region.lat, region.lon, region.coords_approximate = lat, lon, True
    region.org_id, region.postal_code = org_id, postal_code
    session.flush()
    return region
