"""OwnTracks over MQTT: a real publish through the Mosquitto broker on 127.0.0.1:1883."""

from __future__ import annotations

import asyncio
import json
import socket
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import free_port
from tests.tracking.helpers import epoch

BROKER = ("127.0.0.1", 1883)


def _broker_up() -> bool:
    try:
        socket.create_connection(BROKER, 0.5).close()
        return True
    except OSError:
        return False


needs_broker = pytest.mark.skipif(not _broker_up(), reason="no MQTT broker on 127.0.0.1:1883")


def _publish(topic: str, body: dict[str, Any]) -> None:
    import paho.mqtt.publish as publish

    publish.single(topic, json.dumps(body), qos=1, hostname=BROKER[0], port=BROKER[1],
                   client_id=f"siaga-test-{uuid.uuid4().hex[:8]}")


def _officer_unit(username: str) -> Any:
    from siaga.auth.models import User
    from siaga.db import get_database
    from siaga.units.models import Unit

    with get_database().session() as session:
        return session.scalar(select(Unit).join(User, User.id == Unit.user_id)
                              .where(User.username == username, Unit.kind == "officer"))


def test_broker_url_is_read_with_optional_topic_root() -> None:
    from siaga.tracking.mqtt import broker_config

    plain = broker_config("mqtt://127.0.0.1:1883")
    assert (plain.host, plain.port, plain.base, plain.tls) == ("127.0.0.1", 1883, "owntracks",
                                                                False)
    full = broker_config("mqtts://siaga:rahasia%21@broker.polri.example/kota/owntracks")
    assert (full.port, full.tls, full.username, full.password, full.base) == (
        8883, True, "siaga", "rahasia!", "kota/owntracks")


@needs_broker
def test_owntracks_publish_through_the_broker_is_stored(app: Any, monkeypatch: Any) -> None:
    from fastapi.testclient import TestClient

    from siaga.config import get_settings

    # A topic root of our own, so other test runs sharing the broker are not disturbed.
    root = f"siaga-test-{uuid.uuid4().hex[:8]}/owntracks"
    monkeypatch.setattr(get_settings(), "mqtt_url", f"mqtt://127.0.0.1:1883/{root}")
    username = "bhabin.bareng"
    body = {"_type": "location", "lat": -7.9778, "lon": 112.6225, "tst": epoch(-2), "acc": 9,
            "vel": 31, "cog": 90, "batt": 55, "tid": "BR"}
    with TestClient(app):
        deadline = time.monotonic() + 15
        unit = None
        while time.monotonic() < deadline:
            # Re-published until the consumer has subscribed; the same tst is stored once.
            _publish(f"{root}/{username}/phone", body)
            _publish(f"{root}/{username}/phone",
                     {"_type": "transition", "event": "leave", "tst": epoch()})
            _publish(f"{root}/not.an.officer/phone", body)
            time.sleep(0.3)
            unit = _officer_unit(username)
            if unit is not None and unit.lat is not None:
                break
    assert unit is not None, "no officer unit: the MQTT message was not consumed"
    assert (unit.lat, unit.lon, unit.speed_kmh, unit.heading) == (-7.9778, 112.6225, 31, 90)
    from siaga.db import get_database
    from siaga.units.models import RejectedFix, UnitPosition

    with get_database().session() as session:
        sources = session.scalars(select(UnitPosition.source)
                                  .where(UnitPosition.unit_id == unit.id)).all()
        unknown = session.scalars(select(RejectedFix.reason).where(
            RejectedFix.tracker_id == "owntracks/not.an.officer/phone")).all()
    assert sources == ["mqtt"]
    assert unknown and unknown[0].startswith("unknown_user")


def test_consumer_keeps_retrying_while_the_broker_is_away() -> None:
    from siaga.tracking.mqtt import OwnTracksConsumer, broker_config

    async def scenario() -> bool:
        consumer = OwnTracksConsumer(broker_config(f"mqtt://127.0.0.1:{free_port()}"))
        task = asyncio.create_task(consumer.run())
        await asyncio.sleep(1.5)
        alive = not task.done()
        task.cancel()
        return alive

    assert asyncio.run(scenario())
