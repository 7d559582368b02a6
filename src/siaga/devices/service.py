"""Citizen device registration and token checks."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.alarms.models import Alarm
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.security import hash_password, new_token, token_digest, verify_password
from siaga.db import utcnow
from siaga.devices.guards import carry_block, check_token_age, same_phone
from siaga.devices.models import Device
from siaga.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized


def register_device(
    session: Session, *, phone: str, name: str, pin: str | None = None,
    duress_pin: str | None = None,
) -> tuple[Device, str]:
    """Register a citizen phone and return it with its bearer token."""
    _check_duress_pin(pin, duress_pin)
    token = new_token()
    device = Device(
        public_id=str(uuid.uuid4()),
        phone=normalise_phone(phone),
        name=name,
        token_hash=token_digest(token),
        pin_hash=hash_password(pin) if pin else None,
        duress_pin_hash=hash_password(duress_pin) if duress_pin else None,
    )
    carry_block(session, device=device)
    session.add(device)
    session.flush()
    audit(session, action="device.register", target=device, actor=None, device_id=device.id)
    return device, token


def normalise_phone(phone: str) -> str:
    """Digits only, with Indonesia's 0 prefix written as +62."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.strip().startswith("+"):
        return "+" + digits
    if digits.startswith("0"):
        return "+62" + digits[1:]
    return "+" + digits if digits.startswith("62") else digits


def device_for_token(session: Session, *, token: str) -> Device:
    """The device holding this token; blocked devices may still read, never send."""
    device = session.scalar(select(Device).where(Device.token_hash == token_digest(token)))
    if device is None:
        raise Unauthorized("Token perangkat tidak valid; daftarkan ulang perangkat")
    check_token_age(device=device)
    return device


def _check_duress_pin(pin: str | None, duress_pin: str | None) -> None:
    if duress_pin is None:
        return
    if pin is None:
        raise Invalid("PIN darurat hanya bisa diatur bersama PIN pembatalan", field="duress_pin")
    if duress_pin == pin:
        raise Invalid("PIN darurat harus berbeda dari PIN pembatalan", field="duress_pin")


def set_pin(session: Session, *, device: Device, pin: str, duress_pin: str | None = None
            ) -> None:
    """Set the PIN that cancels this device's alarms (and, optionally, the duress PIN)."""
    _check_duress_pin(pin, duress_pin)
    device.pin_hash = hash_password(pin)
    if duress_pin is not None:
        device.duress_pin_hash = hash_password(duress_pin)
    elif device.duress_pin_hash is not None and verify_password(device.duress_pin_hash, pin):
        device.duress_pin_hash = None  # the same digits cannot mean both
    audit(session, action="device.set_pin", target=device, actor=None, device_id=device.id,
          detail={"duress_pin": duress_pin is not None})


def accept_warning(session: Session, *, device: Device) -> None:
    """Record that the citizen read the UU ITE warning against prank alarms."""
    if device.warning_accepted_at is None:
        device.warning_accepted_at = utcnow()
        audit(session, action="device.accept_warning", target=device, actor=None,
              device_id=device.id)


def match_pin(*, device: Device, pin: str) -> str:
    """"cancel" or "duress" for the device's cancel or duress PIN; refused when neither."""
    if device.pin_hash is None:
        raise Conflict("PIN belum diatur untuk perangkat ini", field="pin")
    if verify_password(device.pin_hash, pin):
        return "cancel"
    if device.duress_pin_hash is not None and verify_password(device.duress_pin_hash, pin):
        return "duress"
    raise Forbidden("PIN salah", field="pin")


def check_pin(*, device: Device, pin: str) -> None:
    """Refuse when the PIN is unset or wrong."""
    if device.pin_hash is None:
        raise Conflict("PIN belum diatur untuk perangkat ini", field="pin")
    if not verify_password(device.pin_hash, pin):
        raise Forbidden("PIN salah", field="pin")


def device_for_staff(session: Session, *, scope: str, device_id: str) -> Device:
    """The device if it sent an alarm inside the staff member's scope (admins: any)."""
    device = session.scalar(select(Device).where(Device.public_id == device_id))
    if device is None:
        raise NotFound("Perangkat tidak ditemukan", field="device_id")
    if scope != "/":
        seen = session.scalar(select(Alarm.id).where(Alarm.device_id == device.id)
                              .where(Alarm.org_path.startswith(scope, autoescape=True)).limit(1))
        if seen is None:
            raise NotFound("Perangkat tidak ditemukan", field="device_id")
    return device


def block_device(session: Session, *, actor: User, scope: str, device_id: str,
                 reason: str) -> Device:
    """Refuse future alarms from this device and every registration of its phone number
    (a new one inherits the block), with the operator's reason; audited."""
    device = device_for_staff(session, scope=scope, device_id=device_id)
    for same in [device, *same_phone(session, device=device)]:
        same.blocked = True
        same.blocked_reason = reason
    audit(session, action="device.block", target=device, actor=actor, device_id=device.id,
          detail={"reason": reason, "false_alarm_count": device.false_alarm_count})
    return device


def unblock_device(session: Session, *, actor: User, scope: str, device_id: str,
                   reason: str | None) -> Device:
    """Accept alarms from this device's phone number again; audited."""
    device = device_for_staff(session, scope=scope, device_id=device_id)
    for same in [device, *same_phone(session, device=device)]:
        same.blocked = False
        same.blocked_reason = None
    audit(session, action="device.unblock", target=device, actor=actor, device_id=device.id,
          detail={"reason": reason})
    return device
