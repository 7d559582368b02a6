"""SMS intake from a Polres gateway phone: alarms (TOLONG/SOS) and tips, and queued replies."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm, AlarmLocation
from siaga.alarms.publish import publish_alarm
from siaga.alarms.service import NewAlarm, create_alarms
from siaga.audit.service import audit
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.devices.models import Device
from siaga.devices.service import normalise_phone, register_device
from siaga.errors import DomainError, Forbidden, NotFound
from siaga.orgs.models import Organisation
from siaga.sms.models import SmsMessage, SmsReply
from siaga.tips.schemas import TipIn
from siaga.tips.service import create_tip

_ALARM = re.compile(r"^\s*(tolong|sos)\b[\s,:.!]*"
                    r"(?:(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?))?", re.IGNORECASE)
_NAMESPACE = uuid.UUID("5f0c2a4e-8d7b-4c61-9a3e-2b6f1d0e9c11")
REPLY_ALARM = "Alarm diterima. Petugas menuju lokasi."
REPLY_ALARM_NO_PLACE = ("Alarm diterima, tetapi lokasi Anda tidak diketahui. Balas: SOS lat,lon "
                        "atau hubungi 110.")
REPLY_TIP = "Laporan diterima. Terima kasih, akan kami tindak lanjuti."


@dataclass(frozen=True, slots=True)
class IncomingSms:
    """One SMS as the SMSSync app posts it."""

    sender: str
    text: str
    message_id: str
    sent_to: str | None
    gateway_device_id: str | None
    sent_timestamp_ms: int | None


def check_secret(*, secret: str | None) -> None:
    """Intake is off without a configured secret; a wrong one is refused."""
    expected = get_settings().smssync_secret
    if not expected:
        raise NotFound("Penerimaan SMS tidak aktif")
    if secret != expected:
        raise Forbidden("Secret SMSSync salah")


def parse_alarm(text: str) -> tuple[bool, float | None, float | None]:
    """Whether the text is an alarm, and the position written in it if any."""
    match = _ALARM.match(text)
    if match is None:
        return False, None, None
    if match.group(2) and match.group(3):
        lat, lon = float(match.group(2)), float(match.group(3))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return True, lat, lon
    return True, None, None


def receive_sms(session: Session, *, sms: IncomingSms) -> SmsMessage:
    """Store an SMS once per message_id as an alarm or a tip, and queue the reply."""
    existing = session.scalar(select(SmsMessage).where(SmsMessage.message_id == sms.message_id))
    if existing is not None:
        return existing
    sender = normalise_phone(sms.sender)
    polres = _polres_for(session, sent_to=sms.sent_to)
    device = _device_for_phone(session, phone=sender)
    is_alarm, lat, lon = parse_alarm(sms.text)
    message = SmsMessage(
        message_id=sms.message_id, sender=sender, sent_to=sms.sent_to,
        gateway_device_id=sms.gateway_device_id, text=sms.text, sent_at=_sent_at(sms),
        outcome="refused", org_id=polres.id if polres else None)
    client_id = str(uuid.uuid5(_NAMESPACE, sms.message_id))
    reply: str
    if is_alarm:
        reply = _alarm(session, message=message, device=device, client_id=client_id, lat=lat,
                       lon=lon, polres=polres)
    else:
        reply = _tip(session, message=message, device=device, client_id=client_id,
                     polres=polres, text=sms.text)
    session.add(message)
    session.add(SmsReply(uuid=str(uuid.uuid4()), to=sender, message=reply))
    session.flush()
    audit(session, action="sms.receive", target=message, actor=None, device_id=device.id,
          org_path=polres.path if polres else "", detail={"outcome": message.outcome,
                                                          "location": message.location_source})
    return message


def _alarm(session: Session, *, message: SmsMessage, device: Device, client_id: str,
           lat: float | None, lon: float | None, polres: Organisation | None) -> str:
    source = "text"
    if lat is None or lon is None:
        last = _last_position(session, phone=device.phone)
        source = "device" if last else "unknown"
        lat, lon = last or _office(polres)
    message.location_source = source
    [outcome] = create_alarms(session, alarms=[NewAlarm(
        token_digest=device.token_hash, client_id=client_id, lat=lat, lon=lon,
        accuracy_m=None, triggered_at=message.sent_at, kind="panic",
        client_ip=f"sms:{device.phone}", location_source=source)])
    if isinstance(outcome, DomainError):
        message.outcome = "refused"
        return f"Alarm tidak dapat diterima: {outcome}. Hubungi 110."
    message.outcome = "alarm"
    message.alarm_id = outcome.summary.id
    session.add(message)
    if source != "text":
        # alarm.created left before this message was linked: say where the position came from.
        alarm = session.get(Alarm, outcome.summary.id)
        if alarm is not None:
            publish_alarm(session, alarm=alarm, type="alarm.updated", change="location_source")
    return REPLY_ALARM if source != "unknown" else REPLY_ALARM_NO_PLACE


def _tip(session: Session, *, message: SmsMessage, device: Device, client_id: str,
         polres: Organisation | None, text: str) -> str:
    last = _last_position(session, phone=device.phone)
    lat, lon = last or _office(polres)
    body = text.strip()
    if len(body) < 5:
        body = (body + " (SMS)").strip()
    try:
        tip, _created = create_tip(session, device=device, photo=None, data=TipIn(
            client_id=client_id, category="other", text=body[:3000], lat=lat, lon=lon))
    except DomainError as exc:
        return f"Laporan tidak dapat diterima: {exc}"
    message.outcome = "tip"
    message.tip_id = tip.id
    return REPLY_TIP


def _sent_at(sms: IncomingSms) -> datetime | None:
    if sms.sent_timestamp_ms is None:
        return None
    when = datetime.fromtimestamp(sms.sent_timestamp_ms / 1000, tz=UTC)
    # The phone's clock may be wrong; the alarm path refuses odd times, so keep only sane ones.
    now = utcnow()
    return when if abs((now - when).total_seconds()) < 3600 else None


def _polres_for(session: Session, *, sent_to: str | None) -> Organisation | None:
    polres = list(session.scalars(select(Organisation).where(Organisation.level == "polres")
                                  .order_by(Organisation.id)))
    if sent_to:
        number = normalise_phone(sent_to)
        for org in polres:
            if org.phone and normalise_phone(org.phone) == number:
                return org
    return polres[0] if polres else None


def _office(polres: Organisation | None) -> tuple[float, float]:
    if polres is not None and polres.lat is not None and polres.lon is not None:
        return polres.lat, polres.lon
    return 0.0, 0.0


def _device_for_phone(session: Session, *, phone: str) -> Device:
    """The phone's registered device (blocks and prank flags follow it), else a new SMS one."""
    devices = list(session.scalars(select(Device).where(Device.phone == phone)
                                   .order_by(Device.id)))
    for device in devices:
        if device.blocked:
            return device
    if devices:
        return devices[0]
    device, _token = register_device(session, phone=phone, name=f"SMS {phone}")
    return device


def _last_position(session: Session, *, phone: str) -> tuple[float, float] | None:
    row = session.execute(
        select(AlarmLocation.lat, AlarmLocation.lon)
        .join(Alarm, Alarm.id == AlarmLocation.alarm_id)
        .join(Device, Device.id == Alarm.device_id)
        .where(Device.phone == phone).order_by(AlarmLocation.at.desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


def hand_out_replies(session: Session, *, limit: int = 50) -> list[SmsReply]:
    """Replies not yet handed to the gateway, marked handed out so each goes once."""
    rows = list(session.scalars(select(SmsReply).where(SmsReply.handed_out_at.is_(None))
                                .order_by(SmsReply.id).limit(limit)))
    now = utcnow()
    for reply in rows:
        reply.handed_out_at = now
    session.flush()
    return rows
