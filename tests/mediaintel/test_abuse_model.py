"""The abuse classifier and its evaluation command, on small data and on the real set."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from siaga.mediaintel.evaluation import cross_validate, evaluate
from siaga.mediaintel.model import AbuseClassifier
from siaga.mediaintel.normalize import normalize

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


def test_normalisation_handles_slang_escapes_and_elongation() -> None:
    text = normalize("USER gak bgt sih anjiiiing \\xf0\\x9f\\x98\\x84 URL")
    assert "USER" in text and "URL" in text
    assert "iii" not in text
    assert "\\x" not in text


def test_model_separates_obvious_cases_and_round_trips(tmp_path: Path) -> None:
    texts, labels = _corpus()
    model = AbuseClassifier().fit(texts, labels)
    scores = model.predict_proba(["dasar tolol goblok lu", "terima kasih atas bantuannya"])
    assert scores[0] > 0.5 > scores[1]
    path = tmp_path / "abuse.pkl"
    model.save(path)
    again = AbuseClassifier.load(path)
    assert (again.predict_proba(texts) == model.predict_proba(texts)).all()


def test_evaluate_reports_the_fixed_keys(tmp_path: Path) -> None:
    texts, labels = _corpus()
    # The same kinds of post about people the model never saw.
    train = _write(tmp_path / "train.csv", texts[:60], labels[:60])
    test = _write(tmp_path / "test.csv", texts[60:], labels[60:])
    result = evaluate(train_csv=train, test_csv=test, label="Abusive")
    assert set(result) >= {"macro_f1", "accuracy", "f1_positive", "n_test", "seconds"}
    assert result["n_test"] == 40 and result["macro_f1"] > 0.9


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
    assert result["macro_f1"] > 0.8
