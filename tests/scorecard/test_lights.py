"""Traffic lights against targets, including yearly targets scaled to shorter periods."""

from __future__ import annotations

from typing import Any

from siaga.scorecard.compute import Value, light_for
from siaga.scorecard.kpis import BY_KEY
from siaga.scorecard.periods import Period
from tests.scorecard.helpers import kpi, scorecard


def test_higher_is_better_thresholds() -> None:
    fill = BY_KEY["personnel_fill"]
    assert fill.light(95) == "green"
    assert fill.light(90) == "green"
    assert fill.light(75) == "amber"
    assert fill.light(45.8) == "red"
    assert fill.light(None) == "none"


def test_lower_is_better_thresholds() -> None:
    ack = BY_KEY["alarm_acknowledgement"]
    assert ack.light(4) == "green"
    assert ack.light(10) == "green"
    assert ack.light(25) == "amber"
    assert ack.light(31) == "red"


def test_flow_targets_scale_with_the_period() -> None:
    activities = BY_KEY["prevention_activities"]
    year = Period(2022)
    assert light_for(activities, Value(120), year) == "green"
    assert light_for(activities, Value(97), year) == "amber"
    assert light_for(activities, Value(90), year) == "red"
    month = Period(2022, 3, 3)
    assert light_for(activities, Value(10), month) == "green"
    assert light_for(activities, Value(5), month) == "red"
    brawls = BY_KEY["brawls"]
    assert light_for(brawls, Value(0), month) == "green"
    assert light_for(brawls, Value(1), month) == "red"


def test_tegal_lights(client: Any) -> None:
    card = scorecard(client, "pimpinan.tegal", year=2022)
    lights = {y["year"]: y["light"] for y in kpi(card, "prevention_activities")["yearly"]
              if y["value"] is not None}
    assert lights == {2020: "green", 2021: "amber", 2022: "amber"}
    assert kpi(card, "brawls")["light"] == "red"
    meetings = {y["year"]: y["light"] for y in kpi(card, "coordination_meetings")["yearly"]
                if y["value"] is not None}
    assert meetings == {2020: "amber", 2021: "red", 2022: "red"}
    assert kpi(card, "fgd_meetings")["light"] == "red"
    assert kpi(card, "budget_realisation")["light"] == "none"
    summary = card["perspectives"][1]["summary"]
    assert sum(summary.values()) == len(card["perspectives"][1]["kpis"])
