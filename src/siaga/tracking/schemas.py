"""Request and response shapes for the officer page's own location sharing."""

from __future__ import annotations

import math

from pydantic import AwareDatetime, BaseModel, Field, field_validator


class MyPosition(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy: float | None = Field(default=None, ge=0, le=100_000)
    at: AwareDatetime | None = None
    speed_kmh: float | None = Field(default=None, ge=0, le=1000)
    heading: float | None = Field(default=None, ge=0, le=360)

    @field_validator("lat", "lon", "accuracy", "speed_kmh", "heading")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("harus berupa angka terhingga")
        return value


class FixReply(BaseModel):
    accepted: bool
    status: str
    reason: str | None
    unit_id: int | None
