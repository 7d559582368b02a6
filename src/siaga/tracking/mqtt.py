"""OwnTracks over MQTT: subscribe to `owntracks/<user>/<device>` when SIAGA_MQTT_URL is set.

`SIAGA_MQTT_URL` is `mqtt://[user:password@]host[:port][/base]` (`mqtts://` for TLS); `base`
replaces the default topic root `owntracks`. The broker authenticates publishers, so the
`<user>` level of the topic names the officer (their Siaga log-in). Every worker subscribes as
one shared-subscription group (`$share/siaga/...`, Mosquitto 1.6+), so each message is handled
by exactly one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from anyio import to_thread
from fastapi import FastAPI

from siaga.config import get_settings
from siaga.errors import DomainError
from siaga.tracking.intake import (
    backlog_limiter,
    gps_limiter,
    is_backlog,
    officer_by_username,
    officer_unit_id,
    record_rejection,
)
from siaga.tracking.protocols import is_owntracks_location, parse_owntracks
from siaga.tracking.writer import Outcome, get_writer

log = logging.getLogger(__name__)
RECONNECT_MAX_S = 30.0
OFFICER_TTL_S = 60.0


@dataclass(frozen=True)
class BrokerConfig:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool
    base: str


def broker_config(url: str) -> BrokerConfig:
    """Read the broker address and topic root from SIAGA_MQTT_URL."""
    parts = urlsplit(url if "://" in url else f"mqtt://{url}")
    tls = parts.scheme in ("mqtts", "ssl", "tls")
    base = parts.path.strip("/") or "owntracks"
    return BrokerConfig(
        host=parts.hostname or "127.0.0.1", port=parts.port or (8883 if tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None, tls=tls, base=base,
    )


class OwnTracksConsumer:
    """Turns OwnTracks location messages into stored fixes; other messages are ignored."""

    def __init__(self, config: BrokerConfig) -> None:
        self.config = config
        self._officers: dict[str, tuple[int | None, float]] = {}

    async def run(self) -> None:
        """Consume until cancelled, reconnecting with back-off when the broker goes away."""
        import aiomqtt  # lazy: loaded only where an MQTT broker is configured

        delay = 1.0
        identifier = f"siaga-{os.getpid()}-{int(time.time())}"
        while True:
            try:
                async with aiomqtt.Client(
                    self.config.host, port=self.config.port, username=self.config.username,
                    password=self.config.password, identifier=identifier,
                    tls_context=ssl.create_default_context() if self.config.tls else None,
                ) as client:
                    # A shared subscription: with several workers each message is stored once.
                    await client.subscribe(f"$share/siaga/{self.config.base}/+/+", qos=1)
                    log.info("MQTT: subscribed to %s/+/+ on %s:%s", self.config.base,
                             self.config.host, self.config.port)
                    delay = 1.0
                    async for message in client.messages:
                        await self.handle(str(message.topic), bytes(message.payload or b""))
            except aiomqtt.MqttError as exc:
                log.warning("MQTT: %s; reconnecting in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(RECONNECT_MAX_S, delay * 2)

    async def handle(self, topic: str, payload: bytes) -> None:
        """Store one message's position, if it has one; never raises."""
        try:
            await self._handle(topic, payload)
        except DomainError as exc:
            log.info("MQTT: refused message on %s: %s", topic, exc.message)
        except Exception:
            log.exception("MQTT: could not handle message on %s", topic)

    async def _handle(self, topic: str, payload: bytes) -> None:
        levels = topic.split("/")
        if len(levels) < 3:
            return
        username, device = levels[-2], levels[-1]
        try:
            body: Any = json.loads(payload)
        except ValueError:
            return
        if not is_owntracks_location(body):
            return
        tracker_id = f"owntracks/{username}/{device}"[:80]
        fix = parse_owntracks(body, tracker_id=tracker_id, source="mqtt")
        # A backlog after a coverage gap counts against its own, larger allowance.
        limiter = backlog_limiter() if is_backlog(fix.at) else gps_limiter()
        if not limiter.hit(f"mqtt:{username}"):
            log.info("MQTT: %s over its rate limit; message dropped", username)
            return
        user_id = await self._officer(username)
        if user_id is None:
            await to_thread.run_sync(lambda: record_rejection(
                tracker_id=tracker_id, reason=f"unknown_user: {username} bukan petugas aktif"))
            return
        fix.unit_id = await to_thread.run_sync(officer_unit_id, user_id)
        get_writer().submit(fix, _log_failure)

    async def _officer(self, username: str) -> int | None:
        now = time.monotonic()
        cached = self._officers.get(username)
        if cached is not None and cached[1] > now:
            return cached[0]
        user_id = await to_thread.run_sync(officer_by_username, username)
        self._officers[username] = (user_id, now + OFFICER_TTL_S)
        return user_id


def _log_failure(outcome: Outcome) -> None:
    if isinstance(outcome, BaseException):
        log.error("MQTT: fix not stored: %s", outcome)


async def start_tracking(app: FastAPI) -> None:
    """Startup hook: consume OwnTracks MQTT when SIAGA_MQTT_URL is set."""
    url = get_settings().mqtt_url
    app.state.mqtt_task = None
    if url:
        consumer = OwnTracksConsumer(broker_config(url))
        app.state.mqtt_task = asyncio.create_task(consumer.run(), name="siaga-mqtt")


async def stop_tracking(app: FastAPI) -> None:
    """Shutdown hook: stop consuming, then store every fix still queued."""
    task = getattr(app.state, "mqtt_task", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    await to_thread.run_sync(get_writer().stop)
