"""Request and response shapes of the report signature."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class SignatureIn(BaseModel):
    place: str = Field(min_length=2, max_length=80, description="Tempat penandatanganan")
    position: str = Field(min_length=2, max_length=160, description="Jabatan, mis. KAPOLRES")
    name: str = Field(min_length=2, max_length=160, description="Nama lengkap dengan gelar")
    rank: str = Field(min_length=2, max_length=80, description="Pangkat, mis. AKBP")
    nrp: str = Field(pattern=r"^[0-9][0-9 .]{5,28}[0-9]$", description="NRP/NIP, angka saja")


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
