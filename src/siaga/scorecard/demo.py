"""Polres Tegal's figures from the crowd-policing study, loaded into the demo scorecard.

Source: seeds/tegal_crowd_policing_student_brawls.txt (Polres Tegal, 2023). Where the study's
Table 2 and its text disagree (the table prints 37/15/15), the text's 7/30/12 is used, as DOMAIN.md
does. The year of the head-count and of the public questionnaire is not stated; both are filed
under 2023, the year the study's data ends.
"""

from __future__ import annotations

import calendar
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from siaga.orgs.models import Organisation
from siaga.scorecard.entries import record_figure, record_personnel, record_tally
from siaga.scorecard.initiatives import record_initiative
from siaga.scorecard.models import Initiative, PersonnelReport, ScorecardFigure, SurveyTally
from siaga.scorecard.schemas import FigureIn, InitiativeIn, PersonnelIn, SurveyTallyIn

SOURCE = "Studi crowd policing Polres Tegal (2023)"

# (metric, year, month_from, month_to, value, note)
TEGAL_FIGURES: list[tuple[str, int, int, int, float, str | None]] = [
    ("brawls", 2021, 1, 12, 7, "Masa pandemi Covid-19"),
    ("brawls", 2022, 1, 12, 30, None),
    ("brawls", 2023, 1, 6, 12, "Januari-Juni; sampai Maret sudah 7 kejadian, 3 pelajar "
                                "meninggal dunia"),
    ("prevention_activities", 2020, 1, 12, 120, None),
    ("prevention_activities", 2021, 1, 12, 104, None),
    ("prevention_activities", 2022, 1, 12, 97, None),
    ("coordination_meetings", 2020, 1, 12, 21, None),
    ("coordination_meetings", 2021, 1, 12, 16, None),
    ("coordination_meetings", 2022, 1, 12, 14, None),
    ("fgd_meetings", 2020, 1, 12, 1, "Pemda, DPRD, Dinas Pendidikan, perwakilan SMA/SMK"),
    ("fgd_meetings", 2021, 1, 12, 1, "Pemda, DPRD, Dinas Pendidikan, perwakilan SMA/SMK"),
    ("fgd_meetings", 2022, 1, 12, 1, "Pemda, DPRD, Dinas Pendidikan, perwakilan SMA/SMK"),
    ("evaluations", 2022, 1, 12, 2, "Anev hanya dua kali setahun"),
    ("students_monitored", 2022, 10, 10, 36, "Pelajar SMKN 2 Slawi yang terlibat tawuran "
                                             "September 2022"),
]

TEGAL_PERSONNEL = PersonnelIn(year=2023, authorised=965, operational=442, degree=132, diploma=4,
                              high_school=306, trained=118, source=SOURCE,
                              note="Fungsi Samapta, Binmas, Humas, Intelkam, Reskrim, Resnarkoba; "
                                   "DSP menurut Perpol 2/2021; terlatih = Dikjur/Dikbangspes/"
                                   "Prolat")

TEGAL_SURVEY = SurveyTallyIn(title="Kuesioner masyarakat tentang pencegahan tawuran", year=2023,
                             good=85, needs_improvement=56, poor=15, source=SOURCE)

# (term, title, owner, linked KPIs, description). Owners are a suggested split of the work.
TEGAL_STRATEGIES: list[tuple[str, str, str, list[str], str]] = [
    ("short", "Membentuk Satgas Tim Tanggap Konflik Tawuran", "Kabagops",
     ["brawls", "alarm_response"], "Mencegah eskalasi konflik tawuran."),
    ("short", "Mengantisipasi dampak negatif media sosial", "Kasat Intelkam",
     ["warnings_reviewed", "brawls"], "Media sosial adalah pemicu terbesar tawuran."),
    ("short", "Meningkatkan deteksi dini pencegahan tawuran", "Kasat Intelkam",
     ["warnings_reviewed", "prevention_activities"], "Bertindak pada tahap assembling."),
    ("medium", "Meningkatkan pelaksanaan intelijen media", "Kasat Intelkam",
     ["warnings_reviewed", "personnel_trained"], "Analisis unggahan yang mengarah ke tawuran."),
    ("medium", "Membentuk tim advokasi isu tawuran pelajar", "Kasat Binmas",
     ["fgd_meetings", "meeting_actions_done"], "Memantau perkembangan isu tawuran pelajar."),
    ("medium", "Menggalang alumni sekolah untuk mencegah tawuran", "Kasat Binmas",
     ["coordination_meetings", "brawls"], "Alumni/senior sering menjadi pengajak tawuran."),
    ("long", "Kerja sama dengan Dinas Pendidikan dan Pemda Kabupaten Tegal", "Kapolres",
     ["coordination_meetings", "fgd_meetings", "meeting_actions_done"],
     "Termasuk koordinasi dengan provinsi untuk SMA/SMK."),
    ("long", "Memanfaatkan teknologi untuk mencegah tawuran", "Kabagops",
     ["alarm_response", "visit_coverage", "warnings_reviewed"],
     "Command center, pemantauan GPS patroli, intelijen media."),
    ("long", "Pola pemolisian proaktif dan problem solving", "Kabagops",
     ["prevention_activities", "visit_coverage", "public_satisfaction"],
     "Menyentuh akar masalah, bukan hanya kegiatan rutin."),
    ("long", "Mengembangkan program Duta Pelajar Anti Tawuran", "Kasat Binmas",
     ["prevention_activities", "students_monitored", "brawls"],
     "Program berkelanjutan dan serentak di semua sekolah."),
]
TERM_MONTHS = {"short": 3, "medium": 6, "long": 12}


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def load_scorecard_demo(session: Session) -> None:
    """Load Polres Tegal's study figures and strategies (skips what is already there)."""
    org = session.scalar(select(Organisation).where(Organisation.code == "polres-tegal"))
    if org is None:
        return
    for metric, year, month_from, month_to, value, note in TEGAL_FIGURES:
        exists = session.scalar(select(ScorecardFigure.id).where(
            ScorecardFigure.org_id == org.id, ScorecardFigure.metric == metric,
            ScorecardFigure.year == year, ScorecardFigure.month_from == month_from,
            ScorecardFigure.month_to == month_to))
        if exists is None:
            record_figure(session, org=org, actor=None, data=FigureIn(
                metric=metric, year=year, month_from=month_from, month_to=month_to, value=value,
                source=SOURCE, note=note))
    if session.scalar(select(PersonnelReport.id).where(
            PersonnelReport.org_id == org.id, PersonnelReport.year == 2023)) is None:
        record_personnel(session, org=org, data=TEGAL_PERSONNEL, actor=None)
    if session.scalar(select(SurveyTally.id).where(
            SurveyTally.org_id == org.id, SurveyTally.title == TEGAL_SURVEY.title)) is None:
        record_tally(session, org=org, data=TEGAL_SURVEY, actor=None)
    today = date.today()
    for term, title, owner, kpi_keys, description in TEGAL_STRATEGIES:
        if session.scalar(select(Initiative.id).where(Initiative.org_id == org.id,
                                                      Initiative.title == title)) is None:
            record_initiative(session, org=org, actor=None, data=InitiativeIn(
                term=term, title=title, owner=owner, kpi_keys=kpi_keys,
                description=f"{description} (Rekomendasi {SOURCE}.)",
                deadline=_add_months(today, TERM_MONTHS[term])))
    session.flush()
