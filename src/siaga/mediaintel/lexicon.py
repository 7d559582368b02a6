"""Word lists for the Indonesian text pipeline: slang dictionaries and abusive-term lexicons.

The project ships its own small slang list (``slang_id.csv``); larger third-party lists are read
by path at run time and never copied into the repository.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

BUILTIN_SLANG_CSV = Path(__file__).with_name("slang_id.csv")
# Javanese (Ngapak, as written in Kabupaten Tegal) words with their Indonesian equivalents; only
# words that mean nothing else in Indonesian slang ("aja" stays "saja").
NGAPAK_CSV = Path(__file__).with_name("jv_ngapak.csv")

# File names of the public resources that travel with the Ibrohim & Budi (2019) data set; they
# are picked up when they sit next to a training CSV, or named by these environment variables.
SLANG_FILE_NAME = "new_kamusalay.csv"
LEXICON_FILE_NAME = "abusive.csv"
SLANG_ENV = "SIAGA_MEDIAINTEL_SLANG_CSV"
LEXICON_ENV = "SIAGA_MEDIAINTEL_LEXICON_CSV"


@dataclass(frozen=True)
class Resources:
    """Optional word lists found on disk; ``None`` where absent."""

    slang_csv: Path | None = None
    lexicon_csv: Path | None = None


def read_slang_csv(*, path: Path) -> dict[str, str]:
    """Read a two-column ``slang,standard`` CSV without header into a lower-cased mapping."""
    pairs: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 2:
                continue
            slang, standard = row[0].strip().lower(), " ".join(row[1].lower().split())
            # Identity rows and empty targets carry no information and would only cost lookups.
            if slang and standard and slang != standard and " " not in slang:
                pairs[slang] = standard
    return pairs


def builtin_slang() -> dict[str, str]:
    """Return the project's own curated slang list, Ngapak words included (the Indonesian list
    wins where both name a word)."""
    return {**read_slang_csv(path=NGAPAK_CSV), **read_slang_csv(path=BUILTIN_SLANG_CSV)}


def load_slang(*, extra_csv: Path | None = None) -> dict[str, str]:
    """Merge an optional external slang CSV with the built-in list (built-in entries win)."""
    merged: dict[str, str] = {}
    if extra_csv is not None:
        merged.update(read_slang_csv(path=extra_csv))
    # The curated list is applied last because large crowd-sourced lists contain odd mappings.
    merged.update(builtin_slang())
    return merged


def read_terms_csv(*, path: Path) -> list[str]:
    """Read a one-column term list (first row is a header) as lower-cased, de-duplicated terms."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        rows = [row[0] for row in csv.reader(handle) if row and row[0].strip()]
    terms = (" ".join(term.lower().split()) for term in rows[1:])
    return list(dict.fromkeys(term for term in terms if term))


def find_resources(*, near: Iterable[Path] = ()) -> Resources:
    """Locate the optional slang and lexicon CSVs via environment variables or beside ``near``."""
    folders = [path.parent if path.suffix else path for path in near]

    def locate(env: str, name: str) -> Path | None:
        named = os.environ.get(env)
        if named:
            candidate = Path(named)
            return candidate if candidate.is_file() else None
        for folder in folders:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        return None

    return Resources(
        slang_csv=locate(SLANG_ENV, SLANG_FILE_NAME),
        lexicon_csv=locate(LEXICON_ENV, LEXICON_FILE_NAME),
    )
