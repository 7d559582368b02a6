"""Writing audit entries; the log is only ever appended to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from siaga.audit.models import AuditEntry

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
    session.add(
        AuditEntry(
            actor_user_id=actor.id if actor is not None else None,
            actor_device_id=device_id,
            action=action,
            target_type=type(target).__name__.lower() if target is not None else "none",
            target_id=str(getattr(target, "id", "")) or None,
            org_path=org_path,
            detail=detail or {},
        )
    )
