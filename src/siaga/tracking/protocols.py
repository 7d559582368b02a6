"""Decoding the position formats of the apps officers already carry.

- Traccar Client / OsmAnd: query string or form fields (`speed` in knots), or the JSON body of
  newer Traccar Client versions (`coords.speed` in metres per second, `battery.level` 0..1).
- OwnTracks: JSON `_type=location` over HTTP or MQTT (`vel` in km/h).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from siaga.db import utcnow
from siaga.errors import DomainError

KNOT_KMH = 1.852
MPS_KMH = 3.6
_EPOCH_MS_FROM = 2**31  # Traccar's rule: a number below this is seconds, else milliseconds


class BadFix(DomainError):
    """A position message that cannot be read; trackers get 400 and a reason."""

    status_code = 400


@dataclass(slots=True)
class Fix:
    """One position report, decoded and in Siaga's units (km/h, degrees, metres, percent)."""

    tracker_id: str
    lat: float
    lon: float
    at: datetime
    source: str
    speed_kmh: float | None = None
    heading: float | None = None
    altitude: float | None = None
    accuracy_m: float | None = None
    battery: float | None = None
    alarm: str | None = None
    # Set when the sender is already known (an officer's log-in), else found by tracker_id.
    unit_id: int | None = None


def parse_time(value: Any, *, field: str = "timestamp") -> datetime:
    """Epoch seconds, epoch milliseconds or ISO 8601 (a time without zone is taken as UTC)."""
    if value is None or value == "":
        return utcnow()
    if isinstance(value, bool):
        raise BadFix("Waktu tidak terbaca", field=field)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError as exc:
                raise BadFix("Waktu tidak terbaca: pakai detik/milidetik epoch atau ISO 8601",
                             field=field) from exc
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    if not math.isfinite(number) or number < 0:
        raise BadFix("Waktu tidak terbaca", field=field)
    if number >= _EPOCH_MS_FROM:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise BadFix("Waktu di luar jangkauan", field=field) from exc


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool):
        raise BadFix(f"{field} harus berupa angka", field=field)
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise BadFix(f"{field} harus berupa angka", field=field) from exc
    if not math.isfinite(number):
        raise BadFix(f"{field} harus berupa angka terhingga", field=field)
    return number


def _optional(value: Any, field: str, *, negative_unknown: bool = True) -> float | None:
    if value is None or value == "":
        return None
    number = _number(value, field)
    # Android reports -1 for "not available" in speed, bearing and accuracy.
    return None if negative_unknown and number < 0 else number


def _coordinates(lat: Any, lon: Any) -> tuple[float, float]:
    if lat is None or lat == "" or lon is None or lon == "":
        raise BadFix("lat dan lon wajib diisi", field="lat")
    la, lo = _number(lat, "lat"), _number(lon, "lon")
    if not -90 <= la <= 90:
        raise BadFix("lat harus di antara -90 dan 90", field="lat")
    if not -180 <= lo <= 180:
        raise BadFix("lon harus di antara -180 dan 180", field="lon")
    return la, lo


def _tracker_id(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise BadFix("id perangkat (id atau deviceid) wajib diisi", field="id")
    if len(text) > 80:
        raise BadFix("id perangkat terlalu panjang", field="id")
    return text


def parse_osmand_fields(params: Mapping[str, Any]) -> Fix:
    """Decode the OsmAnd query-string / form fields that Traccar Client sends."""
    tracker_id = _tracker_id(params.get("id") or params.get("deviceid"))
    lat, lon = params.get("lat"), params.get("lon")
    if (lat is None or lon is None) and params.get("location"):
        parts = str(params["location"]).split(",")
        if len(parts) != 2:
            raise BadFix("location harus berbentuk lat,lon", field="location")
        lat, lon = parts
    la, lo = _coordinates(lat, lon)
    speed = _optional(params.get("speed"), "speed")
    alarm = params.get("alarm")
    return Fix(
        tracker_id=tracker_id, lat=la, lon=lo, at=parse_time(params.get("timestamp")),
        source="osmand", speed_kmh=None if speed is None else round(speed * KNOT_KMH, 2),
        heading=_optional(params.get("bearing", params.get("heading")), "bearing"),
        altitude=_optional(params.get("altitude"), "altitude", negative_unknown=False),
        accuracy_m=_optional(params.get("accuracy"), "accuracy"),
        battery=_optional(params.get("batt"), "batt"),
        alarm=str(alarm)[:40] if alarm else None,
    )


def parse_osmand_json(body: Any) -> Fix:
    """Decode the JSON body of newer Traccar Client versions."""
    if not isinstance(body, dict):
        raise BadFix("Badan JSON harus berupa objek", field="body")
    location = body.get("location")
    if isinstance(location, list) and location:
        location = location[-1]
    if not isinstance(location, dict):
        raise BadFix("location wajib berupa objek", field="location")
    coords = location.get("coords")
    if not isinstance(coords, dict):
        raise BadFix("location.coords wajib berupa objek", field="location.coords")
    la, lo = _coordinates(coords.get("latitude"), coords.get("longitude"))
    speed = _optional(coords.get("speed"), "speed")
    battery = location.get("battery")
    level = _optional(battery.get("level"), "battery.level") if isinstance(battery, dict) else None
    extras = location.get("extras")
    alarm = extras.get("alarm") if isinstance(extras, dict) else None
    return Fix(
        tracker_id=_tracker_id(body.get("device_id") or body.get("id")), lat=la, lon=lo,
        at=parse_time(location.get("timestamp")), source="osmand",
        speed_kmh=None if speed is None else round(speed * MPS_KMH, 2),
        heading=_optional(coords.get("heading"), "heading"),
        altitude=_optional(coords.get("altitude"), "altitude", negative_unknown=False),
        accuracy_m=_optional(coords.get("accuracy"), "accuracy"),
        battery=None if level is None else round(level * 100, 1),
        alarm=str(alarm)[:40] if alarm else None,
    )


def is_owntracks_location(body: Any) -> bool:
    """Whether an OwnTracks message carries a position (others are accepted and ignored)."""
    return isinstance(body, dict) and body.get("_type") == "location"


def parse_owntracks(body: dict[str, Any], *, tracker_id: str, source: str) -> Fix:
    """Decode an OwnTracks `_type=location` message."""
    la, lo = _coordinates(body.get("lat"), body.get("lon"))
    return Fix(
        tracker_id=tracker_id, lat=la, lon=lo, at=parse_time(body.get("tst"), field="tst"),
        source=source, speed_kmh=_optional(body.get("vel"), "vel"),
        heading=_optional(body.get("cog"), "cog"),
        altitude=_optional(body.get("alt"), "alt", negative_unknown=False),
        accuracy_m=_optional(body.get("acc"), "acc"),
        battery=_optional(body.get("batt"), "batt"),
    )
