"""Writing audit entries; the log is only ever appended to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from siaga.audit.models import AuditEntry
from siaga.db import execute_write, table_of, utcnow

if TYPE_CHECKING:
    from siaga.auth.models import User


def audit(
    session: Session,
    *,
    action: str,
    target: Any,
    actor: User | None,
    device_id: int | None = None,
    org_path: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append an audit entry for a change or a protected view, in the caller's transaction."""
    write_audit(session, [audit_row(action=action, target=target, actor=actor,
                                    device_id=device_id, org_path=org_path, detail=detail)])


def audit_row(
    *,
    action: str,
    target: Any,
    actor: User | None,
    device_id: int | None = None,
    org_path: str | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One audit entry as a row, for `write_audit`."""
    return {
        "at": utcnow(),
        "actor_user_id": actor.id if actor is not None else None,
        "actor_device_id": device_id,
        "action": action,
        "target_type": type(target).__name__.lower() if target is not None else "none",
        "target_id": str(getattr(target, "id", "") or "") or None,
        "org_path": org_path,
        "detail": detail or {},
    }


def write_audit(session: Session, rows: list[dict[str, Any]]) -> None:
    """Append audit rows in the caller's transaction (one statement for all of them)."""
    if not rows:
        return
    # A Core insert: audit rows are never read back in the same transaction, and every write
    # makes one, so the ORM unit of work would only add cost.
    execute_write(session, insert(table_of(AuditEntry)), rows)
