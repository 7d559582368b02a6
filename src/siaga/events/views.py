"""The staff WebSocket: replays what a screen missed, then streams live events."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from siaga.auth.service import scope_path, user_for_token
from siaga.db import get_database
from siaga.errors import DomainError
from siaga.events.bus import get_bus
from siaga.events.service import events_after, last_event_id

router = APIRouter()
STAFF_ROLES = ("operator", "pimpinan", "analis", "admin", "petugas")
PING_EVERY_S = 20.0


def _authenticate(token: str) -> tuple[str, str]:
    with get_database().session() as session:
        user = user_for_token(session, token=token)
        return user.role, scope_path(session, user=user)


def _backlog(after: int, scope: str) -> tuple[list[dict[str, Any]], int]:
    with get_database().session() as session:
        return events_after(session, after_id=after, scope_path=scope), last_event_id(session)


def _public(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k != "org_path"}


@router.websocket("/ws/ops")
async def ops_socket(websocket: WebSocket, token: str = "", after: int | None = None) -> None:
    try:
        role, scope = await to_thread.run_sync(_authenticate, token)
    except DomainError as exc:
        await websocket.close(code=4401, reason=exc.message[:120])
        return
    if role not in STAFF_ROLES:
        await websocket.close(code=4403, reason="forbidden")
        return
    await websocket.accept()
    bus = get_bus()
    # Subscribe before reading the log so nothing falls between the replay and the live stream.
    subscription = bus.subscribe()
    sent: set[int] = set()
    try:
        backlog, newest = await to_thread.run_sync(_backlog, after if after else 0, scope)
        await websocket.send_json({"type": "hello", "last_event_id": newest})
        if after is not None:
            for message in backlog:
                sent.add(message["id"])
                await websocket.send_json(_public(message))
        await _stream(websocket, subscription, scope, sent)
    except WebSocketDisconnect:
        pass
    finally:
        bus.unsubscribe(subscription)


async def _stream(websocket: WebSocket, subscription: Any, scope: str, sent: set[int]) -> None:
    receiver = asyncio.ensure_future(_drain_client(websocket))
    try:
        while True:
            getter = asyncio.ensure_future(subscription.queue.get())
            done, _ = await asyncio.wait(
                {getter, receiver}, timeout=PING_EVERY_S, return_when=asyncio.FIRST_COMPLETED
            )
            if getter not in done:
                getter.cancel()
                if receiver in done:
                    return
                await websocket.send_json({"type": "ping"})
                continue
            if subscription.overflowed.is_set():
                # Too slow to keep up: close so the screen reconnects and replays from the log.
                await websocket.close(code=4408, reason="lagging; resume with after=")
                return
            message = getter.result()
            if message["id"] in sent or not str(message.get("org_path", "")).startswith(scope):
                continue
            if len(sent) > 10_000:
                sent.clear()
            sent.add(message["id"])
            await websocket.send_json(_public(message))
    finally:
        receiver.cancel()
        with contextlib.suppress(BaseException):
            await receiver


async def _drain_client(websocket: WebSocket) -> None:
    while True:
        await websocket.receive_text()
