"""Door to Door System: visit forms with photo proof, coverage, follow-ups and the anev report."""
