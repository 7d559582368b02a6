"""Geofence and coverage alerts: zones, rules on GPS tracks, alerts for the command room."""
