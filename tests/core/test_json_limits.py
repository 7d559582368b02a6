"""Hostile JSON bodies are refused with a JSON 4xx before any parser recurses into them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import login

DEEP = ("[" * 5000 + "]" * 5000).encode()
DEEP_OBJECT = ('{"a":' * 5000 + "1" + "}" * 5000).encode()


@pytest.mark.parametrize("path", ["/gps/osmand", "/gps/owntracks", "/api/v1/mediaintel/posts",
                                  "/api/v1/alarms", "/api/v1/devices"])
@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
def test_deeply_nested_json_gets_422(client: Any, path: str, body: bytes) -> None:
    headers = {"Content-Type": "application/json", **login(client, "analis")}
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert "bertingkat" in response.json()["detail"]


def test_deep_json_without_content_type_is_refused_too(client: Any) -> None:
    response = client.post("/gps/osmand", content=DEEP, headers={"Content-Type": "text/plain"})
    assert response.status_code == 422


def test_brackets_inside_strings_do_not_count(client: Any) -> None:
    body = {"phone": "081234567890", "name": "[" * 100 + "{" * 100}
    response = client.post("/api/v1/devices", json=body)
    assert response.status_code in (201, 422)
    assert "bertingkat" not in response.text


def test_nul_character_is_named(client: Any) -> None:
    response = client.post("/api/v1/devices", json={"phone": "081234567891", "name": "Budi\x00"})
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]


def test_oversized_json_gets_413(client: Any) -> None:
    body = b'{"posts": ["' + b"x" * (5 * 1024 * 1024) + b'"]}'
    response = client.post("/api/v1/mediaintel/posts", content=body,
                           headers={"Content-Type": "application/json",
                                    **login(client, "analis")})
    assert response.status_code == 413
