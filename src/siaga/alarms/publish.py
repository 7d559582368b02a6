"""Queueing an alarm's live event (it leaves after commit)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.alarms.serialize import alarm_summary
from siaga.events.service import record_event


def publish_alarm(session: Session, *, alarm: Alarm, type: str, **extra: Any) -> None:
    """Queue an alarm event for live screens: the staff JSON of the alarm, plus `extra`."""
    session.flush()
    record_event(session, type=type, org_path=alarm.org_path,
                 payload={"alarm": alarm_summary(session, alarm).model_dump(mode="json"), **extra})
