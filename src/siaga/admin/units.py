"""Unit administration: edit, retire, a new tracker id, and the setup its GPS app scans."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.admin.scope import org_in_scope, user_in_scope, user_org_path
from siaga.audit.service import audit
from siaga.auth.models import User
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import Conflict, Invalid, NotFound
from siaga.tracking.service import forget_units
from siaga.units.models import UNIT_KINDS, Unit
from siaga.units.service import new_tracker_id, publish_unit

QR_KINDS = ("traccar", "owntracks")


@dataclass(frozen=True)
class UnitSetup:
    traccar_url: str
    traccar_device_id: str
    traccar_qr_text: str
    owntracks_url: str
    owntracks_user: str | None
    owntracks_device: str | None
    owntracks_qr_text: str | None


def unit_for_admin(session: Session, *, staff: Staff, unit_id: int) -> Unit:
    """The unit if it lies in the admin's subtree."""
    unit = session.get(Unit, unit_id)
    if unit is None or not staff.sees(unit.org_path):
        raise NotFound("Unit tidak ditemukan", field="id")
    return unit


def update_unit(
    session: Session, *, staff: Staff, unit: Unit, callsign: str | None = None,
    kind: str | None = None, org_code: str | None = None, crew: list[str] | None = None,
    officer_id: int | None = None, clear_officer: bool = False,
) -> Unit:
    """Change a unit's callsign, kind, organisation, crew or officer; audited and broadcast."""
    if unit.retired_at is not None:
        raise Conflict("Unit sudah dipensiunkan", field="id")
    before = {"callsign": unit.callsign, "kind": unit.kind, "org_path": unit.org_path,
              "crew": list(unit.crew or []), "user_id": unit.user_id}
    if callsign is not None:
        callsign = callsign.strip()
        if not callsign:
            raise Invalid("Tanda panggil wajib diisi", field="callsign")
        taken = session.scalar(select(Unit.id).where(Unit.callsign == callsign)
                               .where(Unit.id != unit.id))
        if taken is not None:
            raise Conflict(f"Tanda panggil sudah dipakai: {callsign}", field="callsign")
        unit.callsign = callsign
    if kind is not None:
        if kind not in UNIT_KINDS:
            raise Invalid(f"Jenis unit tidak dikenal: {kind}", field="kind")
        unit.kind = kind
    if org_code is not None:
        org = org_in_scope(session, staff=staff, code=org_code)
        unit.org_id, unit.org_path = org.id, org.path
    if crew is not None:
        unit.crew = [c.strip() for c in crew if c.strip()]
    if clear_officer:
        unit.user_id = None
    elif officer_id is not None:
        officer = _officer(session, staff=staff, user_id=officer_id, org_path=unit.org_path)
        unit.user_id = officer.id
    session.flush()
    after = {"callsign": unit.callsign, "kind": unit.kind, "org_path": unit.org_path,
             "crew": list(unit.crew or []), "user_id": unit.user_id}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changed:
        audit(session, action="unit.update", target=unit, actor=staff.user,
              org_path=unit.org_path, detail=changed)
        publish_unit(session, unit=unit, type="unit.updated")
        forget_units()
    return unit


def _officer(session: Session, *, staff: Staff, user_id: int, org_path: str) -> User:
    user = user_in_scope(session, staff=staff, user_id=user_id)
    path = user_org_path(session, user)
    if not user.active or path is None or not (org_path.startswith(path)
                                               or path.startswith(org_path)):
        raise Invalid(f"{user.full_name} bukan personel aktif satuan unit ini", field="officer_id")
    return user


def retire_unit(session: Session, *, staff: Staff, unit: Unit) -> Unit:
    """Take a unit out of service for good: off the map and dispatch; its GPS id stops working."""
    if unit.retired_at is not None:
        raise Conflict("Unit sudah dipensiunkan", field="id")
    if unit.status not in ("available", "out_of_service"):
        raise Conflict("Unit sedang bertugas; selesaikan tugasnya dulu", field="status")
    unit.retired_at = utcnow()
    unit.status, unit.status_changed_at = "out_of_service", unit.retired_at
    previous_tracker = unit.tracker_id
    unit.tracker_id = None
    session.flush()
    audit(session, action="unit.retire", target=unit, actor=staff.user, org_path=unit.org_path,
          detail={"callsign": unit.callsign, "had_tracker": previous_tracker is not None})
    publish_unit(session, unit=unit, type="unit.retired")
    forget_units()
    return unit


def regenerate_tracker_id(session: Session, *, staff: Staff, unit: Unit) -> Unit:
    """Give the unit a new random tracker id; the old one stops working at once."""
    if unit.retired_at is not None:
        raise Conflict("Unit sudah dipensiunkan", field="id")
    unit.tracker_id = new_tracker_id()
    session.flush()
    # The id itself never goes into the audit log: the log is readable by more people.
    audit(session, action="unit.tracker_regenerate", target=unit, actor=staff.user,
          org_path=unit.org_path, detail={"callsign": unit.callsign})
    forget_units()
    return unit


def unit_setup(session: Session, *, unit: Unit, base_url: str) -> UnitSetup:
    """What the officer types (or scans) into Traccar Client and OwnTracks for this unit."""
    if unit.retired_at is not None or not unit.tracker_id:
        raise Conflict("Unit ini belum punya ID pelacak; buat ID baru dulu", field="tracker_id")
    base = base_url.rstrip("/")
    traccar_url = f"{base}/gps/osmand"
    # Traccar Client reads an http(s) link: its origin and path become the server URL, `id`
    # the device identifier.
    traccar_qr = f"{traccar_url}?{urlencode({'id': unit.tracker_id})}"
    owntracks_url = f"{base}/gps/owntracks"
    # OwnTracks signs in as the officer, whose fixes go to their own (officer) unit.
    officer = (session.get(User, unit.user_id) if unit.user_id and unit.kind == "officer"
               else None)
    owntracks_qr = None
    if officer is not None:
        config = {"_type": "configuration", "mode": 3, "url": owntracks_url, "auth": True,
                  "username": officer.username, "deviceId": unit.callsign.lower(),
                  "tid": unit.callsign[-2:].upper()}
        inline = base64.urlsafe_b64encode(json.dumps(config).encode()).decode()
        owntracks_qr = f"owntracks:///config?inline={inline}"
    return UnitSetup(
        traccar_url=traccar_url, traccar_device_id=unit.tracker_id, traccar_qr_text=traccar_qr,
        owntracks_url=owntracks_url, owntracks_user=officer.username if officer else None,
        owntracks_device=unit.callsign.lower() if officer else None,
        owntracks_qr_text=owntracks_qr,
    )


def qr_image(text: str, *, fmt: str) -> bytes:
    """The QR code of `text` as SVG or PNG."""
    qr = segno.make(text, error="m")
    out = io.BytesIO()
    if fmt == "svg":
        qr.save(out, kind="svg", scale=6, border=2, xmldecl=False)
    elif fmt == "png":
        qr.save(out, kind="png", scale=8, border=2)
    else:
        raise Invalid("Format QR: svg atau png", field="format")
    return out.getvalue()


def setup_qr(session: Session, *, unit: Unit, base_url: str, app: str, fmt: str) -> bytes:
    """The QR code one GPS app scans to set itself up for this unit."""
    if app not in QR_KINDS:
        raise Invalid("Aplikasi: traccar atau owntracks", field="app")
    setup = unit_setup(session, unit=unit, base_url=base_url)
    text = setup.traccar_qr_text if app == "traccar" else setup.owntracks_qr_text
    if text is None:
        raise Conflict("OwnTracks hanya untuk unit petugas yang terhubung ke akunnya",
                       field="officer_id")
    return qr_image(text, fmt=fmt)


def setup_instructions(setup: UnitSetup) -> list[str]:
    """Step-by-step setup text in Indonesian for the officer's phone."""
    steps = [
        "Traccar Client: pasang aplikasi Traccar Client, buka Pengaturan, lalu pindai kode QR "
        "Traccar (atau isi manual di bawah).",
        f"URL server: {setup.traccar_url}",
        f"Pengenal perangkat (device identifier): {setup.traccar_device_id}",
        "Nyalakan layanan (Service status) dan izinkan lokasi \"Selalu\".",
    ]
    if setup.owntracks_user is not None:
        steps += [
            "OwnTracks: pilih mode HTTP, pindai kode QR OwnTracks atau isi manual:",
            f"URL: {setup.owntracks_url}",
            f"Nama pengguna: {setup.owntracks_user} (kata sandi: kata sandi akun petugas)",
            f"Perangkat (device): {setup.owntracks_device}",
        ]
    else:
        steps.append("OwnTracks hanya untuk unit petugas yang terhubung ke akunnya; unit ini "
                     "memakai Traccar Client.")
    return steps
