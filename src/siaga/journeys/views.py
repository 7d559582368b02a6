"""Journey ("Antar Aku") routes for citizens' devices."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from siaga.deps import CurrentDevice, SessionDep
from siaga.journeys import service
from siaga.journeys.models import Journey
from siaga.journeys.schemas import JourneyAlarm, JourneyOut, JourneyPositionIn, JourneyStart

router = APIRouter(prefix="/api/v1/journeys", tags=["journeys"])


@router.post("", status_code=201, response_model=JourneyOut)
def start(body: JourneyStart, device: CurrentDevice, session: SessionDep) -> JourneyOut:
    """Start a journey: by a duration in minutes or an expected arrival time."""
    journey = service.start_journey(
        session, device=device, minutes=body.minutes, expected_end_at=body.expected_end_at,
        dest_lat=body.dest_lat, dest_lon=body.dest_lon, dest_label=body.dest_label)
    return _out(session, journey)


@router.get("/{journey_id}", response_model=JourneyOut)
def get(journey_id: int, device: CurrentDevice, session: SessionDep) -> JourneyOut:
    return _out(session, service.journey_for_device(session, device=device,
                                                    journey_id=journey_id))


@router.post("/{journey_id}/position", response_model=JourneyOut)
def position(journey_id: int, body: JourneyPositionIn, device: CurrentDevice,
             session: SessionDep) -> JourneyOut:
    """A newer position while the journey runs (only the last 20 are kept)."""
    return _out(session, service.add_position(
        session, device=device, journey_id=journey_id, lat=body.lat, lon=body.lon,
        accuracy_m=body.accuracy_m, fix_at=body.fix_at))


@router.post("/{journey_id}/check-in", response_model=JourneyOut)
def check_in(journey_id: int, device: CurrentDevice, session: SessionDep) -> JourneyOut:
    """Arrived safely: the journey ends and its positions are deleted."""
    return _out(session, service.check_in(session, device=device, journey_id=journey_id))


@router.post("/{journey_id}/alarm", response_model=JourneyOut)
def alarm(journey_id: int, body: JourneyAlarm, device: CurrentDevice,
          session: SessionDep) -> JourneyOut:
    """The phone raised an alarm for this journey: attach its recent positions to the alarm."""
    return _out(session, service.raise_alarm(session, device=device, journey_id=journey_id,
                                             alarm_id=body.alarm_id))


def _out(session: Session, journey: Journey) -> JourneyOut:
    return JourneyOut(
        id=journey.id, status=journey.status,
        started_at=journey.started_at, expected_end_at=journey.expected_end_at,
        dest_lat=journey.dest_lat, dest_lon=journey.dest_lon, dest_label=journey.dest_label,
        ended_at=journey.ended_at, alarm_id=journey.alarm_id,
        positions_kept=service.positions_kept(session, journey=journey))
