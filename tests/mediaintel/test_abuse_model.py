"""The abuse classifier and its evaluation command, on small data and on the real set."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import typer
from sklearn.metrics import roc_auc_score

from siaga.mediaintel.evaluation import cross_validate, evaluate, main
from siaga.mediaintel.lexicon import Resources
from siaga.mediaintel.model import AbuseClassifier, ModelConfig, default_scorer, train_model

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


def test_auxiliary_labels_add_members_and_survive_saving(tmp_path: Path) -> None:
    texts, labels = _corpus()
    # A related label: the first two abusive patterns only (a sub-kind, as HS is of posts).
    related = [1 if label and (i % 10) < 2 else 0 for i, label in enumerate(labels)]
    model = AbuseClassifier().fit(texts, labels, auxiliary={"Related": related})
    assert model.auxiliary_names == ["Related"]
    assert len(model.auxiliary_members) == len(model.config.auxiliary_members)
    model.save(tmp_path / "m.pkl")
    again = AbuseClassifier.load(tmp_path / "m.pkl")
    probe = ["dasar tolol goblok lu", "terima kasih atas bantuannya"]
    assert np.array_equal(again.predict_proba(probe), model.predict_proba(probe))
    assert list(again.predict(probe)) == [1, 0]
    # A label with fewer than two positives is dropped rather than failing the fit.
    lone = AbuseClassifier().fit(texts, labels, auxiliary={"Rare": [1] + [0] * (len(texts) - 1)})
    assert lone.auxiliary_names == [] and lone.auxiliary_members == []
    with pytest.raises(ValueError, match="differ in length"):
        AbuseClassifier().fit(texts, labels, auxiliary={"Short": [0, 1]})


def test_repeated_inner_folds_stack_every_repeat_and_keep_scoring_unchanged() -> None:
    texts, labels = _corpus()
    single = AbuseClassifier(config=ModelConfig(inner_repeats=1)).fit(texts, labels)
    model = AbuseClassifier(config=ModelConfig(inner_repeats=3)).fit(texts, labels)
    # The stacker sees one row per post and repeat; the members and their count are unchanged.
    assert model.stacker is not None and model.scaler is not None
    assert model.scaler.n_samples_seen_ == 3 * len(texts)
    assert len(model.members) == len(single.members)
    probe = ["dasar tolol goblok lu", "terima kasih atas bantuannya"]
    assert list(model.predict(probe)) == [1, 0]
    again = AbuseClassifier(config=ModelConfig(inner_repeats=3)).fit(texts, labels)
    # liblinear shuffles with its own unseeded generator, so equal up to solver tolerance.
    assert np.allclose(again.predict_proba(probe), model.predict_proba(probe), atol=1e-6)


@pytest.mark.skipif(not REAL.exists(), reason="shared evaluation data not present")
def test_train_abuse_command_saves_the_model_default_scorer_loads(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {**os.environ, "SIAGA_DATA_DIR": str(data_dir)}
    out = subprocess.run(
        [sys.executable, "-m", "siaga.cli.main", "mediaintel", "train-abuse", "--data", str(REAL),
         "--label", "HS", "--limit", "1500"],
        capture_output=True, text=True, check=True, timeout=300, env=env,
    )
    report = json.loads(out.stdout)
    saved = data_dir / "models" / "abuse_model.pkl"
    assert report["path"] == str(saved) and saved.is_file()
    assert report["posts"] == 1500 and report["label"] == "HS"
    assert 0 < report["positive"] < 1500 and report["auxiliary"] == ["Abusive"]
    scorer = default_scorer(path=saved)
    assert scorer is not None and scorer.auxiliary_names == ["Abusive"]
    with REAL.open(encoding="utf-8", errors="replace", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Posts the model never saw: it must rank them far better than chance.
    held = rows[1500:2500]
    scores = scorer.predict_proba([r["Tweet"] for r in held])
    truth = np.array([int(r["HS"]) for r in held])
    assert scores.shape == (len(held),) and ((scores >= 0) & (scores <= 1)).all()
    assert roc_auc_score(truth, scores) > 0.8


def test_train_abuse_command_defaults_to_settings_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from siaga.cli.intel import train_abuse
    from siaga.config import get_settings

    texts, labels = _corpus()
    data = _write(tmp_path / "labelled.csv", texts, labels)
    monkeypatch.setenv("SIAGA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        train_abuse(data=data, label="Abusive", text_column="Tweet", out=None, limit=None)
        scorer = default_scorer()
        assert scorer is not None
        assert list(scorer.predict(["dasar tolol goblok lu", "terima kasih pak"])) == [1, 0]
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    with pytest.raises(typer.Exit):
        train_abuse(data=data, label="HS", text_column="Tweet", out=tmp_path / "x.pkl",
                    limit=None)


def test_eval_command_cross_validates_with_cv(tmp_path: Path) -> None:
    texts, labels = _corpus()
    data = _write(tmp_path / "all.csv", texts, labels)
    out = subprocess.run(
        [sys.executable, "-m", "siaga.cli.main", "eval", "mediaintel", "--cv", str(data),
         "--label", "Abusive", "--folds", "3"],
        capture_output=True, text=True, check=True, timeout=120,
    )
    result = json.loads(out.stdout)
    assert len(result["folds"]) == 3 and result["n_test"] == len(texts)
    assert result["macro_f1"] > 0.9 and result["posts_per_s"] > 0
    missing = subprocess.run(
        [sys.executable, "-m", "siaga.cli.main", "eval", "mediaintel", "--label", "Abusive"],
        capture_output=True, text=True, timeout=120,
    )
    assert missing.returncode == 2 and "--cv" in missing.stderr
