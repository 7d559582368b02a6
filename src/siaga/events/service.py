"""Recording events in the same transaction as the change, and publishing them after commit."""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

from sqlalchemy import event, insert, or_, select
from sqlalchemy.orm import Session

from siaga.db import execute_write, table_of, utcnow
from siaga.events.bus import get_bus
from siaga.events.models import EventRecord

log = logging.getLogger(__name__)

_OUTBOX = "siaga_outbox"
# Concurrent PostgreSQL transactions may commit event ids out of order; replaying a little
# before the client's last id (which it de-duplicates) closes that gap.
REPLAY_OVERLAP = 200


class NewEvent(NamedTuple):
    type: str
    org_path: str
    payload: dict[str, Any]


def record_event(
    session: Session, *, type: str, org_path: str, payload: dict[str, Any]
) -> int:
    """Store an event with the change that caused it; it is published once the change commits."""
    return record_events(session, events=[NewEvent(type, org_path, payload)])[0]


def record_events(session: Session, *, events: list[NewEvent]) -> list[int]:
    """Store several events with the change that caused them; their ids, in the given order."""
    if not events:
        return []
    table = table_of(EventRecord)
    now = utcnow()
    # A Core insert: every state change writes one, so the ORM unit of work is not worth it.
    result = execute_write(
        session, insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [{"type": e.type, "org_path": e.org_path, "payload": e.payload, "created_at": now}
         for e in events],
    )
    ids = [int(row[0]) for row in result]
    outbox = session.info.setdefault(_OUTBOX, [])
    for event_id, e in zip(ids, events, strict=True):
        outbox.append({"id": event_id, "type": e.type, "org_path": e.org_path, **e.payload})
    return ids


def to_message(record: EventRecord) -> dict[str, Any]:
    """The wire form of an event, with the org path kept for filtering."""
    return {"id": record.id, "type": record.type, "org_path": record.org_path, **record.payload}


def events_after(
    session: Session, *, after_id: int, scope_path: str,
    type_prefixes: tuple[str, ...] | None = None, limit: int = 5000,
) -> list[dict[str, Any]]:
    """Stored events a screen of this scope missed (only these types, if given), oldest first."""
    query = (
        select(EventRecord)
        .where(EventRecord.id > after_id - REPLAY_OVERLAP)
        .where(EventRecord.org_path.startswith(scope_path, autoescape=True))
    )
    if type_prefixes is not None:
        query = query.where(or_(*(EventRecord.type.startswith(p, autoescape=True)
                                  for p in type_prefixes)))
    rows = session.scalars(query.order_by(EventRecord.id).limit(limit))
    return [to_message(r) for r in rows]


def last_event_id(session: Session) -> int:
    """The newest event id, where a fresh screen starts listening."""
    value = session.scalar(select(EventRecord.id).order_by(EventRecord.id.desc()).limit(1))
    return int(value or 0)


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    messages: list[dict[str, Any]] = session.info.pop(_OUTBOX, [])
    if not messages:
        return
    try:
        get_bus().publish(messages)
    except Exception:  # the change is committed; screens recover it from the log
        log.exception("could not publish events %s-%s", messages[0]["id"], messages[-1]["id"])


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_OUTBOX, None)
