"""Shared helpers of the scorecard tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import login


def scorecard(client: Any, user: str, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/scorecard", params=params, headers=login(client, user))
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def kpi(card: dict[str, Any], key: str) -> dict[str, Any]:
    for perspective in card["perspectives"]:
        for item in perspective["kpis"]:
            if item["key"] == key:
                found: dict[str, Any] = item
                return found
    raise AssertionError(f"KPI {key} missing")


def yearly(card: dict[str, Any], key: str) -> dict[int, float]:
    return {y["year"]: y["value"] for y in kpi(card, key)["yearly"] if y["value"] is not None}


def field_names(response: Any) -> list[str | None]:
    detail = response.json()["detail"]
    if isinstance(detail, list):
        return [d["field"] for d in detail]
    return [detail.get("field")] if isinstance(detail, dict) else [None]
