"""The crime types incidents are recorded under: dispatch's configurable list."""

from __future__ import annotations

from dataclasses import dataclass

from siaga.dispatch.crime_types import crime_types as configured


@dataclass(frozen=True)
class CrimeTypeInfo:
    code: str
    label: str


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
    return tuple(CrimeTypeInfo(c.code, c.label) for c in configured())


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
