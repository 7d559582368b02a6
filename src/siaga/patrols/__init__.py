"""Patrol planning: points and routes per unit for a shift, and compliance from GPS tracks."""
