"""Schemathesis against /openapi.json of a server with its own database: no 5xx, no answers
that break the published schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.production.conftest import Server, database_of_its_own, new_device, staff_token
from tests.production.test_access import ENDPOINTS

pytestmark = pytest.mark.slow
EXAMPLES = 10
KIND = {(e.method, e.path): e for e in ENDPOINTS}


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with database_of_its_own(tmp_path_factory.mktemp("fuzz")) as env:
        server = Server(env).start()
        try:
            with httpx.Client(base_url=server.url, timeout=10) as client:
                device = new_device(client)
            yield {
                "url": server.url,
                "device": {"Authorization": f"Bearer {device}"},
                "operator": {"Authorization": f"Bearer {staff_token(server.url, 'operator')}"},
                "admin": {"Authorization": f"Bearer {staff_token(server.url, 'admin')}"},
            }
        finally:
            server.stop()


def _operations() -> list[Any]:
    from siaga.app import create_app

    # The schema comes from the application object, so operations are known at collection;
    # the calls go over HTTP to a server with a database of its own.
    loaded = schemathesis.openapi.from_dict(create_app().openapi())
    return [result.ok() for result in loaded.get_all_operations()]


OPERATIONS = _operations()


def _headers(fuzz_server: dict[str, Any], method: str, path: str) -> dict[str, str]:
    endpoint = KIND.get((method, path))
    if endpoint is None or endpoint.kind == "open":
        # Open routes that check a token themselves get an operator's.
        return dict(fuzz_server["operator"])
    if endpoint.kind == "device":
        return dict(fuzz_server["device"])
    if endpoint.roles is None or "operator" in endpoint.roles:
        return dict(fuzz_server["operator"])
    return dict(fuzz_server["admin"])


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["valid", "invalid"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.label for o in OPERATIONS])
def test_api_holds_its_schema_and_never_fails(operation: Any, mode: GenerationMode,
                                              fuzz_server: dict[str, Any]) -> None:
    headers = _headers(fuzz_server, operation.method.upper(), operation.path)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def fuzz(case: Any) -> None:
        sent = dict(headers)
        if case.headers and any(k.lower() == "authorization" for k in case.headers):
            sent.pop("Authorization")
        case.call_and_validate(base_url=fuzz_server["url"], headers=sent,
                               checks=[not_a_server_error, response_schema_conformance])

    try:
        fuzz()
    except Unsatisfiable:
        # Nothing to get wrong: the operation takes no input that could be invalid.
        assert mode is GenerationMode.NEGATIVE
