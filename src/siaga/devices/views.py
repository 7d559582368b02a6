"""Citizen device routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends

from siaga.deps import ClientIP, CurrentDevice, SessionDep, Staff, require
from siaga.devices import service
from siaga.devices.guards import check_registration_rate
from siaga.devices.models import Device
from siaga.devices.schemas import (
    BlockRequest,
    DeviceOut,
    DeviceRegister,
    DeviceRegistered,
    PinSet,
)

router = APIRouter(prefix="/api/v1/devices", tags=["devices"])


@router.post("", status_code=201, response_model=DeviceRegistered)
def register(body: DeviceRegister, session: SessionDep, ip: ClientIP
             ) -> DeviceRegistered:
    check_registration_rate(client_ip=ip)
    device, token = service.register_device(
        session, phone=body.phone, name=body.name, pin=body.pin, duress_pin=body.duress_pin
    )
    return DeviceRegistered(device_id=device.public_id, token=token)


@router.get("/me", response_model=DeviceOut)
def me(device: CurrentDevice) -> DeviceOut:
    return _out(device)


@router.put("/me/pin", response_model=DeviceOut)
def set_pin(body: PinSet, device: CurrentDevice, session: SessionDep) -> DeviceOut:
    service.set_pin(session, device=device, pin=body.pin, duress_pin=body.duress_pin)
    return _out(device)


@router.post("/me/accept-warning", response_model=DeviceOut)
def accept_warning(device: CurrentDevice, session: SessionDep) -> DeviceOut:
    service.accept_warning(session, device=device)
    return _out(device)


Operator = Annotated[Staff, Depends(require("devices.moderate"))]


@router.post("/{device_id}/block", response_model=DeviceOut)
def block(device_id: str, body: BlockRequest, staff: Operator,
          session: SessionDep) -> DeviceOut:
    """Block a device that abuses the panic button (operator; reason required, audited)."""
    return _out(service.block_device(session, actor=staff.user, scope=staff.scope,
                                     device_id=device_id, reason=body.reason))


@router.post("/{device_id}/unblock", response_model=DeviceOut)
def unblock(device_id: str, staff: Operator, session: SessionDep,
            body: Annotated[BlockRequest | None, Body()] = None) -> DeviceOut:
    """Lift a block (operator, audited)."""
    return _out(service.unblock_device(session, actor=staff.user, scope=staff.scope,
                                       device_id=device_id,
                                       reason=body.reason if body else None))


def _out(device: Device) -> DeviceOut:
    return DeviceOut(
        device_id=device.public_id,
        phone=device.phone,
        name=device.name,
        has_pin=device.pin_hash is not None,
        has_duress_pin=device.duress_pin_hash is not None,
        flagged=device.flagged,
        blocked=device.blocked,
        warning_accepted=device.warning_accepted_at is not None,
    )
