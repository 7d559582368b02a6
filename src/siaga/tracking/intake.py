"""The intake path shared by every protocol: rate limit, sender identity, group-committed store."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import select

from siaga.auth.models import User
from siaga.auth.service import check_login_throttle, password_matches
from siaga.config import get_settings
from siaga.db import get_database, utcnow
from siaga.errors import Forbidden, TooManyRequests, Unauthorized
from siaga.ratelimit import RateLimiter
from siaga.tracking.protocols import Fix, Heartbeat
from siaga.tracking.service import FixResult, note_heartbeat
from siaga.tracking.writer import get_writer
from siaga.units.models import RejectedFix
from siaga.units.service import officer_unit

OFFICER_ROLES = ("petugas",)
CREDENTIAL_TTL_S = 300.0

# A fix timestamped longer ago than this is a tracker's backlog after a coverage gap.
LIVE_WINDOW_S = 120.0
# Backlog fixes arrive in a burst; they are counted apart, against a larger allowance.
BACKLOG_FACTOR = 20

# Unknown tracker ids from one address: a few are typos, many are someone guessing ids.
UNKNOWN_IDS_PER_ADDRESS = 30
UNKNOWN_WINDOW_S = 600.0
MAX_BLOCKED_ADDRESSES = 50_000

_limiter: RateLimiter | None = None
_unknown_ids: RateLimiter | None = None
_blocked_until: dict[str, float] = {}
_backlog: RateLimiter | None = None
_credentials: dict[str, tuple[int, float]] = {}
_officer_units: dict[int, int] = {}
_cache_lock = threading.Lock()


def gps_limiter() -> RateLimiter:
    """The per-device limit on fixes (`gps_rate_per_device_per_minute`)."""
    global _limiter
    if _limiter is None:
        _limiter = RateLimiter(limit=get_settings().gps_rate_per_device_per_minute, window_s=60)
    return _limiter


def backlog_limiter() -> RateLimiter:
    """The per-device allowance for buffered fixes sent after a gap."""
    global _backlog
    if _backlog is None:
        limit = get_settings().gps_rate_per_device_per_minute * BACKLOG_FACTOR
        _backlog = RateLimiter(limit=limit, window_s=60, name="siaga.tracking.backlog")
    return _backlog


def is_backlog(at: datetime) -> bool:
    """Whether a fix is an old, buffered one rather than a live one."""
    return at < utcnow() - timedelta(seconds=LIVE_WINDOW_S)


def check_rate(key: str, at: datetime | None = None) -> None:
    """Refuse a device sending faster than its limit (old buffered fixes have their own)."""
    limiter = backlog_limiter() if at is not None and is_backlog(at) else gps_limiter()
    if not limiter.hit(key):
        raise TooManyRequests("Terlalu banyak posisi dari perangkat ini; kurangi frekuensi "
                              "pengiriman di aplikasi pelacak.")


def _unknown_limiter() -> RateLimiter:
    global _unknown_ids
    if _unknown_ids is None:
        _unknown_ids = RateLimiter(limit=UNKNOWN_IDS_PER_ADDRESS, window_s=UNKNOWN_WINDOW_S,
                                   name="siaga.tracking.unknown_ids")
    return _unknown_ids


_GUESSING = "Terlalu banyak ID perangkat tidak terdaftar dari alamat ini; coba lagi nanti."


def check_address_allowed(client_ip: str) -> None:
    """Refuse every fix from an address that sent too many unknown tracker ids lately."""
    until = _blocked_until.get(client_ip)
    if until is None:
        return
    if until > time.monotonic():
        raise TooManyRequests(_GUESSING)
    with _cache_lock:
        _blocked_until.pop(client_ip, None)


def note_unknown_tracker(client_ip: str) -> None:
    """Count an unknown tracker id from this address; over the limit the address is refused
    (known ids included, so guessing learns nothing) for the rest of the window."""
    if _unknown_limiter().hit(client_ip):
        return
    now = time.monotonic()
    with _cache_lock:
        if len(_blocked_until) >= MAX_BLOCKED_ADDRESSES:
            for ip in [k for k, v in _blocked_until.items() if v <= now]:
                del _blocked_until[ip]
            if len(_blocked_until) >= MAX_BLOCKED_ADDRESSES:
                _blocked_until.clear()
        _blocked_until[client_ip] = now + UNKNOWN_WINDOW_S
    raise TooManyRequests(_GUESSING)


async def store(fix: Fix) -> FixResult:
    """Store one fix (after commit) through the process's group-commit writer."""
    return await get_writer().store(fix)


def heartbeat(beat: Heartbeat) -> FixResult:
    """Handle a position-less heartbeat in its own transaction (blocking; run in a thread)."""
    with get_database().session() as session:
        return note_heartbeat(session, beat=beat)


def officer_unit_id(user_id: int) -> int:
    """The id of the officer's own unit, created on first use (blocking; run in a thread)."""
    with _cache_lock:
        cached = _officer_units.get(user_id)
    if cached is not None:
        return cached
    with get_database().session() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise Unauthorized("Akun tidak aktif")
        unit_id = officer_unit(session, user=user).id
    with _cache_lock:
        _officer_units[user_id] = unit_id
    return unit_id


def officer_for_basic_auth(username: str, password: str, client_ip: str) -> int:
    """The officer (user id) behind HTTP Basic credentials (blocking; run in a thread).

    argon2 is slow on purpose, so a verified pair is remembered for a few minutes by its hash.
    """
    key = hashlib.sha256(f"{username}\x00{password}".encode()).hexdigest()
    now = time.monotonic()
    with _cache_lock:
        cached = _credentials.get(key)
    if cached is not None and cached[1] > now:
        return cached[0]
    # The same throttle and timing as the log-in page: not a second guessing channel.
    check_login_throttle(username=username, client_ip=client_ip)
    with get_database().session() as session:
        user = session.scalar(select(User).where(User.username == username))
        if not password_matches(user, password) or user is None or not user.active:
            raise Unauthorized("Nama pengguna atau kata sandi salah")
        if user.role not in OFFICER_ROLES:
            raise Forbidden("Hanya akun petugas yang dapat mengirim lokasi")
        user_id = user.id
    with _cache_lock:
        _credentials[key] = (user_id, now + CREDENTIAL_TTL_S)
    return user_id


def officer_by_username(username: str) -> int | None:
    """An active officer's user id by log-in name (MQTT: the broker has authenticated them)."""
    with get_database().session() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.active or user.role not in OFFICER_ROLES:
            return None
        return user.id


def record_rejection(*, tracker_id: str, reason: str) -> None:
    """Keep a message refused before it reached a unit (e.g. an unknown MQTT user)."""
    with get_database().session() as session:
        session.add(RejectedFix(tracker_id=tracker_id[:80], reason=reason[:200]))


def forget_caches() -> None:
    """Drop remembered credentials and officer units (tests, user changes)."""
    with _cache_lock:
        _credentials.clear()
        _officer_units.clear()
