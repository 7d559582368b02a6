"""422 answers speak Bahasa Indonesia on every endpoint, in the usual field/msg/type/loc shape."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from siaga.validation import indonesian_errors, indonesian_message
from tests.conftest import KLOJEN, device_headers, login, register_device


def _by_field(response: Any) -> dict[str | None, str]:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    for item in detail:
        assert set(item) == {"field", "msg", "type", "loc"}
    return {item["field"]: item["msg"] for item in detail}


def test_missing_device_fields_are_named_in_indonesian(client: Any) -> None:
    response = client.post("/api/v1/devices", json={})
    assert _by_field(response) == {"phone": "wajib diisi", "name": "wajib diisi"}
    detail = response.json()["detail"]
    assert {(d["type"], tuple(d["loc"])) for d in detail} == {
        ("missing", ("body", "phone")), ("missing", ("body", "name"))}


def test_device_fields_in_the_wrong_format_say_so_in_indonesian(client: Any) -> None:
    errors = _by_field(client.post("/api/v1/devices", json={"phone": "abc", "name": "Ani",
                                                            "pin": "12"}))
    assert errors == {"phone": "format tidak sesuai", "pin": "format tidak sesuai"}


def test_a_latitude_out_of_range_answers_the_bound_in_indonesian(client: Any) -> None:
    device = register_device(client)
    response = client.post("/api/v1/alarms", headers=device_headers(device),
                           json={"client_id": str(uuid.uuid4()), "lat": 91, "lon": KLOJEN[1]})
    assert _by_field(response) == {"lat": "maksimal 90"}


def test_an_unknown_close_outcome_lists_the_allowed_values(client: Any) -> None:
    device = register_device(client)
    alarm = client.post("/api/v1/alarms", headers=device_headers(device),
                        json={"client_id": str(uuid.uuid4()), "lat": KLOJEN[0],
                              "lon": KLOJEN[1]})
    assert alarm.status_code in (200, 201), alarm.text
    response = client.post(f"/api/v1/alarms/{alarm.json()['id']}/close",
                           json={"outcome": "maybe"}, headers=login(client, "operator"))
    assert _by_field(response) == {
        "outcome": "harus salah satu dari: 'genuine', 'false_alarm', 'prank' atau 'duplicate'"}


def test_a_word_where_a_number_belongs_and_broken_json(client: Any) -> None:
    device = register_device(client)
    headers = device_headers(device)
    word = client.post("/api/v1/alarms", headers=headers,
                       json={"client_id": str(uuid.uuid4()), "lat": "utara", "lon": 112.6})
    assert _by_field(word) == {"lat": "harus berupa angka"}
    broken = client.post("/api/v1/alarms", content=b"{nope",
                         headers={**headers, "Content-Type": "application/json"})
    assert list(_by_field(broken).values()) == ["bukan JSON yang sah"]


class _Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int = 0
    ratio: float = Field(default=0, gt=0, lt=1)
    flag: bool = False
    kind: Literal["a", "b"] = "a"
    when: datetime | None = None
    day: date | None = None
    ident: uuid.UUID | None = None
    tags: list[str] = []
    name: str = Field(default="x", min_length=2, max_length=3)


@pytest.mark.parametrize(("body", "message"), [
    ({"count": "x"}, "harus berupa angka"),
    ({"ratio": "x"}, "harus berupa angka"),
    ({"ratio": 0}, "harus lebih dari 0"),
    ({"ratio": 1}, "harus kurang dari 1"),
    ({"flag": "perhaps"}, "harus berupa true atau false"),
    ({"kind": "c"}, "harus salah satu dari: 'a' atau 'b'"),
    ({"when": "kemarin"}, "bukan waktu yang sah"),
    ({"day": "kemarin"}, "bukan tanggal yang sah"),
    ({"ident": "nope"}, "harus berupa UUID yang sah"),
    ({"tags": "x"}, "harus berupa daftar"),
    ({"name": "x"}, "minimal 2 karakter"),
    ({"name": "xxxx"}, "terlalu panjang (maksimal 3 karakter)"),
    ({"other": 1}, "kolom ini tidak dikenal"),
])
def test_common_pydantic_errors_are_translated(body: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate(body)
    (error,) = caught.value.errors()
    assert indonesian_message(error).startswith(message)
    assert indonesian_errors([error])[0]["msg"].startswith(message)


def test_unknown_kinds_fall_back_to_indonesian_and_own_words_are_kept() -> None:
    ctx = {"pattern": "^a$"}
    assert indonesian_message({"type": "string_pattern_mismatch", "ctx": ctx,
                               "msg": "String should match pattern '^a$'"}) == "format tidak sesuai"
    assert indonesian_message({"type": "is_subclass_of", "ctx": {"class": "X"},
                               "msg": "Input should be a subclass of X"}) == "nilai tidak sah"
    assert indonesian_message({"type": "json_invalid", "loc": ("body",),
                               "msg": "Badan permintaan kosong"}) == "Badan permintaan kosong"


def test_framework_errors_answer_in_indonesian_and_own_details_are_kept(client: Any) -> None:
    unknown = client.get("/api/v1/tidak-ada")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Alamat tidak ditemukan"}
    assert client.get("/static/tidak-ada.js").json() == {"detail": "Alamat tidak ditemukan"}
    wrong_method = client.delete("/healthz")
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"detail": "Metode ini tidak tersedia untuk alamat ini"}
    assert "GET" in wrong_method.headers["allow"]
    # A domain error's own Indonesian words are not replaced by the generic phrase.
    missing = client.get("/api/v1/alarms/999999999", headers=login(client, "operator"))
    assert missing.status_code == 404 and missing.json()["detail"] != "Alamat tidak ditemukan"
