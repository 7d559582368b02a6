"""Request and response shapes of the scorecard, its entry pages and reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from siaga.scorecard.kpis import BY_KEY, FIGURE_METRICS
from siaga.validation import Latitude, Longitude

Year = Field(ge=2000, le=2100)
Count = Field(ge=0, le=10_000_000)
Text200 = Field(min_length=1, max_length=200)


def _clean_lines(values: list[str]) -> list[str]:
    cleaned = [v.strip() for v in values if v and v.strip()]
    if any(len(v) > 500 for v in cleaned):
        raise ValueError("setiap baris paling banyak 500 karakter")
    return cleaned


class FigureIn(BaseModel):
    org: str | None = Field(default=None, max_length=64, description="kode satuan")
    metric: str
    year: int = Year
    month_from: int = Field(default=1, ge=1, le=12)
    month_to: int = Field(default=12, ge=1, le=12)
    value: float = Field(ge=0, le=1e15)
    source: str | None = Field(default=None, max_length=300)
    note: str | None = Field(default=None, max_length=500)

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        if value not in FIGURE_METRICS:
            raise ValueError("metrik tidak dikenal; pilih salah satu: "
                             + ", ".join(FIGURE_METRICS))
        return value


class FigureOut(BaseModel):
    id: int
    org_code: str
    org_name: str
    metric: str
    metric_name: str
    year: int
    month_from: int
    month_to: int
    period_label: str
    value: float
    source: str | None
    note: str | None
    updated_at: datetime


class PersonnelIn(BaseModel):
    org: str | None = Field(default=None, max_length=64)
    year: int = Year
    month: int | None = Field(default=None, ge=1, le=12)
    authorised: int = Field(ge=1, le=1_000_000, description="personel menurut DSP")
    operational: int = Field(ge=0, le=1_000_000)
    degree: int | None = Field(default=None, ge=0, le=1_000_000)
    diploma: int | None = Field(default=None, ge=0, le=1_000_000)
    high_school: int | None = Field(default=None, ge=0, le=1_000_000)
    trained: int | None = Field(default=None, ge=0, le=1_000_000)
    source: str | None = Field(default=None, max_length=300)
    note: str | None = Field(default=None, max_length=500)


class PersonnelOut(BaseModel):
    id: int
    org_code: str
    org_name: str
    year: int
    month: int | None
    authorised: int
    operational: int
    shortfall: int
    degree: int | None
    diploma: int | None
    high_school: int | None
    trained: int | None
    source: str | None
    note: str | None
    updated_at: datetime


class ActionIn(BaseModel):
    description: str = Field(min_length=3, max_length=500)
    owner: str | None = Field(default=None, max_length=200)
    due_on: date | None = None
    status: Literal["open", "done"] = "open"
    done_on: date | None = None


class ActionOut(ActionIn):
    id: int
    overdue: bool


class MeetingIn(BaseModel):
    org: str | None = Field(default=None, max_length=64)
    kind: Literal["fgd", "koordinasi"]
    held_on: date
    title: str = Field(min_length=3, max_length=200)
    participants: list[str] = Field(min_length=1, max_length=100)
    agreements: list[str] = Field(default_factory=list, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)
    actions: list[ActionIn] = Field(default_factory=list, max_length=100)

    @field_validator("participants")
    @classmethod
    def _participants(cls, values: list[str]) -> list[str]:
        cleaned = _clean_lines(values)
        if not cleaned:
            raise ValueError("isi minimal satu peserta")
        return cleaned

    @field_validator("agreements")
    @classmethod
    def _agreements(cls, values: list[str]) -> list[str]:
        return _clean_lines(values)


class MeetingOut(BaseModel):
    id: int
    org_code: str
    org_name: str
    kind: str
    held_on: date
    title: str
    participants: list[str]
    agreements: list[str]
    notes: str | None
    actions: list[ActionOut]
    updated_at: datetime


class SurveyTallyIn(BaseModel):
    org: str | None = Field(default=None, max_length=64)
    title: str = Text200
    year: int = Year
    month_from: int = Field(default=1, ge=1, le=12)
    month_to: int = Field(default=12, ge=1, le=12)
    good: int = Count
    needs_improvement: int = Count
    poor: int = Count
    source: str | None = Field(default=None, max_length=300)


class SurveyTallyOut(BaseModel):
    id: int
    org_code: str
    org_name: str
    title: str
    year: int
    month_from: int
    month_to: int
    period_label: str
    good: int
    needs_improvement: int
    poor: int
    total: int
    source: str | None


RATINGS = ("baik", "perlu_peningkatan", "kurang")


class CitizenSurveyIn(BaseModel):
    polres: str | None = Field(default=None, max_length=64, description="kode Polres")
    lat: Latitude | None = None
    lon: Longitude | None = None
    rating: Literal["baik", "perlu_peningkatan", "kurang"]
    comment: str | None = Field(default=None, max_length=1000)


class CitizenSurveyOut(BaseModel):
    id: int
    polres_code: str
    polres_name: str
    rating: str
    replaced: bool


class PolresOption(BaseModel):
    code: str
    name: str


class SurveySummaryRow(BaseModel):
    org_code: str
    org_name: str
    good: int
    needs_improvement: int
    poor: int
    total: int
    satisfaction_pct: float | None
    from_citizens: int
    from_tallies: int


class InitiativeIn(BaseModel):
    org: str | None = Field(default=None, max_length=64)
    term: Literal["short", "medium", "long"]
    title: str = Field(min_length=3, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    owner: str = Text200
    deadline: date
    status: Literal["planned", "in_progress", "done", "stalled"] = "planned"
    progress: int = Field(default=0, ge=0, le=100)
    kpi_keys: list[str] = Field(default_factory=list, max_length=20)

    @field_validator("kpi_keys")
    @classmethod
    def _known_kpis(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in BY_KEY]
        if unknown:
            raise ValueError("KPI tidak dikenal: " + ", ".join(unknown))
        return list(dict.fromkeys(values))


class InitiativeOut(BaseModel):
    id: int
    org_code: str
    org_name: str
    term: str
    term_label: str
    title: str
    description: str | None
    owner: str
    deadline: date
    status: str
    progress: int
    overdue: bool
    kpi_keys: list[str]
    kpis: list[dict[str, Any]]
    updated_at: datetime


class Page(BaseModel):
    items: list[Any]
    total: int
