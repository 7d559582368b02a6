"""Production operations: metrics, backups, shared rate limits (install.py adds them to the app)."""
