"""SMS arriving at a Polres gateway phone (SMSSync) and the replies waiting to go out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from siaga.orm import Base, UTCDateTime, utcnow


class SmsMessage(Base):
    __tablename__ = "sms_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(40), index=True)
    sent_to: Mapped[str | None] = mapped_column(String(40))
    gateway_device_id: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "alarm", "tip" or "refused" (blocked, rate-limited): what became of it.
    outcome: Mapped[str] = mapped_column(String(16))
    # For alarms: "text" (position in the SMS), "device" (the phone's last known position) or
    # "unknown" (placed at the Polres office: lokasi tidak diketahui).
    location_source: Mapped[str | None] = mapped_column(String(16))
    # Indexed: every staff view of an alarm looks up whether it came by SMS without a place.
    alarm_id: Mapped[int | None] = mapped_column(ForeignKey("alarms.id"), index=True)
    tip_id: Mapped[int | None] = mapped_column(ForeignKey("tips.id"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))


class SmsReply(Base):
    __tablename__ = "sms_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    to: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
