"""Staff accounts: creation, log-in, token checks and organisation scope."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.models import ROLES, AccessToken, User
from siaga.auth.passwords import check_password
from siaga.auth.security import hash_password, new_token, token_digest, verify_password
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.errors import Invalid, TooManyRequests, Unauthorized
from siaga.orgs.models import Organisation
from siaga.ratelimit import RateLimiter

_login_limiters: dict[str, RateLimiter] = {}
# Spraying one password over many names from one address, or one name from many addresses,
# is slowed as well as guessing one name from one address (which keeps the tightest limit).
LOGIN_LIMIT_FACTORS = {"name_address": 1, "address": 3, "name": 5}
_dummy_hash: str | None = None


def _limiter(kind: str) -> RateLimiter:
    limiter = _login_limiters.get(kind)
    if limiter is None:
        per_minute = get_settings().login_attempts_per_minute * LOGIN_LIMIT_FACTORS[kind]
        limiter = RateLimiter(limit=per_minute, window_s=60, name=f"siaga.auth.login.{kind}")
        _login_limiters[kind] = limiter
    return limiter


def check_login_throttle(*, username: str, client_ip: str) -> None:
    """Count one password attempt (any channel: log-in, OwnTracks Basic auth); 429 when over."""
    keys = {"name_address": f"{username}|{client_ip}", "address": client_ip, "name": username}
    for kind, key in keys.items():
        if not _limiter(kind).hit(key):
            raise TooManyRequests("Terlalu banyak percobaan masuk. Coba lagi dalam satu menit.")


def password_matches(user: User | None, password: str) -> bool:
    """Verify, spending the same hashing time when the user does not exist (no timing oracle)."""
    global _dummy_hash
    if user is None:
        if _dummy_hash is None:
            _dummy_hash = hash_password(new_token())
        verify_password(_dummy_hash, password)
        return False
    return verify_password(user.password_hash, password)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    org: Organisation | None,
    full_name: str = "",
    phone: str | None = None,
    region_id: int | None = None,
    password_hash: str | None = None,
) -> User:
    """Add a staff account with a hashed password (or a hash already made, for bulk loads)."""
    if role not in ROLES:
        raise Invalid(f"Peran tidak dikenal: {role}", field="role")
    if password_hash is None:
        check_password(password, username=username)
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise Invalid(f"Nama pengguna sudah dipakai: {username}", field="username")
    user = User(
        username=username,
        password_hash=password_hash or hash_password(password),
        role=role,
        org_id=org.id if org else None,
        full_name=full_name or username,
        phone=phone,
        region_id=region_id,
    )
    session.add(user)
    session.flush()
    audit(session, action="user.create", target=user, actor=None, detail={"role": role})
    return user


def login(session: Session, *, username: str, password: str, client_ip: str) -> tuple[str, User]:
    """Check credentials and issue an access token; throttled per user name and address."""
    check_login_throttle(username=username, client_ip=client_ip)
    user = session.scalar(select(User).where(User.username == username))
    if not password_matches(user, password) or user is None or not user.active:
        raise Unauthorized("Nama pengguna atau kata sandi salah")
    token = new_token()
    ttl = timedelta(minutes=get_settings().token_ttl_minutes)
    session.add(AccessToken(token_hash=token_digest(token), user_id=user.id,
                            expires_at=utcnow() + ttl))
    audit(session, action="auth.login", target=user, actor=user)
    return token, user


def user_for_token(session: Session, *, token: str) -> User:
    """The active user holding this unexpired token."""
    row = session.execute(
        select(User, AccessToken.expires_at)
        .join(AccessToken, AccessToken.user_id == User.id)
        .where(AccessToken.token_hash == token_digest(token))
    ).first()
    if row is None:
        raise Unauthorized("Token tidak valid")
    user, expires_at = row
    if expires_at <= utcnow():
        raise Unauthorized("Token kedaluwarsa, silakan masuk lagi")
    if not user.active:
        raise Unauthorized("Akun dinonaktifkan")
    return user


def scope_path(session: Session, *, user: User) -> str:
    """The organisation path prefix this user may see; admins without an org see everything."""
    if user.org_id is None:
        # Only an admin may stand above every organisation; anyone else without one sees nothing.
        return "/" if user.role == "admin" else "/__none__/"
    org = session.get(Organisation, user.org_id)
    return org.path if org else "/__none__/"


def logout(session: Session, *, token: str) -> None:
    """End this bearer token on the server; any later use of it is refused."""
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == token_digest(token)))
    if row is None:
        raise Unauthorized("Token tidak valid")
    user = session.get(User, row.user_id)
    session.delete(row)
    session.flush()
    if user is not None:
        audit(session, action="auth.logout", target=user, actor=user)
