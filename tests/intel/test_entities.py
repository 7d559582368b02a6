"""Schools, places and times found in post text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from siaga.intel.entities import Gazetteer, SchoolEntry, builtin_gazetteer, school_aliases
from siaga.intel.times import resolve_times

# Wednesday 18 November 2026, 10:00 WIB.
POSTED = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return builtin_gazetteer()


@pytest.mark.parametrize("spelling", [
    "smkn 2 slawi", "SMK N 2 Slawi", "smkn2 slawi", "smk negeri 2 slawi", "SMKN 02 SLAWI",
    "smkn2slawi", "smk n 2 slwi", "smkn 2",
])
def test_school_aliases_and_misspellings(gazetteer: Gazetteer, spelling: str) -> None:
    found = gazetteer.find(f"woy anak {spelling} besok ditunggu")
    assert [s.name for s in found.schools] == ["SMKN 2 Slawi"]


def test_aliases_are_generated_from_the_name() -> None:
    aliases = school_aliases("SMKN 2 Slawi", kecamatan={"slawi"})
    for expected in ("smkn 2 slawi", "smk n 2 slawi", "smk negeri 2 slawi", "smkn 2"):
        assert expected in aliases
    assert "smp maarif" in school_aliases("SMP Ma'arif NU")
    assert "nurul ulum lebaksiu" in school_aliases("SMK Nurul Ulum Lebak Siu",
                                                   kecamatan={"lebaksiu"})


def test_schools_sharing_an_alias_match_neither() -> None:
    g = Gazetteer([SchoolEntry(name="SMKN 1 Slawi"), SchoolEntry(name="SMKN 1 Adiwerna")], [])
    assert g.find("anak smkn 1 rame").schools == []
    assert [s.name for s in g.find("anak smkn 1 adiwerna rame").schools] == ["SMKN 1 Adiwerna"]


def test_two_schools_and_places(gazetteer: Gazetteer) -> None:
    found = gazetteer.find("SMAN 3 SLAWI vs smk bp pangkah, ketemu di lap. kalisapu")
    assert [s.name for s in found.schools] == ["SMAN 3 Slawi", "SMK BP Pangkah"]
    assert [p.name for p in found.places] == ["Kalisapu"]


def test_place_that_is_also_a_word_needs_a_cue(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("cari pasangan buat kondangan").places == []
    assert [p.name for p in gazetteer.find("kumpul di pasangan jam 3").places] == ["Pasangan"]


def test_kecamatan_misspelt(gazetteer: Gazetteer) -> None:
    assert [p.name for p in gazetteer.find("gas ke pangka bawa gir").places] == ["Pangkah"]


def _window(text: str, **kw: object) -> tuple[str, str, str]:
    windows = resolve_times(text, posted_at=POSTED, **kw)  # type: ignore[arg-type]
    assert len(windows) == 1, windows
    w = windows[0]
    return w.text, w.start.isoformat(), w.end.isoformat()


def test_times_resolve_to_windows_in_wib() -> None:
    assert _window("besok jam 2 di procot") == (
        "besok jam 2", "2026-11-19T13:30:00+07:00", "2026-11-19T15:30:00+07:00")
    assert _window("ketemu 14.00")[1:] == ("2026-11-18T13:30:00+07:00",
                                           "2026-11-18T15:30:00+07:00")
    assert _window("jam 3 sore")[1] == "2026-11-18T14:30:00+07:00"
    assert _window("sabtu malam kumpul")[1:] == ("2026-11-21T18:00:00+07:00",
                                                 "2026-11-21T22:59:00+07:00")
    assert _window("jam 7 malem")[1] == "2026-11-18T18:30:00+07:00"


def test_dismissal_uses_the_school_time_of_that_day() -> None:
    times = {"default": "14:00", "jumat": "11:00"}
    assert _window("pulang sekolah langsung gas", dismissal_times=times)[1:] == (
        "2026-11-18T13:45:00+07:00", "2026-11-18T15:30:00+07:00")
    assert _window("jumat pulsek", dismissal_times=times)[1] == "2026-11-20T10:45:00+07:00"
    # Without a school the usual 14:00 is assumed.
    assert _window("plg sekolah")[1] == "2026-11-18T13:45:00+07:00"


def test_past_time_today_means_tomorrow_and_money_is_not_a_time() -> None:
    assert _window("jam 8 pagi")[1] == "2026-11-19T07:30:00+07:00"
    assert resolve_times("harga 10.000 aja", posted_at=POSTED) == []


def test_registered_regions_and_landmarks_from_the_database() -> None:
    from siaga.db import get_database
    from siaga.intel.entities import gazetteer_from_session

    with get_database().session() as session:
        g = gazetteer_from_session(session)
    found = g.find("ketemu di alun2 slawi abis itu geser ke stadion trisanja, smkn 2 slawi")
    assert [p.name for p in found.places] == ["Alun-alun Slawi", "Stadion Tri Sanja"]
    assert found.places[0].org_path.endswith("/polsek-slawi/")
    assert [s.name for s in found.schools] == ["SMKN 2 Slawi"]
    assert dict(found.schools[0].dismissal_times)["jumat"] == "11:00"
    desa = g.find("kumpul di desa kalisapu")
    assert desa.places[0].kind == "desa" and desa.places[0].region_id is not None


def test_smkn_number_alone_is_ambiguous_when_two_towns_have_one() -> None:
    g = Gazetteer([SchoolEntry(name="SMKN 2 Slawi"), SchoolEntry(name="SMKN 2 Malang")], [],
                  ("Kota Malang", "Kabupaten Tegal"))
    assert g.find("anak smkn 2 rame").schools == []
    assert [s.name for s in g.find("anak smkn 2 malang rame").schools] == ["SMKN 2 Malang"]
    assert [s.name for s in g.find("stm 2 slawi ditunggu").schools] == ["SMKN 2 Slawi"]


def test_a_school_of_another_town_is_not_the_registered_one(gazetteer: Gazetteer) -> None:
    # Kota Tegal has its own SMKN 2; only SMKN 2 Slawi is registered in the Tegal demo.
    assert gazetteer.find("anak smkn 2 tegal ngajak ribut").schools == []
    assert gazetteer.find("smkn 2 adiwerna").schools == []
    assert [s.name for s in gazetteer.find("smkn 2 besok ditunggu").schools] == ["SMKN 2 Slawi"]


@pytest.mark.parametrize("spelling", ["b3s0k jam 2", "besoook jam 2", "bsk jam 2"])
def test_time_words_in_street_spelling(spelling: str) -> None:
    assert _window(spelling)[1:] == ("2026-11-19T13:30:00+07:00", "2026-11-19T15:30:00+07:00")


def test_past_references_stay_in_the_past() -> None:
    # Posted Wednesday 18 November, 10:00 WIB.
    assert _window("kemarin jam 2 ada tawuran")[1:] == (
        "2026-11-17T13:30:00+07:00", "2026-11-17T15:30:00+07:00")
    assert _window("tawuran minggu lalu")[1:] == (
        "2026-11-11T00:00:00+07:00", "2026-11-17T23:59:00+07:00")
    assert _window("semalam rame")[1:] == ("2026-11-17T18:00:00+07:00",
                                           "2026-11-17T22:59:00+07:00")
    assert _window("sabtu kemarin")[1] == "2026-11-14T00:00:00+07:00"
    # What happened earlier today ends no later than the moment it was told.
    assert _window("tadi jam 2")[1:] == ("2026-11-18T01:30:00+07:00",
                                         "2026-11-18T03:30:00+07:00")
    assert _window("tadi pagi")[1:] == ("2026-11-18T06:00:00+07:00", "2026-11-18T09:59:00+07:00")


def test_a_future_day_outranks_a_past_one() -> None:
    assert _window("kemarin kalian lari, besok jam 2 kita tunggu")[:2] == (
        "besok jam 2", "2026-11-19T13:30:00+07:00")


def test_night_hours() -> None:
    assert _window("jam 12 malam")[1:] == ("2026-11-18T23:30:00+07:00",
                                           "2026-11-19T01:30:00+07:00")
    assert _window("jam 1 malam")[1] == "2026-11-19T00:30:00+07:00"
    assert _window("jam 12 siang")[1] == "2026-11-18T11:30:00+07:00"
