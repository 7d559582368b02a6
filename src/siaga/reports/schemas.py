"""Request and response shapes of the report signature."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field, field_validator

NRP = re.compile(r"^[0-9][0-9 .]{5,28}[0-9]$")


class SignatureIn(BaseModel):
    place: str = Field(min_length=2, max_length=80, description="Tempat penandatanganan")
    position: str = Field(min_length=2, max_length=160, description="Jabatan, mis. KAPOLRES")
    name: str = Field(min_length=2, max_length=160, description="Nama lengkap dengan gelar")
    rank: str = Field(min_length=2, max_length=80, description="Pangkat, mis. AKBP")
    nrp: str = Field(max_length=30, description="NRP/NIP, angka saja")

    @field_validator("nrp")
    @classmethod
    def _nrp_digits(cls, value: str) -> str:
        # The message names the field: the page shows it as it comes.
        if not NRP.match(value):
            raise ValueError("NRP harus berupa angka (7-30 angka, boleh dipisah spasi atau titik)")
        return value


class SignatureOut(BaseModel):
    org_code: str
    org_name: str
    configured: bool
    place: str | None
    position: str | None
    name: str | None
    rank: str | None
    nrp: str | None
    updated_at: datetime | None
