"""One alarm per emergency: repeat presses join, nearby phones form an incident, the detail's
context, the searchable history, and the position's fix time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from siaga.alarms.service import NewAlarm, create_alarms
from siaga.auth.security import token_digest
from siaga.db import get_database
from tests.conftest import KLOJEN, SLAWI, device_headers, login, register_device
from tests.dispatch.helpers import offset, post_alarm


def _press(client: Any, device: dict[str, str], lat: float = KLOJEN[0], lon: float = KLOJEN[1],
           **extra: Any) -> Any:
    return client.post("/api/v1/alarms", headers=device_headers(device),
                       json={"client_id": str(uuid.uuid4()), "lat": lat, "lon": lon, **extra})


def _events(alarm_id: int) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from siaga.events.models import EventRecord

    with get_database().session() as session:
        rows = session.scalars(select(EventRecord).order_by(EventRecord.id)).all()
        return [{"type": r.type, **r.payload} for r in rows
                if isinstance(r.payload.get("alarm"), dict)
                and r.payload["alarm"].get("id") == alarm_id]


def test_a_second_press_joins_the_active_alarm_and_a_resend_is_the_same(client: Any) -> None:
    device = register_device(client)
    first = _press(client, device)
    assert first.status_code == 201
    client_id = str(uuid.uuid4())
    near = offset(*KLOJEN, 40)
    body = {"client_id": client_id, "lat": near[0], "lon": near[1], "accuracy_m": 8}
    again = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    resent = client.post("/api/v1/alarms", json=body, headers=device_headers(device))
    assert resent.status_code == 200 and resent.json()["id"] == first.json()["id"]

    ops = login(client, "operator")
    detail = client.get(f"/api/v1/alarms/{first.json()['id']}", headers=ops).json()
    assert [e["type"] for e in detail["timeline"]] == ["created", "joined"]
    assert detail["lat"] == near[0]  # the newer press's position
    # The phone can still cancel its (one) alarm.
    cancel = client.post(f"/api/v1/alarms/{first.json()['id']}/cancel", json={"pin": "2468"},
                         headers=device_headers(device))
    assert cancel.status_code == 200
    # After it ended, a press opens a new alarm.
    assert _press(client, device).status_code == 201


def test_two_presses_in_one_batch_make_one_alarm(client: Any) -> None:
    device = register_device(client)
    digest = token_digest(device["Authorization"].removeprefix("Bearer "))
    presses = [NewAlarm(token_digest=digest, client_id=str(uuid.uuid4()), lat=KLOJEN[0],
                        lon=KLOJEN[1], accuracy_m=10.0, triggered_at=None, kind="panic",
                        client_ip="127.0.0.1") for _ in range(2)]
    with get_database().session() as session:
        outcomes = create_alarms(session, alarms=presses)
    assert [o.created for o in outcomes] == [True, False]
    assert outcomes[0].summary.id == outcomes[1].summary.id
    detail = client.get(f"/api/v1/alarms/{outcomes[0].summary.id}",
                        headers=login(client, "operator")).json()
    assert [e["type"] for e in detail["timeline"]] == ["created", "joined"]


def test_two_workers_taking_presses_of_one_phone_at_once_make_one_alarm(client: Any) -> None:
    """Each worker stores its own batch: while the first has not committed its new alarm, the
    second must wait and then join it, not open a second alarm the phone cannot cancel."""
    import threading

    from sqlalchemy import func, select

    from siaga.alarms.models import ACTIVE_STATUSES, Alarm

    device = register_device(client)
    digest = token_digest(device["Authorization"].removeprefix("Bearer "))

    def press() -> NewAlarm:
        return NewAlarm(token_digest=digest, client_id=str(uuid.uuid4()), lat=KLOJEN[0],
                        lon=KLOJEN[1], accuracy_m=10.0, triggered_at=None, kind="panic",
                        client_ip="127.0.0.1")

    second: list[Any] = []
    first_stored = threading.Event()

    def other_worker() -> None:
        first_stored.wait(10)
        with get_database().session() as session:
            second.extend(create_alarms(session, alarms=[press()]))

    worker = threading.Thread(target=other_worker)
    worker.start()
    with get_database().session() as session:
        [first] = create_alarms(session, alarms=[press()])
        first_stored.set()
        worker.join(1.0)  # the other worker's batch is under way, not yet committed here
        assert worker.is_alive(), "the second batch did not wait for the first to commit"
    worker.join(30)
    assert not worker.is_alive()
    [joined] = second
    assert first.created and not joined.created
    assert joined.summary.id == first.summary.id
    with get_database().session() as session:
        device_id = session.scalar(select(Alarm.device_id).where(Alarm.id == first.summary.id))
        assert session.scalar(select(func.count()).select_from(Alarm).where(
            Alarm.device_id == device_id, Alarm.status.in_(ACTIVE_STATUSES))) == 1


def test_nearby_phones_form_an_incident_with_merge_and_unmerge(client: Any) -> None:
    ops = login(client, "operator")
    base = offset(*KLOJEN, 2300, 1700)  # a spot no other test uses
    first = post_alarm(client, register_device(client), *base)
    second = post_alarm(client, register_device(client), *offset(*base, 90))
    far = post_alarm(client, register_device(client), *offset(*base, 600))
    assert second["incident_id"] is None  # the phone never sees incidents

    def staff_view(alarm: dict[str, Any]) -> dict[str, Any]:
        return dict(client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json())

    assert staff_view(second)["incident_id"] == first["id"]
    assert staff_view(first)["incident_id"] == first["id"]  # the earliest names the group
    assert staff_view(far)["incident_id"] is None
    grouped = [e for e in _events(first["id"]) if e["type"] == "alarm.updated"]
    assert grouped[-1]["alarm"]["incident_id"] == first["id"]

    merged = client.post(f"/api/v1/alarms/{far['id']}/merge", json={"into_id": second["id"]},
                         headers=ops)
    assert merged.status_code == 200, merged.text
    assert merged.json()["incident_id"] == first["id"]
    assert merged.json()["merged_into_id"] == second["id"]
    assert client.post(f"/api/v1/alarms/{far['id']}/merge", json={"into_id": far["id"]},
                       headers=ops).status_code == 422
    assert client.post(f"/api/v1/alarms/{far['id']}/merge", json={"into_id": 987654321},
                       headers=ops).status_code == 404
    assert client.post(f"/api/v1/alarms/{far['id']}/merge", json={"into_id": first["id"]},
                       headers=login(client, "pimpinan")).status_code == 403

    apart = client.post(f"/api/v1/alarms/{far['id']}/unmerge", headers=ops)
    assert apart.status_code == 200
    assert apart.json()["incident_id"] is None and apart.json()["merged_into_id"] is None
    # Taking out the first leaves the second alone: no incident any more.
    assert client.post(f"/api/v1/alarms/{first['id']}/unmerge", headers=ops).status_code == 200
    left = client.get(f"/api/v1/alarms/{second['id']}", headers=ops).json()
    assert left["incident_id"] is None
    assert client.post(f"/api/v1/alarms/{second['id']}/unmerge",
                       headers=ops).status_code == 409
    assert "merged" in [e["type"] for e in staff_view(far)["timeline"]]


def test_same_phone_nearby_is_a_join_and_another_polres_is_apart(client: Any) -> None:
    device = register_device(client)
    base = offset(*KLOJEN, -2100, 1900)
    one = post_alarm(client, device, *base)
    assert post_alarm(client, device, *offset(*base, 20), expect=200)["id"] == one["id"]
    tegal = post_alarm(client, register_device(client), *SLAWI)
    assert tegal["incident_id"] is None


def test_context_shows_the_callers_earlier_alarms_and_the_place(client: Any) -> None:
    ops = login(client, "operator")
    device = register_device(client)
    base = offset(*KLOJEN, -1500, -2200)
    earlier = post_alarm(client, device, *base)
    assert client.post(f"/api/v1/alarms/{earlier['id']}/close", headers=ops,
                       json={"outcome": "prank"}).status_code == 200
    neighbour = post_alarm(client, register_device(client), *offset(*base, 250))
    assert client.post(f"/api/v1/alarms/{neighbour['id']}/close", headers=ops,
                       json={"outcome": "genuine", "category": "medical"}).status_code == 200
    now = post_alarm(client, device, *base)
    context = client.get(f"/api/v1/alarms/{now['id']}/context", headers=ops)
    assert context.status_code == 200
    body = context.json()
    [mine] = [a for a in body["caller_alarms"] if a["id"] == earlier["id"]]
    assert mine["outcome"] == "prank" and mine["status_label"] == "Selesai - alarm iseng"
    assert all(a["id"] != now["id"] for a in body["caller_alarms"])
    nearby = {a["id"]: a for a in body["nearby_incidents"]}
    assert neighbour["id"] in nearby and earlier["id"] in nearby
    assert nearby[neighbour["id"]]["status_label"] == "Selesai - kejadian benar terjadi"
    assert client.get(f"/api/v1/alarms/{now['id']}/context",
                      headers=login(client, "operator.tegal")).status_code == 404


def test_history_lists_closed_and_cancelled_newest_first_and_searches(client: Any) -> None:
    ops = login(client, "operator")
    # A name holding digits: the search must not read them as a phone number and find
    # strangers whose number happens to contain them.
    name = f"Warga {uuid.uuid4().int % 10**8:08d}x"
    phone = f"08{uuid.uuid4().int % 10**10:010d}"
    registered = client.post("/api/v1/devices", json={"phone": phone, "name": name,
                                                        "pin": "2468"})
    device = {"Authorization": f"Bearer {registered.json()['token']}"}
    first = post_alarm(client, device)
    client.post(f"/api/v1/alarms/{first['id']}/close", headers=ops, json={"outcome": "prank"})
    second = post_alarm(client, device)
    client.post(f"/api/v1/alarms/{second['id']}/cancel", json={"pin": "2468"}, headers=device)
    active = post_alarm(client, device)
    page = client.get("/api/v1/alarms", params={"status": "history", "q": name},
                      headers=ops).json()
    assert [a["id"] for a in page["items"]] == [second["id"], first["id"]]
    assert page["items"][0]["status_label"] == "Dibatalkan pelapor"
    stranger = client.post("/api/v1/devices", json={
        "phone": f"08{name[6:14]}", "name": "Warga lain", "pin": "1357"})
    strangers_alarm = post_alarm(client, {"Authorization":
                                                f"Bearer {stranger.json()['token']}"})
    client.post(f"/api/v1/alarms/{strangers_alarm['id']}/close", headers=ops,
                json={"outcome": "prank"})
    again = client.get("/api/v1/alarms", params={"status": "history", "q": name},
                       headers=ops).json()["items"]
    assert [a["id"] for a in again] == [second["id"], first["id"]]
    by_phone = client.get("/api/v1/alarms", params={"status": "history", "q": phone[1:]},
                          headers=ops).json()["items"]
    assert [a["id"] for a in by_phone] == [second["id"], first["id"]]
    by_id = client.get("/api/v1/alarms", params={"status": "history", "q": f"#{first['id']}"},
                       headers=ops).json()["items"]
    assert [a["id"] for a in by_id] == [first["id"]]
    assert active["id"] not in {a["id"] for a in page["items"]}
    odd = client.get("/api/v1/alarms", params={"status": "history", "q": "%_"}, headers=ops)
    assert odd.status_code == 200


def test_fix_at_is_kept_and_an_old_fix_never_replaces_a_newer_one(client: Any) -> None:
    device = register_device(client)
    measured = datetime.now(UTC) - timedelta(minutes=3)
    created = _press(client, device, accuracy_m=25, fix_at=measured.isoformat())
    assert created.status_code == 201
    alarm = created.json()
    ops = login(client, "operator")
    staff = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert datetime.fromisoformat(staff["fix_at"]) == measured
    assert staff["accuracy_m"] == 25
    newer = datetime.now(UTC)
    moved = offset(*KLOJEN, 60)
    update = client.post(f"/api/v1/alarms/{alarm['id']}/location", headers=device_headers(device),
                         json={"lat": moved[0], "lon": moved[1], "accuracy_m": 6,
                               "fix_at": newer.isoformat()})
    assert update.status_code == 200
    late = client.post(f"/api/v1/alarms/{alarm['id']}/location", headers=device_headers(device),
                       json={"lat": KLOJEN[0], "lon": KLOJEN[1], "accuracy_m": 30,
                             "fix_at": (newer - timedelta(minutes=1)).isoformat()})
    assert late.status_code == 200
    staff = client.get(f"/api/v1/alarms/{alarm['id']}", headers=ops).json()
    assert staff["lat"] == moved[0] and staff["accuracy_m"] == 6
    assert datetime.fromisoformat(staff["fix_at"]) == newer
    assert len(staff["locations"]) == 3
    future = _press(client, register_device(client),
                    fix_at=(datetime.now(UTC) + timedelta(hours=1)).isoformat())
    assert future.status_code == 422 and "fix_at" in future.text


def test_press_without_fix_at_has_none(client: Any) -> None:
    alarm = _press(client, register_device(client)).json()
    assert alarm["fix_at"] is None
