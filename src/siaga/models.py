"""Imports every domain's tables so metadata (and Alembic) sees the whole schema."""

from siaga.admin.models import PasswordResetCode
from siaga.alarms.models import Alarm, AlarmEvent, AlarmLocation, AlarmPress
from siaga.audit.models import AuditEntry
from siaga.auth.models import AccessToken, User
from siaga.crimes.models import CrimeIncident, NearRepeatAlert
from siaga.devices.models import Device
from siaga.dispatch.models import AlarmClosure, AlarmEscalation, Assignment
from siaga.events.models import EventRecord
from siaga.geofence.models import GeofenceAlert, GeofenceRule
from siaga.info.models import InfoItem
from siaga.intel.models import ConnectorToken, EarlyWarning, Landmark, MediaPost, WarningPost
from siaga.journeys.models import Journey, JourneyPosition
from siaga.orgs.models import Organisation, Region
from siaga.orm import Base
from siaga.patrols.models import PatrolPlan, PatrolPoint
from siaga.reports.models import ReportSignature
from siaga.roster.models import BhabinAssignment, RosterDuty, RosterShift
from siaga.schools.models import School, SchoolPatrol
from siaga.scorecard.models import (
    Initiative,
    MeetingAction,
    PersonnelReport,
    ScorecardFigure,
    StakeholderMeeting,
    SurveyResponse,
    SurveyTally,
)
from siaga.sms.models import SmsMessage, SmsReply
from siaga.students.models import (
    Ambassador,
    AmbassadorActivity,
    BrawlIncident,
    FollowUpCase,
    FollowUpStep,
    IncidentStudent,
    Student,
)
from siaga.tips.models import Tip
from siaga.units.models import RejectedFix, Unit, UnitPosition
from siaga.visits.models import FollowUp, Photo, Visit, VisitPhoto

__all__ = [
    "AccessToken",
    "Alarm",
    "AlarmClosure",
    "AlarmEscalation",
    "AlarmEvent",
    "AlarmLocation",
    "AlarmPress",
    "Ambassador",
    "AmbassadorActivity",
    "Assignment",
    "AuditEntry",
    "Base",
    "BhabinAssignment",
    "BrawlIncident",
    "ConnectorToken",
    "CrimeIncident",
    "Device",
    "EarlyWarning",
    "EventRecord",
    "FollowUp",
    "FollowUpCase",
    "FollowUpStep",
    "GeofenceAlert",
    "GeofenceRule",
    "IncidentStudent",
    "InfoItem",
    "Initiative",
    "Journey",
    "JourneyPosition",
    "Landmark",
    "MediaPost",
    "MeetingAction",
    "NearRepeatAlert",
    "Organisation",
    "PatrolPlan",
    "PasswordResetCode",
    "PatrolPoint",
    "PersonnelReport",
    "Photo",
    "Region",
    "ReportSignature",
    "RejectedFix",
    "RosterDuty",
    "RosterShift",
    "School",
    "SchoolPatrol",
    "SmsMessage",
    "SmsReply",
    "ScorecardFigure",
    "StakeholderMeeting",
    "Student",
    "SurveyResponse",
    "SurveyTally",
    "Tip",
    "Unit",
    "UnitPosition",
    "User",
    "Visit",
    "VisitPhoto",
    "WarningPost",
]
