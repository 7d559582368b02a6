"""Importing incidents from CSV files: `date,lat,lon,type` or NYC's `date_single,longitude,...`."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.crimes.models import CrimeIncident
from siaga.crimes.service import check_type, place_point
from siaga.crimes.types import normalise_type
from siaga.db import utcnow

_TIME_COLUMNS = ("date", "date_single", "occurred_at", "datetime")
_LAT_COLUMNS = ("lat", "latitude")
_LON_COLUMNS = ("lon", "lng", "longitude")
_TYPE_COLUMNS = ("type", "crime_type", "offense", "category")
_ID_COLUMNS = ("external_id", "id", "uid", "case_id")
_BATCH = 2000


@dataclass
class ImportResult:
    read: int = 0
    created: int = 0
    skipped_existing: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The summary the CLI prints."""
        return {"read": self.read, "created": self.created,
                "skipped_existing": self.skipped_existing, "rejected": self.rejected,
                "errors": self.errors[:20]}


def _pick(fields: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {f.strip().lower(): f for f in fields}
    return next((lowered[n] for n in names if n in lowered), None)


def _parse_time(text: str, zone: ZoneInfo) -> datetime:
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def import_csv(
    session: Session, *, path: Path, default_type: str | None = None, source_tag: str | None = None,
    timezone: str = "Asia/Jakarta",
) -> ImportResult:
    """Add the file's incidents; rows already imported (same external id) are skipped.

    The external id is the file's id column prefixed by `source_tag` (the file name by default),
    or, without an id column, a digest of the row's time, place and type.
    """
    if default_type is not None:
        check_type(default_type)
    zone = ZoneInfo(timezone)
    tag = source_tag or path.stem
    result = ImportResult()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        time_col = _pick(fields, _TIME_COLUMNS)
        lat_col = _pick(fields, _LAT_COLUMNS)
        lon_col = _pick(fields, _LON_COLUMNS)
        if time_col is None or lat_col is None or lon_col is None:
            raise ValueError(f"{path}: needs date (or date_single), lat/latitude and "
                             "lon/longitude columns")
        type_col = _pick(fields, _TYPE_COLUMNS)
        if type_col is None and default_type is None:
            raise ValueError(f"{path}: no type column; pass --type")
        id_col = _pick(fields, _ID_COLUMNS)
        loc_col = _pick(fields, ("location_type",))
        pending: list[CrimeIncident] = []
        for line, row in enumerate(reader, start=2):
            result.read += 1
            try:
                occurred = _parse_time(row[time_col], zone)
                lat, lon = float(row[lat_col]), float(row[lon_col])
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError("coordinates out of range")
                raw_type = (row.get(type_col) or "").strip() if type_col else ""
                crime_type = normalise_type(raw_type) if raw_type else default_type
                if crime_type is None:
                    raise ValueError(f"unknown crime type {raw_type!r}")
            except (ValueError, TypeError, KeyError) as exc:
                result.rejected += 1
                result.errors.append(f"line {line}: {exc}")
                continue
            if id_col and (row.get(id_col) or "").strip():
                external = f"{tag}:{row[id_col].strip()}"
            else:
                digest = hashlib.sha1(f"{occurred.isoformat()}|{lat:.6f}|{lon:.6f}|{crime_type}"
                                      .encode()).hexdigest()[:20]
                external = f"{tag}:{digest}"
            place = place_point(session, lat=lat, lon=lon)
            location_type = (row.get(loc_col) or "").strip()[:60] or None if loc_col else None
            pending.append(CrimeIncident(
                crime_type=crime_type, occurred_at=occurred, lat=lat, lon=lon,
                region_id=place.region_id, org_id=place.org_id, org_path=place.org_path,
                source="import", external_id=external[:120], location_type=location_type,
                created_at=utcnow(),
            ))
            if len(pending) >= _BATCH:
                _store(session, pending, result)
                pending = []
        _store(session, pending, result)
    audit(session, action="crime.import", target=None, actor=None,
          detail={"file": path.name, **{k: v for k, v in result.as_dict().items()
                                         if k != "errors"}})
    return result


def _store(session: Session, rows: list[CrimeIncident], result: ImportResult) -> None:
    if not rows:
        return
    ids = [r.external_id for r in rows]
    seen = set(session.scalars(select(CrimeIncident.external_id)
                               .where(CrimeIncident.external_id.in_(ids))))
    for row in rows:
        if row.external_id in seen:
            result.skipped_existing += 1
            continue
        seen.add(row.external_id)
        session.add(row)
        result.created += 1
    session.flush()
