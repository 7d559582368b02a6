"""The process-wide group-commit writer for new alarms (see siaga.groupcommit).

A flood of alarms is stored a batch per transaction by one thread, and each sender is answered
201 only once its alarm is committed and its event is on the way to the command center.
"""

from __future__ import annotations

import asyncio

from anyio import to_thread
from fastapi import FastAPI
from sqlalchemy.orm import Session

from siaga.alarms.service import AlarmOutcome, NewAlarm, create_alarms
from siaga.errors import DomainError, Unavailable
from siaga.groupcommit import UNAVAILABLE_MESSAGE, GroupCommitWriter

AlarmWriter = GroupCommitWriter[NewAlarm, AlarmOutcome]
# A sender waits at most this long; the alarm may still be stored, and a resend with the same
# client_id then gets it back (200).
WAIT_S = 20.0


def _store(session: Session, alarms: list[NewAlarm]) -> list[AlarmOutcome | DomainError]:
    return create_alarms(session, alarms=alarms)


_writer: AlarmWriter = GroupCommitWriter("alarm-writer", _store)


async def store_alarm(alarm: NewAlarm) -> AlarmOutcome:
    """Store one alarm (after commit); its own refusal is raised here."""
    try:
        return await asyncio.wait_for(_writer.store(alarm), WAIT_S)
    except TimeoutError as exc:
        raise Unavailable(UNAVAILABLE_MESSAGE) from exc


async def stop_alarm_writer(_app: FastAPI) -> None:
    """Shutdown hook: store every queued alarm, then end the writer thread."""
    await to_thread.run_sync(_writer.stop)
