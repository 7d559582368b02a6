"""Javanese (Ngapak) and spoken-Indonesian time phrases rewritten into the forms ``times`` reads.

Words alone ("ngesuk", "mengko", "bengi", "senen") are mapped by the normaliser's Ngapak lexicon;
here are the phrases: clock numbers in words ("jam telu", "jam dua"), "setengah telu" (half past
two), prayer times ("bakda ashar" about 15:30), and "malem minggu" (the eve of Sunday, Saturday
night).
"""

from __future__ import annotations

import re

_NUMBERS: dict[str, int] = {
    # Javanese
    "siji": 1, "loro": 2, "telu": 3, "papat": 4, "lima": 5, "enem": 6, "nem": 6, "pitu": 7,
    "wolu": 8, "sanga": 9, "songo": 9, "sepuluh": 10, "sewelas": 11, "rolas": 12,
    # Indonesian
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sebelas": 11, "dua belas": 12,
}
_NUMBER = "|".join(sorted(_NUMBERS, key=len, reverse=True))
_CLOCK_WORD_RE = re.compile(r"\b(jam|jm|pukul|pkl) (" + _NUMBER + r")\b")
# "setengah telu" is half an hour before three.
_HALF_RE = re.compile(r"\b(?:(?:jam|jm|pukul|pkl) )?(?:setengah|stengah) (" + _NUMBER + r")\b")
_AFTER = r"(?:bakda|bakdo|bada|bakdal|habis|abis|bar|sehabis|selepas|setelah|sesudah)"
# Prayer: the clock time "after" it (bakda ...) and at it, in WIB around Tegal.
_PRAYERS: tuple[tuple[str, str, str], ...] = (
    (r"subuh|subu|shubuh", "subuh jam 5", "subuh jam 4.30"),
    (r"dzuhur|dhuhur|zuhur|zhuhur|duhur|dhuhr|luhur|lohor|dzuhr", "jam 13.00", "jam 12.00"),
    (r"ashar|asar|azhar|ashr|asharan", "jam 15.30", "jam 15.00"),
    (r"maghrib|magrib|mahrib|maghrip|magriban|maghriban", "jam 18.30", "jam 18.00"),
    (r"isya|isyak|isak|isha|isyaan", "jam 19.30", "jam 19.00"),
)
_PRAYER_RES = tuple(
    (re.compile(r"\b" + _AFTER + r" (?:sholat |shalat |salat |solat )?(?:" + words + r")\b"),
     re.compile(r"\b(?:sholat |shalat |salat |solat )?(?:" + words + r")\b(?! jam)"), after, at)
    for words, after, at in _PRAYERS
)
_DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
_EVE_RE = re.compile(r"\b(?:malam|malem|mlm) (" + "|".join(_DAYS) + r")\b(?! (?:malam|lalu))")
_RAW_RE = re.compile(r"\bba'?\s?da\b")


def before_words(text: str) -> str:
    """Spellings the word normaliser would split: "ba'da" is "bakda"."""
    return _RAW_RE.sub("bakda", text)


def rewrite(clean: str) -> str:
    """Javanese and spoken time phrases of normalised, lower-case text as digits and day names."""
    clean = re.sub(r"\bhari ini\b|\bdina ini\b", "hari ini", clean)
    clean = re.sub(r"\bmau malam\b", "tadi malam", clean)  # "mau bengi": last night
    clean = re.sub(r"\bawan\b", "siang", clean)
    clean = _HALF_RE.sub(lambda m: f"jam {(_NUMBERS[m.group(1)] - 1) or 12}.30", clean)
    clean = _CLOCK_WORD_RE.sub(lambda m: f"{m.group(1)} {_NUMBERS[m.group(2)]}", clean)
    for after_re, at_re, after, at in _PRAYER_RES:
        clean = after_re.sub(after, clean)
        clean = at_re.sub(at, clean)
    # "malam minggu" is the eve of Sunday: Saturday night; "malem jemuah" is Thursday night.
    return _EVE_RE.sub(lambda m: f"{_DAYS[_DAYS.index(m.group(1)) - 1]} malam", clean)
