"""Periods in WIB: a year with a month range, turned into UTC bounds for queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from siaga.config import get_settings
from siaga.errors import Invalid

MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def local_zone() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


@dataclass(frozen=True)
class Period:
    year: int
    month_from: int = 1
    month_to: int = 12

    @property
    def whole_year(self) -> bool:
        return self.month_from == 1 and self.month_to == 12

    @property
    def single_month(self) -> int | None:
        return self.month_from if self.month_from == self.month_to else None

    @property
    def label(self) -> str:
        if self.whole_year:
            return str(self.year)
        if self.single_month:
            return f"{MONTHS_ID[self.month_from - 1]} {self.year}"
        return f"{self.year} ({MONTHS_ID[self.month_from - 1]}-{MONTHS_ID[self.month_to - 1]})"

    @property
    def months(self) -> int:
        return self.month_to - self.month_from + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """Start (inclusive) and end (exclusive) in UTC of this period's local months."""
        zone = local_zone()
        start = datetime(self.year, self.month_from, 1, tzinfo=zone)
        end_year, end_month = (self.year + 1, 1) if self.month_to == 12 else (
            self.year, self.month_to + 1)
        end = datetime(end_year, end_month, 1, tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)


def check_period(year: int, month_from: int, month_to: int) -> Period:
    """A valid period or Invalid naming the bad field."""
    if not 2000 <= year <= 2100:
        raise Invalid("Tahun harus antara 2000 dan 2100", field="year")
    if not 1 <= month_from <= 12:
        raise Invalid("Bulan awal harus 1-12", field="month_from")
    if not 1 <= month_to <= 12:
        raise Invalid("Bulan akhir harus 1-12", field="month_to")
    if month_to < month_from:
        raise Invalid("Bulan akhir tidak boleh sebelum bulan awal", field="month_to")
    return Period(year, month_from, month_to)


def parse_month(text: str, *, field: str = "month") -> Period:
    """'2026-11' -> that month."""
    try:
        year_s, month_s = text.split("-")
        year, month = int(year_s), int(month_s)
    except ValueError:
        raise Invalid("Bulan harus berbentuk YYYY-MM, mis. 2026-11", field=field) from None
    if not 1 <= month <= 12:
        raise Invalid("Bulan harus berbentuk YYYY-MM, mis. 2026-11", field=field)
    return check_period(year, month, month)


def current_year() -> int:
    return datetime.now(local_zone()).year


def local_hour(value: datetime) -> int:
    return value.astimezone(local_zone()).hour


def local_month(value: datetime) -> tuple[int, int]:
    local = value.astimezone(local_zone())
    return local.year, local.month
