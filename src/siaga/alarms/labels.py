"""How alarm states and outcomes are called on screens (Bahasa Indonesia)."""

from __future__ import annotations

from siaga.alarms.models import Alarm

STATUS_LABELS = {"open": "Baru", "acknowledged": "Diterima", "dispatched": "Ditugaskan",
                 "en_route": "Petugas menuju lokasi", "on_scene": "Petugas di lokasi",
                 "cancelled": "Dibatalkan pelapor", "closed": "Selesai"}
OUTCOME_LABELS = {"genuine": "kejadian benar terjadi", "false_alarm": "alarm keliru",
                  "prank": "alarm iseng", "duplicate": "alarm ganda"}


def status_label(alarm: Alarm) -> str:
    """The alarm's state in the words /ops shows."""
    if alarm.needs_cancel_confirmation:
        return "Dibatalkan pelapor - perlu konfirmasi"
    if alarm.status == "closed":
        return f"Selesai - {OUTCOME_LABELS.get(alarm.outcome or '', 'tanpa keterangan')}"
    return STATUS_LABELS.get(alarm.status, alarm.status)
