"""The staff WebSocket: opened with a single-use ticket, it replays what a screen missed, then
streams the events the account may see, re-checking the account while the socket stays open."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.datastructures import QueryParams

from siaga.auth.tickets import check_socket_session, redeem_ticket
from siaga.config import get_settings
from siaga.db import get_database, utcnow
from siaga.errors import DomainError, Forbidden
from siaga.events.audience import Audience, load_audience, may_listen
from siaga.events.bus import Subscription, get_bus
from siaga.events.service import events_after, last_event_id

log = logging.getLogger(__name__)
router = APIRouter()
PING_EVERY_S = 20.0
MAX_AFTER = 2**31 - 1  # the largest event id the database can hold (a 32-bit key)
RETRY_CHECK_S = 5.0  # when the database could not answer a re-check
# Close codes; the 4xxx ones mirror HTTP statuses. The reason always says what was wrong.
CLOSE_POLICY = 1008  # an access token in the URL
CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_LAGGING = 4408
TOKEN_IN_URL = "Token akses tidak boleh ada di URL; minta tiket lewat POST /api/v1/auth/ws-ticket"
BAD_AFTER = f"Parameter after harus bilangan bulat 0 sampai {MAX_AFTER} (id event terakhir)"


class Refused(Exception):
    """A socket request refused before it is opened: the close code and its reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(slots=True)
class LiveSession:
    """An open socket's account: its token (by digest), the token's expiry and its audience."""

    token_hash: str
    user_id: int
    expires_at: datetime
    audience: Audience
    next_check: float = 0.0

    def schedule(self, loop_time: float, *, within: float | None = None) -> None:
        """Plan the next re-check: after the interval, or at the token's expiry if sooner."""
        interval = get_settings().ws_recheck_s if within is None else within
        until_expiry = (self.expires_at - utcnow()).total_seconds() + 0.05
        self.next_check = loop_time + max(0.0, min(interval, until_expiry))


def parse_after(raw: str | None) -> int | None:
    """The `after` parameter: absent, or the id of the last event the screen received."""
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not text or len(text) > len(str(MAX_AFTER)) or not (text.isascii() and text.isdigit()):
        raise Refused(CLOSE_BAD_REQUEST, BAD_AFTER)
    value = int(text)
    if value > MAX_AFTER:
        raise Refused(CLOSE_BAD_REQUEST, BAD_AFTER)
    return value


def _checked_query(params: QueryParams) -> int | None:
    if "token" in params:
        raise Refused(CLOSE_POLICY, TOKEN_IN_URL)
    return parse_after(params.get("after"))


def _open(ticket: str) -> LiveSession:
    with get_database().session() as session:
        grant = redeem_ticket(session, ticket=ticket)
        if not may_listen(grant.user.role):
            raise Forbidden("Peran Anda tidak berhak membuka siaran langsung")
        audience = load_audience(session, user=grant.user, now=utcnow())
        return LiveSession(token_hash=grant.token_hash, user_id=grant.user.id,
                           expires_at=grant.expires_at, audience=audience)


def _recheck(token_hash: str, user_id: int) -> tuple[datetime, Audience]:
    with get_database().session() as session:
        grant = check_socket_session(session, token_hash=token_hash, user_id=user_id)
        return grant.expires_at, load_audience(session, user=grant.user, now=utcnow())


def _backlog(after: int, audience: Audience) -> list[dict[str, Any]]:
    with get_database().session() as session:
        return events_after(session, after_id=after, scope_path=audience.replay_scope,
                            type_prefixes=audience.replay_types)


def _newest() -> int:
    with get_database().session() as session:
        return last_event_id(session)


def _public(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k != "org_path"}


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    # A close reason may hold at most 123 bytes.
    short = reason.encode()[:123].decode(errors="ignore")
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close(code=code, reason=short)


@router.websocket("/ws/ops")
async def ops_socket(websocket: WebSocket) -> None:
    # Accepted first, so that a refusal reaches the browser with its code and reason (one refused
    # during the handshake only shows it a failed connection).
    await websocket.accept()
    try:
        after = _checked_query(websocket.query_params)
        live = await to_thread.run_sync(_open, websocket.query_params.get("ticket", ""))
    except Refused as exc:
        await _close(websocket, exc.code, exc.reason)
        return
    except DomainError as exc:
        code = CLOSE_FORBIDDEN if isinstance(exc, Forbidden) else CLOSE_UNAUTHORIZED
        await _close(websocket, code, exc.message)
        return
    bus = get_bus()
    # Subscribe before reading the log so nothing falls between the replay and the live stream.
    subscription = bus.subscribe()
    sent: set[int] = set()
    try:
        newest = await to_thread.run_sync(_newest)
        await websocket.send_json({"type": "hello", "last_event_id": newest})
        if after is not None:
            for message in await to_thread.run_sync(_backlog, after, live.audience):
                if live.audience.admits(message):
                    sent.add(message["id"])
                    await websocket.send_json(_public(message))
        live.schedule(asyncio.get_running_loop().time())
        await _stream(websocket, subscription, live, sent)
    except WebSocketDisconnect:
        pass
    finally:
        bus.unsubscribe(subscription)


async def _stream(websocket: WebSocket, subscription: Subscription, live: LiveSession,
                  sent: set[int]) -> None:
    loop = asyncio.get_running_loop()
    receiver = asyncio.ensure_future(_drain_client(websocket))
    getter: asyncio.Future[dict[str, Any]] | None = None
    next_ping = loop.time() + PING_EVERY_S
    try:
        while True:
            if getter is None:
                getter = asyncio.ensure_future(subscription.queue.get())
            timeout = max(0.0, min(next_ping, live.next_check) - loop.time())
            waiting: set[asyncio.Future[Any]] = {getter, receiver}
            done, _ = await asyncio.wait(waiting, timeout=timeout,
                                         return_when=asyncio.FIRST_COMPLETED)
            if receiver in done:
                return
            if getter in done:
                message, getter = getter.result(), None
                if subscription.overflowed.is_set():
                    # Too slow to keep up: close so the screen reconnects and replays the log.
                    await _close(websocket, CLOSE_LAGGING, "lagging; resume with after=")
                    return
                if _fresh(message, live.audience, sent):
                    await websocket.send_json(_public(message))
                    next_ping = loop.time() + PING_EVERY_S
            if loop.time() >= live.next_check and not await _still_valid(websocket, live):
                return
            if loop.time() >= next_ping:
                await websocket.send_json({"type": "ping"})
                next_ping = loop.time() + PING_EVERY_S
    finally:
        for task in (getter, receiver):
            if task is not None:
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task


def _fresh(message: dict[str, Any], audience: Audience, sent: set[int]) -> bool:
    if message["id"] in sent or not audience.admits(message):
        return False
    if len(sent) > 10_000:
        sent.clear()
    sent.add(message["id"])
    return True


async def _still_valid(websocket: WebSocket, live: LiveSession) -> bool:
    """Re-check the token and account; close the socket (4401, with the reason) when they ended."""
    loop = asyncio.get_running_loop()
    try:
        live.expires_at, live.audience = await to_thread.run_sync(_recheck, live.token_hash,
                                                                  live.user_id)
    except DomainError as exc:
        await _close(websocket, CLOSE_UNAUTHORIZED, exc.message)
        return False
    except Exception:  # the database is unreachable: keep serving, try again soon
        log.warning("live socket re-check failed; retrying", exc_info=True)
        if utcnow() >= live.expires_at:
            await _close(websocket, CLOSE_UNAUTHORIZED, "Token kedaluwarsa, silakan masuk lagi")
            return False
        live.schedule(loop.time(), within=RETRY_CHECK_S)
        return True
    live.schedule(loop.time())
    return True


async def _drain_client(websocket: WebSocket) -> None:
    while True:
        await websocket.receive_text()
