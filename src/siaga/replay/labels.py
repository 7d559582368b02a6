"""How replay lines are called on screen and in the export (Bahasa Indonesia)."""

from __future__ import annotations

from datetime import datetime

from siaga.reports.fmt import long_date, wib
from siaga.units.models import UNIT_KIND_LABELS

__all__ = ["UNIT_KIND_LABELS"]

# The same words as the alarm detail on /ops (ops-detail.js).
EVENT_LABELS = {
    "created": "Alarm masuk", "acknowledged": "Diterima operator",
    "dispatched": "Unit ditugaskan", "escalated": "Dieskalasi",
    "cancelled": "Dibatalkan pelapor", "closed": "Ditutup",
    "joined": "Pelapor menekan lagi", "cancel_confirmed": "Pembatalan dikonfirmasi operator",
    "merged": "Digabung ke insiden", "unmerged": "Dipisahkan dari insiden",
    "location": "Posisi diperbarui",
    "duress": "PIN darurat dipakai: kemungkinan di bawah ancaman",
    "reopened": "Dibuka kembali", "unit.accepted": "Unit menerima tugas",
    "unit.en_route": "Unit menuju lokasi", "unit.on_scene": "Unit tiba di lokasi",
    "unit.cleared": "Unit selesai", "unit.cancelled": "Penugasan unit dibatalkan",
    "unit.cancelled_by_caller": "Penugasan berakhir: dibatalkan pelapor",
}
ASSIGNED_LABEL = "Ditugaskan ke alarm ini"
NEARBY_LABEL = "Berada dalam 3 km saat alarm"
CALLER_ACTOR = "Pelapor"


def event_label(event_type: str) -> str:
    """The timeline line's name; unknown kinds read as a plain note."""
    return EVENT_LABELS.get(event_type, "Catatan")


def wib_moment(moment: datetime) -> str:
    """3 Desember 2026 14.05.09 WIB."""
    local = wib(moment)
    return f"{long_date(local.date())} {local:%H.%M.%S} WIB"
