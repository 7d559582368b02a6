"""Shapes of the public information menu."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class InfoItemIn(BaseModel):
    kind: Literal["hotline", "tip", "notice"]
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=5000)
    phone: str | None = Field(default=None, max_length=40)
    position: int = 0
    org_code: str | None = Field(default=None, description="Polres; kosong = berlaku umum")


class InfoItemOut(BaseModel):
    id: int
    kind: str
    title: str
    body: str
    phone: str | None
    position: int
    org_code: str | None


class PlaceOut(BaseModel):
    name: str
    address: str | None
    phone: str | None
    lat: float | None
    lon: float | None
    distance_m: float | None


class OfficerOut(BaseModel):
    name: str
    phone: str | None
    kelurahan: str


class InfoMenu(BaseModel):
    hotlines: list[InfoItemOut]
    tips: list[InfoItemOut]
    notices: list[InfoItemOut]
    kelurahan: str | None
    nearest_polsek: PlaceOut | None
    bhabinkamtibmas: OfficerOut | None


class InfoPage(BaseModel):
    items: list[InfoItemOut]
    total: int
