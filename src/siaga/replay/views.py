"""Replay routes: an alarm's after-action replay as JSON and as a GeoJSON download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from siaga.deps import SessionDep, Staff, require
from siaga.replay.geojson import replay_geojson
from siaga.replay.schemas import ReplayOut
from siaga.replay.service import alarm_replay

router = APIRouter(prefix="/api/v1/alarms", tags=["replay"])
AlarmStaff = Annotated[Staff, Depends(require("alarms.view"))]


@router.get("/{alarm_id}/replay", response_model=ReplayOut)
def replay(alarm_id: int, staff: AlarmStaff, session: SessionDep) -> ReplayOut:
    """The alarm's timeline, the caller's positions and the tracks of units assigned or near."""
    return alarm_replay(session, staff=staff, alarm_id=alarm_id)


@router.get("/{alarm_id}/replay.geojson")
def replay_download(alarm_id: int, staff: AlarmStaff, session: SessionDep) -> JSONResponse:
    """The same replay as a GeoJSON FeatureCollection file."""
    body = replay_geojson(alarm_replay(session, staff=staff, alarm_id=alarm_id))
    return JSONResponse(body, media_type="application/geo+json", headers={
        "Content-Disposition": f'attachment; filename="putar-ulang-alarm-{alarm_id}.geojson"'})
