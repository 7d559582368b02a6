"""Information menu routes: public reading, admin editing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from siaga.deps import SessionDep, Staff, require
from siaga.info import service
from siaga.info.schemas import InfoItemIn, InfoItemOut, InfoMenu, InfoPage

router = APIRouter(prefix="/api/v1/info", tags=["info"])
Admin = Annotated[Staff, Depends(require("info.edit"))]


@router.get("", response_model=InfoMenu)
def menu(
    session: SessionDep,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
) -> InfoMenu:
    return service.info_menu(session, lat=lat, lon=lon)


@router.get("/items", response_model=InfoPage)
def items(staff: Admin, session: SessionDep,
          limit: Annotated[int, Query(ge=1, le=1000)] = 100,
          offset: Annotated[int, Query(ge=0)] = 0) -> InfoPage:
    rows, total = service.list_items(session, staff=staff, limit=limit, offset=offset)
    return InfoPage(items=rows, total=total)


@router.post("/items", response_model=InfoItemOut, status_code=201)
def create(body: InfoItemIn, staff: Admin, session: SessionDep) -> InfoItemOut:
    return service.save_item(session, staff=staff, item_id=None, data=body)


@router.put("/items/{item_id}", response_model=InfoItemOut)
def update(item_id: int, body: InfoItemIn, staff: Admin, session: SessionDep) -> InfoItemOut:
    return service.save_item(session, staff=staff, item_id=item_id, data=body)


@router.delete("/items/{item_id}", status_code=204)
def delete(item_id: int, staff: Admin, session: SessionDep) -> None:
    service.delete_item(session, staff=staff, item_id=item_id)
