"""The weekly anev report: exact figures for a quiet Polsek in a past week, in every format."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import REPO, database_scope, device_headers, login, register_device
from tests.visits.helpers import make_image, post_visit, region_of

WIB = ZoneInfo("Asia/Jakarta")
KEDUNGKANDANG = (-8.0020, 112.6620)


def _last_week() -> tuple[str, datetime]:
    monday = datetime.now(WIB).date() - timedelta(days=datetime.now(WIB).weekday() + 7)
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}", datetime(monday.year, monday.month, monday.day, tzinfo=WIB)


@pytest.fixture(scope=database_scope)
def week_data(siaga_env: dict[str, str]) -> dict[str, Any]:
    """Visits, follow-ups and alarms placed in last week for polsek-kedungkandang."""
    from fastapi.testclient import TestClient
    from sqlalchemy import update

    from siaga.alarms.models import Alarm
    from siaga.app import create_app
    from siaga.db import get_database
    from siaga.visits.models import FollowUp

    week, monday = _last_week()
    tuesday = monday + timedelta(days=1, hours=10)
    with TestClient(create_app()) as client:
        arjo = login(client, "bhabin.arjowinangun")
        bumi = login(client, "bhabin.bumiayu")
        arjo_region = region_of("bhabin.arjowinangun")
        bumi_region = region_of("bhabin.bumiayu")
        near = {"lat": arjo_region["lat"], "lon": arjo_region["lon"]}
        visits = [
            post_visit(client, arjo, [make_image()], **near, visited_at=tuesday.isoformat(),
                       topics=["crime", "drugs"], place_type="house", place_name="Rumah A",
                       follow_ups=[{"function": "reskrim", "description": "Curanmor RW 2"}]),
            post_visit(client, arjo, [make_image()], **near,
                       visited_at=(tuesday + timedelta(hours=2)).isoformat(),
                       topics=["crime"], place_type="worship", place_name="Masjid B",
                       follow_ups=[{"function": "lantas", "description": "Parkir liar"}]),
            post_visit(client, arjo, [make_image()], **near,
                       visited_at=(tuesday + timedelta(days=1)).isoformat(),
                       topics=["brawl"], place_type="school", place_name="SMP C"),
            post_visit(client, bumi, [make_image()], lat=bumi_region["lat"],
                       lon=bumi_region["lon"], visited_at=(tuesday + timedelta(days=2)).isoformat(),
                       topics=["drugs"], place_type="shop", place_name="Toko D"),
        ]
        assert all(v.status_code == 201 for v in visits), [v.text for v in visits]
        follow_ids = [f["id"] for v in visits for f in v.json()["follow_ups"]]
        desk = login(client, "operator")
        done = client.patch(f"/api/v1/follow-ups/{follow_ids[1]}", headers=desk,
                            json={"status": "done"})
        assert done.status_code == 200
        alarm_ids = []
        for _ in range(2):
            device = register_device(client)
            body = {"client_id": str(__import__("uuid").uuid4()), "lat": KEDUNGKANDANG[0],
                    "lon": KEDUNGKANDANG[1]}
            alarm = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
            assert alarm.status_code == 201
            assert alarm.json()["org_code"] == "polsek-kedungkandang"
            alarm_ids.append(alarm.json()["id"])
    created = tuesday + timedelta(hours=5)
    with get_database().session() as session:
        session.execute(update(FollowUp).where(FollowUp.id.in_(follow_ids))
                        .values(created_at=tuesday + timedelta(minutes=5)))
        session.execute(update(FollowUp).where(FollowUp.id == follow_ids[1])
                        .values(closed_at=tuesday + timedelta(days=3)))
        session.execute(update(Alarm).where(Alarm.id == alarm_ids[0]).values(
            created_at=created, acknowledged_at=created + timedelta(seconds=8),
            status="acknowledged"))
        session.execute(update(Alarm).where(Alarm.id == alarm_ids[1]).values(
            created_at=created + timedelta(days=1),
            acknowledged_at=created + timedelta(days=1, seconds=20), status="acknowledged"))
    return {"week": week, "monday": monday, "alarm_ids": alarm_ids}


def test_anev_json_figures(client: Any, week_data: dict[str, Any]) -> None:
    response = client.get(f"/api/v1/reports/anev?org=polsek-kedungkandang&week="
                          f"{week_data['week']}", headers=login(client, "pimpinan"))
    assert response.status_code == 200, response.text
    report = response.json()
    s = report["summary"]
    assert s["visits"] == 4
    assert (s["officers_total"], s["officers_active"]) == (12, 2)
    assert (s["kelurahan_total"], s["kelurahan_visited"]) == (12, 2)
    officers = {r["officer"]: r for r in report["visits_by_officer"]}
    assert officers["Bhabinkamtibmas Arjowinangun"]["visits"] == 3
    assert officers["Bhabinkamtibmas Arjowinangun"]["places"] == 3
    assert officers["Bhabinkamtibmas Bumiayu"]["visits"] == 1
    kelurahan = {r["kelurahan"]: r for r in report["visits_by_kelurahan"]}
    assert kelurahan["Arjowinangun"]["visits"] == 3 and kelurahan["Buring"]["visits"] == 0
    assert "Buring" in report["gaps"]["kelurahan"] and len(report["gaps"]["kelurahan"]) == 10
    assert "Bhabinkamtibmas Buring" in report["gaps"]["officers"]
    topics = {t["topic"]: t["count"] for t in report["topics"]}
    assert topics == {"crime": 2, "drugs": 2, "brawl": 1, "radicalism": 0, "dispute": 0,
                      "traffic": 0, "disaster": 0, "other": 0}
    follow = report["follow_ups"]
    assert (follow["opened"], follow["closed"], follow["open_at_end"]) == (2, 1, 1)
    by_function = {r["function"]: r for r in follow["by_function"]}
    assert by_function["reskrim"]["opened"] == 1 and by_function["lantas"]["closed"] == 1
    alarms = report["alarms"]
    assert (alarms["total"], alarms["acknowledged"]) == (2, 2)
    assert alarms["ack_median_s"] == 14.0 and alarms["ack_max_s"] == 20.0
    assert alarms["ack_within_target"] == 1
    assert sum(d["visits"] for d in report["daily"]) == 4
    assert [d["visits"] for d in report["daily"]][1:4] == [2, 1, 1]


def test_anev_dispatch_and_arrival_times(client: Any, week_data: dict[str, Any]) -> None:
    pytest.importorskip("siaga.dispatch.models")
    from sqlalchemy import select

    from siaga.alarms.models import Alarm
    from siaga.db import get_database
    from siaga.dispatch.models import Assignment
    from siaga.units.models import Unit

    with get_database().session() as session:
        unit = session.scalars(select(Unit).order_by(Unit.id)).first()
        if unit is None:
            pytest.skip("no demo units")
        alarm = session.get(Alarm, week_data["alarm_ids"][0])
        assert alarm is not None
        if not session.scalar(select(Assignment).where(Assignment.alarm_id == alarm.id)):
            session.add(Assignment(
                alarm_id=alarm.id, unit_id=unit.id, status="on_scene", org_path=alarm.org_path,
                dispatched_at=alarm.created_at + timedelta(seconds=30),
                on_scene_at=alarm.created_at + timedelta(seconds=400)))
    report = client.get(f"/api/v1/reports/anev?org=polsek-kedungkandang&week="
                        f"{week_data['week']}", headers=login(client, "pimpinan")).json()
    alarms = report["alarms"]
    assert (alarms["dispatched"], alarms["dispatch_median_s"]) == (1, 30.0)
    assert (alarms["arrived"], alarms["arrival_median_s"]) == (1, 400.0)
    assert alarms["arrival_within_target"] == 1


def test_anev_csv_and_pdf(client: Any, week_data: dict[str, Any]) -> None:
    headers = login(client, "pimpinan")
    url = f"/api/v1/reports/anev?org=polsek-kedungkandang&week={week_data['week']}"
    as_csv = client.get(url + "&format=csv", headers=headers)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    facts = {(r["bagian"], r["butir"], r["ukuran"]): r["nilai"] for r in rows}
    assert facts[("Ringkasan", "", "Kunjungan (DDS)")] == "4"
    assert facts[("Kunjungan per petugas", "Bhabinkamtibmas Arjowinangun", "Kunjungan")] == "3"
    assert facts[("Topik dibahas", "Narkoba", "Kunjungan")] == "2"
    assert facts[("Tindak lanjut", "", "Selesai")] == "1"
    assert facts[("Alarm", "", "Median waktu terima")] == "14"
    assert ("Celah cakupan", "Buring", "Kelurahan tanpa kunjungan") in facts
    days = [r["tanggal_iso"] for r in rows if r["bagian"] == "Harian"]
    assert days and all(len(d) == 10 and d[4] == "-" for d in days)
    values = " ".join(v for r in rows for v in r.values())
    for raw in ("drugs", "none", "computed", "polsek-", "acknowledged"):
        assert raw not in values
    kamus = client.get("/api/v1/reports/anev?kamus=1", headers=headers)
    assert kamus.status_code == 200, kamus.text
    described = {r["kolom"] for r in csv.DictReader(io.StringIO(kamus.text))}
    assert described == set(rows[0])
    as_pdf = client.get(url + "&format=pdf", headers=headers)
    assert as_pdf.status_code == 200
    assert as_pdf.headers["content-type"] == "application/pdf"
    assert as_pdf.content.startswith(b"%PDF")
    assert "attachment" in as_pdf.headers["content-disposition"]


def test_anev_scope_and_bad_week(client: Any, week_data: dict[str, Any]) -> None:
    tegal = login(client, "pimpinan.tegal")
    url = f"/api/v1/reports/anev?org=polsek-kedungkandang&week={week_data['week']}"
    assert client.get(url, headers=tegal).status_code == 403
    assert client.get(url, headers=login(client, "bhabin.kauman")).status_code == 403
    bad = client.get("/api/v1/reports/anev?org=polsek-kedungkandang&week=2026-W60",
                     headers=login(client, "pimpinan"))
    assert bad.status_code == 422
    own = client.get(f"/api/v1/reports/anev?week={week_data['week']}",
                     headers=login(client, "pimpinan")).json()
    assert own["org"]["code"] == "polres-malang-kota" and own["summary"]["visits"] >= 4


def test_anev_command_line(siaga_env: dict[str, str], week_data: dict[str, Any],
                           tmp_path: Any) -> None:
    base = [sys.executable, "-m", "siaga.cli.main", "report", "anev", "--org",
            "polsek-kedungkandang", "--week", week_data["week"]]
    env = {**__import__("os").environ, **siaga_env}
    out = subprocess.run(base, capture_output=True, env=env, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr.decode()
    report = json.loads(out.stdout)
    assert report["summary"]["visits"] == 4 and report["week"] == week_data["week"]
    for fmt, magic in (("csv", b"bagian,butir,ukuran,nilai"), ("pdf", b"%PDF")):
        target = tmp_path / f"anev.{fmt}"
        done = subprocess.run(base + ["--format", fmt, "--out", str(target)],
                              capture_output=True, env=env, cwd=REPO, timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        assert target.read_bytes().startswith(magic)
    wrong = subprocess.run(base[:-2] + ["--week", "minggu-lalu"], capture_output=True, env=env,
                           cwd=REPO, timeout=120)
    assert wrong.returncode == 2 and "TAHUN-Wnn" in wrong.stderr.decode()
