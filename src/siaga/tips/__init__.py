"""Non-emergency tips from citizens, routed to the Polsek covering the place."""
