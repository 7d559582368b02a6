"""The KPI catalogue: what each indicator means, how it is computed and when it turns red.

Targets for Tegal's gaps follow the study's own reading (e.g. one FGD a year "belum intens");
response targets come from the Polri call-center rules in DOMAIN.md. Leaders may disagree with a
threshold; it lives here, in one place, with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Perspective = Literal["learning", "process", "customer", "stakeholder"]
Light = Literal["green", "amber", "red", "none"]

PERSPECTIVES: dict[str, str] = {
    "learning": "Pembelajaran & pertumbuhan",
    "process": "Proses internal",
    "customer": "Pelanggan (masyarakat)",
    "stakeholder": "Pemangku kepentingan",
}


@dataclass(frozen=True)
class Kpi:
    key: str
    perspective: Perspective
    name: str
    definition: str
    formula: str
    source: str
    unit: str
    target: float | None
    # Values at least (higher-better) or at most (lower-better) `amber_at` are amber, not red.
    amber_at: float | None
    higher_is_better: bool = True
    target_text: str = ""
    # "flow": counts add up over months; "stock": the latest snapshot; "rate": recomputed.
    kind: Literal["flow", "stock", "rate"] = "rate"

    def light(self, value: float | None) -> Light:
        """Traffic light of a value against this KPI's target."""
        if value is None or self.target is None:
            return "none"
        if self.higher_is_better:
            if value >= self.target:
                return "green"
            return "amber" if self.amber_at is not None and value >= self.amber_at else "red"
        if value <= self.target:
            return "green"
        return "amber" if self.amber_at is not None and value <= self.amber_at else "red"


STUDY = "Studi crowd policing Polres Tegal (seeds/tegal_crowd_policing_student_brawls.txt)"

CATALOGUE: list[Kpi] = [
    Kpi("personnel_fill", "learning", "Pemenuhan personel terhadap DSP",
        "Personel fungsi operasional yang ada dibanding Daftar Susunan Personel (DSP) "
        "menurut Perpol 2/2021.", "personel operasional / personel DSP x 100%",
        "Entri: data personel (Bag SDM)", "%", 90, 70, target_text="≥ 90%", kind="stock"),
    Kpi("personnel_degree", "learning", "Personel berpendidikan sarjana",
        "Bagian personel operasional yang berlatar pendidikan sarjana (S1 ke atas).",
        "personel sarjana / personel operasional x 100%", "Entri: data personel (Bag SDM)",
        "%", 50, 30, target_text="≥ 50%", kind="stock"),
    Kpi("personnel_trained", "learning", "Personel terlatih di fungsinya",
        "Bagian personel operasional yang sudah mengikuti Dikjur/Dikbangspes/Prolat "
        "sesuai fungsinya.", "personel terlatih / personel operasional x 100%",
        "Entri: data personel dan pelatihan (Bag SDM)", "%", 60, 40, target_text="≥ 60%",
        kind="stock"),
    Kpi("budget_realisation", "learning", "Realisasi anggaran pencegahan tawuran",
        "Anggaran pencegahan konflik tawuran yang terealisasi dibanding yang direncanakan "
        "(studi: belum tertulis sebagai mata anggaran tersendiri).",
        "anggaran terealisasi / anggaran direncanakan x 100%",
        "Entri: anggaran direncanakan dan terealisasi (Bag Ren)", "%", 90, 70,
        target_text="≥ 90%"),
    Kpi("prevention_activities", "process", "Kegiatan preemtif dan preventif",
        "Kegiatan pencegahan tawuran: patroli, sambang, penyuluhan, razia gabungan.",
        "jumlah kegiatan dalam periode (tahunan; bulanan = 1/12 target)",
        "Dihitung: kunjungan (sambang) dan tugas patroli sekolah di Siaga; entri untuk tahun "
        "sebelum Siaga", "kegiatan", 120, 96, target_text="≥ 120 per tahun (tingkat 2020)",
        kind="flow"),
    Kpi("brawls", "process", "Kejadian tawuran pelajar",
        "Jumlah kejadian tawuran antarpelajar di wilayah hukum.",
        "jumlah kejadian dalam periode",
        "Dihitung: catatan kejadian tawuran di Siaga; entri untuk tahun sebelum Siaga",
        "kejadian", 0, 3, higher_is_better=False, target_text="0 kejadian", kind="flow"),
    Kpi("alarm_acknowledgement", "process", "Waktu penerimaan alarm",
        "Median waktu dari alarm masuk sampai diterima operator. Dihitung atas alarm warga; "
        "tanpa dibatalkan pelapor, duplikat dan uji.",
        "median(waktu diterima - waktu masuk), interpolasi linear", "Dihitung: alarm Siaga",
        "detik", 10, 30,
        higher_is_better=False, target_text="≤ 10 detik (standar 110 Polri)"),
    Kpi("alarm_response", "process", "Alarm tertangani dalam 10 menit",
        "Bagian alarm yang didatangi unit pertama dalam 10 menit. Dihitung atas alarm warga "
        "dengan unit ditugaskan; tanpa dibatalkan pelapor, duplikat, uji, palsu dan iseng "
        "(unit yang belum tiba = lewat target).",
        "alarm dengan (unit pertama tiba - masuk) <= 10 menit / alarm dengan unit ditugaskan "
        "x 100%", "Dihitung: alarm dan penugasan unit di Siaga", "%", 90, 75,
        target_text="≥ 90% dalam 10 menit"),
    Kpi("visit_coverage", "process", "Cakupan kunjungan kelurahan/desa",
        "Bagian kelurahan/desa yang dikunjungi Bhabinkamtibmas minimal sekali dalam sebulan; "
        "untuk beberapa bulan (tahun berjalan, setahun) rata-rata bulan-bulannya.",
        "kelurahan-bulan dikunjungi / (seluruh kelurahan x bulan) x 100%",
        "Dihitung: kunjungan (DDS) Siaga",
        "%", 90, 60, target_text="≥ 90%"),
    Kpi("warnings_reviewed", "process", "Peringatan dini yang ditindaklanjuti",
        "Bagian peringatan dini (intelijen media) yang sudah dinilai analis.",
        "peringatan dikonfirmasi atau ditolak / seluruh peringatan x 100%",
        "Dihitung: peringatan dini Siaga", "%", 95, 80, target_text="≥ 95%"),
    Kpi("evaluations", "process", "Analisa dan evaluasi (anev)",
        "Jumlah anev pencegahan tawuran (studi: hanya 2 kali setahun).",
        "jumlah anev dalam periode", "Entri: jumlah anev", "kali", 12, 4,
        target_text="≥ 12 per tahun", kind="flow"),
    Kpi("students_monitored", "process", "Pelajar dalam pemantauan",
        "Pelajar yang pernah terlibat tawuran dan sedang dipantau (tindak lanjut).",
        "jumlah pelajar dipantau", "Dihitung: kasus tindak lanjut pelajar; entri bila belum ada",
        "pelajar", None, None, target_text="dipantau, tanpa target", kind="flow"),
    Kpi("public_satisfaction", "customer", "Kepuasan masyarakat",
        "Bagian responden yang menilai kinerja Polres mencegah tawuran sudah baik.",
        "responden 'baik' / seluruh responden x 100%",
        "Survei warga di /warga dan kuesioner yang dientri", "%", 80, 60,
        target_text="≥ 80% menilai baik"),
    Kpi("coordination_meetings", "stakeholder", "Rapat koordinasi dengan pemangku kepentingan",
        "Koordinasi dengan Pemda, DPRD, Dinas Pendidikan dan sekolah tentang tawuran.",
        "jumlah rapat koordinasi dalam periode", "Entri: notulen rapat; angka tahun lampau",
        "kali", 24, 18, target_text="≥ 24 per tahun (2 per bulan)", kind="flow"),
    Kpi("fgd_meetings", "stakeholder", "Focus group discussion (FGD)",
        "FGD bersama pemangku kepentingan (studi: hanya sekali setahun, belum intens).",
        "jumlah FGD dalam periode", "Entri: notulen FGD; angka tahun lampau", "kali", 4, 2,
        target_text="≥ 4 per tahun (tiap triwulan)", kind="flow"),
    Kpi("meeting_actions_done", "stakeholder", "Tindak lanjut kesepakatan selesai",
        "Bagian tindak lanjut hasil rapat/FGD yang sudah selesai (studi: FGD belum "
        "menghasilkan langkah nyata).", "tindak lanjut selesai / seluruh tindak lanjut x 100%",
        "Entri: notulen rapat dan tindak lanjutnya", "%", 80, 50, target_text="≥ 80%"),
]
BY_KEY: dict[str, Kpi] = {k.key: k for k in CATALOGUE}

# Metrics staff may enter as plain figures, and the KPI each one feeds.
FIGURE_METRICS: dict[str, str] = {
    "brawls": "Kejadian tawuran",
    "prevention_activities": "Kegiatan preemtif/preventif",
    "coordination_meetings": "Rapat koordinasi",
    "fgd_meetings": "FGD",
    "evaluations": "Anev",
    "students_monitored": "Pelajar dipantau",
    "budget_planned": "Anggaran direncanakan (Rp)",
    "budget_realised": "Anggaran terealisasi (Rp)",
}
