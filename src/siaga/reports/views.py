"""Routes: who signs a Polres's reports (GET/PUT /api/v1/reports/signature?org=CODE)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from siaga.deps import SessionDep, Staff, require
from siaga.reports import service
from siaga.reports.schemas import SignatureIn, SignatureOut

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Admin = Annotated[Staff, Depends(require("admin.manage_staff"))]
OrgCode = Annotated[str, Query(min_length=2, max_length=64, description="Kode Polres")]


@router.get("/signature", response_model=SignatureOut)
def get_signature(staff: Admin, session: SessionDep, org: OrgCode) -> SignatureOut:
    return service.get_signature(session, staff=staff, code=org)


@router.put("/signature", response_model=SignatureOut)
def put_signature(body: SignatureIn, staff: Admin, session: SessionDep,
                  org: OrgCode) -> SignatureOut:
    return service.set_signature(session, staff=staff, code=org, body=body)
