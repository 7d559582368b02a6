"""Personnel and unit import from CSV: every bad line listed by number, all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
from siaga.units.models import UNIT_KIND_LABELS, UNIT_KINDS, Unit
from siaga.units.service import _TRACKER_ID, create_unit, new_tracker_id

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = {
    "personel": (("username", "role", "org", "password"), ("full_name", "phone")),
    "unit": (("callsign", "kind", "org"), ("tracker_id", "crew")),
}
# Each column may also be headed by its Indonesian name.
COLUMN_NAMES_ID = {
    "username": "nama_pengguna", "role": "peran", "org": "satuan", "password": "kata_sandi",
    "full_name": "nama_lengkap", "phone": "telepon", "callsign": "tanda_panggil",
    "kind": "jenis", "tracker_id": "id_pelacak", "crew": "awak",
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
    columns = required + optional
    known = {COLUMN_NAMES_ID[c]: c for c in columns} | {c: c for c in columns}
    written = [h.strip().lower() for h in (reader.fieldnames or [])]
    header = [known.get(name, name) for name in written]
    reader.fieldnames = header
    if not header:
        out.problems.append(Problem(1, None, "Berkas kosong: baris pertama harus judul kolom"))
        return []
    for name in written:
        if name not in known:
            out.problems.append(Problem(1, name, f"Kolom tidak dikenal: {name} (kolom yang "
                                        f"dipakai: {', '.join(columns)}; atau "
                                        f"{', '.join(COLUMN_NAMES_ID[c] for c in columns)})"))
    for name in sorted({h for h in header if header.count(h) > 1 and h in columns}):
        out.problems.append(Problem(1, name, f"Kolom {name} ditulis lebih dari sekali"))
    for name in required:
        if name not in header:
            out.problems.append(Problem(1, name, f"Kolom wajib tidak ada: {name} "
                                        f"(atau {COLUMN_NAMES_ID[name]})"))
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


@dataclass
class _Identifier:
    """A column that names one account or unit: filled in, once in the file, not yet taken."""

    column: str
    label: str
    taken: set[str]
    required: bool = True
    malformed: Callable[[str], str | None] = lambda _value: None
    seen: dict[str, int] = field(default_factory=dict)

    def problem(self, value: str, line: int) -> str | None:
        if not value:
            return f"{self.label} kosong" if self.required else None
        found = self.malformed(value)
        if found is None and value in self.seen:
            found = f"{self.label} {value} ganda (juga di baris {self.seen[value]})"
        elif found is None and value in self.taken:
            found = f"{self.label} sudah dipakai: {value}"
        self.seen.setdefault(value, line)
        return found


Bad = Callable[[str, str], None]


def _check_rows(session: Session, staff: Staff, rows: list[tuple[int, dict[str, str]]],
                out: Outcome, *, identifiers: list[_Identifier],
                check_row: Callable[[dict[str, str], Bad], None]) -> None:
    """The checks personnel and units share (identifiers, organisation in scope), then theirs."""
    orgs: dict[str, Organisation | None] = {}
    for line, r in rows:
        def bad(field_name: str, msg: str, line: int = line) -> None:
            out.problems.append(Problem(line, field_name, msg))
        for identifier in identifiers:
            problem = identifier.problem(r.get(identifier.column, ""), line)
            if problem is not None:
                bad(identifier.column, problem)
        check_row(r, bad)
        if not r["org"]:
            bad("org", "Kode satuan kosong")
        elif _org(session, staff, r["org"], orgs) is None:
            bad("org", f"Satuan tidak dikenal atau di luar wewenang: {r['org']}")


def _taken(session: Session, column: Any, values: list[str]) -> set[str]:
    values = [v for v in values if v]
    return set(session.scalars(select(column).where(column.in_(values)))) if values else set()


def _username_malformed(name: str) -> str | None:
    if name != name.lower() or not all(c.isalnum() or c in "._-" for c in name):
        return "Nama pengguna hanya huruf kecil, angka, titik, garis bawah, strip"
    return None


def _check_personnel(session: Session, staff: Staff, rows: list[tuple[int, dict[str, str]]],
                     out: Outcome) -> None:
    def check_row(r: dict[str, str], bad: Bad) -> None:
        if r["role"] not in ROLES:
            bad("role", f"Peran tidak dikenal: {r['role'] or '(kosong)'} "
                "(operator, petugas, analis, pimpinan, admin)")
        try:
            check_password(r["password"], username=r["username"])
        except Invalid as exc:
            bad("password", exc.message)

    usernames = _Identifier("username", "Nama pengguna", malformed=_username_malformed,
                            taken=_taken(session, User.username, [r["username"] for _, r in rows]))
    _check_rows(session, staff, rows, out, identifiers=[usernames], check_row=check_row)


# A unit's kind in the file: its code, the label the admin pages show, or a plain word for it.
KIND_WORDS = {
    **{code: code for code in UNIT_KINDS},
    **{label.lower(): code for code, label in UNIT_KIND_LABELS.items()},
    "mobil": "car", "motor": "motorbike", "sepeda motor": "motorbike", "piket": "desk",
    "meja piket": "desk", "petugas": "officer", "petugas hp": "officer",
}


def unit_kind(text: str) -> str | None:
    """The unit kind a CSV cell names ("Sepeda motor", "motorbike", "motor"), or None."""
    return KIND_WORDS.get(" ".join(text.lower().split()))


def _check_units(session: Session, staff: Staff, rows: list[tuple[int, dict[str, str]]],
                 out: Outcome) -> None:
    def check_row(r: dict[str, str], bad: Bad) -> None:
        kind = unit_kind(r["kind"])
        if kind is None:
            bad("kind", f"Jenis unit tidak dikenal: {r['kind'] or '(kosong)'}; isi salah satu: "
                + ", ".join(UNIT_KIND_LABELS.values()))
        else:
            r["kind"] = kind

    callsigns = _Identifier(
        "callsign", "Tanda panggil",
        malformed=lambda c: "Tanda panggil paling panjang 40 karakter" if len(c) > 40 else None,
        taken=_taken(session, Unit.callsign, [r["callsign"] for _, r in rows]))
    trackers = _Identifier(
        "tracker_id", "ID pelacak", required=False,
        malformed=lambda t: (None if _TRACKER_ID.match(t)
                             else "ID pelacak 3-80 karakter: huruf, angka, . _ : @ / -"),
        taken=_taken(session, Unit.tracker_id, [r.get("tracker_id", "") for _, r in rows]))
    _check_rows(session, staff, rows, out, identifiers=[callsigns, trackers], check_row=check_row)


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
