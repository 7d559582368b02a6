"""Visit forms through the HTTP API: photos, EXIF, flags, idempotency, scope, follow-ups."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import login, register_device
from tests.visits.helpers import make_image, post_visit, region_named, region_of


def _near(region: dict[str, Any], dlat: float = 0.001) -> dict[str, float]:
    return {"lat": region["lat"] + dlat, "lon": region["lon"], "accuracy_m": 15}


def test_visit_with_photo_is_stored_with_exif_and_served_to_its_officer(client: Any) -> None:
    from siaga.config import get_settings

    officer = login(client, "bhabin.kauman")
    kauman = region_of("bhabin.kauman")
    taken = datetime.now(UTC) - timedelta(minutes=20)
    photo = make_image(taken_at=taken, gps=(kauman["lat"], kauman["lon"]))
    response = post_visit(client, officer, [photo], **_near(kauman),
                          visited_at=(taken + timedelta(minutes=5)).isoformat(),
                          follow_ups=[])
    assert response.status_code == 201, response.text
    visit = response.json()
    assert visit["region_name"] == "Kauman"
    assert visit["officer_name"] == "Bhabinkamtibmas Kauman"
    assert visit["flags"] == [] and visit["flagged"] is False
    assert visit["distance_m"] < 200
    shot = visit["photos"][0]
    assert abs(datetime.fromisoformat(shot["taken_at"]) - taken) < timedelta(seconds=2)
    assert abs(shot["exif_lat"] - kauman["lat"]) < 1e-4
    assert abs(shot["exif_lon"] - kauman["lon"]) < 1e-4
    served = client.get(shot["url"], headers=officer)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    digest = hashlib.sha256(photo).hexdigest()
    assert hashlib.sha256(served.content).hexdigest() == digest
    stored = get_settings().data_dir / "photos" / digest[:2] / digest
    assert stored.read_bytes() == photo
    assert client.get(shot["url"]).status_code == 401
    assert client.get(f"/static/../photos/{digest[:2]}/{digest}").status_code == 404


def test_the_same_visit_synced_twice_is_stored_once(client: Any) -> None:
    officer = login(client, "bhabin.kauman")
    kauman = region_of("bhabin.kauman")
    client_id = str(uuid.uuid4())
    photo = make_image()
    first = post_visit(client, officer, [photo], client_id=client_id, **_near(kauman))
    again = post_visit(client, officer, [photo], client_id=client_id, **_near(kauman))
    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert first.json()["id"] == again.json()["id"]
    assert again.json()["flags"] == first.json()["flags"]
    assert not any(f["code"] == "photo_reused" for f in again.json()["flags"])
    listed = client.get("/api/v1/visits?limit=1000", headers=officer).json()["items"]
    assert sum(1 for v in listed if v["client_id"] == client_id) == 1
    other = login(client, "bhabin.klojen")
    clash = post_visit(client, other, [], client_id=client_id)
    assert clash.status_code == 409
    assert clash.json()["detail"]["field"] == "client_id"


def test_non_images_are_refused_with_a_clear_message_and_nothing_is_kept(client: Any) -> None:
    officer = login(client, "bhabin.kauman")
    client_id = str(uuid.uuid4())
    fake = b"%PDF-1.4 this is not a photo at all" * 10
    response = post_visit(client, officer, [fake], client_id=client_id)
    assert response.status_code == 415
    detail = response.json()["detail"]
    assert detail["field"] == "photos.0"
    assert "bukan gambar" in detail["msg"]
    gif = make_image(fmt="GIF")
    response = post_visit(client, officer, [gif], client_id=client_id)
    assert response.status_code == 415 and "JPEG" in response.json()["detail"]["msg"]
    truncated = make_image()[:400]
    assert post_visit(client, officer, [truncated], client_id=client_id).status_code == 415
    assert post_visit(client, officer, [make_image()], client_id=client_id).status_code == 201


def test_oversized_photos_are_refused(client: Any, monkeypatch: Any) -> None:
    from siaga.config import get_settings

    officer = login(client, "bhabin.kauman")
    monkeypatch.setattr(get_settings(), "photo_max_bytes", 2000)
    response = post_visit(client, officer, [make_image(size=(800, 600))])
    assert response.status_code == 413
    assert "terlalu besar" in response.json()["detail"]["msg"]
    monkeypatch.setattr(get_settings(), "photo_max_bytes", 8 * 1024 * 1024)
    monkeypatch.setattr(get_settings(), "photos_per_visit", 2)
    response = post_visit(client, officer, [make_image() for _ in range(3)])
    assert response.status_code == 413 and "Paling banyak 2 foto" in response.text


def test_reused_and_near_identical_photos_are_flagged_not_refused(client: Any) -> None:
    officer = login(client, "bhabin.kauman")
    kauman = region_of("bhabin.kauman")
    seed = uuid.uuid4().int
    original = make_image(seed)
    first = post_visit(client, officer, [original], **_near(kauman)).json()
    assert not any(f["code"].startswith("photo_") for f in first["flags"])

    reused = post_visit(client, officer, [original], **_near(kauman))
    assert reused.status_code == 201
    flags = {f["code"]: f for f in reused.json()["flags"]}
    assert flags["photo_reused"]["visits"] == [first["id"]]
    assert reused.json()["flagged"] is True

    # Re-encoded smaller and a little brighter: different bytes, the same picture.
    similar = make_image(seed, size=(240, 180), quality=60, brighten=1.08)
    near = post_visit(client, officer, [similar], **_near(kauman)).json()
    codes = {f["code"]: f for f in near["flags"]}
    assert "photo_reused" not in codes
    assert first["id"] in codes["photo_similar"]["visits"]

    fresh = post_visit(client, officer, [make_image()], **_near(kauman)).json()
    assert not any(f["code"].startswith("photo_") for f in fresh["flags"])


def test_dhash_distance_separates_similar_from_different_images() -> None:
    from io import BytesIO

    from PIL import Image

    from siaga.visits.photos import dhash, hamming

    seed = 12345
    a = dhash(Image.open(BytesIO(make_image(seed))))
    b = dhash(Image.open(BytesIO(make_image(seed, size=(160, 120), quality=50))))
    c = dhash(Image.open(BytesIO(make_image(seed + 1))))
    assert len(a) == 16
    assert hamming(a, b) <= 6
    assert hamming(a, c) > 10


def test_far_off_location_and_photo_are_flagged(client: Any) -> None:
    officer = login(client, "bhabin.kauman")
    kauman = region_of("bhabin.kauman")
    far = (kauman["lat"] + 0.09, kauman["lon"])  # about 10 km north
    old = datetime.now(UTC) - timedelta(days=3)
    photo = make_image(taken_at=old, gps=far)
    response = post_visit(client, officer, [photo], lat=far[0], lon=far[1])
    assert response.status_code == 201
    flags = {f["code"]: f for f in response.json()["flags"]}
    assert 9000 < flags["far_off"]["distance_m"] < 11000
    assert "km dari kelurahan Kauman" in flags["far_off"]["msg"]
    assert "photo_far" in flags and "photo_time" in flags


def test_visit_in_another_kelurahan_and_without_location_is_flagged(client: Any) -> None:
    officer = login(client, "bhabin.kauman")
    bareng = region_named("Bareng")
    response = post_visit(client, officer, [], region_id=bareng["id"])
    assert response.status_code == 201
    codes = {f["code"] for f in response.json()["flags"]}
    assert {"outside_area", "no_location", "no_photo"} <= codes
    assert response.json()["region_name"] == "Bareng"
    bandulan = region_named("Bandulan")  # Polsek Sukun: not this officer's Polsek
    outside = post_visit(client, officer, [], region_id=bandulan["id"])
    assert outside.status_code == 403
    assert outside.json()["detail"]["field"] == "region_id"


def test_bad_form_fields_are_refused_naming_the_field(client: Any) -> None:
    officer = login(client, "bhabin.kauman")
    cases = [
        ({"client_id": "nope"}, "client_id"),
        ({"place_type": "castle"}, "place_type"),
        ({"topics": ["aliens"]}, "topics.0"),
        ({"lat": 95}, "lat"),
        ({"rw": "abc"}, "rw"),
        ({"visited_at": (datetime.now(UTC) + timedelta(hours=3)).isoformat()}, "visited_at"),
        ({"visited_at": (datetime.now(UTC) - timedelta(days=60)).isoformat()}, "visited_at"),
        ({"follow_ups": [{"function": "pemadam", "description": "x" * 10}]},
         "follow_ups.0.function"),
    ]
    for fields, name in cases:
        response = post_visit(client, officer, [], **fields)
        assert response.status_code == 422, (fields, response.text)
        detail = response.json()["detail"]
        names = [d["field"] for d in detail] if isinstance(detail, list) else [detail["field"]]
        assert name in names, (fields, detail)
    broken = client.post("/api/v1/visits", data={"data": "{not json"}, headers=officer)
    assert broken.status_code == 422


def test_who_may_file_and_read_visits(client: Any) -> None:
    kauman_officer = login(client, "bhabin.kauman")
    visit = post_visit(client, kauman_officer, [make_image()]).json()
    url = f"/api/v1/visits/{visit['id']}"
    photo_url = visit["photos"][0]["url"]

    other_officer = login(client, "bhabin.dinoyo")
    assert client.get(url, headers=other_officer).status_code == 404
    assert client.get(photo_url, headers=other_officer).status_code == 404
    mine = client.get("/api/v1/visits?limit=1000", headers=other_officer).json()["items"]
    assert all(v["officer_name"] == "Bhabinkamtibmas Dinoyo" for v in mine)

    for username in ("operator.klojen", "operator", "pimpinan", "admin"):
        headers = login(client, username)
        assert client.get(url, headers=headers).status_code == 200, username
        assert client.get(photo_url, headers=headers).status_code == 200, username
    for username in ("operator.tegal", "pimpinan.tegal"):
        headers = login(client, username)
        assert client.get(url, headers=headers).status_code == 404, username
        listed = client.get("/api/v1/visits?limit=1000", headers=headers).json()["items"]
        assert visit["id"] not in {v["id"] for v in listed}

    assert post_visit(client, login(client, "operator"), []).status_code == 403
    device = register_device(client)
    assert client.get("/api/v1/visits", headers={"Authorization": device["Authorization"]}
                      ).status_code == 401
    assert client.get("/api/v1/visits/coverage", headers=kauman_officer).status_code == 403


def test_form_options_for_the_offline_form(client: Any) -> None:
    officer = login(client, "bhabin.kauman")
    options = client.get("/api/v1/visits/options", headers=officer).json()
    assert options["default_region_id"] == region_of("bhabin.kauman")["id"]
    names = {r["name"] for r in options["regions"]}
    assert "Kauman" in names and "Dinoyo" not in names
    assert options["place_types"]["worship"] == "Tempat ibadah"
    assert set(options["functions"]) == {"reskrim", "samapta", "binmas", "intelkam", "lantas"}


def test_coverage_shows_visits_and_gaps(client: Any) -> None:
    officer = login(client, "bhabin.samaan")
    samaan = region_of("bhabin.samaan")
    post_visit(client, officer, [make_image()], **_near(samaan), rw="07", place_name="Masjid A",
               place_type="worship")
    post_visit(client, officer, [make_image()], **_near(samaan), rw="07", place_name="Masjid A",
               place_type="worship")
    post_visit(client, officer, [make_image()], **_near(samaan), rw="02", place_name="SD 1",
               place_type="school")
    data = client.get("/api/v1/visits/coverage?org=polsek-klojen",
                      headers=login(client, "pimpinan")).json()
    rows = {r["name"]: r for r in data["kelurahan"]}
    assert rows["Samaan"]["visits_week"] >= 3 and rows["Samaan"]["places_month"] >= 2
    assert rows["Samaan"]["days_since_last"] == 0
    assert rows["Samaan"]["officers"] == ["Bhabinkamtibmas Samaan"]
    assert "Dinoyo" not in rows  # Lowokwaru is outside polsek-klojen
    quiet = rows["Penanggungan"]
    assert quiet["visits_month"] == 0 and quiet["last_visit_at"] is None
    assert data["kelurahan"][0]["visits_month"] == 0  # gaps come first
    rw = {r["name"]: r for r in data["rw"]}
    assert rw["Samaan RW 07"]["visits_week"] >= 2 and rw["Samaan RW 07"]["places_month"] == 1
    officers = {r["name"]: r for r in data["officers"]}
    assert officers["Bhabinkamtibmas Samaan"]["visits_week"] >= 3
    assert officers["Bhabinkamtibmas Penanggungan"]["visits_week"] == 0
    assert any(p["officer"] == "Bhabinkamtibmas Samaan" for p in data["points"])
    tegal = login(client, "operator.tegal")
    assert client.get("/api/v1/visits/coverage?org=polsek-klojen",
                      headers=tegal).status_code == 403


def test_problems_become_follow_ups_visible_to_the_reporting_officer(client: Any) -> None:
    officer = login(client, "bhabin.oro-oro-dowo")
    visit = post_visit(client, officer, [make_image()], problems="Peredaran pil koplo di kos",
                       topics=["drugs"],
                       follow_ups=[{"function": "reskrim",
                                    "description": "Selidiki peredaran pil koplo di kos RW 3"}]
                       ).json()
    assert len(visit["follow_ups"]) == 1
    task = visit["follow_ups"][0]
    assert task["function"] == "reskrim" and task["status"] == "open"
    assert task["due_date"] and task["reported_by_name"] == "Bhabinkamtibmas Oro Oro Dowo"

    later = client.post(f"/api/v1/visits/{visit['id']}/follow-ups", headers=officer,
                        json={"function": "lantas", "description": "Parkir liar di depan SD"})
    assert later.status_code == 201

    desk = login(client, "operator.klojen")
    queue = client.get("/api/v1/follow-ups?function=reskrim&status=active&limit=1000",
                       headers=desk).json()["items"]
    assert task["id"] in {t["id"] for t in queue}
    me = client.get("/api/v1/auth/me", headers=desk).json()
    due = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    assigned = client.patch(f"/api/v1/follow-ups/{task['id']}", headers=desk,
                            json={"owner_id": me["id"], "due_date": due,
                                  "status": "in_progress"})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["owner_name"] == "Operator Polsek Klojen"
    done = client.patch(f"/api/v1/follow-ups/{task['id']}", headers=desk,
                        json={"status": "done", "note": "Dua orang diamankan"})
    assert done.json()["closed_at"] is not None

    seen = client.get(f"/api/v1/visits/{visit['id']}", headers=officer).json()["follow_ups"]
    assert {t["function"]: t["status"] for t in seen} == {"reskrim": "done", "lantas": "open"}
    mine = client.get("/api/v1/follow-ups?limit=1000", headers=officer).json()["items"]
    assert {task["id"], later.json()["id"]} <= {t["id"] for t in mine}

    refused = client.patch(f"/api/v1/follow-ups/{task['id']}", headers=officer,
                           json={"status": "open"})
    assert refused.status_code == 403
    tegal_owner = client.get("/api/v1/auth/me", headers=login(client, "operator.tegal")).json()
    wrong = client.patch(f"/api/v1/follow-ups/{task['id']}", headers=desk,
                         json={"owner_id": tegal_owner["id"]})
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "owner_id"
    outsider = login(client, "bhabin.dinoyo")
    assert client.patch(f"/api/v1/follow-ups/{task['id']}", headers=outsider,
                        json={"status": "open"}).status_code == 404


def test_every_write_is_audited(client: Any) -> None:
    from sqlalchemy import select

    from siaga.audit.models import AuditEntry
    from siaga.db import get_database

    officer = login(client, "bhabin.kauman")
    visit = post_visit(client, officer, [make_image()], follow_ups=[
        {"function": "binmas", "description": "Penyuluhan kenakalan remaja"}]).json()
    with get_database().session() as session:
        actions = set(session.scalars(select(AuditEntry.action).where(
            AuditEntry.target_id.in_([str(visit["id"]), str(visit["follow_ups"][0]["id"])]))))
    assert {"visit.create", "follow_up.open"} <= actions
