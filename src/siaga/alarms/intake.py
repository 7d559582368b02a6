"""The process-wide group-commit writer for new alarms (see siaga.groupcommit).

A flood of alarms is stored a batch per transaction by one thread, and each sender is answered
201 only once its alarm is committed and its event is on the way to the command center.
"""

from __future__ import annotations

from anyio import to_thread
from fastapi import FastAPI

from siaga.alarms.service import AlarmOutcome, NewAlarm, create_alarms
from siaga.groupcommit import GroupCommitWriter

AlarmWriter = GroupCommitWriter[NewAlarm, AlarmOutcome]

_writer: AlarmWriter = GroupCommitWriter("alarm-writer", create_alarms)


def get_alarm_writer() -> AlarmWriter:
    """The process-wide alarm writer."""
    return _writer


async def store_alarm(alarm: NewAlarm) -> AlarmOutcome:
    """Store one alarm (after commit); its own refusal is raised here."""
    return await _writer.store(alarm)


async def stop_alarm_writer(_app: FastAPI) -> None:
    """Shutdown hook: store every queued alarm, then end the writer thread."""
    await to_thread.run_sync(_writer.stop)
