"""Finding schools and places in post text: a gazetteer with generated alias spellings."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from siaga.demo import places as demo
from siaga.intel.models import Landmark
from siaga.orgs.models import Organisation, Region
from siaga.orgs.regions import read_kabupaten
from siaga.schools.models import School

_APOSTROPHES = re.compile(r"[’'`´‘]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")

# How students write the level of a school; public ("negeri") schools carry a number.
_LEVEL_SPELLINGS: dict[str, list[str]] = {
    "smkn": ["smkn", "smk n", "smk negeri", "smk neg", "smkneg", "smk", "stm", "stmn", "stm n",
             "stm negeri"],
    "sman": ["sman", "sma n", "sma negeri", "sma neg", "smun", "smu n", "smu negeri", "sma"],
    "smpn": ["smpn", "smp n", "smp negeri", "smp neg", "sltp n", "smp"],
    "smk": ["smk", "stm"],
    "sma": ["sma", "smu"],
    "smp": ["smp", "sltp"],
    "mts": ["mts", "mts n", "mtsn"],
    "ma": ["ma", "man"],
    "sd": ["sd", "sdn", "sd n"],
}
_NUMBERED_LEVEL = {"smk": "smkn", "sma": "sman", "smp": "smpn", "sd": "sd"}


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Place names that are also ordinary words ("bareng" = together, "pasangan" = partner) count only
# after a locative cue such as "di", "ke" or "desa".
COMMON_WORD_PLACES = _wordset("""
bareng pasangan kagok kupu pacul bedug pener setu jejeg depok grogol curug cempaka kemuning
bongkok talang kajen capar cerih carul dawuhan sindang talok babakan langgen lengkong rembul
kedawung traju samaan kasin gadang kauman bandulan pisang candi kebonsari tanjung buring
kebasen krajan bakalan
""")
LOCATIVE_CUES = _wordset("""
di ke dkt deket dekat sekitar daerah desa ds kel kelurahan kec kecamatan arah wilayah depan
belakang samping lapangan lap jalan jl pertigaan perempatan jembatan pasar
""")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; letters and digits split apart."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _APOSTROPHES.sub("", text.lower())
    text = _NON_WORD.sub(" ", text)
    text = _LETTER_DIGIT.sub(" ", text)
    return " ".join(_strip_zero(t) for t in text.split())


def _strip_zero(token: str) -> str:
    return str(int(token)) if token.isdigit() and len(token) <= 3 else token


@dataclass(frozen=True)
class SchoolEntry:
    name: str
    id: int | None = None
    level: str = ""
    org_path: str = "/"
    org_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    dismissal_times: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()

    def dismissal_for(self, weekday: str) -> str | None:
        """The "HH:MM" dismissal time on this weekday (Indonesian day name), else the default."""
        times = dict(self.dismissal_times)
        return times.get(weekday) or times.get("default")


@dataclass(frozen=True)
class PlaceEntry:
    name: str
    kind: str
    region_id: int | None = None
    org_path: str = "/"
    org_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Found:
    schools: list[SchoolEntry] = field(default_factory=list)
    places: list[PlaceEntry] = field(default_factory=list)
    # The spelling that matched, per found name, for the analyst's "reasons".
    spans: dict[str, str] = field(default_factory=dict)


def _dedupe(seq: list[str]) -> list[str]:
    return list(dict.fromkeys(s for s in seq if s))


def _squeeze_vowels(token: str) -> str:
    return re.sub(r"([aeiou])\1+", r"\1", token)


def school_aliases(name: str, *, kecamatan: frozenset[str] | set[str] = frozenset(),
                   extra: tuple[str, ...] = ()) -> list[str]:
    """Folded spellings of a school name: "SMKN 2 Slawi" -> "smk n 2 slawi", "smkn 2", ..."""
    tokens = fold(name).split()
    if not tokens:
        return []
    level, rest = tokens[0], tokens[1:]
    if level in ("smk", "sma", "smp", "sd") and rest and rest[0] in ("n", "negeri"):
        level, rest = _NUMBERED_LEVEL[level], rest[1:]
    spellings = list(_LEVEL_SPELLINGS.get(level, [level]))
    has_number = any(t.isdigit() for t in rest)
    if has_number and level in _NUMBERED_LEVEL:
        spellings += _LEVEL_SPELLINGS.get(_NUMBERED_LEVEL[level], [])
    spellings = _dedupe(spellings)
    suffix: list[str] = []
    for k in (3, 2, 1):
        if len(rest) > k and "".join(rest[-k:]) in kecamatan:
            suffix = rest[-k:]
            break
    numbers = [i for i, t in enumerate(rest) if t.isdigit()]
    if not suffix and numbers and numbers[-1] < len(rest) - 1:
        # "SMKN 2 Malang": the words after the number name the town, as a kecamatan would.
        suffix = rest[numbers[-1] + 1:]
    core = rest[: len(rest) - len(suffix)] if suffix else rest
    place_forms = _dedupe([" ".join(suffix), "".join(suffix)]) if suffix else []
    core_forms = _dedupe([" ".join(core), " ".join(_squeeze_vowels(t) for t in core)])
    out: list[str] = []
    for lv in spellings:
        for cf in core_forms:
            for pf in [*place_forms, ""]:
                if not cf and not pf:
                    continue
                out.append(" ".join(p for p in (lv, cf, pf) if p))
    distinctive = [c for c in core if not c.isdigit()]
    if len(core) >= 2 and len(core[0]) >= 5 and not core[0].isdigit():
        # "SMP Ma'arif NU" is written "smp maarif" as often as in full.
        out.extend(f"{lv} {_squeeze_vowels(core[0])}" for lv in spellings)
        out.extend(f"{lv} {core[0]}" for lv in spellings)
    if distinctive:
        for cf in core_forms:
            # One word alone ("diponegoro") is too often a street; with the place it is the school.
            if len(distinctive) >= 2:
                out.append(cf)
            out.extend(f"{cf} {pf}" for pf in place_forms)
    out.extend(fold(a) for a in extra)
    return _dedupe(out)


def _edit1(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion or substitution."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


class Gazetteer:
    """Schools and places with every spelling that points at them, matched on folded text."""

    def __init__(self, schools: list[SchoolEntry], places: list[PlaceEntry],
                 towns: tuple[str, ...] = ()) -> None:
        self.schools = schools
        self.places = places
        kecamatan = {fold(p.name).replace(" ", "") for p in places if p.kind == "kecamatan"}
        # Words that name a town: after "smkn 2" they say which town's SMKN 2 is meant.
        self._towns = frozenset(kecamatan | {_town_word(t) for t in towns})
        self._school_words: list[frozenset[str]] = []
        owners: dict[tuple[str, ...], set[tuple[str, int]]] = defaultdict(set)
        for i, school in enumerate(schools):
            aliases = school_aliases(school.name, kecamatan=kecamatan, extra=school.aliases)
            for alias in aliases:
                owners[tuple(alias.split())].add(("school", i))
            self._school_words.append(frozenset(t for a in aliases for t in a.split()))
        for i, place in enumerate(places):
            folded = fold(place.name)
            forms = {folded, folded.replace(" ", "")}
            # "Dukuh Ringin (Dukuhwringin)" also answers to the part in brackets.
            forms.update(fold(part) for part in re.split(r"[()/]", place.name) if part.strip())
            forms.update(fold(a) for a in place.aliases)
            for form in forms:
                if form:
                    owners[tuple(form.split())].add(("place", i))
        self._index: dict[str, list[tuple[tuple[str, ...], str, list[int]]]] = defaultdict(list)
        for seq, targets in owners.items():
            kinds = {k for k, _ in targets}
            if "school" in kinds:
                ids = sorted(i for k, i in targets if k == "school")
                if len(ids) > 1:
                    continue  # an alias two schools share identifies neither
                self._index[seq[0]].append((seq, "school", ids))
            else:
                self._index[seq[0]].append((seq, "place", sorted(i for _, i in targets)))
        for entries in self._index.values():
            entries.sort(key=lambda e: -len(e[0]))
        self._vocab = frozenset(t for seq in owners for t in seq if len(t) >= 5)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for token in self._vocab:
            self._by_initial[token[0]].append(token)

    @lru_cache(maxsize=20_000)  # noqa: B019 (one gazetteer lives as long as its cache)
    def _correct(self, token: str) -> str:
        """Snap a misspelt token ("slwi", "pangka") onto a gazetteer word one edit away."""
        if len(token) < 4 or token in self._vocab or token.isdigit():
            return token
        for candidate in self._by_initial.get(token[0], ()):
            if _edit1(token, candidate) and len(candidate) >= 5:
                return candidate
        return token

    def find(self, text: str) -> Found:
        """Schools and places named in the text, in order of appearance, without repeats."""
        raw = fold(text).split()
        tokens = [self._correct(t) for t in raw]
        found = Found()
        seen_schools: set[int] = set()
        seen_places: set[int] = set()
        i = 0
        while i < len(tokens):
            match = None
            for seq, kind, ids in self._index.get(tokens[i], ()):
                if tuple(tokens[i:i + len(seq)]) == seq:
                    match = (seq, kind, ids)
                    break
            if match is None:
                i += 1
                continue
            seq, kind, ids = match
            span = " ".join(raw[i:i + len(seq)])
            if kind == "school" and self._other_town(ids[0], tokens[i + len(seq):i + len(seq) + 1]):
                i += len(seq)  # "smkn 2 tegal" is not the registered SMKN 2 Slawi
                continue
            if kind == "school":
                if ids[0] not in seen_schools:
                    seen_schools.add(ids[0])
                    found.schools.append(self.schools[ids[0]])
                    found.spans[self.schools[ids[0]].name] = span
            else:
                needs_cue = len(seq) == 1 and (seq[0] in COMMON_WORD_PLACES or len(seq[0]) <= 4)
                cued = i > 0 and tokens[i - 1] in LOCATIVE_CUES
                if not needs_cue or cued:
                    for idx in self._prefer(ids, found.schools):
                        if idx not in seen_places:
                            seen_places.add(idx)
                            found.places.append(self.places[idx])
                            found.spans[self.places[idx].name] = span
                        break
            i += len(seq)
        return found

    def _other_town(self, school: int, following: list[str]) -> bool:
        return bool(following) and following[0] in self._towns and (
            following[0] not in self._school_words[school])

    def _prefer(self, ids: list[int], schools: list[SchoolEntry]) -> list[int]:
        """Among regions sharing a name, the one in a named school's area, else landmarks and
        kecamatan first."""
        rank = {"landmark": 0, "kecamatan": 1, "desa": 2, "kelurahan": 2}
        paths = [s.org_path for s in schools]

        def key(i: int) -> tuple[int, int]:
            place = self.places[i]
            near = any(p.startswith(place.org_path) or place.org_path.startswith(p)
                       for p in paths if p != "/")
            return (0 if near else 1, rank.get(place.kind, 3))

        return sorted(ids, key=key)

    def school_by_name(self, name: str) -> SchoolEntry | None:
        return next((s for s in self.schools if s.name == name), None)


def _town_word(name: str) -> str:
    """"Kabupaten Tegal" -> "tegal", "Kota Malang" -> "malang"."""
    words = [w for w in fold(name).split() if w not in ("kabupaten", "kab", "kota", "kec")]
    return "".join(words)


def gazetteer_from_session(session: Session) -> Gazetteer:
    """The gazetteer of registered schools, regions (kecamatan, desa, kelurahan) and landmarks."""
    paths = dict(session.execute(select(Organisation.id, Organisation.path)).tuples().all())
    schools = [
        SchoolEntry(name=s.name, id=s.id, level=s.level, org_path=paths.get(s.org_id or -1, "/"),
                    org_id=s.org_id, lat=s.lat, lon=s.lon,
                    dismissal_times=tuple(sorted((s.dismissal_times or {}).items())),
                    aliases=tuple(s.aliases or ()))
        for s in session.scalars(select(School).order_by(School.id))
    ]
    places = [
        PlaceEntry(name=r.name, kind=r.level, region_id=r.id,
                   org_path=paths.get(r.org_id or -1, "/"), org_id=r.org_id, lat=r.lat, lon=r.lon)
        for r in session.scalars(select(Region).where(
            Region.level.in_(("kecamatan", "kelurahan", "desa"))).order_by(Region.id))
    ]
    places += [
        PlaceEntry(name=m.name, kind="landmark", region_id=m.region_id,
                   org_path=paths.get(m.org_id or -1, "/"), org_id=m.org_id, lat=m.lat,
                   lon=m.lon, aliases=tuple(m.aliases or ()))
        for m in session.scalars(select(Landmark).order_by(Landmark.id))
    ]
    towns = tuple(session.scalars(select(Region.name).where(
        Region.level.in_(("kabupaten", "kota")))))
    return Gazetteer(schools, places, towns)


def builtin_gazetteer() -> Gazetteer:
    """A gazetteer of the Tegal demo (the 13 schools, kecamatan and desa) for use without a
    database."""
    schools = [SchoolEntry(name=n, level=lv, dismissal_times=(("default", "14:00"),),
                           lat=demo.TEGAL_KECAMATAN[k][0], lon=demo.TEGAL_KECAMATAN[k][1])
               for n, lv, k in demo.TEGAL_SCHOOLS]
    entries: list[PlaceEntry] = []
    try:
        data = read_kabupaten(province="jawa tengah", kabupaten="Kabupaten Tegal")
        for kec in data.kecamatan:
            lat, lon = demo.TEGAL_KECAMATAN.get(kec.name, (None, None))
            entries.append(PlaceEntry(name=kec.name, kind="kecamatan", lat=lat, lon=lon))
            entries += [PlaceEntry(name=n, kind="desa", lat=lat, lon=lon)
                        for _, n, _ in kec.kelurahan]
    except Exception:  # areaid cannot read its data: kecamatan centres are enough to go on
        entries = [PlaceEntry(name=k, kind="kecamatan", lat=v[0], lon=v[1])
                   for k, v in demo.TEGAL_KECAMATAN.items()]
    return Gazetteer(schools, entries, ("Kabupaten Tegal",))


_cache_lock = threading.Lock()
_cached: tuple[float, tuple[int, ...], Gazetteer] | None = None
CACHE_TTL_S = 300.0


def _signature(session: Session) -> tuple[int, ...]:
    out: list[int] = []
    for model in (School, Region, Landmark):
        count, top = session.execute(select(func.count(), func.max(model.id))).one()
        out += [int(count or 0), int(top or 0)]
    return tuple(out)


def cached_gazetteer(session: Session) -> Gazetteer:
    """The gazetteer, rebuilt when the registers grow or change here, or after five minutes."""
    global _cached
    signature = _signature(session)
    with _cache_lock:
        if (_cached is not None and _cached[1] == signature
                and time.monotonic() - _cached[0] < CACHE_TTL_S):
            return _cached[2]
    gazetteer = gazetteer_from_session(session)
    with _cache_lock:
        _cached = (time.monotonic(), signature, gazetteer)
    return gazetteer


def gazetteer_changed() -> None:
    """Forget the cached gazetteer (a school or landmark was added or edited)."""
    global _cached
    with _cache_lock:
        _cached = None
