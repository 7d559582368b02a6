"""Onboarding a Polres from /admin: a boundary upload, then the Polres over one kabupaten/kota.

The work itself is orgs.boundaries / orgs.onboarding (shared with the command line); this
module only adds who may do it: a national admin, since a new Polres sits above every subtree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.auth.staff import Staff
from siaga.errors import Forbidden, Invalid
from siaga.orgs.boundaries import read_boundaries_text
from siaga.orgs.models import Organisation, Region
from siaga.orgs.onboarding import (
    PolresCreated,
    PolsekGroup,
    add_polres,
    import_villages,
    polsek_groups,
)

MAX_BOUNDARY_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class BoundaryImport:
    counts: dict[str, int]
    repairs: list[str]
    kabkota: list[tuple[str, str, str | None]]  # code, name, covering Polres (if any)


def _national(staff: Staff) -> None:
    if staff.scope != "/":
        raise Forbidden("Hanya admin pusat yang boleh menambah wilayah dan Polres baru")


def upload_boundaries(session: Session, *, staff: Staff, data: bytes, filename: str
                      ) -> BoundaryImport:
    """Check and import an uploaded village boundary file (idempotent), audited."""
    _national(staff)
    if len(data) > MAX_BOUNDARY_BYTES:
        raise Invalid("Berkas batas wilayah lebih dari 64 MiB", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("Berkas bukan teks UTF-8", field="file") from exc
    villages, repairs = read_boundaries_text(text, source=filename or "unggahan.geojson")
    counts = import_villages(session, villages=villages, actor=staff.user, source=filename)
    codes = sorted({v.kabkota_code for v in villages})
    kabkota = []
    for code in codes:
        region = session.scalar(select(Region).where(Region.source_id == code)
                                .where(Region.level.in_(("kabupaten", "kota"))))
        if region is None:
            continue
        org = session.get(Organisation, region.org_id) if region.org_id else None
        kabkota.append((code, region.name, org.name if org else None))
    return BoundaryImport(counts=counts, repairs=repairs, kabkota=kabkota)


def create_polres(
    session: Session, *, staff: Staff, code: str, name: str, kabkota_code: str,
    polda_code: str, polda_name: str, polsek_map: list[PolsekGroup] | None,
) -> PolresCreated:
    """A Polres with one Polsek per kecamatan (or the given grouping)."""
    _national(staff)
    return add_polres(session, code=code, name=name, kabkota_code=kabkota_code,
                      polda_code=polda_code, polda_name=polda_name, polsek_map=polsek_map,
                      actor=staff.user)


def review_polsek(session: Session, *, staff: Staff, polres: Organisation
                  ) -> list[tuple[Organisation, list[Region]]]:
    """Each Polsek of a Polres with the kecamatan it covers, for review and renaming."""
    if polres.level != "polres":
        raise Invalid(f"{polres.name} bukan Polres", field="code")
    out = []
    for group in polsek_groups(session, polres=polres):
        org = session.scalar(select(Organisation).where(Organisation.code == group.code))
        kecamatan = list(session.scalars(select(Region).where(Region.source_id.in_(
            group.kecamatan_codes)).where(Region.level == "kecamatan").order_by(Region.name)))
        if org is not None and staff.sees(org.path):
            out.append((org, kecamatan))
    return out
