"""Reading and setting who signs a Polres's reports (admins of that Polres)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.audit.service import audit
from siaga.auth.staff import Staff
from siaga.db import utcnow
from siaga.errors import Invalid, NotFound
from siaga.orgs.models import Organisation
from siaga.reports.models import ReportSignature
from siaga.reports.schemas import SignatureIn, SignatureOut


def polres_in_scope(session: Session, *, staff: Staff, code: str) -> Organisation:
    """The Polres with this code if the staff member administers it."""
    org = session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None or not staff.sees(org.path):
        raise NotFound(f"Satuan tidak ditemukan: {code}", field="org")
    if org.level != "polres":
        raise Invalid("Tanda tangan laporan diatur per Polres; pilih satuan Polres", field="org")
    return org


def _out(org: Organisation, row: ReportSignature | None) -> SignatureOut:
    return SignatureOut(org_code=org.code, org_name=org.name, configured=row is not None,
                        place=row.place if row else None, position=row.position if row else None,
                        name=row.name if row else None, rank=row.rank if row else None,
                        nrp=row.nrp if row else None, updated_at=row.updated_at if row else None)


def signature_for(session: Session, *, org: Organisation) -> ReportSignature | None:
    """The signature of the Polres an organisation belongs to (itself, or its parent Polres)."""
    polres: Organisation | None = org
    while polres is not None and polres.level != "polres":
        polres = session.get(Organisation, polres.parent_id) if polres.parent_id else None
    if polres is None:
        return None
    return session.scalar(select(ReportSignature).where(ReportSignature.org_id == polres.id))


def get_signature(session: Session, *, staff: Staff, code: str) -> SignatureOut:
    """The configured signature of a Polres (configured=false when none yet)."""
    org = polres_in_scope(session, staff=staff, code=code)
    row = session.scalar(select(ReportSignature).where(ReportSignature.org_id == org.id))
    return _out(org, row)


def set_signature(session: Session, *, staff: Staff, code: str, body: SignatureIn
                  ) -> SignatureOut:
    """Set who signs a Polres's reports; audited with the previous values."""
    org = polres_in_scope(session, staff=staff, code=code)
    row = session.scalar(select(ReportSignature).where(ReportSignature.org_id == org.id))
    before = None if row is None else {k: getattr(row, k) for k in SignatureIn.model_fields}
    values = {k: " ".join(str(v).split()) for k, v in body.model_dump().items()}
    if row is None:
        row = ReportSignature(org_id=org.id, **values)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    row.updated_at, row.updated_by_id = utcnow(), staff.user.id
    session.flush()
    audit(session, action="report.signature_set", target=org, actor=staff.user,
          org_path=org.path, detail={"before": before, "after": values})
    return _out(org, row)
