"""Request and response shapes for citizen devices."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

PHONE_PATTERN = r"^\+?[0-9][0-9 \-]{6,18}[0-9]$"


class DeviceRegister(BaseModel):
    phone: str = Field(pattern=PHONE_PATTERN, description="Nomor HP warga")
    name: str = Field(min_length=1, max_length=120)
    pin: str | None = Field(default=None, pattern=r"^[0-9]{4,6}$",
                            description="PIN 4-6 angka untuk membatalkan alarm")
    duress_pin: str | None = Field(
        default=None, pattern=r"^[0-9]{4,6}$",
        description="PIN darurat 4-6 angka: di HP terlihat seperti pembatalan, tetapi alarm "
                    "tetap aktif dan operator tahu Anda mungkin di bawah ancaman")

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("nama tidak boleh kosong")
        return value


class DeviceRegistered(BaseModel):
    device_id: str
    token: str


class PinSet(BaseModel):
    pin: str = Field(pattern=r"^[0-9]{4,6}$")
    duress_pin: str | None = Field(default=None, pattern=r"^[0-9]{4,6}$")


class BlockRequest(BaseModel):
    reason: str = Field(min_length=3, max_length=300, description="Alasan pemblokiran")


class DeviceOut(BaseModel):
    device_id: str
    phone: str
    name: str
    has_pin: bool
    has_duress_pin: bool = False
    flagged: bool
    blocked: bool
    warning_accepted: bool
