"""Balanced Scorecard for leadership: KPIs, entered figures, dashboards, reports, strategies."""
