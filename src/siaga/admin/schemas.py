"""Request and response shapes of the administration API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from siaga.units.schemas import UnitKind

Role = Literal["operator", "petugas", "analis", "pimpinan", "admin"]


class AccountOut(BaseModel):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    org_code: str | None
    org_name: str | None
    phone: str | None
    active: bool


class AccountPage(BaseModel):
    items: list[AccountOut]
    total: int


class AccountCreate(BaseModel):
    username: str = Field(min_length=3, max_length=80, pattern=r"^[a-z0-9._-]+$",
                          description="huruf kecil, angka, titik, garis bawah atau strip")
    password: str = Field(min_length=1, max_length=200)
    role: Role
    org: str | None = Field(default=None, max_length=64)
    full_name: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=40)


class AccountUpdate(BaseModel):
    role: Role | None = None
    org: str | None = Field(default=None, max_length=64)
    full_name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)


class ActiveChange(BaseModel):
    active: bool


class ResetCodeOut(BaseModel):
    code: str
    expires_at: datetime
    note: str


class SessionsEnded(BaseModel):
    sessions_ended: int


class PasswordReset(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    code: str = Field(min_length=4, max_length=40)
    new_password: str = Field(min_length=1, max_length=200)


class UnitUpdate(BaseModel):
    callsign: str | None = Field(default=None, min_length=1, max_length=40)
    kind: UnitKind | None = None
    org: str | None = Field(default=None, max_length=64)
    crew: list[str] | None = Field(default=None, max_length=12)
    officer_id: int | None = None
    clear_officer: bool = False


class CrewAdd(BaseModel):
    user_id: int = Field(ge=1)


class CrewCandidate(BaseModel):
    id: int
    username: str
    full_name: str
    org_name: str


class CrewCandidates(BaseModel):
    items: list[CrewCandidate]


class UnitSetupOut(BaseModel):
    unit_id: int
    callsign: str
    traccar_url: str
    traccar_device_id: str
    traccar_qr_text: str
    owntracks_url: str
    owntracks_user: str | None
    owntracks_device: str | None
    owntracks_qr_text: str | None
    instructions: list[str]


class OrgDetailsOut(BaseModel):
    code: str
    name: str
    level: str
    parent_code: str | None
    address: str | None
    phone: str | None
    lat: float | None
    lon: float | None


class OrgDetailsPage(BaseModel):
    items: list[OrgDetailsOut]
    total: int


class OrgDetailsUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=3, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=40)
    lat: float | None = Field(default=None, ge=-11.5, le=6.5)
    lon: float | None = Field(default=None, ge=94.0, le=141.5)


class ImportProblem(BaseModel):
    line: int
    field: str | None
    msg: str


class ImportResult(BaseModel):
    kind: str
    dry_run: bool
    rows: int
    stored: int
    problems: list[ImportProblem]
    created: list[str]


class KabkotaOut(BaseModel):
    code: str
    name: str
    polres: str | None


class BoundaryImportOut(BaseModel):
    counts: dict[str, int]
    repairs: list[str]
    kabkota: list[KabkotaOut]


class PolsekGroupIn(BaseModel):
    code: str = Field(min_length=3, max_length=64)
    name: str = Field(min_length=3, max_length=200)
    kecamatan_codes: list[str] = Field(min_length=1, max_length=100)


class PolresIn(BaseModel):
    code: str = Field(min_length=3, max_length=64, description="mis. polres-batu")
    name: str = Field(min_length=3, max_length=200)
    kabkota_code: str = Field(min_length=2, max_length=20)
    polda_code: str = Field(min_length=3, max_length=64)
    polda_name: str = Field(min_length=3, max_length=200)
    polsek_map: list[PolsekGroupIn] | None = Field(default=None, max_length=200)


class KecamatanOut(BaseModel):
    code: str
    name: str


class PolsekReviewOut(BaseModel):
    code: str
    name: str
    address: str | None
    phone: str | None
    lat: float | None
    lon: float | None
    kecamatan: list[KecamatanOut]


class PolresOut(BaseModel):
    polres: str
    polsek: list[PolsekReviewOut]
