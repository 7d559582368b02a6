"""What keeps one phone or address from abusing citizen intake: per-address limits on
registrations and tips, blocks that follow the phone number, and device tokens that expire."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.config import get_settings
from siaga.db import utcnow
from siaga.devices.models import Device
from siaga.errors import TooManyRequests, Unauthorized
from siaga.ratelimit import RateLimiter

# Behind the reverse proxy the caller's address arrives in X-Forwarded-For; only tools on the
# server itself (benchmarks, local checks) come from loopback, as for alarms.
LOOPBACK = frozenset({"127.0.0.1", "::1"})
# A token in use is renewed at most this often, so reading does not write on every request.
RENEW_EVERY = timedelta(hours=1)
_limiters: dict[str, RateLimiter] = {}


def _limiter(kind: str, limit: int) -> RateLimiter:
    if kind not in _limiters:
        _limiters[kind] = RateLimiter(limit=limit, window_s=3600,
                                      name=f"siaga.devices.{kind}_per_ip")
    return _limiters[kind]


def check_address_rate(*, kind: str, client_ip: str | None, limit: int, message: str) -> None:
    """Refuse (429) an address over its hourly allowance; None (not over HTTP) is not counted."""
    if client_ip is None or client_ip in LOOPBACK:
        return
    if not _limiter(kind, limit).hit(client_ip):
        raise TooManyRequests(message)


def check_registration_rate(*, client_ip: str) -> None:
    """At most `device_registrations_per_ip_per_hour` new devices from one address."""
    check_address_rate(
        kind="register", client_ip=client_ip,
        limit=get_settings().device_registrations_per_ip_per_hour,
        message="Terlalu banyak pendaftaran perangkat dari alamat jaringan ini. Coba lagi "
                "nanti; untuk keadaan darurat hubungi 110.")


def check_tip_rate(*, client_ip: str | None) -> None:
    """At most `tips_per_ip_per_hour` tips from one address."""
    check_address_rate(
        kind="tip", client_ip=client_ip, limit=get_settings().tips_per_ip_per_hour,
        message="Terlalu banyak laporan dari alamat jaringan ini. Coba lagi nanti.")


def same_phone(session: Session, *, device: Device) -> list[Device]:
    """Every other registration of this device's phone number."""
    return list(session.scalars(select(Device).where(Device.phone == device.phone)
                                .where(Device.id != device.id)))


def carry_block(session: Session, *, device: Device) -> None:
    """A number an operator blocked stays blocked when it registers again."""
    earlier = session.scalar(
        select(Device).where(Device.phone == device.phone, Device.blocked.is_(True),
                             Device.id != device.id).order_by(Device.id.desc()).limit(1))
    if earlier is not None:
        device.blocked = True
        device.blocked_reason = earlier.blocked_reason


def check_token_age(*, device: Device) -> None:
    """Refuse a token unused for longer than `device_token_ttl_days`; renew one in use."""
    now = utcnow()
    last = device.token_renewed_at or device.created_at
    if now - last > timedelta(days=get_settings().device_token_ttl_days):
        raise Unauthorized("Token perangkat sudah kedaluwarsa; daftarkan ulang perangkat")
    if now - last > RENEW_EVERY:
        device.token_renewed_at = now
