"""Request and response shapes for post intake, warnings and connectors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from siaga.validation import Latitude, Longitude

NAIVE_TIME = "waktu harus menyertakan zona waktu (mis. 2026-11-22T14:00:00+07:00)"


class PostIn(BaseModel):
    """One post as a connector sends it; text fields are trimmed before their limits apply."""

    model_config = ConfigDict(str_strip_whitespace=True)

    source: str = Field(min_length=1, max_length=40, description="mis. tiktok, instagram, x")
    external_id: str = Field(min_length=1, max_length=200,
                             validation_alias=AliasChoices("external_id", "id", "post_id"))
    author: str | None = Field(default=None, max_length=120,
                               validation_alias=AliasChoices("author", "author_handle",
                                                             "handle", "user"))
    posted_at: datetime = Field(validation_alias=AliasChoices("posted_at", "time", "created_at"))
    text: str = Field(min_length=1, max_length=10_000)
    place: str | None = Field(default=None, max_length=200)
    link: str | None = Field(default=None, max_length=500,
                             validation_alias=AliasChoices("link", "url"))

    @field_validator("external_id", mode="before")
    @classmethod
    def _numeric_id(cls, value: Any) -> Any:
        # Many platforms number their posts; the id is kept as text either way.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("author", "place", "link", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("posted_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError(NAIVE_TIME)
        return value

    @field_validator("source")
    @classmethod
    def _source(cls, value: str) -> str:
        return value.lower()

    @field_validator("link")
    @classmethod
    def _web_link(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise ValueError("tautan harus alamat web yang diawali http:// atau https://")
        return value


class PostBatch(BaseModel):
    posts: list[PostIn] = Field(min_length=1, max_length=1000)


class PostResult(BaseModel):
    """One post of an intake; id, risk and is_warning are null for a post another
    organisation's sender stored first (nothing of it is revealed)."""

    id: int | None
    source: str
    external_id: str
    created: bool
    risk: float | None
    is_warning: bool | None
    warning_id: int | None = None


class IntakeResult(BaseModel):
    created: int
    duplicates: int
    items: list[PostResult]
    warnings: list[int]


class WarningSummary(BaseModel):
    id: int
    status: str
    stage: str
    risk: float
    schools: list[str]
    places: list[str]
    lat: float | None
    lon: float | None
    window_start: datetime | None
    window_end: datetime | None
    first_post_at: datetime
    last_post_at: datetime
    post_count: int
    reasons: list[str]
    suggested_action: str
    org_path: str
    version: int
    verdict_at: datetime | None = None
    verdict_note: str | None = None


class EvidencePost(BaseModel):
    id: int
    source: str
    posted_at: datetime
    text: str
    link: str | None
    author: str | None  # a short hash prefix: links posts by one account without naming it
    risk: float
    reasons: list[str]
    times: list[dict[str, Any]]


class WarningDetail(WarningSummary):
    posts: list[EvidencePost]


class WarningPage(BaseModel):
    items: list[WarningSummary]
    total: int


class VerdictIn(BaseModel):
    verdict: Literal["confirmed", "dismissed"]
    note: str | None = Field(default=None, max_length=500)


class ConnectorIn(BaseModel):
    name: str = Field(min_length=2, max_length=80)
    org: str | None = Field(default=None, description="Kode satuan, mis. polres-tegal")


class ConnectorOut(BaseModel):
    id: int
    name: str
    org_path: str
    token: str | None = None


class ClassifyIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=10_000)
    posted_at: datetime | None = None

    @field_validator("posted_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(NAIVE_TIME)
        return value


class LandmarkIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=200)
    aliases: list[str] = Field(default_factory=list, max_length=20)
    lat: Latitude
    lon: Longitude
    org: str | None = None


class LandmarkOut(BaseModel):
    id: int
    name: str
    aliases: list[str]
    lat: float
    lon: float
