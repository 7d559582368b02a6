"""Imports every domain's tables so metadata (and Alembic) sees the whole schema."""

from siaga.alarms.models import Alarm, AlarmEvent, AlarmLocation
from siaga.audit.models import AuditEntry
from siaga.auth.models import AccessToken, User
from siaga.db import Base
from siaga.devices.models import Device
from siaga.events.models import EventRecord
from siaga.info.models import InfoItem
from siaga.orgs.models import Organisation, Region
from siaga.schools.models import School
from siaga.units.models import RejectedFix, Unit, UnitPosition

__all__ = [
    "AccessToken",
    "Alarm",
    "AlarmEvent",
    "AlarmLocation",
    "AuditEntry",
    "Base",
    "Device",
    "EventRecord",
    "InfoItem",
    "Organisation",
    "Region",
    "RejectedFix",
    "School",
    "Unit",
    "UnitPosition",
    "User",
]
