"""Request shapes for patrol plans (responses are plain dicts built in the service)."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, Field


class PlanCreate(BaseModel):
    org: str | None = Field(default=None, max_length=64,
                            description="Kode satuan; bawaan satuan pengguna")
    shift_start: AwareDatetime | None = Field(default=None, description="Bawaan: sif sekarang")
    shift_end: AwareDatetime | None = None
    unit_ids: list[int] | None = Field(default=None, max_length=200)
    points_per_unit: int = Field(default=4, ge=1, le=20)
    crime_type: str | None = Field(default=None, max_length=40)
