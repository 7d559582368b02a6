"""The crime types an operator picks from when closing a genuine alarm.

The Malang study counts 28 crime types tracked by Polres Malang Kota but names only the eight
most prominent of 2017 (source "study"). The other twenty are common Polri crime categories
(source "polri"), added so the list is complete; a deployment may replace the whole list with
a JSON file named by SIAGA_CRIME_TYPES_FILE: [{"code": "...", "label": "..."}, ...].
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from siaga.config import get_settings


@dataclass(frozen=True)
class CrimeType:
    code: str
    label: str
    source: str


DEFAULT_CRIME_TYPES: tuple[CrimeType, ...] = (
    # Named in the Malang study (prominent crimes of 2017).
    CrimeType("curanmor", "Pencurian kendaraan bermotor (curanmor)", "study"),
    CrimeType("curat", "Pencurian dengan pemberatan (curat)", "study"),
    CrimeType("curas", "Pencurian dengan kekerasan (curas)", "study"),
    CrimeType("pembunuhan", "Pembunuhan", "study"),
    CrimeType("penganiayaan_berat", "Penganiayaan berat (anirat)", "study"),
    CrimeType("pemerasan", "Pemerasan", "study"),
    CrimeType("perjudian", "Perjudian", "study"),
    CrimeType("narkoba", "Narkoba / psikotropika", "study"),
    # Common Polri crime categories completing the 28.
    CrimeType("pencurian_biasa", "Pencurian biasa", "polri"),
    CrimeType("penganiayaan_ringan", "Penganiayaan ringan", "polri"),
    CrimeType("pengeroyokan", "Pengeroyokan", "polri"),
    CrimeType("penipuan", "Penipuan", "polri"),
    CrimeType("penggelapan", "Penggelapan", "polri"),
    CrimeType("penadahan", "Penadahan", "polri"),
    CrimeType("perusakan", "Perusakan barang", "polri"),
    CrimeType("pembakaran", "Pembakaran", "polri"),
    CrimeType("kdrt", "Kekerasan dalam rumah tangga (KDRT)", "polri"),
    CrimeType("perkosaan", "Perkosaan", "polri"),
    CrimeType("pencabulan", "Pencabulan", "polri"),
    CrimeType("kekerasan_anak", "Kekerasan terhadap anak", "polri"),
    CrimeType("penculikan", "Penculikan", "polri"),
    CrimeType("senjata_tajam", "Membawa senjata tajam tanpa hak", "polri"),
    CrimeType("senjata_api", "Kepemilikan senjata api / bahan peledak ilegal", "polri"),
    CrimeType("miras", "Minuman keras ilegal / oplosan", "polri"),
    CrimeType("tawuran", "Tawuran / perkelahian kelompok", "polri"),
    CrimeType("pengancaman", "Pengancaman", "polri"),
    CrimeType("kejahatan_siber", "Kejahatan siber / UU ITE", "polri"),
    CrimeType("laka_lantas", "Kecelakaan lalu lintas dengan korban", "polri"),
)


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[CrimeType, ...]:
    if not path:
        return DEFAULT_CRIME_TYPES
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(CrimeType(str(r["code"]), str(r["label"]), str(r.get("source", "config")))
                 for r in rows)


def crime_types() -> tuple[CrimeType, ...]:
    """The configured crime types, in display order."""
    return _load(get_settings().crime_types_file)


def crime_type_label(code: str | None) -> str | None:
    """The display label of a crime type code, or None when unknown."""
    if code is None:
        return None
    return next((c.label for c in crime_types() if c.code == code), None)
