"""Query-string times that cannot overflow: extreme values are clamped to a supported range."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)


def clamp_query_time(value: datetime) -> datetime:
    """The time in UTC, clamped to 1900-2999 so `0001-01-01+14:00` or `9999-12-31-12:00` work."""
    if value.tzinfo is None:
        if value.year < EARLIEST.year:
            return EARLIEST.replace(tzinfo=None)
        if value.year > LATEST.year:
            return LATEST.replace(tzinfo=None)
        return value
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError:
        return EARLIEST if value.year < 5000 else LATEST
    return min(max(in_utc, EARLIEST), LATEST)


QueryTime = Annotated[datetime, AfterValidator(clamp_query_time)]
