"""Indonesian social-media normalisation and the word lists it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga.mediaintel.lexicon import (
    LEXICON_ENV,
    SLANG_ENV,
    builtin_slang,
    find_resources,
    load_slang,
    read_slang_csv,
    read_terms_csv,
)
from siaga.mediaintel.normalize import Normalizer, normalize


def test_masks_stay_tokens_and_everything_else_is_lower_case() -> None:
    assert normalize("USER USER Jokowi DAN Prabowo URL").split() == [
        "USER", "USER", "jokowi", "dan", "prabowo", "URL",
    ]


def test_live_mentions_and_links_get_the_same_masks_as_the_corpus() -> None:
    assert normalize("@budi_88 lihat https://t.co/AbC123 dan www.contoh.id").split() == [
        "USER", "lihat", "URL", "dan", "URL",
    ]


def test_literal_byte_escapes_become_one_emoji_token() -> None:
    text = r"ngakak \xf0\x9f\x98\x82\xf0\x9f\x98\x82\xf0\x9f\x98\x82 parah"
    assert normalize(text).split() == ["ngakak", "\U0001f602", "parah"]
    assert Normalizer(emoji_as_token=True)(text).split() == ["ngakak", "EMOJI", "parah"]


def test_escape_cut_off_at_the_end_of_a_truncated_tweet_is_dropped() -> None:
    assert normalize(r"anak pelacur kau\xf0\x9f\x98\x8") == "anak pelacur kau"


def test_encoded_punctuation_and_html_entities_are_decoded() -> None:
    # \xe2\x80\xa6 is the ellipsis Twitter appends to cut-off retweets.
    assert normalize(r"kata dia\xe2\x80\xa6") == "kata dia ."
    assert normalize("polisi &amp; warga") == "polisi warga"


def test_literal_newlines_separate_words() -> None:
    assert normalize(r"Emak lu jualan ya?\nBajingan.\nAnak") == (
        "emak kamu jualan ya ? bajingan . anak"
    )


def test_stretched_letters_collapse_to_the_known_spelling() -> None:
    assert normalize("bangsaaaat") == "bangsat"
    assert normalize("anjiiiiing") == "anjing"
    assert normalize("dongokkkk") == "dongok"
    # "maaf" is a real double vowel: keep two, not one.
    assert normalize("maaaaaf") == "maaf"
    assert normalize("gasss") == "gas"


def test_digits_written_for_letters_are_read_as_letters() -> None:
    assert normalize("b4ngs4t") == "bangsat"
    assert normalize("4nj1ng") == "anjing"
    assert normalize("t0l0l") == "tolol"


def test_numbers_that_are_numbers_survive() -> None:
    assert normalize("10jt") == "10 jt"
    assert normalize("covid19") == "covid 19"
    assert normalize("jam 16.30") == "jam 16 . 30"


def test_trailing_two_is_indonesian_reduplication() -> None:
    assert normalize("orang2") == "orang orang"
    assert normalize("anak2 smk") == "anak anak smk"


def test_slang_maps_to_standard_indonesian() -> None:
    assert normalize("gw gak tau yg itu bgt") == "saya tidak tahu yang itu banget"
    assert normalize("nggak usah otw skrg") == "tidak usah on the way sekarang"
    assert normalize("tubir sm anak sebelah") == "tawuran sama anak sebelah"


def test_retweet_marker_is_kept_apart_from_rukun_tetangga() -> None:
    assert normalize("RT USER: info RT 05 RW 02").split() == [
        "RT", "USER", ":", "info", "rt", "05", "rw", "02",
    ]


def test_hashtags_split_into_their_words() -> None:
    assert normalize("#2019GantiPresiden") == "2019 ganti presiden"


def test_punctuation_runs_count_once_and_marks_can_be_switched_off() -> None:
    assert normalize("woy!!! serius???") == "woy ! serius ?"
    assert Normalizer(marks="")("woy!!! serius???") == "woy serius"


def test_surface_view_keeps_spelling_and_drops_the_crawl_quote() -> None:
    text = r"RT USER: Gue GAK tau\nlah \xf0\x9f\x98\x82'"
    assert Normalizer().surface(text) == "rt user: gue gak tau lah \U0001f602"


def test_builtin_slang_list_is_substantial_and_clean() -> None:
    slang = builtin_slang()
    assert len(slang) >= 100
    assert all(key == key.lower() and " " not in key for key in slang)


def test_external_slang_csv_is_read_by_path_and_builtin_entries_win(tmp_path: Path) -> None:
    extra = tmp_path / "kamus.csv"
    extra.write_text("kuy,ayo\ngw,gue\nsame,same\nbroken-row\n", encoding="utf-8")
    assert read_slang_csv(path=extra) == {"kuy": "ayo", "gw": "gue"}
    merged = load_slang(extra_csv=extra)
    assert merged["kuy"] == "ayo" and merged["gw"] == "saya"
    assert Normalizer(slang=merged)("kuy gw") == "ayo saya"


def test_terms_csv_skips_its_header_and_duplicates(tmp_path: Path) -> None:
    terms = tmp_path / "abusive.csv"
    terms.write_text("ABUSIVE\r\nbangsat\r\nantek asing\r\nbangsat\r\n", encoding="utf-8")
    assert read_terms_csv(path=terms) == ["bangsat", "antek asing"]


def test_resources_are_found_beside_the_data_or_by_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SLANG_ENV, raising=False)
    monkeypatch.delenv(LEXICON_ENV, raising=False)
    data = tmp_path / "train.csv"
    data.write_text("Tweet,HS\n", encoding="utf-8")
    assert find_resources(near=[data]).slang_csv is None
    (tmp_path / "new_kamusalay.csv").write_text("kuy,ayo\n", encoding="utf-8")
    assert find_resources(near=[data]).slang_csv == tmp_path / "new_kamusalay.csv"
    elsewhere = tmp_path / "lists" / "kata.csv"
    elsewhere.parent.mkdir()
    elsewhere.write_text("ABUSIVE\nbangsat\n", encoding="utf-8")
    monkeypatch.setenv(LEXICON_ENV, str(elsewhere))
    assert find_resources(near=[data]).lexicon_csv == elsewhere


def test_normalising_is_fast() -> None:
    import time

    posts = [
        rf"RT USER: gw gak tau lah bangsaaat \xf0\x9f\x98\x82 anak2 smk {i} otw tubir!!!"
        for i in range(5000)
    ]
    normalizer = Normalizer(slang=builtin_slang())
    started = time.perf_counter()
    for post in posts:
        normalizer(post)
    # Generous bound: about 40,000 posts/s on a laptop core.
    assert time.perf_counter() - started < 2.0
