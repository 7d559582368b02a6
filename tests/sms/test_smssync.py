"""SMSSync gateway: SMS alarms and tips through POST /sms/smssync, replies through GET."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import KLOJEN, login

SECRET = "rahasia-gateway"
OK = {"payload": {"success": True, "error": None}}


@pytest.fixture(autouse=True)
def sms_secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from siaga.config import get_settings

    monkeypatch.setenv("SIAGA_SMSSYNC_SECRET", SECRET)
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("SIAGA_SMSSYNC_SECRET")
    get_settings.cache_clear()


def _phone() -> str:
    return f"08{uuid.uuid4().int % 10**10:010d}"


def _sms(client: Any, text: str, *, sender: str | None = None, message_id: str | None = None,
         secret: str = SECRET) -> Any:
    return client.post("/sms/smssync", data={
        "from": sender or _phone(), "message": text,
        "message_id": message_id or str(uuid.uuid4()), "sent_to": "+6281100000000",
        "secret": secret, "device_id": "gw-1",
        "sent_timestamp": str(int(time.time() * 1000))})


def _stored(message_id: str) -> Any:
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.sms.models import SmsMessage

    with get_database().session() as session:
        rows = list(session.scalars(select(SmsMessage).where(SmsMessage.message_id == message_id)))
        session.expunge_all()
    return rows


def _alarm(client: Any, alarm_id: int) -> Any:
    response = client.get(f"/api/v1/alarms/{alarm_id}", headers=login(client, "operator"))
    assert response.status_code == 200, response.text
    return response.json()


def test_alarm_with_position(client: Any) -> None:
    mid = str(uuid.uuid4())
    response = _sms(client, f"tolong {KLOJEN[0]},{KLOJEN[1]} dirampok", message_id=mid)
    assert response.status_code == 200, response.text
    assert response.json() == OK
    [row] = _stored(mid)
    assert row.outcome == "alarm" and row.location_source == "text"
    detail = _alarm(client, row.alarm_id)
    assert detail["lat"] == KLOJEN[0] and detail["lon"] == KLOJEN[1]


def test_alarm_without_position_uses_last_known_then_office(client: Any) -> None:
    phone = _phone()
    first = str(uuid.uuid4())
    assert _sms(client, "SOS", sender=phone, message_id=first).json() == OK
    [row] = _stored(first)
    assert row.outcome == "alarm" and row.location_source == "unknown"
    assert row.alarm_id is not None
    with_place = str(uuid.uuid4())
    _sms(client, f"SOS {KLOJEN[0]}, {KLOJEN[1]}", sender=phone, message_id=with_place)
    later = str(uuid.uuid4())
    assert _sms(client, "sos tolong", sender=phone, message_id=later).json() == OK
    [row] = _stored(later)
    assert row.location_source == "device"
    detail = _alarm(client, row.alarm_id)
    assert (detail["lat"], detail["lon"]) == KLOJEN


def test_other_text_is_a_tip(client: Any) -> None:
    mid = str(uuid.uuid4())
    assert _sms(client, "Ada balap liar tiap malam di Jl. Ijen", message_id=mid).json() == OK
    [row] = _stored(mid)
    assert row.outcome == "tip" and row.tip_id is not None and row.alarm_id is None


def test_duplicate_message_id_stores_nothing_new(client: Any) -> None:
    mid = str(uuid.uuid4())
    phone = _phone()
    assert _sms(client, "TOLONG", sender=phone, message_id=mid).json() == OK
    assert _sms(client, "TOLONG", sender=phone, message_id=mid).json() == OK
    assert len(_stored(mid)) == 1


def test_wrong_secret_is_refused(client: Any) -> None:
    mid = str(uuid.uuid4())
    assert _sms(client, "TOLONG", message_id=mid, secret="salah").status_code == 403
    assert _stored(mid) == []
    response = client.get("/sms/smssync", params={"task": "send", "secret": "salah"})
    assert response.status_code == 403


def test_intake_off_without_secret(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from siaga.config import get_settings

    monkeypatch.setenv("SIAGA_SMSSYNC_SECRET", "")
    get_settings.cache_clear()
    assert _sms(client, "TOLONG", secret="").status_code in (403, 404)


def test_replies_are_handed_out_once(client: Any) -> None:
    phone = _phone()
    _sms(client, f"SOS {KLOJEN[0]},{KLOJEN[1]}", sender=phone)
    first = client.get("/sms/smssync", params={"task": "send", "secret": SECRET})
    assert first.status_code == 200, first.text
    payload = first.json()["payload"]
    assert payload["task"] == "send" and payload["secret"] == SECRET
    mine = [m for m in payload["messages"] if m["to"] == "+62" + phone[1:]]
    assert [m["message"] for m in mine] == ["Alarm diterima. Petugas menuju lokasi."]
    assert mine[0]["uuid"]
    again = client.get("/sms/smssync", params={"task": "send", "secret": SECRET}).json()
    assert again["payload"]["messages"] == []

