"""The caller's cancel: the PIN check with its lock-out, the cancel itself, and the duress PIN
that looks like a cancel on the phone but keeps the alarm active."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from siaga.alarms import lifecycle
from siaga.alarms.models import ACTIVE_STATUSES, Alarm
from siaga.alarms.service import alarm_for_device
from siaga.audit.service import audit
from siaga.config import get_settings
from siaga.db import utcnow
from siaga.devices.models import Device
from siaga.devices.service import match_pin
from siaga.errors import Conflict, DomainError, Forbidden, TooManyRequests
from siaga.ratelimit import RateLimiter

WRONG_PINS_PER_ALARM = 5
WRONG_PIN_WINDOW_S = 15 * 60
_wrong_pins = RateLimiter(limit=WRONG_PINS_PER_ALARM, window_s=WRONG_PIN_WINDOW_S,
                          name="siaga.alarms.service:wrong-cancel-pin")


class WrongPin(Forbidden):
    """A wrong cancel PIN: refused, but the attempt is counted and audited (kept on commit)."""


class TooManyWrongPins(TooManyRequests):
    """Cancelling is locked after too many wrong PINs; the refusal is audited (kept on commit)."""


def cancel_alarm(
    session: Session, *, device: Device, alarm_id: int, pin: str, reason: str | None
) -> Alarm:
    """Cancel by the citizen with their PIN, only within the short window; kept, never deleted.
    With the duress PIN the answer is the same, but the alarm stays active for staff."""
    alarm = alarm_for_device(session, device=device, alarm_id=alarm_id)
    if alarm.status not in ACTIVE_STATUSES or alarm.caller_sees_cancelled:
        raise Conflict("Alarm sudah selesai atau dibatalkan", field="status")
    window = timedelta(seconds=get_settings().cancel_window_s)
    if utcnow() > alarm.created_at + window:
        raise Conflict("Batas waktu pembatalan sudah lewat; operator akan menghubungi Anda",
                       field="status")
    kind = _check_cancel_pin(session, device=device, alarm=alarm, pin=pin)
    if kind == "duress":
        lifecycle.duress(session, alarm=alarm, device_id=device.id, reason=reason, now=utcnow())
    else:
        lifecycle.cancel_by_caller(session, alarm=alarm, device_id=device.id, reason=reason,
                                   now=utcnow())
    return alarm


def _check_cancel_pin(session: Session, *, device: Device, alarm: Alarm, pin: str) -> str:
    # Whoever grabbed the victim's phone must not be able to guess the PIN: each wrong PIN keeps
    # its hit in the (shared) window, a right one takes its hit back.
    refund = _wrong_pins.admit(alarm.client_id)
    if refund is None:
        audit(session, action="alarm.cancel_locked", target=alarm, actor=None,
              device_id=device.id, org_path=alarm.org_path)
        raise TooManyWrongPins("Terlalu banyak PIN salah; alarm tetap aktif. Coba lagi nanti "
                               "atau hubungi 110", field="pin")
    try:
        kind = match_pin(device=device, pin=pin)
    except Forbidden as exc:
        audit(session, action="alarm.cancel_wrong_pin", target=alarm, actor=None,
              device_id=device.id, org_path=alarm.org_path)
        raise WrongPin(exc.message, field="pin") from exc
    except DomainError:
        refund()
        raise
    refund()
    return kind
