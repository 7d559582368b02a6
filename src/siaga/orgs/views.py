"""Organisation routes for staff screens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from siaga.deps import SessionDep, Staff, require
from siaga.orgs.service import orgs_in_scope, outlines_in_scope

router = APIRouter(prefix="/api/v1/orgs", tags=["orgs"])
AnyStaff = Annotated[Staff, Depends(require("orgs.view"))]


class OrgOut(BaseModel):
    code: str
    name: str
    level: str
    path: str
    lat: float | None
    lon: float | None


class OrgPage(BaseModel):
    items: list[OrgOut]
    total: int


@router.get("", response_model=OrgPage)
def list_orgs(staff: AnyStaff, session: SessionDep) -> OrgPage:
    orgs = orgs_in_scope(session, scope=staff.scope)
    items = [OrgOut(code=o.code, name=o.name, level=o.level, path=o.path, lat=o.lat, lon=o.lon)
             for o in orgs]
    return OrgPage(items=items, total=len(items))


@router.get("/outlines", response_class=JSONResponse,
            responses={200: {"content": {"application/geo+json": {}}}})
def outlines(staff: AnyStaff, session: SessionDep) -> JSONResponse:
    """Kelurahan/desa outlines in the user's scope (GeoJSON FeatureCollection) for map layers."""
    return JSONResponse(outlines_in_scope(session, scope=staff.scope),
                        media_type="application/geo+json",
                        headers={"Cache-Control": "private, max-age=300"})
