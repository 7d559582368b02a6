"""The Tegal study's figures come out of the scorecard API exactly as DOMAIN.md states them."""

from __future__ import annotations

from typing import Any

from tests.scorecard.helpers import kpi, scorecard, yearly


def test_brawls_activities_and_meetings_per_year(client: Any) -> None:
    card = scorecard(client, "pimpinan.tegal", org="polres-tegal", year=2023)
    assert card["org"]["code"] == "polres-tegal"
    assert yearly(card, "brawls") == {2021: 7, 2022: 30, 2023: 12}
    assert yearly(card, "prevention_activities") == {2020: 120, 2021: 104, 2022: 97}
    assert yearly(card, "coordination_meetings") == {2020: 21, 2021: 16, 2022: 14}
    assert yearly(card, "fgd_meetings") == {2020: 1, 2021: 1, 2022: 1}
    brawls_2023 = next(y for y in kpi(card, "brawls")["yearly"] if y["year"] == 2023)
    assert brawls_2023["partial"] is True
    assert brawls_2023["label"] == "2023 (Jan-Jun)"


def test_values_of_one_year(client: Any) -> None:
    card = scorecard(client, "pimpinan.tegal", year=2022)
    assert kpi(card, "brawls")["value"] == 30
    assert kpi(card, "prevention_activities")["value"] == 97
    assert kpi(card, "coordination_meetings")["value"] == 14
    assert kpi(card, "fgd_meetings")["value"] == 1
    assert kpi(card, "brawls")["basis"] == "entered"


def test_survey_of_156_people(client: Any) -> None:
    card = scorecard(client, "pimpinan.tegal", year=2023)
    survey = kpi(card, "public_satisfaction")
    assert survey["detail"]["good"] == 85
    assert survey["detail"]["needs_improvement"] == 56
    assert survey["detail"]["poor"] == 15
    assert survey["detail"]["total"] == 156
    assert survey["value"] == round(100 * 85 / 156, 1) == 54.5
    assert survey["light"] == "red"


def test_personnel_education_and_training(client: Any) -> None:
    card = scorecard(client, "pimpinan.tegal", year=2023)
    fill = kpi(card, "personnel_fill")
    assert fill["detail"]["operational"] == 442
    assert fill["detail"]["authorised"] == 965
    assert fill["detail"]["shortfall"] == 523
    assert fill["detail"]["degree"] == 132
    assert fill["detail"]["trained"] == 118
    assert fill["value"] == round(100 * 442 / 965, 1)
    assert kpi(card, "personnel_degree")["value"] == round(100 * 132 / 442, 1)
    assert kpi(card, "personnel_trained")["value"] == round(100 * 118 / 442, 1)


def test_latest_figures_show_when_the_current_year_has_none(client: Any) -> None:
    card = scorecard(client, "pimpinan.tegal")
    brawls = kpi(card, "brawls")
    if brawls["value"] is None:
        assert brawls["latest"]["year"] == 2023 and brawls["latest"]["value"] == 12
    # Head-counts are a stock: the 2023 figure still stands until a newer one is entered.
    assert kpi(card, "personnel_fill")["detail"]["operational"] == 442


def test_every_perspective_and_kpi_is_described(client: Any) -> None:
    card = scorecard(client, "pimpinan.tegal")
    assert [p["key"] for p in card["perspectives"]] == ["learning", "process", "customer",
                                                        "stakeholder"]
    for perspective in card["perspectives"]:
        assert perspective["kpis"]
        for item in perspective["kpis"]:
            for name in ("definition", "formula", "source", "target_text", "light", "yearly",
                         "monthly"):
                assert item[name] is not None, (item["key"], name)


def test_demo_is_idempotent(client: Any) -> None:
    from siaga.db import get_database
    from siaga.scorecard.demo import load_scorecard_demo

    with get_database().session() as session:
        load_scorecard_demo(session)
    card = scorecard(client, "pimpinan.tegal", year=2023)
    assert yearly(card, "brawls") == {2021: 7, 2022: 30, 2023: 12}
    assert kpi(card, "public_satisfaction")["detail"]["total"] == 156
