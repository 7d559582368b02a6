"""Staff accounts administered by an admin: create, change, disable, reset, end sessions."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from siaga.admin.models import PasswordResetCode
from siaga.admin.scope import org_in_scope, user_org_path
from siaga.audit.service import audit
from siaga.auth.models import ROLES, AccessToken, User
from siaga.auth.passwords import check_password
from siaga.auth.security import hash_password, token_digest
from siaga.auth.service import check_login_throttle, create_user
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import Forbidden, Invalid, Unauthorized
from siaga.orgs.models import Organisation
from siaga.tracking.intake import forget_caches

RESET_TTL = timedelta(hours=24)
# No 0/O or 1/I/L: the admin reads the code out over the phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _org_for(session: Session, *, staff: Staff, role: str, org_code: str | None
             ) -> Organisation | None:
    if role not in ROLES:
        raise Invalid(f"Peran tidak dikenal: {role}", field="role")
    if org_code:
        return org_in_scope(session, staff=staff, code=org_code)
    if role != "admin":
        raise Invalid("Peran ini wajib punya satuan", field="org")
    if staff.scope != "/":
        raise Forbidden("Hanya admin pusat yang boleh membuat admin tanpa satuan", field="org")
    return None


def list_accounts(session: Session, *, staff: Staff, q: str | None = None
                  ) -> list[tuple[User, Organisation | None]]:
    """Accounts the admin may administer, by organisation then name."""
    query = select(User, Organisation).outerjoin(Organisation, Organisation.id == User.org_id)
    if staff.scope != "/":
        query = query.where(Organisation.path.startswith(staff.scope, autoescape=True))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(func.lower(User.username).like(like)
                            | func.lower(User.full_name).like(like))
    rows = session.execute(query.order_by(Organisation.path.nulls_first(), User.username)
                           .limit(2000)).all()
    return [(user, org) for user, org in rows]


def create_account(
    session: Session, *, staff: Staff, username: str, password: str, role: str,
    org_code: str | None, full_name: str = "", phone: str | None = None,
) -> User:
    """A new staff account in the admin's subtree (the password policy applies)."""
    org = _org_for(session, staff=staff, role=role, org_code=org_code)
    user = create_user(session, username=username.strip(), password=password, role=role,
                       org=org, full_name=full_name.strip(), phone=phone or None)
    audit(session, action="admin.user_create", target=user, actor=staff.user,
          org_path=org.path if org else None,
          detail={"username": user.username, "role": role, "org": org.code if org else None})
    return user


def update_account(
    session: Session, *, staff: Staff, user: User, role: str | None = None,
    org_code: str | None = None, full_name: str | None = None, phone: str | None = None,
) -> User:
    """Change an account's role, organisation, name or phone; audited with before and after."""
    before = {"role": user.role, "org_id": user.org_id, "full_name": user.full_name,
              "phone": user.phone}
    new_role = role or user.role
    if role is not None or org_code is not None:
        current = session.get(Organisation, user.org_id) if user.org_id else None
        code = org_code if org_code is not None else (current.code if current else None)
        org = _org_for(session, staff=staff, role=new_role, org_code=code or None)
        if user.id == staff.user.id and (new_role != "admin" or
                                         (org.id if org else None) != user.org_id):
            raise Forbidden("Anda tidak dapat mengubah peran atau satuan akun sendiri",
                            field="role")
        user.role, user.org_id = new_role, org.id if org else None
    if full_name is not None:
        if not full_name.strip():
            raise Invalid("Nama lengkap wajib diisi", field="full_name")
        user.full_name = full_name.strip()
    if phone is not None:
        user.phone = phone.strip() or None
    session.flush()
    after = {"role": user.role, "org_id": user.org_id, "full_name": user.full_name,
             "phone": user.phone}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changed:
        audit(session, action="admin.user_update", target=user, actor=staff.user,
              org_path=user_org_path(session, user), detail=changed)
    return user


def _end_tokens(session: Session, user: User) -> int:
    result = session.execute(delete(AccessToken).where(AccessToken.user_id == user.id))
    _forget_tracking_credentials()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _forget_tracking_credentials() -> None:
    # OwnTracks Basic auth remembers verified passwords for a few minutes.
    forget_caches()


def set_active(session: Session, *, staff: Staff, user: User, active: bool) -> User:
    """Disable (log-in refused, every token ended) or enable an account."""
    if user.id == staff.user.id and not active:
        raise Forbidden("Anda tidak dapat menonaktifkan akun sendiri", field="active")
    if user.active == active:
        return user
    user.active = active
    ended = 0 if active else _end_tokens(session, user)
    session.flush()
    audit(session, action="admin.user_enable" if active else "admin.user_disable",
          target=user, actor=staff.user, org_path=user_org_path(session, user),
          detail={"username": user.username, "sessions_ended": ended})
    return user


def end_sessions(session: Session, *, staff: Staff, user: User) -> int:
    """Log the account out everywhere: delete all its tokens."""
    ended = _end_tokens(session, user)
    session.flush()
    audit(session, action="admin.user_logout_all", target=user, actor=staff.user,
          org_path=user_org_path(session, user),
          detail={"username": user.username, "sessions_ended": ended})
    return ended


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))  # ~59 bits
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def _normal(code: str) -> str:
    return code.replace("-", "").replace(" ", "").upper()


def issue_reset_code(session: Session, *, staff: Staff, user: User) -> tuple[str, datetime]:
    """A one-time code (shown once) with which the user sets a new password; older codes end."""
    if not user.active:
        raise Invalid("Akun nonaktif; aktifkan dulu sebelum reset kata sandi", field="active")
    now = utcnow()
    session.execute(update(PasswordResetCode).where(PasswordResetCode.user_id == user.id)
                    .where(PasswordResetCode.used_at.is_(None)).values(used_at=now))
    code = _new_code()
    expires = now + RESET_TTL
    session.add(PasswordResetCode(user_id=user.id, code_hash=token_digest(_normal(code)),
                                  expires_at=expires, created_by_id=staff.user.id,
                                  created_at=now))
    session.flush()
    audit(session, action="admin.user_reset_code", target=user, actor=staff.user,
          org_path=user_org_path(session, user),
          detail={"username": user.username, "expires_at": expires.isoformat()})
    return code, expires


def redeem_reset_code(session: Session, *, username: str, code: str, new_password: str,
                      client_ip: str) -> User:
    """Set a new password with a one-time code; every old session ends."""
    # Codes are guessed like passwords, so they share the log-in throttle.
    check_login_throttle(username=username, client_ip=client_ip)
    row = session.scalar(select(PasswordResetCode)
                         .where(PasswordResetCode.code_hash == token_digest(_normal(code))))
    user = session.get(User, row.user_id) if row is not None else None
    now = utcnow()
    if (row is None or user is None or user.username != username or row.used_at is not None
            or row.expires_at <= now or not user.active):
        raise Unauthorized("Kode reset tidak berlaku (salah, sudah dipakai atau kedaluwarsa)")
    check_password(new_password, username=user.username)
    user.password_hash = hash_password(new_password)
    row.used_at = now
    ended = _end_tokens(session, user)
    session.flush()
    audit(session, action="auth.password_reset", target=user, actor=user,
          org_path=user_org_path(session, user), detail={"sessions_ended": ended})
    return user
