"""KPIs computed from other domains' records (brawl incidents, early warnings), read defensively."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import login
from tests.scorecard.helpers import kpi, scorecard

ORG = "polsek-margasari"


def test_incidents_and_warnings_feed_the_scorecard(client: Any) -> None:
    students = pytest.importorskip("siaga.students.models")
    intel = pytest.importorskip("siaga.intel.models")
    from siaga.db import get_database
    from siaga.orgs.service import org_by_code

    at = datetime(2025, 2, 10, 7, 0, tzinfo=UTC)
    with get_database().session() as session:
        org = org_by_code(session, code=ORG)
        session.add(students.BrawlIncident(occurred_at=at, place="Uji scorecard", org_path=org.path,
                                           school_ids=[], weapons_seized=[]))
        for status in ("confirmed", "open"):
            session.add(intel.EarlyWarning(status=status, org_id=org.id, org_path=org.path,
                                           first_post_at=at, last_post_at=at, created_at=at,
                                           schools=[], school_ids=[], places=[], reasons=[]))
    card = scorecard(client, "pimpinan.tegal", org=ORG, year=2025, month=2)
    brawls = kpi(card, "brawls")
    assert brawls["value"] == 1 and brawls["basis"] == "computed" and brawls["light"] == "red"
    warnings = kpi(card, "warnings_reviewed")
    assert warnings["value"] == 50.0 and warnings["detail"] == {"warnings": 2, "reviewed": 1}
    dash = client.get("/api/v1/scorecard/dashboard", params={"org": "polres-tegal", "year": 2025},
                      headers=login(client, "pimpinan.tegal")).json()
    assert dash["incidents"]["available"] and dash["incidents"]["monthly"][1] >= 1
    assert dash["warnings"]["monthly"][1] >= 2
    margasari = next(r for r in dash["polsek"] if r["code"] == ORG)
    assert margasari["incidents"] >= 1


def test_missing_tables_mean_no_data(client: Any, monkeypatch: Any) -> None:
    from siaga.scorecard import sources

    monkeypatch.setattr(sources, "find_table", lambda **_: None)
    card = scorecard(client, "pimpinan.tegal", org=ORG, year=2025, month=2)
    assert kpi(card, "warnings_reviewed")["value"] is None
    assert kpi(card, "visit_coverage")["light"] == "none"
    dash = client.get("/api/v1/scorecard/dashboard", params={"org": ORG, "year": 2025},
                      headers=login(client, "pimpinan.tegal")).json()
    assert dash["incidents"]["available"] is False
    assert dash["warnings"]["available"] is False
