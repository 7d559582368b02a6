"""Numbers, dates and times as Indonesian readers write them (Babel, locale "id", WIB)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

from siaga.config import get_settings

LOCALE = "id"
NO_DATA = "belum ada data"


def number(value: float | int | None, *, digits: int = 1, empty: str = "-") -> str:
    """10.9 -> "10,9", 12345 -> "12.345"; None -> `empty`."""
    if value is None:
        return empty
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def long_date(day: date | datetime) -> str:
    """2 Desember 2026 (a datetime is taken in WIB first)."""
    if isinstance(day, datetime):
        day = wib(day).date()
    return format_date(day, format="d MMMM y", locale=LOCALE)


def month_year(year: int, month: int) -> str:
    """Desember 2026."""
    return format_date(date(year, month, 1), format="MMMM y", locale=LOCALE)


def wib(moment: datetime) -> datetime:
    """The same instant in the deployment's local zone (Asia/Jakarta: WIB)."""
    return moment.astimezone(ZoneInfo(get_settings().timezone))


def date_time_wib(moment: datetime) -> str:
    """2 Desember 2026 pukul 14.05 WIB."""
    local = wib(moment)
    return f"{long_date(local.date())} pukul {local:%H.%M} WIB"


def duration(seconds: float | None) -> str:
    """6,5 detik; from two minutes on in minutes: 8 menit, 11,2 menit."""
    if seconds is None:
        return NO_DATA
    if seconds >= 120:
        return f"{number(seconds / 60)} menit"
    return f"{number(seconds)} detik"
