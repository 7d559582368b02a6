"""Intake never crosses organisations: a post naming another organisation's school does not
join its warning, and a resent post of another organisation reveals nothing of it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import login

TEXT = ("anak smk peristek pangkah katanya jago, besok jam 2 ditunggu di lapangan balamoa, "
        "jgn kabur")


def _post(ext: str, at: datetime, source: str = "tiktok") -> dict[str, Any]:
    return {"source": source, "external_id": ext, "author": f"@{ext[:6]}",
            "posted_at": at.isoformat(), "text": TEXT}


def _malang_connector(client: Any) -> dict[str, str]:
    made = client.post("/api/v1/mediaintel/connectors", headers=login(client, "admin"),
                       json={"name": f"malang-{uuid.uuid4().hex[:8]}",
                             "org": "polres-malang-kota"})
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['token']}"}


def test_a_post_naming_another_organisations_school_does_not_join_its_warning(
        client: Any) -> None:
    analyst = login(client, "analis")  # Polres Tegal
    t0 = datetime(2027, 2, 9, 2, 0, tzinfo=UTC)
    tegal = client.post("/api/v1/mediaintel/posts", headers=analyst,
                        json=_post(uuid.uuid4().hex, t0))
    assert tegal.status_code == 201, tegal.text
    warning_id = tegal.json()["items"][0]["warning_id"]
    assert warning_id is not None
    malang = client.post("/api/v1/mediaintel/posts", headers=_malang_connector(client),
                         json=_post(uuid.uuid4().hex, t0 + timedelta(minutes=30),
                                    source="instagram"))
    assert malang.status_code == 201, malang.text
    item = malang.json()["items"][0]
    assert item["warning_id"] != warning_id
    assert warning_id not in malang.json()["warnings"]
    warning = client.get(f"/api/v1/mediaintel/warnings/{warning_id}", headers=analyst).json()
    assert warning["post_count"] == 1
    # Whatever the Malang post opened stays in Malang, without Tegal's school or place.
    if item["warning_id"] is not None:
        own = client.get(f"/api/v1/mediaintel/warnings/{item['warning_id']}",
                         headers=login(client, "admin")).json()
        assert "/polres-malang-kota/" in own["org_path"]
        assert own["schools"] == [] and own["places"] == []


def test_a_resent_post_of_another_organisation_reveals_nothing(client: Any) -> None:
    ext = uuid.uuid4().hex
    t0 = datetime(2027, 2, 23, 2, 0, tzinfo=UTC)
    stored = client.post("/api/v1/mediaintel/posts", headers=login(client, "analis"),
                         json=_post(ext, t0))
    assert stored.status_code == 201 and stored.json()["items"][0]["risk"] is not None
    again = client.post("/api/v1/mediaintel/posts", headers=_malang_connector(client),
                        json=_post(ext, t0))
    assert again.status_code == 200, again.text
    assert again.json()["created"] == 0 and again.json()["duplicates"] == 1
    assert again.json()["items"] == [{"id": None, "source": "tiktok", "external_id": ext,
                                      "created": False, "risk": None, "is_warning": None,
                                      "warning_id": None}]


def test_a_duplicate_connector_name_is_refused_with_409(client: Any) -> None:
    admin = login(client, "admin")
    name = f"crawler-{uuid.uuid4().hex[:8]}"
    assert client.post("/api/v1/mediaintel/connectors", headers=admin,
                       json={"name": name}).status_code == 201
    again = client.post("/api/v1/mediaintel/connectors", headers=admin, json={"name": name})
    assert again.status_code == 409, again.text
    assert again.json()["detail"]["field"] == "name"
