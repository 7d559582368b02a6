"""The crime register: CSV import, recording through the API, scoping, the alarm hook."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.conftest import KLOJEN, LOWOKWARU, device_headers, login, register_device
from tests.crimes.helpers import post_incident


def _cli() -> typer.Typer:
    from siaga.cli import crimes

    app = typer.Typer()
    groups = {"crimes": typer.Typer()}
    app.add_typer(groups["crimes"], name="crimes")
    crimes.register(app, groups)
    return app


def _count(prefix: str) -> int:
    from siaga.crimes.models import CrimeIncident
    from siaga.db import get_database

    with get_database().session() as session:
        return int(session.scalar(select(func.count()).select_from(CrimeIncident)
                                  .where(CrimeIncident.external_id.startswith(prefix))) or 0)


def test_import_is_idempotent_and_accepts_both_layouts(tmp_path: Path) -> None:
    tag = f"t{uuid.uuid4().hex[:8]}"
    plain = tmp_path / "malang.csv"
    plain.write_text(
        "date,lat,lon,type\n"
        f"2026-01-05 21:10,{KLOJEN[0]},{KLOJEN[1]},curanmor\n"
        f"2026-01-06 02:30,{LOWOKWARU[0]},{LOWOKWARU[1]},burglary\n"
        f"2026-01-07 10:00,{LOWOKWARU[0]},{LOWOKWARU[1]},meteor\n"
        "not-a-date,1,2,curanmor\n", encoding="utf-8")
    first = CliRunner().invoke(_cli(), ["crimes", "import", str(plain), "--source-tag", tag])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    assert (summary["read"], summary["created"], summary["rejected"]) == (4, 2, 2)
    again = CliRunner().invoke(_cli(), ["crimes", "import", str(plain), "--source-tag", tag])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["created"] == 0
    assert json.loads(again.output)["skipped_existing"] == 2
    assert _count(f"{tag}:") == 2

    nyc = tmp_path / "nyc.csv"
    nyc.write_text(
        "uid,date_single,longitude,latitude,location_type,location_category\n"
        "1,2015-03-01 01:15,-73.866212,40.740061,street,street\n"
        "2,2015-03-02 11:25,-73.929329,40.81263,residence,residence\n", encoding="utf-8")
    args = ["crimes", "import", str(nyc), "--type", "curanmor", "--source-tag", f"{tag}nyc",
            "--timezone", "America/New_York"]
    assert json.loads(CliRunner().invoke(_cli(), args).output)["created"] == 2
    assert json.loads(CliRunner().invoke(_cli(), args).output)["created"] == 0
    assert _count(f"{tag}nyc:") == 2


def test_import_without_type_column_needs_a_type(tmp_path: Path) -> None:
    path = tmp_path / "untyped.csv"
    path.write_text(f"date,lat,lon\n2026-01-05 21:10,{KLOJEN[0]},{KLOJEN[1]}\n",
                    encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["crimes", "import", str(path)])
    assert result.exit_code == 2 and "--type" in result.output


def test_incidents_are_located_and_scoped_by_organisation(client: Any) -> None:
    polres = login(client, "operator")
    klojen = login(client, "operator.klojen")
    when = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    mark = uuid.uuid4().hex[:8]
    here = post_incident(client, klojen, crime_type="penipuan", occurred_at=when,
                         lat=KLOJEN[0], lon=KLOJEN[1], description=mark)
    assert here.status_code == 201, here.text
    body = here.json()
    assert body["source"] == "report" and body["region_name"]
    assert body["org_path"].endswith("/polsek-klojen/")
    # A Polsek operator may not record (or see) what lies in another Polsek.
    there = post_incident(client, klojen, crime_type="penipuan", occurred_at=when,
                          lat=LOWOKWARU[0], lon=LOWOKWARU[1])
    assert there.status_code == 403
    far = post_incident(client, polres, crime_type="penipuan", occurred_at=when,
                        lat=LOWOKWARU[0], lon=LOWOKWARU[1], description=mark)
    assert far.status_code == 201
    seen_klojen = client.get("/api/v1/crimes?type=penipuan&limit=1000", headers=klojen).json()
    seen_polres = client.get("/api/v1/crimes?type=penipuan&limit=1000", headers=polres).json()
    mine = [i["id"] for i in seen_klojen["items"] if i["description"] == mark]
    all_ = [i["id"] for i in seen_polres["items"] if i["description"] == mark]
    assert mine == [here.json()["id"]]
    assert sorted(all_) == sorted([here.json()["id"], far.json()["id"]])
    assert client.get("/api/v1/crimes?org=polsek-lowokwaru",
                      headers=klojen).status_code == 404
    tegal = login(client, "operator.tegal")
    assert not [i for i in client.get("/api/v1/crimes?type=penipuan&limit=1000",
                                      headers=tegal).json()["items"] if i["description"] == mark]


def test_bad_incidents_are_refused(client: Any) -> None:
    ops = login(client, "operator")
    now = datetime.now(UTC)
    cases = [
        ({"crime_type": "meteor"}, "crime_type"),
        ({"occurred_at": (now + timedelta(hours=3)).isoformat()}, "occurred_at"),
        ({"occurred_at": "2026-01-01T10:00:00"}, "occurred_at"),
        ({"lat": 95}, "lat"),
    ]
    for change, field in cases:
        body = {"crime_type": "curat", "occurred_at": (now - timedelta(days=30)).isoformat(),
                "lat": KLOJEN[0], "lon": KLOJEN[1], **change}
        response = post_incident(client, ops, **body)
        assert response.status_code == 422, (change, response.text)
        detail = response.json()["detail"]
        fields = [d["field"] for d in detail] if isinstance(detail, list) else [detail["field"]]
        assert field in fields
    assert client.get("/api/v1/crimes").status_code == 401
    types = client.get("/api/v1/crimes/types", headers=ops).json()
    assert len(types) >= 28 and "curanmor" in {t["code"] for t in types}


def test_closed_genuine_alarm_with_crime_type_becomes_an_incident(client: Any) -> None:
    device = register_device(client)
    created = client.post("/api/v1/alarms", headers=device_headers(device), json={
        "client_id": str(uuid.uuid4()), "lat": LOWOKWARU[0], "lon": LOWOKWARU[1]})
    assert created.status_code == 201
    alarm_id = created.json()["id"]
    ops = login(client, "operator")
    closed = client.post(f"/api/v1/alarms/{alarm_id}/close", headers=ops, json={
        "outcome": "genuine", "category": "crime", "crime_type": "curas"})
    assert closed.status_code == 200, closed.text
    listed = client.get("/api/v1/crimes?type=curas&limit=1000", headers=ops).json()["items"]
    found = [i for i in listed if i["alarm_id"] == alarm_id]
    assert len(found) == 1 and found[0]["source"] == "alarm"
    # Reading again does not create it twice.
    listed = client.get("/api/v1/crimes?type=curas&limit=1000", headers=ops).json()["items"]
    assert len([i for i in listed if i["alarm_id"] == alarm_id]) == 1
