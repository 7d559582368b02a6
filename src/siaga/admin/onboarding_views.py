"""Onboarding routes: upload a boundary file, create the Polres, review its Polsek."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile
from sqlalchemy.orm import Session

from siaga.admin import onboarding
from siaga.admin.schemas import (
    BoundaryImportOut,
    KabkotaOut,
    KecamatanOut,
    PolresIn,
    PolresOut,
    PolsekReviewOut,
)
from siaga.admin.scope import org_in_scope
from siaga.deps import SessionDep, Staff, require
from siaga.orgs.models import Organisation
from siaga.orgs.onboarding import PolsekGroup

router = APIRouter(prefix="/api/v1/admin/onboarding", tags=["admin"])
Admin = Annotated[Staff, Depends(require("admin.manage_staff"))]


@router.post("/boundaries", response_model=BoundaryImportOut)
def upload_boundaries(staff: Admin, session: SessionDep,
                      file: Annotated[UploadFile, File(description="GeoJSON batas desa")]
                      ) -> BoundaryImportOut:
    data = file.file.read(onboarding.MAX_BOUNDARY_BYTES + 1)
    result = onboarding.upload_boundaries(session, staff=staff, data=data,
                                          filename=file.filename or "")
    return BoundaryImportOut(counts=result.counts, repairs=result.repairs,
                             kabkota=[KabkotaOut(code=c, name=n, polres=p)
                                      for c, n, p in result.kabkota])


def _review(session: Session, staff: Staff, polres: Organisation) -> PolresOut:
    rows = onboarding.review_polsek(session, staff=staff, polres=polres)
    return PolresOut(polres=polres.code, polsek=[
        PolsekReviewOut(code=o.code, name=o.name, address=o.address, phone=o.phone, lat=o.lat,
                        lon=o.lon, kecamatan=[KecamatanOut(code=k.source_id, name=k.name)
                                              for k in kec])
        for o, kec in rows])


@router.post("/polres", response_model=PolresOut, status_code=201)
def create_polres(body: PolresIn, staff: Admin, session: SessionDep) -> PolresOut:
    groups = None if body.polsek_map is None else [
        PolsekGroup(code=g.code, name=g.name, kecamatan_codes=list(g.kecamatan_codes))
        for g in body.polsek_map]
    created = onboarding.create_polres(session, staff=staff, code=body.code, name=body.name,
                                       kabkota_code=body.kabkota_code,
                                       polda_code=body.polda_code,
                                       polda_name=body.polda_name, polsek_map=groups)
    return _review(session, staff, org_in_scope(session, staff=staff, code=created.polres))


@router.get("/polres/{code}", response_model=PolresOut)
def review(code: str, staff: Admin, session: SessionDep) -> PolresOut:
    return _review(session, staff, org_in_scope(session, staff=staff, code=code))
