"""Staff see an SMS alarm without a position as "lokasi tidak diketahui" (location_unknown)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import KLOJEN, login
from tests.sms.test_smssync import _phone, _sms, _stored, sms_secret

__all__ = ["sms_secret"]  # the autouse fixture that turns SMS intake on


def _staff_alarm(client: Any, alarm_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/alarms/{alarm_id}", headers=login(client, "operator"))
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_an_sms_alarm_without_position_is_marked_unknown_until_one_arrives(client: Any) -> None:
    phone = _phone()
    first = str(uuid.uuid4())
    _sms(client, "TOLONG", sender=phone, message_id=first)
    [row] = _stored(first)
    alarm = _staff_alarm(client, row.alarm_id)
    assert alarm["location_unknown"] is True and alarm["location_source"] == "unknown"
    listed = client.get("/api/v1/alarms?status=open&limit=1000",
                        headers=login(client, "operator")).json()["items"]
    assert [a["location_unknown"] for a in listed if a["id"] == row.alarm_id] == [True]

    # The same phone texts its position: the alarm (joined) now has a known place.
    second = str(uuid.uuid4())
    _sms(client, f"SOS {KLOJEN[0]},{KLOJEN[1]}", sender=phone, message_id=second)
    [again] = _stored(second)
    assert again.alarm_id == row.alarm_id
    alarm = _staff_alarm(client, row.alarm_id)
    assert alarm["location_unknown"] is False and alarm["location_source"] == "text"


def test_an_sms_alarm_with_its_position_is_not_marked(client: Any) -> None:
    mid = str(uuid.uuid4())
    _sms(client, f"tolong {KLOJEN[0]},{KLOJEN[1]}", message_id=mid)
    [row] = _stored(mid)
    alarm = _staff_alarm(client, row.alarm_id)
    assert alarm["location_unknown"] is False and alarm["location_source"] == "text"


def test_live_screens_learn_that_the_sms_alarm_has_no_position(client: Any) -> None:
    from tests.events.helpers import next_of_type, socket_url

    ops = login(client, "operator")
    with client.websocket_connect(socket_url(client, ops)) as ws:
        assert ws.receive_json()["type"] == "hello"
        mid = str(uuid.uuid4())
        _sms(client, "TOLONG", sender=_phone(), message_id=mid)
        [row] = _stored(mid)
        while True:
            update = next_of_type(ws, "alarm.updated")
            if (update["alarm"]["id"] == row.alarm_id
                    and update.get("change") == "location_source"):
                break
    assert update["alarm"]["location_unknown"] is True
