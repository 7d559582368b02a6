"""The health check's answer, so OpenAPI describes it like every other response."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Health(BaseModel):
    status: Literal["ok"]
