"""The staff alarm list reads a fixed number of statements, however many alarms it holds."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.conftest import KLOJEN, login


@contextmanager
def _statements() -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs meanwhile (its own thread or the server's)."""
    from sqlalchemy import event

    from siaga.db import get_database

    engine = get_database().engine
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _device(client: Any, name: str) -> dict[str, str]:
    response = client.post("/api/v1/devices", json={
        "phone": f"08{uuid.uuid4().int % 10**10:010d}", "name": name, "pin": "2468"})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _listed(client: Any, ops: dict[str, str], tag: str, limit: int) -> tuple[list[Any], int]:
    with _statements() as seen:
        response = client.get("/api/v1/alarms", params={"status": "history", "q": tag,
                                                        "limit": limit}, headers=ops)
    assert response.status_code == 200, response.text
    return response.json()["items"], len(seen)


def test_the_alarm_list_costs_the_same_statements_for_3_or_40_alarms(client: Any) -> None:
    tag = uuid.uuid4().hex[:8]
    ops = login(client, "operator")
    ids = []
    for i in range(40):
        device = _device(client, f"Warga Hitung {tag}")
        # 40 phones ~ 330 m apart: separate alarms, none grouped with another.
        body = {"client_id": str(uuid.uuid4()), "lat": KLOJEN[0] + (i // 8) * 0.003,
                "lon": KLOJEN[1] + (i % 8) * 0.003, "accuracy_m": 10}
        response = client.post("/api/v1/alarms", json=body, headers=device)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    for alarm_id in ids:
        closed = client.post(f"/api/v1/alarms/{alarm_id}/close", headers=ops,
                             json={"outcome": "false_alarm"})
        assert closed.status_code == 200, closed.text

    _listed(client, ops, tag, 40)  # organisation and region names are cached from here on
    few, few_count = _listed(client, ops, tag, 3)
    many, many_count = _listed(client, ops, tag, 40)
    assert len(few) == 3 and sorted(a["id"] for a in many) == sorted(ids)
    assert many_count == few_count, (few_count, many_count)
    # Every alarm is still shown whole: its caller, its organisation, its outcome.
    for alarm in many:
        assert alarm["caller_name"] == f"Warga Hitung {tag}" and alarm["caller_phone"]
        assert alarm["org_code"] and alarm["outcome"] == "false_alarm"
        assert alarm["location_source"] is None and alarm["location_unknown"] is False
