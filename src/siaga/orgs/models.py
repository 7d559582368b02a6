"""Police organisations (Polda > Polres > Polsek) and the administrative regions they cover."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base

ORG_LEVELS = ("polda", "polres", "polsek")
REGION_LEVELS = ("provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa")


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # Materialised path "/polda-x/polres-y/polsek-z/" so scoping is one prefix comparison.
    path: Mapped[str] = mapped_column(String(400), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))


class Region(Base):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The areaid package's own identifier, so imports are repeatable.
    source_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    postal_code: Mapped[str | None] = mapped_column(String(10))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    coords_approximate: Mapped[bool] = mapped_column(Boolean, default=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    population: Mapped[int | None] = mapped_column(Integer)
    # GeoJSON geometry (WGS84 lon/lat) of a kelurahan/desa, portable across databases.
    boundary: Mapped[str | None] = mapped_column(Text)
