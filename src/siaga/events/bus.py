"""Event fan-out to live screens: in-process by default, Redis pub/sub across workers."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any, Protocol

from siaga.config import get_settings

log = logging.getLogger(__name__)

REDIS_CHANNEL = "siaga:events"
QUEUE_LIMIT = 5000


class Subscription:
    """A live screen's queue; dropped (so the screen resumes from the log) if it falls behind."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self.overflowed = asyncio.Event()

    def offer(self, message: dict[str, Any]) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed.set()


class EventBus(Protocol):
    def publish(self, messages: list[dict[str, Any]]) -> None: ...
    def subscribe(self) -> Subscription: ...
    def unsubscribe(self, subscription: Subscription) -> None: ...
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


class InProcessBus:
    """Fans events out to the subscribers of this process; safe to publish from any thread."""

    def __init__(self) -> None:
        self._subscribers: set[Subscription] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        self._loop = None

    def subscribe(self) -> Subscription:
        sub = Subscription()
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    def deliver_local(self, message: dict[str, Any]) -> None:
        """Hand a message to every local subscriber; must run on the event loop."""
        for sub in list(self._subscribers):
            sub.offer(message)

    def publish(self, messages: list[dict[str, Any]]) -> None:
        """Publish in order; from another thread, one wake-up of the loop for all of them."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return  # no live screens in this process (CLI, tests without a server)
        if _on_loop_thread(loop):
            self._deliver_all(messages)
        else:
            loop.call_soon_threadsafe(self._deliver_all, messages)

    def _deliver_all(self, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            self.deliver_local(message)


class RedisBus(InProcessBus):
    """Publishes to a Redis channel and relays that channel to this process's subscribers."""

    def __init__(self, url: str) -> None:
        super().__init__()
        import redis  # lazy: loaded only where SIAGA_REDIS_URL is set

        self._url = url
        # Publishing runs in the writer threads after commit: a stalled Redis must not hold
        # them (screens that miss an event recover it from the event log).
        self._sync = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        await super().start()
        self._task = asyncio.create_task(self._relay())
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await super().stop()

    async def _relay(self) -> None:
        import redis.asyncio as aredis  # lazy: loaded only where SIAGA_REDIS_URL is set

        while True:
            client = aredis.Redis.from_url(self._url)
            try:
                pubsub = client.pubsub()
                await pubsub.subscribe(REDIS_CHANNEL)
                self._ready.set()
                async for item in pubsub.listen():
                    if item.get("type") == "message":
                        self.deliver_local(json.loads(item["data"]))
            except asyncio.CancelledError:
                await client.aclose()
                raise
            except Exception:  # a broken connection must not end the relay
                log.exception("redis relay lost its connection; reconnecting")
                await asyncio.sleep(1)
            finally:
                await client.aclose()

    def publish(self, messages: list[dict[str, Any]]) -> None:
        pipeline = self._sync.pipeline(transaction=False)
        for message in messages:
            pipeline.publish(REDIS_CHANNEL, json.dumps(message))
        pipeline.execute()


def _on_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


_bus: EventBus | None = None
_bus_lock = threading.Lock()


def get_bus() -> EventBus:
    """The process-wide bus, chosen by settings on first use."""
    global _bus
    with _bus_lock:
        if _bus is None:
            url = get_settings().redis_url
            _bus = RedisBus(url) if url else InProcessBus()
        return _bus


def set_bus(bus: EventBus | None) -> None:
    """Replace the process-wide bus (app start-up, tests)."""
    global _bus
    with _bus_lock:
        _bus = bus
