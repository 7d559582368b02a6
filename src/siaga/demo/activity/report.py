"""What `siaga demo load` says about the demo year it loaded (Indonesian, for the operator)."""

from __future__ import annotations

from babel.dates import format_date
from babel.numbers import format_decimal

from siaga.demo.activity import ActivitySummary

NAMES = {"polres-malang-kota": "Polres Malang Kota", "polres-tegal": "Polres Tegal"}


def _n(value: float) -> str:
    return format_decimal(value, locale="id")


def activity_lines(summary: ActivitySummary) -> list[str]:
    """Lines describing the loaded year, or that it was loaded before."""
    if not summary.loaded or summary.first_day is None or summary.last_day is None:
        return ["Aktivitas demo setahun sudah dimuat sebelumnya; tidak ada yang ditambahkan."]
    period = (f"{format_date(summary.first_day, 'd MMMM y', locale='id')} - "
              f"{format_date(summary.last_day, 'd MMMM y', locale='id')}")
    lines = [f"Aktivitas demo {period}:"]
    for code, c in summary.counts.items():
        lines.append(
            f"  {NAMES.get(code, code)}: {_n(c['created'])} alarm ({_n(c['pranks'])} iseng), "
            f"{_n(c['visits_visits'])} kunjungan, {_n(c['tips_tips'])} laporan warga, "
            f"{_n(c['intel_warnings'])} peringatan dini, {_n(c['intel_brawls'])} tawuran, "
            f"{_n(c['school_patrols'])} patroli sekolah, {_n(c['gps_fixes'])} titik GPS, "
            f"{_n(c['meetings'])} rapat, {_n(c['survey_answers'])} jawaban survei.")
    cpu = summary.seconds.get("cpu_total", 0.0)
    lines.append(f"  Waktu proses: {_n(round(summary.seconds.get('total', 0.0)))} detik "
                 f"({_n(round(cpu))} detik CPU).")
    return lines
