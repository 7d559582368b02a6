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
from sqlalchemy import create_engine, select, update

from siaga.auth.models import User
from siaga.auth.security import token_digest
from siaga.devices.models import Device
from tests.production.conftest import Server, database_of_its_own, new_device, staff_token
from tests.production.test_access import ENDPOINTS

pytestmark = pytest.mark.slow
EXAMPLES = 10
KIND = {(e.method, e.path): e for e in ENDPOINTS}
ACCOUNTS = ("operator", "admin")


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with database_of_its_own(tmp_path_factory.mktemp("fuzz")) as env:
        server = Server(env).start()
        try:
            with httpx.Client(base_url=server.url, timeout=10) as client:
                device = new_device(client)
            state = {
                "url": server.url,
                "database": create_engine(env["SIAGA_DATABASE_URL"]),
                "device": {"Authorization": f"Bearer {device}"},
                "device_digest": token_digest(device),
            }
            with state["database"].connect() as connection:
                state["accounts"] = {name: dict(connection.execute(
                    select(User.role, User.org_id).where(User.username == name)).one()._mapping)
                    for name in ACCOUNTS}
            for name in ACCOUNTS:
                state[name] = {"Authorization": f"Bearer {staff_token(server.url, name)}"}
            yield state
            state["database"].dispose()
        finally:
            server.stop()


def _signed_in_again(fuzz_server: dict[str, Any]) -> None:
    """Fuzzed admin and operator routes may end the shared accounts' sessions, disable them,
    change their role or organisation, or block the device. Put them back before each
    operation, so every operation is fuzzed signed in as the role it needs, whatever ran
    before it."""
    with fuzz_server["database"].begin() as connection:
        connection.execute(update(Device).where(
            Device.token_hash == fuzz_server["device_digest"]).values(blocked=False))
        for name, original in fuzz_server["accounts"].items():
            connection.execute(update(User).where(User.username == name)
                               .values(active=True, **original))
    for name in ACCOUNTS:
        me = httpx.get(f"{fuzz_server['url']}/api/v1/auth/me", headers=fuzz_server[name],
                       timeout=10)
        if me.status_code != 200:  # its sessions were ended
            fuzz_server[name] = {"Authorization":
                                 f"Bearer {staff_token(fuzz_server['url'], name)}"}


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
    _signed_in_again(fuzz_server)
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
