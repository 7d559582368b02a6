"""Live-socket tickets: a short-lived, single-use stand-in for the access token in a URL.

A browser cannot put an Authorization header on a WebSocket, and a token in the URL lands in
proxy and server logs. The page asks `POST /api/v1/auth/ws-ticket` with its bearer token and
opens `/ws/ops?ticket=...`; the ticket is spent on first use and dies after 30 s anyway. Rows
live in the database so every worker (and every process behind Redis fan-out) can redeem them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from siaga.auth.models import AccessToken, User, WsTicket
from siaga.auth.security import new_token, token_digest
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.errors import Unauthorized

MAX_TICKET_LENGTH = 200


@dataclass(frozen=True, slots=True)
class SocketSession:
    """Who an open socket speaks for, and until when its access token is valid."""

    user: User
    token_hash: str
    expires_at: datetime


def issue_ticket(session: Session, *, user: User, token: str, now: datetime | None = None) -> str:
    """A fresh ticket for this user's access token; only its hash is stored."""
    now = now or utcnow()
    # Spent and expired tickets are worthless; clearing them here keeps the table small.
    session.execute(delete(WsTicket).where(WsTicket.expires_at <= now))
    ticket = new_token()
    ttl = timedelta(seconds=get_settings().ws_ticket_ttl_s)
    session.add(WsTicket(ticket_hash=token_digest(ticket), token_hash=token_digest(token),
                         user_id=user.id, expires_at=now + ttl))
    session.flush()
    return ticket


def redeem_ticket(session: Session, *, ticket: str, now: datetime | None = None) -> SocketSession:
    """Spend a ticket (once, even when two sockets race for it) and check what it stands for."""
    now = now or utcnow()
    if not ticket or len(ticket) > MAX_TICKET_LENGTH:
        raise Unauthorized("Tiket tidak ada: minta lewat POST /api/v1/auth/ws-ticket",
                           field="ticket")
    row = session.scalar(select(WsTicket).where(WsTicket.ticket_hash == token_digest(ticket)))
    if row is None:
        raise Unauthorized("Tiket tidak dikenal atau sudah dipakai", field="ticket")
    token_hash, expires_at, user_id = row.token_hash, row.expires_at, row.user_id
    spent = session.execute(delete(WsTicket).where(WsTicket.id == row.id)
                            .execution_options(synchronize_session=False))
    if getattr(spent, "rowcount", 0) != 1:
        raise Unauthorized("Tiket tidak dikenal atau sudah dipakai", field="ticket")
    if expires_at <= now:
        raise Unauthorized("Tiket kedaluwarsa; minta tiket baru", field="ticket")
    return check_socket_session(session, token_hash=token_hash, user_id=user_id, now=now)


def check_socket_session(session: Session, *, token_hash: str, user_id: int,
                         now: datetime | None = None) -> SocketSession:
    """The socket's access token is still there (not logged out), unexpired, its account active."""
    now = now or utcnow()
    row = session.execute(
        select(User, AccessToken.expires_at)
        .join(AccessToken, AccessToken.user_id == User.id)
        .where(AccessToken.token_hash == token_hash)
    ).first()
    if row is None:
        # Disabling an account also ends its tokens: say which of the two happened.
        owner = session.get(User, user_id)
        if owner is not None and not owner.active:
            raise Unauthorized("Akun dinonaktifkan")
        raise Unauthorized("Sesi sudah berakhir (keluar atau dicabut); silakan masuk lagi")
    user, expires_at = row
    if expires_at <= now:
        raise Unauthorized("Token kedaluwarsa, silakan masuk lagi")
    if not user.active:
        raise Unauthorized("Akun dinonaktifkan")
    return SocketSession(user=user, token_hash=token_hash, expires_at=expires_at)
