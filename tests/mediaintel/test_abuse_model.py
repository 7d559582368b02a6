"""The abuse classifier and its evaluation command, on small data and on the real set."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from siaga.mediaintel.evaluation import cross_validate, evaluate, main
from siaga.mediaintel.lexicon import Resources
from siaga.mediaintel.model import AbuseClassifier, default_scorer, train_model

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mediaintel" / \
    "ibrohim2019_dev.csv"
ABUSIVE = ["dasar {} bego lu anjing", "{} goblok banget sih tolol", "bangsat kau {} bajingan",
           "{} kampret otak udang dasar bodoh", "muka {} kayak babi jelek"]
CLEAN = ["selamat pagi {} semoga harimu menyenangkan", "terima kasih {} atas bantuannya",
         "{} ayo belajar bersama di perpustakaan", "info jadwal posyandu {} hari sabtu",
         "mari jaga kebersihan lingkungan {}"]
NAMES = ["budi", "ani", "siti", "joko", "rina", "agus", "dewi", "eko", "tono", "lina"]


def _corpus() -> tuple[list[str], list[int]]:
    texts, labels = [], []
    for name in NAMES:
        for pattern in ABUSIVE:
            texts.append(pattern.format(name))
            labels.append(1)
        for pattern in CLEAN:
            texts.append(pattern.format(name))
            labels.append(0)
    return texts, labels


def _write(path: Path, texts: list[str], labels: list[int]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Tweet", "Abusive"])
        writer.writerows(zip(texts, labels, strict=True))
    return path


def test_model_separates_obvious_cases_written_the_way_people_write() -> None:
    texts, labels = _corpus()
    model = AbuseClassifier().fit(texts, labels)
    scores = model.predict_proba([
        "dasar tolol goblok lu",
        r"B4NGS4TTT lu g0bl0kkk \xf0\x9f\x98\xa1",
        "terima kasih atas bantuannya",
        "selamat pagi, jadwal posyandu hari sabtu ya",
    ])
    assert scores.shape == (4,)
    assert min(scores[:2]) > 0.5 > max(scores[2:])
    assert list(model.predict(["dasar bego lu", "terima kasih pak"])) == [1, 0]


def test_save_and_load_give_identical_probabilities(tmp_path: Path) -> None:
    texts, labels = _corpus()
    model = AbuseClassifier(lexicon=["bangsat", "otak udang"]).fit(texts, labels)
    path = tmp_path / "models" / "abuse.pkl"
    model.save(path)
    again = AbuseClassifier.load(path)
    probe = [*texts, "kalimat yang belum pernah dilihat", ""]
    assert np.array_equal(again.predict_proba(probe), model.predict_proba(probe))
    assert again.threshold == model.threshold


def test_load_refuses_other_pickles(tmp_path: Path) -> None:
    path = tmp_path / "other.pkl"
    path.write_bytes(__import__("pickle").dumps({"format": 0}))
    with pytest.raises(ValueError, match="not a Siaga text classifier"):
        AbuseClassifier.load(path)


def test_fit_needs_both_classes() -> None:
    with pytest.raises(ValueError, match="two examples of each class"):
        AbuseClassifier().fit(["a", "b", "c"], [1, 1, 0])


def test_train_model_uses_optional_word_lists(tmp_path: Path) -> None:
    slang = tmp_path / "kamus.csv"
    slang.write_text("bgo,bego\n", encoding="utf-8")
    lexicon = tmp_path / "abusive.csv"
    lexicon.write_text("ABUSIVE\nbego\ntolol\n", encoding="utf-8")
    texts, labels = _corpus()
    model = train_model(texts=texts, labels=labels,
                        resources=Resources(slang_csv=slang, lexicon_csv=lexicon))
    assert model.slang["bgo"] == "bego" and model.lexicon == ["bego", "tolol"]
    assert model.predict_proba(["dasar bgo"])[0] > 0.5


def test_default_scorer_is_none_until_a_model_is_saved(tmp_path: Path) -> None:
    path = tmp_path / "abuse_model.pkl"
    assert default_scorer(path=path) is None
    texts, labels = _corpus()
    AbuseClassifier().fit(texts, labels).save(path)
    scorer = default_scorer(path=path)
    assert scorer is not None and scorer.predict_proba(["dasar tolol"])[0] > 0.5


def test_evaluate_reports_the_fixed_keys(tmp_path: Path) -> None:
    texts, labels = _corpus()
    # The same kinds of post about people the model never saw.
    train = _write(tmp_path / "train.csv", texts[:60], labels[:60])
    test = _write(tmp_path / "test.csv", texts[60:], labels[60:])
    result = evaluate(train_csv=train, test_csv=test, label="Abusive")
    assert set(result) >= {"macro_f1", "accuracy", "f1_positive", "n_test", "seconds"}
    assert result["n_test"] == 40 and result["macro_f1"] > 0.9
    assert 0.0 <= result["accuracy"] <= 1.0 and result["seconds"] >= 0


def test_cross_validate_reports_means_folds_and_throughput(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts, labels = _corpus()
    data = _write(tmp_path / "all.csv", texts, labels)
    result = cross_validate(csv=data, label="Abusive", folds=3)
    assert len(result["folds"]) == 3 and result["posts_per_s"] > 0
    assert result["macro_f1"] == pytest.approx(
        np.mean([f["macro_f1"] for f in result["folds"]]), abs=1e-3)
    main(["--cv", str(data), "--label", "Abusive", "--folds", "2"])
    printed = json.loads(capsys.readouterr().out)
    assert printed["n_test"] == len(texts) and len(printed["folds"]) == 2


def test_eval_command_prints_one_json_object(tmp_path: Path) -> None:
    texts, labels = _corpus()
    train = _write(tmp_path / "train.csv", texts, labels)
    out = subprocess.run(
        [sys.executable, "-m", "siaga.cli.main", "eval", "mediaintel", "--train", str(train),
         "--test", str(train), "--label", "Abusive"],
        capture_output=True, text=True, check=True, timeout=120,
    )
    assert json.loads(out.stdout)["n_test"] == len(texts)


def test_missing_label_column_is_a_clear_error(tmp_path: Path) -> None:
    texts, labels = _corpus()
    train = _write(tmp_path / "train.csv", texts, labels)
    with pytest.raises(ValueError, match="HS"):
        evaluate(train_csv=train, test_csv=train, label="HS")


@pytest.mark.skipif(not REAL.exists(), reason="shared evaluation data not present")
def test_real_data_subsample_beats_chance(tmp_path: Path) -> None:
    with REAL.open(encoding="utf-8", errors="replace", newline="") as handle:
        rows = list(csv.DictReader(handle))[:2000]
    sample = _write(tmp_path / "sample.csv", [r["Tweet"] for r in rows],
                    [int(r["Abusive"]) for r in rows])
    result = cross_validate(csv=sample, label="Abusive", folds=3)
    # Full data with 5 folds gives about 0.93; 1,333 training posts still clear 0.85.
    assert result["macro_f1"] > 0.85
    assert result["posts_per_s"] > 500
