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
from siaga.errors import DomainError, Invalid

KNOT_KMH = 1.852
MPS_KMH = 3.6
_EPOCH_MS_FROM = 2**31  # Traccar's rule: a number below this is seconds, else milliseconds


class BadFix(DomainError):
    """A position message that cannot be read; trackers get 400 and a reason."""

    status_code = 400


class OutOfRange(Invalid):
    """A value that was read but is not finite or not possible; trackers get 422 naming it."""


# The possible range of each value once in Siaga's units.
LIMITS: dict[str, tuple[float, float]] = {
    "speed": (0.0, 1000.0), "bearing": (0.0, 360.0), "altitude": (-1000.0, 100_000.0),
    "accuracy": (0.0, 1_000_000.0), "battery": (0.0, 100.0),
}


@dataclass(slots=True)
class Heartbeat:
    """A tracker saying it is alive without a position (may still carry an SOS)."""

    tracker_id: str
    at: datetime
    source: str
    alarm: str | None = None


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
        raise OutOfRange(f"{field} harus berupa angka, bukan true/false", field=field)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise BadFix(f"{field} harus berupa angka", field=field) from exc
    if not math.isfinite(number):
        raise OutOfRange(f"{field} harus berupa angka terhingga", field=field)
    return number


def _in_range(value: float | None, kind: str, field: str) -> float | None:
    """The converted value, refused (422 naming the field) when it cannot be true."""
    if value is None:
        return None
    low, high = LIMITS[kind]
    if not math.isfinite(value) or not low <= value <= high:
        raise OutOfRange(f"{field} harus di antara {low:g} dan {high:g}", field=field)
    return value


def _has(value: Any) -> bool:
    return value is not None and value != ""


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
        raise OutOfRange("lat harus di antara -90 dan 90", field="lat")
    if not -180 <= lo <= 180:
        raise OutOfRange("lon harus di antara -180 dan 180", field="lon")
    return la, lo


def _tracker_id(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise BadFix("id perangkat (id atau deviceid) wajib diisi", field="id")
    if len(text) > 80:
        raise BadFix("id perangkat terlalu panjang", field="id")
    return text


def _alarm(value: Any) -> str | None:
    return str(value).strip()[:40] or None if value else None


def parse_osmand_fields(params: Mapping[str, Any]) -> Fix | Heartbeat:
    """Decode the OsmAnd query-string / form fields that Traccar Client sends."""
    tracker_id = _tracker_id(params.get("id") or params.get("deviceid"))
    lat, lon = params.get("lat"), params.get("lon")
    if not _has(lat) and not _has(lon) and not params.get("location"):
        return Heartbeat(tracker_id=tracker_id, at=parse_time(params.get("timestamp")),
                         source="osmand", alarm=_alarm(params.get("alarm")))
    if (lat is None or lon is None) and params.get("location"):
        parts = str(params["location"]).split(",")
        if len(parts) != 2:
            raise BadFix("location harus berbentuk lat,lon", field="location")
        lat, lon = parts
    la, lo = _coordinates(lat, lon)
    speed = _optional(params.get("speed"), "speed")
    return Fix(
        tracker_id=tracker_id, lat=la, lon=lo, at=parse_time(params.get("timestamp")),
        source="osmand",
        speed_kmh=_in_range(None if speed is None else round(speed * KNOT_KMH, 2), "speed",
                            "speed"),
        heading=_in_range(_optional(params.get("bearing", params.get("heading")), "bearing"),
                          "bearing", "bearing"),
        altitude=_in_range(_optional(params.get("altitude"), "altitude",
                                     negative_unknown=False), "altitude", "altitude"),
        accuracy_m=_in_range(_optional(params.get("accuracy"), "accuracy"), "accuracy",
                             "accuracy"),
        battery=_in_range(_optional(params.get("batt"), "batt"), "battery", "batt"),
        alarm=_alarm(params.get("alarm")),
    )


def parse_osmand_json(body: Any) -> Fix | Heartbeat:
    """Decode the JSON body of newer Traccar Client versions."""
    if not isinstance(body, dict):
        raise BadFix("Badan JSON harus berupa objek", field="body")
    tracker_id = _tracker_id(body.get("device_id") or body.get("id"))
    location = body.get("location")
    if isinstance(location, list) and location:
        location = location[-1]
    if location is None:
        location = {}
    if not isinstance(location, dict):
        raise BadFix("location wajib berupa objek", field="location")
    extras = location.get("extras")
    alarm = _alarm(location.get("alarm")) or _alarm(
        extras.get("alarm") if isinstance(extras, dict) else None) or _alarm(body.get("alarm"))
    coords = location.get("coords")
    if coords is None or (isinstance(coords, dict) and not _has(coords.get("latitude"))
                          and not _has(coords.get("longitude"))):
        return Heartbeat(tracker_id=tracker_id, at=parse_time(location.get("timestamp")),
                         source="osmand", alarm=alarm)
    if not isinstance(coords, dict):
        raise BadFix("location.coords wajib berupa objek", field="location.coords")
    la, lo = _coordinates(coords.get("latitude"), coords.get("longitude"))
    speed = _optional(coords.get("speed"), "speed")
    battery = location.get("battery")
    level = _optional(battery.get("level"), "battery.level") if isinstance(battery, dict) else None
    return Fix(
        tracker_id=tracker_id, lat=la, lon=lo,
        at=parse_time(location.get("timestamp")), source="osmand",
        speed_kmh=_in_range(None if speed is None else round(speed * MPS_KMH, 2), "speed",
                            "speed"),
        heading=_in_range(_optional(coords.get("heading"), "heading"), "bearing", "heading"),
        altitude=_in_range(_optional(coords.get("altitude"), "altitude",
                                     negative_unknown=False), "altitude", "altitude"),
        accuracy_m=_in_range(_optional(coords.get("accuracy"), "accuracy"), "accuracy",
                             "accuracy"),
        battery=_in_range(None if level is None else round(level * 100, 1), "battery",
                          "battery.level"),
        alarm=alarm,
    )


def is_owntracks_location(body: Any) -> bool:
    """Whether an OwnTracks message carries a position (others are accepted and ignored)."""
    return isinstance(body, dict) and body.get("_type") == "location"


def parse_owntracks(body: dict[str, Any], *, tracker_id: str, source: str) -> Fix:
    """Decode an OwnTracks `_type=location` message."""
    la, lo = _coordinates(body.get("lat"), body.get("lon"))
    return Fix(
        tracker_id=tracker_id, lat=la, lon=lo, at=parse_time(body.get("tst"), field="tst"),
        source=source, speed_kmh=_in_range(_optional(body.get("vel"), "vel"), "speed", "vel"),
        heading=_in_range(_optional(body.get("cog"), "cog"), "bearing", "cog"),
        altitude=_in_range(_optional(body.get("alt"), "alt", negative_unknown=False),
                           "altitude", "alt"),
        accuracy_m=_in_range(_optional(body.get("acc"), "acc"), "accuracy", "acc"),
        battery=_in_range(_optional(body.get("batt"), "batt"), "battery", "batt"),
    )
