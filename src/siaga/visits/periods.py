"""Calendar periods in the command's own time zone (weeks start on Monday, WIB)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from siaga.config import get_settings
from siaga.errors import Invalid

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def zone() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def local_today(now: datetime) -> date:
    """The calendar date at `now` in the command's zone."""
    return now.astimezone(zone()).date()


def start_of_day(day: date) -> datetime:
    """Local midnight of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=zone())


def week_start(now: datetime) -> datetime:
    """Monday 00:00 local of the week holding `now`."""
    today = local_today(now)
    return start_of_day(today - timedelta(days=today.weekday()))


def month_start(now: datetime) -> datetime:
    """The first of the month 00:00 local holding `now`."""
    return start_of_day(local_today(now).replace(day=1))


def parse_iso_week(text: str) -> tuple[datetime, datetime]:
    """`2026-W47` -> [Monday 00:00, next Monday 00:00) local."""
    match = _ISO_WEEK.match(text.strip())
    if not match:
        raise Invalid("Minggu harus berbentuk TAHUN-Wnn, mis. 2026-W47", field="week")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError as exc:
        raise Invalid(f"Minggu tidak ada: {text}", field="week") from exc
    start = start_of_day(monday)
    return start, start_of_day(monday + timedelta(days=7))


def iso_week_of(now: datetime) -> str:
    """The ISO week label holding `now` locally."""
    year, week, _ = local_today(now).isocalendar()
    return f"{year}-W{week:02d}"
