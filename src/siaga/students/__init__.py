"""Students involved in brawls (minors): incidents, follow-up cases, ambassadors."""
