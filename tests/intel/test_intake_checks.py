"""The webhook's checks: token before body, Indonesian errors naming the field, blank and
numeric values, links, place tags, duplicates' warnings, classify's times, and landmarks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from tests.conftest import login

NAIVE = "waktu harus menyertakan zona waktu (mis. 2026-11-22T14:00:00+07:00)"


def _post(ext: Any, text: str, at: datetime, **extra: Any) -> dict[str, Any]:
    return {"source": "tiktok", "external_id": ext, "author": "@akun_uji",
            "posted_at": at.isoformat(), "text": text, **extra}


def _errors(response: Any) -> dict[str | None, str]:
    assert response.status_code == 422, response.text
    return {e["field"]: e["msg"] for e in response.json()["detail"]}


def _stored(source: str, ext: str) -> Any:
    from siaga.db import get_database
    from siaga.intel.models import MediaPost

    with get_database().session() as session:
        return session.scalar(select(MediaPost).where(MediaPost.source == source,
                                                      MediaPost.external_id == ext))


def test_the_token_is_checked_before_the_body(client: Any) -> None:
    for body in ({}, {"posts": []}):
        response = client.post("/api/v1/mediaintel/posts", json=body)
        assert response.status_code == 401
        assert "token" in response.json()["detail"]
    garbled = client.post("/api/v1/mediaintel/posts", content=b"{not json",
                          headers={"Content-Type": "application/json"})
    assert garbled.status_code == 401
    operator = login(client, "operator.tegal")
    assert client.post("/api/v1/mediaintel/posts", json={}, headers=operator).status_code == 403


def test_errors_name_the_fields_of_the_one_shape_sent(client: Any) -> None:
    analyst = login(client, "analis")
    empty = _errors(client.post("/api/v1/mediaintel/posts", json={}, headers=analyst))
    assert empty == {"source": "wajib diisi", "external_id": "wajib diisi",
                     "posted_at": "wajib diisi", "text": "wajib diisi"}
    at = datetime(2026, 9, 4, 3, tzinfo=UTC)
    batch = {"posts": [_post(uuid.uuid4().hex, "latihan", at), _post(uuid.uuid4().hex, "", at)]}
    errors = _errors(client.post("/api/v1/mediaintel/posts", json=batch, headers=analyst))
    assert errors == {"posts.1.text": "tidak boleh kosong"}
    garbled = client.post("/api/v1/mediaintel/posts", content=b"{not json", headers={
        **analyst, "Content-Type": "application/json"})
    assert _errors(garbled) == {None: "Badan permintaan bukan JSON yang sah"}
    naive = _post(uuid.uuid4().hex, "latihan", at, posted_at="2026-09-04T10:00:00")
    assert _errors(client.post("/api/v1/mediaintel/posts", json=naive,
                               headers=analyst)) == {"posted_at": NAIVE}


def test_blank_values_are_refused_and_numeric_ids_kept_as_text(client: Any) -> None:
    analyst = login(client, "analis")
    at = datetime(2026, 9, 5, 3, tzinfo=UTC)
    ext = uuid.uuid4().hex
    blank = _post(ext, "   ", at, source="  ")
    errors = _errors(client.post("/api/v1/mediaintel/posts", json=blank, headers=analyst))
    assert errors == {"source": "tidak boleh kosong", "text": "tidak boleh kosong"}
    assert _stored("", ext) is None
    number = uuid.uuid4().int % 10**12
    numeric = client.post("/api/v1/mediaintel/posts", headers=analyst,
                          json=_post(number, "  latihan voli sore  ", at, source=" TikTok ",
                                     place="  ", link=""))
    assert numeric.status_code == 201, numeric.text
    assert numeric.json()["items"][0]["external_id"] == str(number)
    stored = _stored("tiktok", str(number))
    assert (stored.text, stored.place, stored.link) == ("latihan voli sore", None, None)
    flag = _post(True, "latihan", at)
    assert "external_id" in _errors(client.post("/api/v1/mediaintel/posts", json=flag,
                                                headers=analyst))


def test_links_must_be_web_addresses(client: Any) -> None:
    analyst = login(client, "analis")
    at = datetime(2026, 9, 6, 3, tzinfo=UTC)
    for link in ("javascript:alert(1)", "ftp://example.org/x", "file:///etc/passwd", "https://"):
        ext = uuid.uuid4().hex
        errors = _errors(client.post("/api/v1/mediaintel/posts", headers=analyst,
                                     json=_post(ext, "latihan", at, link=link)))
        assert errors == {"link": "tautan harus alamat web yang diawali http:// atau https://"}
        assert _stored("tiktok", ext) is None
    ok = client.post("/api/v1/mediaintel/posts", headers=analyst,
                     json=_post(uuid.uuid4().hex, "latihan", at, url="HTTPS://example.org/p"))
    assert ok.status_code == 201, ok.text


def test_the_place_tag_names_the_place_of_the_post(client: Any) -> None:
    analyst = login(client, "analis")
    # Far from other tests' posts, so that it opens its own warning.
    at = datetime(2027, 3, 2, 2, tzinfo=UTC)
    body = _post(uuid.uuid4().hex, "anak smk peristek pangkah katanya jago, besok jam 2 "
                                   "ditunggu, jgn kabur", at, place="Lapangan Balamoa")
    response = client.post("/api/v1/mediaintel/posts", json=body, headers=analyst)
    assert response.status_code == 201, response.text
    item = response.json()["items"][0]
    assert item["is_warning"] and item["warning_id"] is not None
    warning = client.get(f"/api/v1/mediaintel/warnings/{item['warning_id']}",
                         headers=analyst).json()
    assert warning["places"] == ["Balamoa"]
    assert "Balamoa" in warning["suggested_action"]


def test_a_repeated_post_answers_with_its_warning(client: Any) -> None:
    analyst = login(client, "analis")
    at = datetime(2027, 3, 9, 2, tzinfo=UTC)
    body = _post(uuid.uuid4().hex, "smp 1 dukuhwaru udah kumpul 30an orang di desa selapura, "
                                   "merapat skrg bawa alat", at)
    first = client.post("/api/v1/mediaintel/posts", json=body, headers=analyst)
    warning_id = first.json()["items"][0]["warning_id"]
    assert warning_id is not None
    again = client.post("/api/v1/mediaintel/posts", json=body, headers=analyst)
    assert again.status_code == 200
    assert again.json()["items"][0]["created"] is False
    assert again.json()["items"][0]["warning_id"] == warning_id
    # Only warnings this intake changed are listed at the top.
    assert again.json()["warnings"] == []
    twice = {"posts": [_post(uuid.uuid4().hex, body["text"], at)] * 2}
    items = client.post("/api/v1/mediaintel/posts", json=twice, headers=analyst).json()["items"]
    assert [i["created"] for i in items] == [True, False]
    assert items[1]["warning_id"] == items[0]["warning_id"] is not None


def test_classify_refuses_a_time_without_zone_like_posts(client: Any) -> None:
    analyst = login(client, "analis")
    assert client.post("/api/v1/mediaintel/classify", json={"text": "x"}).status_code == 401
    naive = client.post("/api/v1/mediaintel/classify", headers=analyst,
                        json={"text": "besok jam 2 di balamoa", "posted_at": "2026-09-03T10:00"})
    assert _errors(naive) == {"posted_at": NAIVE}
    blank = client.post("/api/v1/mediaintel/classify", headers=analyst, json={"text": "  "})
    assert _errors(blank) == {"text": "tidak boleh kosong"}
    aware = client.post("/api/v1/mediaintel/classify", headers=analyst,
                        json={"text": "besok jam 2 di balamoa",
                              "posted_at": "2026-09-03T10:00:00+07:00"})
    assert aware.status_code == 200 and aware.json()["places"] == ["Balamoa"]


def _landmarks() -> list[Any]:
    from siaga.db import get_database
    from siaga.intel.models import Landmark

    with get_database().session() as session:
        return list(session.scalars(select(Landmark)))


def test_landmarks_are_unique_and_inside_the_analysts_area(client: Any) -> None:
    from siaga.db import get_database
    from siaga.orgs.models import Organisation

    analyst = login(client, "analis")
    tag = uuid.uuid4().hex[:6]
    name = f"Tugu Uji {tag}"
    url = "/api/v1/mediaintel/landmarks"
    made = client.post(url, headers=analyst, json={"name": name, "lat": -6.983, "lon": 109.139})
    assert made.status_code == 201, made.text
    again = client.post(url, headers=analyst,
                        json={"name": f" {name.upper()} ", "lat": -6.983, "lon": 109.139})
    assert again.status_code == 409
    assert again.json()["detail"] == {"msg": f"Landmark bernama {name.upper()} sudah ada",
                                      "field": "name"}
    before = len(_landmarks())
    outside = {"msg": "Titik landmark di luar wilayah Anda", "field": "lat"}
    for lat, lon in ((-7.9771, 112.6340), (-6.1754, 106.8272)):  # Malang, Monas (Jakarta)
        response = client.post(url, headers=analyst,
                               json={"name": f"Jauh {tag} {lat}", "lat": lat, "lon": lon})
        assert response.status_code == 422 and response.json()["detail"] == outside
    other_org = client.post(url, headers=analyst, json={
        "name": f"Alun Uji {tag}", "lat": -6.983, "lon": 109.139, "org": "polres-malang-kota"})
    assert other_org.status_code == 422
    assert other_org.json()["detail"] == {
        "msg": "Satuan tidak ada di wilayah Anda: polres-malang-kota", "field": "org"}
    assert len(_landmarks()) == before
    chosen = client.post(url, headers=analyst, json={
        "name": f"Alun Uji {tag}", "lat": -6.983, "lon": 109.139, "org": "polsek-pangkah"})
    assert chosen.status_code == 201, chosen.text
    with get_database().session() as session:
        pangkah = session.scalar(select(Organisation).where(Organisation.code == "polsek-pangkah"))
        assert pangkah is not None
        pangkah_id = pangkah.id
    saved = next(lm for lm in _landmarks() if lm.id == chosen.json()["id"])
    assert saved.org_id == pangkah_id
