"""Request and response shapes for journeys."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from siaga.validation import Latitude, Longitude


class JourneyStart(BaseModel):
    minutes: int | None = Field(default=None, ge=1, le=240,
                                description="Lama perjalanan dalam menit (atau expected_end_at)")
    expected_end_at: datetime | None = Field(default=None, description="Perkiraan tiba")
    dest_lat: Latitude | None = None
    dest_lon: Longitude | None = None
    dest_label: str | None = Field(default=None, max_length=120)

    @model_validator(mode="after")
    def _one_end(self) -> JourneyStart:
        if (self.minutes is None) == (self.expected_end_at is None):
            raise ValueError("isi salah satu: minutes (lama perjalanan) atau expected_end_at")
        if (self.dest_lat is None) != (self.dest_lon is None):
            raise ValueError("tujuan butuh dest_lat dan dest_lon sekaligus")
        return self


class JourneyPositionIn(BaseModel):
    lat: Latitude
    lon: Longitude
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000, allow_inf_nan=False)
    fix_at: datetime | None = Field(default=None, description="Kapan HP mengukur posisi ini")


class JourneyAlarm(BaseModel):
    alarm_id: int = Field(description="Alarm yang dikirim HP ini saat perjalanan tidak selesai")


class JourneyOut(BaseModel):
    id: int
    status: Literal["active", "safe", "alarm"]
    started_at: datetime
    expected_end_at: datetime
    dest_lat: float | None
    dest_lon: float | None
    dest_label: str | None
    ended_at: datetime | None
    alarm_id: int | None
    positions_kept: int
