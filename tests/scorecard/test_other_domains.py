"""KPIs computed from other domains' records through the typed functions those domains export."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import login
from tests.scorecard.helpers import kpi, scorecard

ORG = "polsek-margasari"


def test_incidents_and_warnings_feed_the_scorecard(client: Any) -> None:
    from siaga.db import get_database
    from siaga.intel import models as intel
    from siaga.orgs.service import org_by_code
    from siaga.students import models as students

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


def test_a_look_alike_table_does_not_change_the_figures(client: Any) -> None:
    """A new table whose name has "warning" in it is not read as early warnings."""
    from sqlalchemy import Column, DateTime, Integer, String, Table

    from siaga.db import Base, get_database
    from siaga.orgs.service import org_by_code

    before = kpi(scorecard(client, "pimpinan.tegal", org=ORG, year=2025, month=3),
                 "warnings_reviewed")
    table = Table("aa_warning_notes", Base.metadata, Column("id", Integer, primary_key=True),
                  Column("org_path", String(400)), Column("status", String(16)),
                  Column("created_at", DateTime(timezone=True)))
    db = get_database()
    try:
        table.create(db.engine)
        with db.session() as session:
            path = org_by_code(session, code=ORG).path
            session.execute(table.insert(), [
                {"org_path": path, "status": "open",
                 "created_at": datetime(2025, 3, 10, 7, 0, tzinfo=UTC)}] * 3)
        after = kpi(scorecard(client, "pimpinan.tegal", org=ORG, year=2025, month=3),
                    "warnings_reviewed")
    finally:
        table.drop(db.engine)
        Base.metadata.remove(table)
    assert after["value"] == before["value"] and after["detail"] == before["detail"]
