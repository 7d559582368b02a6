"""Evaluation of the abuse classifier: train on one file and score another, or k-fold CV."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from siaga.mediaintel.model import AbuseClassifier

csv.field_size_limit(10_000_000)


def read_labelled(*, path: Path, label: str, text_column: str = "Tweet"
                  ) -> tuple[list[str], np.ndarray]:
    """Texts and 0/1 labels from a CSV with a header."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or label not in reader.fieldnames:
            raise ValueError(f"column {label!r} not in {path}")
        if text_column not in reader.fieldnames:
            raise ValueError(f"column {text_column!r} not in {path}")
        rows = [(r[text_column] or "", int(float(r[label] or 0))) for r in reader]
    return [t for t, _ in rows], np.array([y for _, y in rows], dtype=int)


def _scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    return {
        "macro_f1": round(float(f1_score(y_true, y_pred, average="macro")), 4),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "f1_positive": round(float(f1_score(y_true, y_pred, pos_label=1, zero_division=0)), 4),
    }


def evaluate(*, train_csv: Path, test_csv: Path, label: str, text_column: str = "Tweet"
             ) -> dict[str, Any]:
    """Train on one file, score the other: macro_f1, accuracy, f1_positive, n_test, seconds."""
    started = time.perf_counter()
    train_x, train_y = read_labelled(path=train_csv, label=label, text_column=text_column)
    test_x, test_y = read_labelled(path=test_csv, label=label, text_column=text_column)
    model = AbuseClassifier().fit(train_x, train_y)
    predicted = model.predict(test_x)
    return {**_scores(test_y, predicted), "n_test": len(test_y),
            "seconds": round(time.perf_counter() - started, 2)}


def cross_validate(*, csv: Path, label: str, folds: int = 5, seed: int = 0,
                   text_column: str = "Tweet") -> dict[str, Any]:
    """Stratified k-fold means (and per-fold values) plus scoring throughput in posts/s."""
    started = time.perf_counter()
    texts, labels = read_labelled(path=csv, label=label, text_column=text_column)
    per_fold: list[dict[str, float]] = []
    scored, scoring_s = 0, 0.0
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, labels):
        model = AbuseClassifier(seed=seed).fit([texts[i] for i in train_idx], labels[train_idx])
        fold_texts = [texts[i] for i in test_idx]
        t0 = time.perf_counter()
        predicted = model.predict(fold_texts)
        scoring_s += time.perf_counter() - t0
        scored += len(fold_texts)
        per_fold.append(_scores(labels[test_idx], predicted))
    means = {k: round(float(np.mean([f[k] for f in per_fold])), 4) for k in per_fold[0]}
    return {**means, "folds": per_fold, "n": len(labels),
            "posts_per_s": round(scored / scoring_s, 1) if scoring_s else 0.0,
            "seconds": round(time.perf_counter() - started, 2)}


def main(argv: list[str] | None = None) -> None:
    """python -m siaga.mediaintel.evaluation --cv CSV --label Abusive"""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--cv", type=Path, required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    json.dump(cross_validate(csv=args.cv, label=args.label, folds=args.folds), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
