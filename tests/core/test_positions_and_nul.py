"""One position type everywhere (finite, in range, never a boolean), and NUL characters refused
with a message that says so, wherever text comes in."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tests.conftest import KLOJEN, device_headers, login, register_device
from tests.visits.helpers import post_visit

NUL_WORDS = "NUL"


def _tip(client: Any, device: dict[str, str], **fields: Any) -> Any:
    body = {"client_id": str(uuid.uuid4()), "category": "other", "lat": KLOJEN[0],
            "lon": KLOJEN[1], "text": "Lampu jalan mati di gang ini.", **fields}
    return client.post("/api/v1/tips", headers=device_headers(device),
                       data={"data": json.dumps(body)})


def _fields(response: Any) -> set[str]:
    return {d["field"] for d in response.json()["detail"]}


@pytest.mark.parametrize("bad", [True, False, "Infinity", 1e308 * 10])
def test_tips_and_visits_refuse_booleans_and_infinite_coordinates(client: Any,
                                                                  bad: Any) -> None:
    device = register_device(client)
    raw = json.dumps({"client_id": str(uuid.uuid4()), "category": "other", "lat": bad,
                      "lon": KLOJEN[1], "text": "Lampu jalan mati di gang ini."})
    tip = client.post("/api/v1/tips", headers=device_headers(device), data={"data": raw})
    assert tip.status_code == 422 and _fields(tip) == {"lat"}, tip.text
    visit = post_visit(client, login(client, "bhabin.kauman"), lat=bad, lon=KLOJEN[1])
    assert visit.status_code == 422 and _fields(visit) == {"lat"}, visit.text


def test_booleans_are_refused_as_positions_on_surveys_and_landmarks(client: Any) -> None:
    survey = client.post("/api/v1/survey", json={"polres": "polres-tegal", "rating": "baik",
                                                 "lat": True, "lon": 109.1})
    assert survey.status_code == 422 and _fields(survey) == {"lat"}
    assert "true/false" in survey.json()["detail"][0]["msg"]
    landmark = client.post("/api/v1/mediaintel/landmarks", headers=login(client, "analis"),
                           json={"name": f"Alun-alun {uuid.uuid4().hex[:5]}", "lat": -6.98,
                                 "lon": False})
    assert landmark.status_code == 422 and _fields(landmark) == {"lon"}


def _nul_refused(response: Any) -> None:
    assert response.status_code == 422, response.text
    assert NUL_WORDS in json.dumps(response.json())


def test_nul_is_refused_in_form_json_query_strings_and_forms(client: Any) -> None:
    device = register_device(client)
    _nul_refused(_tip(client, device, text="Lampu jalan\u0000 mati di gang ini."))
    _nul_refused(post_visit(client, login(client, "bhabin.kauman"),
                            findings="Warga\u0000 resah."))
    _nul_refused(client.get("/api/v1/tips?status=new%00", headers=login(client, "operator")))
    _nul_refused(client.post("/sms/smssync", data={"from": "081200000000",
                                                   "message": "TOLONG\x00", "message_id": "x"}))
