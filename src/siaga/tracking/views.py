"""GPS intake routes: Traccar Client / OsmAnd, OwnTracks HTTP, and the officer page.

Replies: a fix that was read is answered 200 even when refused as (0,0) or an impossible jump
(the reason is stored in `rejected_fixes`), because Traccar Client and OwnTracks resend a
refused message forever; so is a heartbeat without a position (nothing is stored). Unreadable
input and unknown device ids are answered 400, values that cannot be true (non-finite, out of
range, booleans) 422 naming the field, too many live fixes 429 (old buffered fixes sent after a
coverage gap count against a larger allowance of their own).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import parse_qsl

from anyio import to_thread
from fastapi import APIRouter, Request, Response

from siaga.db import utcnow
from siaga.deps import ClientIP, CurrentUser
from siaga.errors import Forbidden, Unauthorized
from siaga.tracking.intake import (
    OFFICER_ROLES,
    check_address_allowed,
    check_rate,
    heartbeat,
    note_unknown_tracker,
    officer_for_basic_auth,
    officer_unit_id,
    store,
)
from siaga.tracking.protocols import (
    BadFix,
    Fix,
    Heartbeat,
    is_owntracks_location,
    parse_osmand_fields,
    parse_osmand_json,
    parse_owntracks,
)
from siaga.tracking.schemas import FixReply, MyPosition
from siaga.tracking.service import FixResult

router = APIRouter(tags=["tracking"])
_OK = b'{"status":"ok"}'
_EMPTY_LIST = b"[]"


def _json(body: bytes, status_code: int = 200) -> Response:
    return Response(content=body, status_code=status_code, media_type="application/json")


def _decode_body(raw: bytes) -> Fix | Heartbeat:
    text = raw.strip()
    if not text:
        raise BadFix("Tidak ada data posisi (kirim parameter id, lat, lon)", field="id")
    if text.startswith(b"{"):
        return parse_osmand_json(_load_json(text))
    try:
        fields = dict(parse_qsl(text.decode(), keep_blank_values=True))
    except UnicodeDecodeError as exc:
        raise BadFix("Data posisi tidak terbaca", field="body") from exc
    return parse_osmand_fields(fields)


def _load_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadFix("JSON tidak terbaca", field="body") from exc


async def osmand(request: Request) -> Response:
    """Traccar Client / OsmAnd: query string, form POST or JSON body."""
    address = request.client.host if request.client else "unknown"
    check_address_allowed(address)
    params = request.query_params
    if request.method == "POST" and "id" not in params and "deviceid" not in params:
        fix = _decode_body(await request.body())
    else:
        fix = parse_osmand_fields(params)
    check_rate(f"osmand:{fix.tracker_id}", fix.at)
    if isinstance(fix, Heartbeat):
        result = await to_thread.run_sync(heartbeat, fix)
    else:
        result = await store(fix)
    if result.status == "unknown":
        note_unknown_tracker(address)
        raise BadFix(f"ID perangkat tidak terdaftar: {fix.tracker_id}", field="id")
    if result.status == "rejected":
        return _json(json.dumps({"status": "rejected", "reason": result.reason}).encode())
    return _json(_OK)


# A plain route: the busiest endpoint needs no dependency injection or response model.
router.add_route("/gps/osmand", osmand, methods=["GET", "POST"], include_in_schema=False)


def _basic_credentials(request: Request) -> tuple[str, str]:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise Unauthorized("Butuh HTTP Basic: nama pengguna dan kata sandi petugas")
    try:
        username, sep, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthorized("Header Authorization tidak terbaca") from exc
    if not sep or not username:
        raise Unauthorized("Header Authorization tidak terbaca")
    return username, password


@router.post("/gps/owntracks")
async def owntracks(request: Request, ip: ClientIP) -> Response:
    """OwnTracks HTTP mode; replies `[]` (no friends' positions are shared back)."""
    username, password = _basic_credentials(request)
    user_id = await to_thread.run_sync(officer_for_basic_auth, username, password, ip)
    raw = (await request.body()).strip()
    if not raw:
        return _json(_EMPTY_LIST)
    body = _load_json(raw)
    if not is_owntracks_location(body):
        return _json(_EMPTY_LIST)
    device = request.headers.get("x-limit-d") or body.get("tid") or "phone"
    fix = parse_owntracks(body, tracker_id=f"owntracks/{username}/{device}"[:80],
                          source="owntracks")
    check_rate(f"user:{user_id}", fix.at)
    fix.unit_id = await to_thread.run_sync(officer_unit_id, user_id)
    await store(fix)
    return _json(_EMPTY_LIST)


def _reply(result: FixResult) -> FixReply:
    return FixReply(accepted=result.accepted, status=result.status, reason=result.reason,
                    unit_id=result.unit_id)


@router.post("/api/v1/tracking/me", response_model=FixReply)
async def share_my_location(body: MyPosition, user: CurrentUser) -> FixReply:
    """The officer page shares the phone's position; the officer's unit is made on first use."""
    if user.role not in OFFICER_ROLES:
        raise Forbidden("Hanya petugas yang membagikan lokasi dari halaman ini")
    check_rate(f"user:{user.id}")
    unit_id = await to_thread.run_sync(officer_unit_id, user.id)
    fix = Fix(tracker_id=f"petugas/{user.username}"[:80], lat=body.lat, lon=body.lon,
              at=body.at or utcnow(), source="petugas", speed_kmh=body.speed_kmh,
              heading=body.heading, accuracy_m=body.accuracy, unit_id=unit_id)
    return _reply(await store(fix))
