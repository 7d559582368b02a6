"""Recommending and dispatching units to alarms, timers and escalation, closing and metrics."""
