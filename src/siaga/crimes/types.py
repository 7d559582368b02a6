"""The crime types incidents are recorded under: dispatch's configurable list when present."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CrimeTypeInfo:
    code: str
    label: str


# The study's prominent types, used only when the dispatch module is not installed.
_FALLBACK = (
    CrimeTypeInfo("curanmor", "Pencurian kendaraan bermotor (curanmor)"),
    CrimeTypeInfo("curat", "Pencurian dengan pemberatan (curat)"),
    CrimeTypeInfo("curas", "Pencurian dengan kekerasan (curas)"),
    CrimeTypeInfo("pencurian_biasa", "Pencurian biasa"),
    CrimeTypeInfo("penganiayaan_berat", "Penganiayaan berat (anirat)"),
    CrimeTypeInfo("pembunuhan", "Pembunuhan"),
    CrimeTypeInfo("pemerasan", "Pemerasan"),
    CrimeTypeInfo("perjudian", "Perjudian"),
    CrimeTypeInfo("narkoba", "Narkoba / psikotropika"),
    CrimeTypeInfo("tawuran", "Tawuran / perkelahian kelompok"),
)

# Property crimes where a near-repeat pattern is well documented (burglary, vehicle theft).
THEFT_TYPES = frozenset({"curanmor", "curat", "curas", "pencurian_biasa"})

# Imported files name types in English (NYC and similar); these map onto the register's codes.
ALIASES = {
    "mvt": "curanmor",
    "motor vehicle theft": "curanmor",
    "vehicle theft": "curanmor",
    "grand larceny of motor vehicle": "curanmor",
    "burglary": "curat",
    "robbery": "curas",
    "theft": "pencurian_biasa",
    "larceny": "pencurian_biasa",
    "assault": "penganiayaan_berat",
    "homicide": "pembunuhan",
    "murder": "pembunuhan",
}


def crime_types() -> tuple[CrimeTypeInfo, ...]:
    """The configured crime types in display order."""
    try:
        from siaga.dispatch.crime_types import crime_types as configured
    except ImportError:
        return _FALLBACK
    loaded: Any = configured()
    return tuple(CrimeTypeInfo(str(c.code), str(c.label)) for c in loaded)


def type_codes() -> frozenset[str]:
    """Codes of the configured crime types."""
    return frozenset(c.code for c in crime_types())


def normalise_type(text: str) -> str | None:
    """A register code for a type as written in a file, or None when unknown."""
    key = text.strip().lower()
    codes = type_codes()
    if key in codes:
        return key
    code = ALIASES.get(key)
    return code if code in codes else None
