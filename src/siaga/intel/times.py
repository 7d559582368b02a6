"""Resolving time expressions in posts ("besok jam 2", "pulang sekolah") to windows in WIB."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from siaga.intel import times_jv
from siaga.mediaintel.normalize import default_normalizer

WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
DEFAULT_DISMISSAL = "14:00"

_DAY_WORDS: dict[str, int | str] = {
    "besok": 1, "besuk": 1, "bsk": 1, "bsok": 1, "esok": 1, "lusa": 2, "hari ini": 0,
    "hr ini": 0, "hri ini": 0, "skrg": 0, "skrng": 0, "sekarang": 0, "nanti": 0, "ntar": 0,
    "ntr": 0, "entar": 0, "malam ini": 0, "mlm ini": 0, "malem ini": 0, "sore ini": 0,
    "senin": "senin", "selasa": "selasa", "slasa": "selasa", "rabu": "rabu", "kamis": "kamis",
    "jumat": "jumat", "jum at": "jumat", "jumaat": "jumat", "jmt": "jumat", "sabtu": "sabtu",
    "sbtu": "sabtu", "minggu": "minggu", "ahad": "minggu", "mingdep": 7,
    "minggu depan": 7,
}
# Days back from the posting day. A post that points into the past reports what happened (news,
# a grudge); its window stays in the past instead of being read as the next such day.
_PAST_WORDS: dict[str, int] = {
    "kemarin lusa": 2, "kemarin": 1, "kemaren": 1, "kmaren": 1, "kmarin": 1, "wingi": 1,
    "semalam": 1, "tadi malam": 1, "td malam": 1, "tadi": 0, "td": 0, "minggu lalu": 7,
    "minggu kemarin": 7, "mgg lalu": 7, "pekan lalu": 7, "seminggu lalu": 7,
    "minggu yang lalu": 7, "minggu yg lalu": 7,
}
_PERIODS: dict[str, tuple[int, int]] = {
    "subuh": (4, 6), "pagi": (6, 10), "siang": (11, 15), "sore": (15, 18), "malam": (18, 23),
    "malem": (18, 23), "mlm": (18, 23), "tengah malam": (23, 24), "dini hari": (1, 4),
}
_DISMISSAL_WORDS = ("pulang sekolah", "plg sekolah", "plg sklh", "pulang sklh", "plg skolah",
                    "pulang skolah", "pulsek", "bubaran sekolah", "bubar sekolah", "bubaran",
                    "pulang skul", "balik sekolah", "abis sekolah", "habis sekolah", "bel pulang",
                    "pas pulang", "jam pulang", "pulang skl")

_DAY_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(w) for w in _DAY_WORDS),
                                                key=len, reverse=True)) + r")\b")
_PAST_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(w) for w in _PAST_WORDS),
                                                 key=len, reverse=True)) + r")\b")
# "minggu lalu" is last week, not last Sunday, so Sunday is left out here.
_PAST_WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS[:6]) + r") (?:kemarin|lalu)\b")
_PERIOD_RE = re.compile(r"\b(" + "|".join(sorted(_PERIODS, key=len, reverse=True)) + r")\b")
_DISMISSAL_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _DISMISSAL_WORDS) + r")\b")
# A word with a letter in it, except a clock written without a space ("jam2", "pkl14").
_WORD_RE = re.compile(r"\b(?!(?:jam|jm|pukul|pkl|pk)\d)[a-z0-9]*[a-z][a-z0-9]*\b")
_CLOCK_RE = re.compile(
    r"\b(?:(?:jam|jm|pukul|pkl|pk)\s*(\d{1,2})(?:\s*[.:]\s*(\d{2}))?(?!\d)"
    r"|(\d{1,2})[.:](\d{2})(?![\d.:]))"
)


@lru_cache(maxsize=4)
def zone(name: str = "Asia/Jakarta") -> tzinfo:
    """The local zone; WIB is UTC+7 all year, which is the fallback without a zone database."""
    try:
        return ZoneInfo(name)
    except Exception:
        return timezone(timedelta(hours=7), "WIB")


@dataclass(frozen=True)
class TimeWindow:
    text: str
    start: datetime
    end: datetime

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _clean(text: str) -> str:
    """Lower-case text with each word in its standard spelling ("b3s0k" and "besoook" are
    "besok"); digits, dots and colons stay as written so clock times survive."""
    normalizer = default_normalizer()
    text = text.lower().replace("’", "'")
    text = re.sub(r"jum'?at", "jumat", times_jv.before_words(text))
    text = _WORD_RE.sub(lambda m: normalizer.word(m.group(0)), text)
    return times_jv.rewrite(re.sub(r"\s+", " ", text))


def resolve_times(text: str, *, posted_at: datetime,
                  dismissal_times: dict[str, str] | None = None,
                  tz: tzinfo | None = None) -> list[TimeWindow]:
    """Time windows the text points at, relative to when it was posted, in local time.

    ``dismissal_times`` are the "HH:MM" dismissal times (per weekday or "default") of the school
    the post names, for "pulang sekolah"; without them the usual 14:00 is assumed.
    """
    tz = tz or zone()
    local = posted_at.astimezone(tz)
    clean = _clean(text)
    past_match = _PAST_WEEKDAY_RE.search(clean) or _PAST_RE.search(clean)
    future_match = next((m for m in _DAY_RE.finditer(clean)
                         if past_match is None or not _inside(m, past_match)), None)
    if future_match is not None:
        past_match = None  # "kemarin kalian lari, besok jam 2 kita tunggu": besok counts
    day_match = past_match or future_match
    period_match = _PERIOD_RE.search(clean)
    dismissal_match = _DISMISSAL_RE.search(clean)
    clocks = [m for m in _CLOCK_RE.finditer(clean) if _valid_clock(m)]
    if not (day_match or period_match or dismissal_match or clocks):
        return []
    day_offset = 0
    explicit_day = False
    weekday_named = False
    if past_match:
        day_offset = _days_back(past_match, local)
        explicit_day = True
    elif day_match:
        value = _DAY_WORDS[day_match.group(1)]
        if isinstance(value, int):
            day_offset = value
            explicit_day = value != 0
        else:
            day_offset = (WEEKDAYS.index(value) - local.weekday()) % 7
            explicit_day = day_offset != 0
            weekday_named = day_offset == 0
    fixed_day = explicit_day or weekday_named
    base = local.date() + timedelta(days=day_offset)
    period = _PERIODS[period_match.group(1)] if period_match else None
    if past_match and past_match.group(0) in ("semalam", "tadi malam", "td malam"):
        period = _PERIODS["malam"]
    words = [m.group(0) for m in (day_match, dismissal_match, period_match) if m]
    windows: list[TimeWindow] = []
    for clock in clocks:
        hour, minute = _clock_value(clock)
        hour = _with_period(hour, period)
        at = _at(base, hour, minute, tz)
        if period is None and hour < 12 and past_match is None and (
                at < local < at + timedelta(hours=12)):
            at += timedelta(hours=12)  # "jam 8" read at ten in the morning means 20:00
        while past_match is not None and at > local:
            at -= timedelta(hours=12)  # "tadi jam 2" read at ten in the morning was 02:00
        label = " ".join(_ordered([*words, clock.group(0)], clean))
        windows.append(_rolled(TimeWindow(label, at - timedelta(minutes=30),
                                          at + timedelta(minutes=90)), local, fixed_day))
    if not windows and dismissal_match:
        weekday = WEEKDAYS[base.weekday()]
        times = dismissal_times or {}
        hh, mm = (times.get(weekday) or times.get("default") or DEFAULT_DISMISSAL).split(":")
        at = _at(base, int(hh), int(mm), tz)
        label = " ".join(_ordered(words, clean)) + f" ({hh}:{mm} {weekday})"
        windows.append(_rolled(TimeWindow(label, at - timedelta(minutes=15),
                                          at + timedelta(minutes=90)), local, fixed_day))
    if not windows and period:
        start = _at(base, period[0], 0, tz)
        end = _at(base, period[1] - 1, 59, tz)
        windows.append(_rolled(TimeWindow(" ".join(_ordered(words, clean)), start, end), local,
                               fixed_day))
    if weekday_named:
        # "rabu jam 8" read on a Wednesday at ten means next Wednesday.
        week = timedelta(days=7)
        windows = [w if w.end >= local else TimeWindow(w.text, w.start + week, w.end + week)
                   for w in windows]
    if not windows and past_match:
        # "minggu lalu" is the whole of last week, "kemarin" the whole of yesterday, "tadi"
        # earlier today.
        start = _at(base, 0, 0, tz)
        last_day = base + timedelta(days=6 if day_offset <= -7 else 0)
        windows.append(TimeWindow(past_match.group(0), start, _at(last_day, 23, 59, tz)))
    if past_match:
        # What happened earlier cannot run on past the moment it was told.
        day = timedelta(days=1)
        windows = [TimeWindow(w.text, w.start, min(w.end, local)) if w.start <= local
                   else TimeWindow(w.text, w.start - day, min(w.end - day, local))
                   for w in windows]
    if not windows and day_match:
        start = _at(base, 6, 0, tz) if day_offset else local.replace(second=0, microsecond=0)
        end = _at(base, 23, 59, tz)
        windows.append(TimeWindow(day_match.group(0), start, max(end, start)))
    return windows


def _inside(inner: re.Match[str], outer: re.Match[str]) -> bool:
    return outer.start() <= inner.start() and inner.end() <= outer.end()


def _days_back(match: re.Match[str], local: datetime) -> int:
    """The (negative) day offset of a past reference such as "kemarin" or "sabtu lalu"."""
    word = match.group(1)
    if word in WEEKDAYS:
        return -((local.weekday() - WEEKDAYS.index(word)) % 7 or 7)
    back = _PAST_WORDS[word]
    if word in ("tadi malam", "td malam") and local.hour >= 18:
        back = 0  # "tadi malam" written late in the evening is this evening
    return -back


def _valid_clock(match: re.Match[str]) -> bool:
    hour, minute = _clock_value(match)
    return 0 <= hour <= 24 and 0 <= minute <= 59


def _clock_value(match: re.Match[str]) -> tuple[int, int]:
    if match.group(1) is not None:
        return int(match.group(1)), int(match.group(2) or 0)
    return int(match.group(3)), int(match.group(4))


def _with_period(hour: int, period: tuple[int, int] | None) -> int:
    night = period is not None and period[0] >= 18
    if hour == 12 and night:
        return 24  # "jam 12 malam" is midnight, not noon
    if hour >= 12:
        return hour % 24
    if night and 1 <= hour <= 5:
        return 24 + hour  # "jam 1 malam" is one o'clock after midnight
    if period is None:
        # Without "pagi" or "sore", "jam 2" in a student's post means 14:00, not 02:00.
        return hour + 12 if 1 <= hour <= 6 else hour
    if period[0] >= 11 and hour < 12 and (hour + 12) < 24 and (period[0] >= 15 or hour <= 5):
        return hour + 12
    return hour


def _at(day: date, hour: int, minute: int, tz: tzinfo) -> datetime:
    extra = timedelta(days=1) if hour >= 24 else timedelta(0)
    return datetime.combine(day, time(hour % 24, minute), tzinfo=tz) + extra


def _rolled(window: TimeWindow, local: datetime, explicit_day: bool) -> TimeWindow:
    """A time already past on the posting day, with no day named, means the next day."""
    if explicit_day or window.end >= local:
        return window
    one = timedelta(days=1)
    return TimeWindow(window.text, window.start + one, window.end + one)


def _ordered(parts: list[str], text: str) -> list[str]:
    unique = list(dict.fromkeys(parts))
    kept = [p for p in unique if not any(p != q and p in q for q in unique)]
    return sorted(kept, key=lambda p: text.find(p))
