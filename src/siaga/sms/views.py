"""SMSSync sync-URL endpoint of a Polres gateway phone."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query

from siaga.deps import SessionDep
from siaga.errors import Invalid
from siaga.sms import service

router = APIRouter(prefix="/sms", tags=["sms"])


@router.post("/smssync")
def receive(
    session: SessionDep,
    from_: Annotated[str, Form(alias="from")],
    message: Annotated[str, Form()],
    message_id: Annotated[str, Form()],
    secret: Annotated[str | None, Form()] = None,
    sent_to: Annotated[str | None, Form()] = None,
    device_id: Annotated[str | None, Form()] = None,
    sent_timestamp: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    service.check_secret(secret=secret)
    try:
        stamp = int(sent_timestamp) if sent_timestamp else None
    except ValueError:
        raise Invalid("sent_timestamp harus epoch milidetik", field="sent_timestamp") from None
    service.receive_sms(session, sms=service.IncomingSms(
        sender=from_, text=message, message_id=message_id, sent_to=sent_to,
        gateway_device_id=device_id, sent_timestamp_ms=stamp))
    return {"payload": {"success": True, "error": None}}


@router.get("/smssync")
def send_task(session: SessionDep, task: Annotated[str, Query()],
              secret: Annotated[str | None, Query()] = None) -> dict[str, Any]:
    service.check_secret(secret=secret)
    if task != "send":
        raise Invalid("task harus 'send'", field="task")
    replies = service.hand_out_replies(session)
    return {"payload": {"task": "send", "secret": secret, "messages": [
        {"to": r.to, "message": r.message, "uuid": r.uuid} for r in replies]}}
