"""What each role may do, in one place: named capabilities mapped to the roles that hold them.

Routes declare a capability (`require("alarms.dispatch")` in deps.py), services and the live
channel ask `can(role, capability)`. The access-matrix test reads this map, so a route that
declares no capability, or the wrong one, fails it. An admin holds every capability.
"""

from __future__ import annotations

from typing import Final

ROLES: Final = ("operator", "petugas", "analis", "pimpinan", "admin")
_STAFF: Final = frozenset({"operator", "petugas", "analis", "pimpinan"})

CAPABILITIES: Final[dict[str, frozenset[str]]] = {
    # Panic alarms and the live queue.
    "alarms.view": frozenset({"operator", "pimpinan"}),
    "alarms.view_caller": frozenset({"operator", "pimpinan"}),
    "alarms.handle": frozenset({"operator"}),
    # Dispatch of units to alarms.
    "dispatch.view": frozenset({"operator", "pimpinan"}),
    "dispatch.assign": frozenset({"operator"}),
    # The live channel: every event in scope, intelligence events only, or one's own tasks.
    "live.everything_in_scope": frozenset({"operator", "pimpinan"}),
    "live.intel": frozenset({"analis"}),
    "live.own_tasks": frozenset({"petugas"}),
    # Patrol units and their positions.
    "units.view": frozenset({"operator", "pimpinan", "analis"}),
    "units.operate": frozenset({"operator"}),
    "units.administer": frozenset(),
    # Citizen devices (blocking a prank caller's phone).
    "devices.moderate": frozenset({"operator"}),
    # Organisations and regions (names, outlines) every staff member works with.
    "orgs.view": _STAFF,
    # Crime register and hotspots.
    "crimes.view": _STAFF,
    "crimes.record": _STAFF,
    # Patrol plans.
    "patrols.view": frozenset({"operator", "pimpinan", "analis"}),
    "patrols.plan": frozenset({"operator", "pimpinan"}),
    # Media intelligence and brawl warnings.
    "intel.analyse": frozenset({"analis"}),
    "intel.view_warnings": frozenset({"analis", "operator", "pimpinan"}),
    "intel.administer": frozenset(),
    # Schools and dismissal patrols.
    "schools.view": _STAFF,
    "schools.edit": frozenset({"analis"}),
    "schools.plan_patrols": frozenset({"analis", "operator", "pimpinan"}),
    # Students are minors: only those who follow them up.
    "intel.view_students": frozenset({"analis", "pimpinan"}),
    "intel.edit_students": frozenset({"analis"}),
    "intel.view_incidents": frozenset({"analis", "pimpinan", "operator"}),
    # Citizen tips.
    "tips.view": frozenset({"operator", "pimpinan", "analis"}),
    "tips.handle": frozenset({"operator", "pimpinan"}),
    # Door-to-door visits.
    "visits.record": frozenset({"petugas"}),
    "visits.view": _STAFF,
    "visits.evaluate": frozenset({"operator", "pimpinan", "analis"}),
    # Reading every visit and follow-up in scope; without it, an officer reads only their own.
    "visits.read_all_in_scope": frozenset({"operator", "pimpinan", "analis"}),
    "followups.edit": frozenset({"operator", "pimpinan"}),
    # Balanced scorecard.
    "scorecard.view": frozenset({"pimpinan", "analis"}),
    "scorecard.edit": frozenset({"pimpinan"}),
    # Geofence and coverage alerts: the command room sees them, admins write the rules.
    "geofence.view": frozenset({"operator", "pimpinan"}),
    "geofence.manage": frozenset(),
    # Administration.
    "audit.view": frozenset(),
    "info.edit": frozenset(),
    "admin.manage_staff": frozenset(),
}


def roles_with(capability: str) -> frozenset[str]:
    """Every role holding the capability (admin included); KeyError for an unknown name."""
    return CAPABILITIES[capability] | {"admin"}


def can(role: str, capability: str) -> bool:
    """Whether a staff member of this role holds the capability."""
    return role in roles_with(capability)
