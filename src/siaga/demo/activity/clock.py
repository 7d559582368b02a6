"""The demo year's calendar: simulated time, WIB days, and when activity is busy or quiet.

The services stamp their rows with `siaga.db.utcnow()`; `at()` sets that clock to the moment a
simulated action happens, so every row, audit entry and event carries its own past time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from siaga.db import simulated_clock

WIB = ZoneInfo("Asia/Jakarta")
DAYS = 365

# Relative alarm volume per month: the Ramadan and Lebaran weeks (2026: 18 Feb - 20 Mar, mudik
# into late March), the new academic year in Malang (August-September: tens of thousands of
# students arrive in Lowokwaru's boarding houses) and the year-end holidays run above average.
MONTH_FACTOR = {1: 0.95, 2: 1.0, 3: 1.2, 4: 1.0, 5: 0.9, 6: 0.9, 7: 0.95, 8: 1.1, 9: 1.15,
                10: 1.0, 11: 0.95, 12: 1.1}
# Monday first; Friday and Saturday nights are the busiest.
WEEKDAY_FACTOR = (0.9, 0.9, 0.95, 0.95, 1.1, 1.25, 1.05)
# Alarms by hour of the day (WIB): quiet before dawn's end, a night peak from 19:00 to 02:00.
HOUR_WEIGHT = (1.6, 1.4, 1.0, 0.6, 0.5, 0.5, 0.6, 0.8, 0.9, 0.9, 1.0, 1.0,
               1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.4, 1.7, 1.9, 2.0, 2.0, 1.8)


def at(moment: datetime) -> AbstractContextManager[None]:
    """Run the services inside this block as if it were `moment`."""
    return simulated_clock(moment)


def demo_days(today: date, days: int = DAYS) -> list[date]:
    """The WIB calendar days of the demo year, oldest first, ending yesterday."""
    return [today - timedelta(days=n) for n in range(days, 0, -1)]


def wib(day: date, hour: int, minute: int = 0, second: float = 0.0) -> datetime:
    """A WIB wall-clock time on `day`, as UTC."""
    local = datetime.combine(day, time(hour, minute), tzinfo=WIB) + timedelta(seconds=second)
    return local.astimezone(UTC)


def day_start(day: date) -> datetime:
    return wib(day, 0)


def day_factor(day: date) -> float:
    """How busy a day is relative to an average one."""
    return MONTH_FACTOR[day.month] * WEEKDAY_FACTOR[day.weekday()]


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; means here are small)."""
    if mean <= 0:
        return 0
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def moment_in_day(rng: random.Random, day: date) -> datetime:
    """A time on `day` drawn from the hourly profile."""
    hour = rng.choices(range(24), weights=HOUR_WEIGHT)[0]
    return day_start(day) + timedelta(hours=hour, seconds=rng.uniform(0, 3600))


def progress(day: date, first: date, last: date) -> float:
    """0 on the first demo day, 1 on the last: the command gets better with practice."""
    span = max(1, (last - first).days)
    return min(1.0, max(0.0, (day - first).days / span))


def school_day(day: date) -> bool:
    """Monday to Saturday outside the school holidays (late June to mid July, late December)."""
    if day.weekday() == 6:
        return False
    if (day.month == 6 and day.day >= 22) or (day.month == 7 and day.day <= 12):
        return False
    return not (day.month == 12 and day.day >= 20) and not (day.month == 1 and day.day <= 3)


def months_of(days: list[date]) -> Iterator[tuple[int, int]]:
    """(year, month) of the demo's days, oldest first, each once."""
    seen: list[tuple[int, int]] = []
    for day in days:
        ym = (day.year, day.month)
        if ym not in seen:
            seen.append(ym)
            yield ym
