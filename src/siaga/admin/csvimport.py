"""Personnel and unit import from CSV: every bad line listed by number, all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.admin.accounts import create_account
from siaga.admin.scope import org_in_scope
from siaga.audit.service import audit
from siaga.auth.models import ROLES, User
from siaga.auth.passwords import check_password
from siaga.auth.staff import Staff
from siaga.errors import DomainError, Invalid
from siaga.orgs.models import Organisation
from siaga.units.models import UNIT_KINDS, Unit
from siaga.units.service import _TRACKER_ID, create_unit, new_tracker_id

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = {
    "personel": (("username", "role", "org", "password"), ("full_name", "phone")),
    "unit": (("callsign", "kind", "org"), ("tracker_id", "crew")),
}


@dataclass
class Problem:
    line: int
    field: str | None
    msg: str


@dataclass
class Outcome:
    kind: str
    dry_run: bool
    rows: int = 0
    stored: int = 0
    problems: list[Problem] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


def _read(data: bytes, kind: str, out: Outcome) -> list[tuple[int, dict[str, str]]]:
    if kind not in COLUMNS:
        raise Invalid("Jenis impor: personel atau unit", field="kind")
    if len(data) > MAX_BYTES:
        raise Invalid("Berkas CSV lebih dari 2 MiB", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("Berkas bukan teks UTF-8", field="file") from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    required, optional = COLUMNS[kind]
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    if not header:
        out.problems.append(Problem(1, None, "Berkas kosong: baris pertama harus judul kolom"))
        return []
    for name in header:
        if name not in required + optional:
            out.problems.append(Problem(1, name, f"Kolom tidak dikenal: {name} (kolom yang "
                                        f"dipakai: {', '.join(required + optional)})"))
    for name in required:
        if name not in header:
            out.problems.append(Problem(1, name, f"Kolom wajib tidak ada: {name}"))
    if out.problems:
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                out.problems.append(Problem(reader.line_num, None,
                                            f"Lebih dari {MAX_ROWS} baris; bagi berkasnya"))
                break
            if None in row:
                out.problems.append(Problem(reader.line_num, None,
                                            "Jumlah isian melebihi jumlah kolom"))
                continue
            values = {k: (v or "").strip() for k, v in row.items()}
            if not any(values.values()):
                continue
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        out.problems.append(Problem(reader.line_num, None, f"CSV tidak terbaca: {exc}"))
    return rows


def _org(session: Session, staff: Staff, code: str, cache: dict[str, Organisation | None]
         ) -> Organisation | None:
    if code not in cache:
        try:
            cache[code] = org_in_scope(session, staff=staff, code=code)
        except DomainError:
            cache[code] = None
    return cache[code]


def _check_personnel(session: Session, staff: Staff, rows: list[tuple[int, dict[str, str]]],
                     out: Outcome) -> None:
    seen: dict[str, int] = {}
    orgs: dict[str, Organisation | None] = {}
    taken = set(session.scalars(select(User.username).where(
        User.username.in_([r["username"] for _, r in rows]))))
    for line, r in rows:
        def bad(field_name: str, msg: str, line: int = line) -> None:
            out.problems.append(Problem(line, field_name, msg))
        name = r["username"]
        if not name:
            bad("username", "Nama pengguna kosong")
        elif name != name.lower() or not all(c.isalnum() or c in "._-" for c in name):
            bad("username", "Nama pengguna hanya huruf kecil, angka, titik, garis bawah, strip")
        elif name in seen:
            bad("username", f"Nama pengguna {name} ganda (juga di baris {seen[name]})")
        elif name in taken:
            bad("username", f"Nama pengguna sudah dipakai: {name}")
        seen.setdefault(name, line)
        if r["role"] not in ROLES:
            bad("role", f"Peran tidak dikenal: {r['role'] or '(kosong)'} "
                "(operator, petugas, analis, pimpinan, admin)")
        if not r["org"]:
            bad("org", "Kode satuan kosong")
        elif _org(session, staff, r["org"], orgs) is None:
            bad("org", f"Satuan tidak dikenal atau di luar wewenang: {r['org']}")
        try:
            check_password(r["password"], username=name)
        except Invalid as exc:
            bad("password", exc.message)


def _check_units(session: Session, staff: Staff, rows: list[tuple[int, dict[str, str]]],
                 out: Outcome) -> None:
    seen: dict[str, int] = {}
    seen_trackers: dict[str, int] = {}
    orgs: dict[str, Organisation | None] = {}
    taken = set(session.scalars(select(Unit.callsign).where(
        Unit.callsign.in_([r["callsign"] for _, r in rows]))))
    trackers = [r.get("tracker_id", "") for _, r in rows if r.get("tracker_id")]
    taken_trackers = set(session.scalars(select(Unit.tracker_id).where(
        Unit.tracker_id.in_(trackers)))) if trackers else set()
    for line, r in rows:
        def bad(field_name: str, msg: str, line: int = line) -> None:
            out.problems.append(Problem(line, field_name, msg))
        callsign = r["callsign"]
        if not callsign or len(callsign) > 40:
            bad("callsign", "Tanda panggil wajib diisi (maksimal 40 karakter)")
        elif callsign in seen:
            bad("callsign", f"Tanda panggil {callsign} ganda (juga di baris {seen[callsign]})")
        elif callsign in taken:
            bad("callsign", f"Tanda panggil sudah dipakai: {callsign}")
        seen.setdefault(callsign, line)
        if r["kind"] not in UNIT_KINDS:
            bad("kind", f"Jenis unit tidak dikenal: {r['kind'] or '(kosong)'} "
                "(car, motorbike, desk, officer)")
        if not r["org"]:
            bad("org", "Kode satuan kosong")
        elif _org(session, staff, r["org"], orgs) is None:
            bad("org", f"Satuan tidak dikenal atau di luar wewenang: {r['org']}")
        tracker = r.get("tracker_id", "")
        if tracker:
            if not _TRACKER_ID.match(tracker):
                bad("tracker_id", "ID pelacak 3-80 karakter: huruf, angka, . _ : @ / -")
            elif tracker in seen_trackers:
                bad("tracker_id", f"ID pelacak ganda (juga di baris {seen_trackers[tracker]})")
            elif tracker in taken_trackers:
                bad("tracker_id", "ID pelacak sudah dipakai unit lain")
            seen_trackers.setdefault(tracker, line)


def _store(session: Session, staff: Staff, kind: str, rows: list[tuple[int, dict[str, str]]],
           out: Outcome) -> None:
    orgs: dict[str, Organisation | None] = {}
    for line, r in rows:
        org = _org(session, staff, r["org"], orgs)
        assert org is not None
        try:
            if kind == "personel":
                create_account(session, staff=staff, username=r["username"],
                               password=r["password"], role=r["role"], org_code=org.code,
                               full_name=r.get("full_name", ""), phone=r.get("phone") or None)
                out.created.append(r["username"])
            else:
                crew = [c.strip() for c in r.get("crew", "").split(";") if c.strip()]
                create_unit(session, callsign=r["callsign"], org=org, kind=r["kind"],
                            tracker_id=r.get("tracker_id") or new_tracker_id(), crew=crew,
                            actor=staff.user)
                out.created.append(r["callsign"])
        except DomainError as exc:
            # Checked above; a row taken meanwhile by someone else still undoes the whole file.
            raise Invalid(f"Baris {line}: {exc.message}", field=exc.field, line=line) from exc
    out.stored = len(rows)


CHECKS: dict[str, Callable[[Session, Staff, list[tuple[int, dict[str, str]]], Outcome], None]] = {
    "personel": _check_personnel, "unit": _check_units}


def import_csv(session: Session, *, staff: Staff, kind: str, data: bytes, dry_run: bool
               ) -> Outcome:
    """Check every line; store them all only when none is bad and this is not a dry run."""
    out = Outcome(kind=kind, dry_run=dry_run)
    rows = _read(data, kind, out)
    out.rows = len(rows)
    if not out.problems and not rows:
        out.problems.append(Problem(2, None, "Tidak ada baris data"))
    if rows:
        CHECKS[kind](session, staff, rows, out)
    out.problems.sort(key=lambda p: p.line)
    if out.problems or dry_run:
        return out
    _store(session, staff, kind, rows, out)
    audit(session, action=f"admin.import_{kind}", target=None, actor=staff.user,
          org_path=staff.scope, detail={"rows": out.rows, "created": out.created[:200]})
    return out
