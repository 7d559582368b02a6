"""The connector webhook: authentication, hashed authors, idempotency; and warning grouping."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from tests.conftest import login
from tests.intel.cli import intel_cli


def _post(ext: str, text: str, at: datetime, source: str = "tiktok",
          author: str = "@akun_uji") -> dict[str, Any]:
    return {"source": source, "external_id": ext, "author": author,
            "posted_at": at.isoformat(), "text": text, "link": f"https://example.org/{ext}"}


def _db_post(source: str, ext: str) -> Any:
    from siaga.db import get_database
    from siaga.intel.models import MediaPost

    with get_database().session() as session:
        return session.scalar(select(MediaPost).where(MediaPost.source == source,
                                                      MediaPost.external_id == ext))


def test_webhook_needs_a_connector_or_analyst_token(client: Any) -> None:
    body = _post(uuid.uuid4().hex, "tes", datetime(2026, 9, 1, 3, tzinfo=UTC))
    assert client.post("/api/v1/mediaintel/posts", json=body).status_code == 401
    bad = {"Authorization": "Bearer sgc_nonsense"}
    assert client.post("/api/v1/mediaintel/posts", json=body, headers=bad).status_code == 401
    operator = login(client, "operator.tegal")
    assert client.post("/api/v1/mediaintel/posts", json=body,
                       headers=operator).status_code == 403
    assert client.post("/api/v1/mediaintel/posts", json=body,
                       headers=login(client, "analis")).status_code == 201


def test_connector_token_and_idempotency(client: Any) -> None:
    admin = login(client, "admin")
    made = client.post("/api/v1/mediaintel/connectors",
                       json={"name": f"crawler-{uuid.uuid4().hex[:6]}", "org": "polres-tegal"},
                       headers=admin)
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    at = datetime(2026, 9, 2, 3, tzinfo=UTC)
    ext = uuid.uuid4().hex
    batch = {"posts": [_post(ext, "sparing futsal sore ini di gor", at),
                       _post(ext + "b", "mabar ff nanti malam", at)]}
    first = client.post("/api/v1/mediaintel/posts", json=batch, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["created"] == 2
    again = client.post("/api/v1/mediaintel/posts", json=batch, headers=headers)
    assert again.status_code == 200
    assert again.json()["created"] == 0 and again.json()["duplicates"] == 2
    assert [i["id"] for i in again.json()["items"]] == [i["id"] for i in first.json()["items"]]
    # The same external id from another source is another post.
    other = client.post("/api/v1/mediaintel/posts", headers=headers,
                        json=_post(ext, "sparing futsal", at, source="instagram"))
    assert other.status_code == 201


def test_author_is_stored_as_hmac_only(client: Any) -> None:
    from siaga.config import get_settings

    ext = uuid.uuid4().hex
    response = client.post("/api/v1/mediaintel/posts", headers=login(client, "analis"),
                           json=_post(ext, "otw sekolah", datetime(2026, 9, 3, tzinfo=UTC),
                                      author="@Rahasia_Sekali"))
    assert response.status_code == 201
    stored = _db_post("tiktok", ext)
    expected = hmac.new(get_settings().secret_key.encode(), b"rahasia_sekali",
                        hashlib.sha256).hexdigest()
    assert stored.author_hash == expected
    assert stored.author_handle is None


def test_bad_post_is_refused_naming_the_field(client: Any) -> None:
    analyst = login(client, "analis")
    body = _post(uuid.uuid4().hex, "x", datetime(2026, 9, 3, tzinfo=UTC))
    body["posted_at"] = "2026-09-03T10:00:00"
    response = client.post("/api/v1/mediaintel/posts", json=body, headers=analyst)
    assert response.status_code == 422


def test_posts_sharing_school_place_and_time_make_one_warning(client: Any) -> None:
    from siaga.db import get_database
    from siaga.events.models import EventRecord

    analyst = login(client, "analis")
    # Tuesday 6 October 2026, morning WIB; far from any other test's posts.
    t0 = datetime(2026, 10, 6, 2, 0, tzinfo=UTC)
    tag = uuid.uuid4().hex[:8]
    posts = [
        _post(f"{tag}-1", "anak smk peristek pangkah katanya jago, besok jam 2 ditunggu di "
                          "lapangan balamoa, jgn kabur", t0, author="@a1"),
        _post(f"{tag}-2", "siapin gir sama celurit, besok pulang sekolah kita ke balamoa "
                          "cegat anak peristek", t0 + timedelta(minutes=40), source="instagram",
              author="@a2"),
        _post(f"{tag}-3", "smk diponegoro lebaksiu all member kumpul jumat malam di "
                          "desa kesuben, serang", t0 + timedelta(hours=1), author="@a3"),
        _post(f"{tag}-4", "stop tawuran, pelajar pangkah harus berprestasi", t0, author="@a4"),
    ]
    response = client.post("/api/v1/mediaintel/posts", json={"posts": posts}, headers=analyst)
    assert response.status_code == 201, response.text
    items = response.json()["items"]
    assert [i["is_warning"] for i in items] == [True, True, True, False]
    first, second, third, _ = (i["warning_id"] for i in items)
    assert first == second and third != first
    warning = client.get(f"/api/v1/mediaintel/warnings/{first}", headers=analyst).json()
    assert warning["schools"] == ["SMK Peristek Pangkah"]
    assert warning["places"] == ["Balamoa"]
    assert warning["post_count"] == 2 and len(warning["posts"]) == 2
    assert warning["stage"] == "assembling"
    assert warning["window_start"].startswith("2026-10-07T06:30")  # 13:30 WIB
    assert "Balamoa" in warning["suggested_action"]
    assert "Bhabinkamtibmas" in warning["suggested_action"]
    assert warning["org_path"].endswith("/polsek-pangkah/")
    assert warning["risk"] >= max(items[0]["risk"], items[1]["risk"])
    with get_database().session() as session:
        types = [e.type for e in session.scalars(select(EventRecord).order_by(EventRecord.id))
                 if e.payload.get("warning", {}).get("id") == first]
    assert types[0] == "warning.created" and "warning.updated" in types
    # The operator's map reads warnings; only an analyst judges them.
    operator = login(client, "operator.tegal")
    listed = client.get("/api/v1/mediaintel/warnings?status=open&limit=1000", headers=operator)
    assert first in [w["id"] for w in listed.json()["items"]]
    assert client.post(f"/api/v1/mediaintel/warnings/{first}/verdict",
                       json={"verdict": "confirmed"}, headers=operator).status_code == 403
    judged = client.post(f"/api/v1/mediaintel/warnings/{first}/verdict",
                         json={"verdict": "confirmed", "note": "sesuai info Bhabin"},
                         headers=analyst)
    assert judged.status_code == 200 and judged.json()["status"] == "confirmed"
    assert _db_post("tiktok", f"{tag}-1").label == 1
    dismissed = client.post(f"/api/v1/mediaintel/warnings/{third}/verdict",
                            json={"verdict": "dismissed"}, headers=analyst)
    assert dismissed.json()["status"] == "dismissed"
    assert _db_post("tiktok", f"{tag}-3").label == 0
    # Malang's operator does not see Tegal's warnings.
    malang = login(client, "operator")
    assert client.get(f"/api/v1/mediaintel/warnings/{first}", headers=malang).status_code == 404


def test_people_already_gathered_make_the_stage_gathering(client: Any) -> None:
    analyst = login(client, "analis")
    t0 = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)
    tag = uuid.uuid4().hex[:8]
    posts = [_post(f"{tag}-1", "smp 1 dukuhwaru udah kumpul 30an orang di desa selapura, "
                               "merapat skrg bawa alat", t0)]
    response = client.post("/api/v1/mediaintel/posts", json={"posts": posts}, headers=analyst)
    warning_id = response.json()["items"][0]["warning_id"]
    warning = client.get(f"/api/v1/mediaintel/warnings/{warning_id}", headers=analyst).json()
    assert warning["stage"] == "gathering"
    assert warning["suggested_action"].startswith("SEGERA")


def test_import_file_and_train_from_verdicts(client: Any, tmp_path: Any) -> None:
    import json

    from typer.testing import CliRunner

    app = intel_cli()
    tag = uuid.uuid4().hex[:8]
    csv_file = tmp_path / "posts.csv"
    csv_file.write_text(
        "source,external_id,author,posted_at,text\n"
        f"fb,{tag}-1,@x,2026-08-01T10:00:00+07:00,\"gas kumpul di kalisapu besok jam 2, "
        "sikat smkn 2 slawi\"\n"
        f"fb,{tag}-2,@y,2026-08-01T10:05:00+07:00,latihan voli sore ini\n", encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["mediaintel", "import", str(csv_file), "--org", "polres-tegal"])
    assert first.exit_code == 0, first.output
    imported = json.loads(first.output)
    assert imported["created"] == 2
    # The analyst's verdict on the imported warning is what the model learns from.
    [warning_id] = imported["warnings"]
    judged = client.post(f"/api/v1/mediaintel/warnings/{warning_id}/verdict",
                         json={"verdict": "confirmed"}, headers=login(client, "analis"))
    assert judged.status_code == 200, judged.text
    again = runner.invoke(app, ["mediaintel", "import", str(csv_file)])
    assert json.loads(again.output) == {"read": 2, "created": 0, "duplicates": 2,
                                        "warnings": []}
    model_file = tmp_path / "model.pkl"
    trained = runner.invoke(app, ["mediaintel", "train", "--out", str(model_file)])
    assert trained.exit_code == 0, trained.output
    assert json.loads(trained.output)["analyst_labels"] >= 1
    assert model_file.stat().st_size > 1000
