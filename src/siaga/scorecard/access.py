"""Which organisation a staff member asks about, checked against their scope."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.auth.staff import Staff
from siaga.errors import Invalid, NotFound
from siaga.orgs.models import Organisation


def org_for_staff(session: Session, *, staff: Staff, code: str | None) -> Organisation | None:
    """The organisation `code` if within scope; the user's own when no code (None: everything)."""
    if code:
        org = session.scalar(select(Organisation).where(Organisation.code == code))
        if org is None or not staff.sees(org.path):
            raise NotFound(f"Satuan tidak ditemukan: {code}", field="org")
        return org
    if staff.user.org_id is None:
        return None
    return session.get(Organisation, staff.user.org_id)


def org_to_write(session: Session, *, staff: Staff, code: str | None) -> Organisation:
    """Like org_for_staff, but entries always belong to one organisation."""
    org = org_for_staff(session, staff=staff, code=code)
    if org is None:
        raise Invalid("Pilih satuan (kode Polres/Polsek) untuk data ini", field="org")
    return org


def scope_of(org: Organisation | None) -> str:
    return org.path if org is not None else "/"


def org_label(org: Organisation | None) -> tuple[str, str]:
    return (org.code, org.name) if org is not None else ("semua", "Semua satuan")
