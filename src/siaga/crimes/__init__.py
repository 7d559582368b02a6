"""The crime register: incidents, their patterns, near-repeat alerts and the hotspot layer."""
