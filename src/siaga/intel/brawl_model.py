"""The brawl-risk model: words, character n-grams and brawl signals into a logistic regression.

It is trained on the project's own labelled corpus (``data/brawl_train.csv`` and the Javanese
Ngapak posts in ``data/brawl_train_ngapak.csv``) plus the verdicts
analysts give on warnings; ``data/brawl_heldout.csv`` is never used for training or tuning and
gives the precision and recall that ``siaga eval brawl`` reports.
"""

from __future__ import annotations

import csv
import logging
import pickle
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from siaga.config import get_settings
from siaga.intel.entities import fold
from siaga.intel.signals import SIGNALS, signal_counts
from siaga.mediaintel.model import default_scorer
from siaga.mediaintel.normalize import normalize

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
TRAIN_CSV = DATA_DIR / "brawl_train.csv"
TRAIN_NGAPAK_CSV = DATA_DIR / "brawl_train_ngapak.csv"
# Every labelled file the model learns from; the held-out files are never among them.
TRAIN_FILES: tuple[Path, ...] = (TRAIN_CSV, TRAIN_NGAPAK_CSV)
HELDOUT_CSV = DATA_DIR / "brawl_heldout.csv"
HELDOUT_NGAPAK_CSV = DATA_DIR / "brawl_heldout_ngapak.csv"
MODEL_FILE = "brawl_model.pkl"
THRESHOLD = 0.5


_NOT_LOOKED_UP: Any = object()
_abuse: Any = _NOT_LOOKED_UP


def _abuse_scorer() -> Callable[[Sequence[str]], np.ndarray] | None:
    """The abuse/provocation model's probability, when a trained one is available (looked up
    once per process)."""
    global _abuse
    if _abuse is _NOT_LOOKED_UP:
        _abuse = _find_abuse_scorer()
    return _abuse  # type: ignore[no-any-return]


def _find_abuse_scorer() -> Callable[[Sequence[str]], np.ndarray] | None:
    """The saved abuse/provocation model's probability (``siaga mediaintel train-abuse``), or
    None when no such model was saved."""
    try:
        scorer = default_scorer()
    except Exception:  # an unreadable model file must not stop brawl scoring
        log.warning("abuse model unavailable", exc_info=True)
        return None
    return None if scorer is None else scorer.predict_proba


class BrawlModel:
    """Scores posts 0..1 for "arranges or pushes a brawl"; picklable once fitted."""

    def __init__(self, *, c: float = 4.0, threshold: float = THRESHOLD,
                 use_abuse: bool = True) -> None:
        self.c = c
        self.threshold = threshold
        self.use_abuse = use_abuse
        self.abuse_used = False
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True,
                                     token_pattern=r"(?u)\b\w+\b")
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                     sublinear_tf=True, max_features=40_000)
        self.clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        # The signal columns it was fitted with; a model saved before the list changed is stale.
        self.signals = tuple(s.name for s in SIGNALS)

    def _dense(self, texts: Sequence[str], folded: list[str]) -> np.ndarray:
        counts = np.array([signal_counts(t, folded=f) for t, f in zip(texts, folded, strict=True)])
        columns = [counts / 3.0]
        if self.abuse_used:
            scorer = _abuse_scorer()
            abuse = scorer(texts) if scorer else np.zeros(len(texts))
            columns.append(abuse.reshape(-1, 1))
        return np.hstack(columns)

    def _features(self, texts: Sequence[str], *, fit: bool) -> Any:
        folded = [fold(t) for t in texts]
        normal = [normalize(t) for t in texts]
        if fit:
            w = self.words.fit_transform(normal)
            c = self.chars.fit_transform(folded)
        else:
            w = self.words.transform(normal)
            c = self.chars.transform(folded)
        dense = sparse.csr_matrix(self._dense(texts, folded) * 2.0)
        return sparse.hstack([w, c, dense]).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[int]) -> BrawlModel:
        """Fit on labelled texts (1 = brawl-related)."""
        self.abuse_used = self.use_abuse and _abuse_scorer() is not None
        self.clf.fit(self._features(texts, fit=True), np.asarray(labels, dtype=int))
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each text being brawl-related."""
        if not texts:
            return np.zeros(0)
        return np.asarray(self.clf.predict_proba(self._features(texts, fit=False))[:, 1])

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(self, handle)
        tmp.replace(path)


def read_corpus(path: Path) -> tuple[list[str], list[int], list[str]]:
    """Texts, labels and categories of a labelled CSV (columns label, category, text)."""
    texts, labels, categories = [], [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.append(row["text"])
            labels.append(int(row["label"]))
            categories.append(row.get("category") or "")
    return texts, labels, categories


def read_corpora(paths: Sequence[Path]) -> tuple[list[str], list[int]]:
    """Texts and labels of several labelled CSVs, in order."""
    texts: list[str] = []
    labels: list[int] = []
    for path in paths:
        more, more_labels, _ = read_corpus(path)
        texts += more
        labels += more_labels
    return texts, labels


def train(*, extra: Sequence[tuple[str, int]] = (),
          corpus: Path | Sequence[Path] = TRAIN_FILES) -> BrawlModel:
    """A model fitted on the training corpus (one file or several) plus extra (text, label)
    pairs."""
    texts, labels = read_corpora([corpus] if isinstance(corpus, Path) else corpus)
    texts += [t for t, _ in extra]
    labels += [int(lb) for _, lb in extra]
    return BrawlModel().fit(texts, labels)


_lock = threading.Lock()
_cached: dict[str, BrawlModel] = {}


def model_path() -> Path:
    return get_settings().data_dir / "models" / MODEL_FILE


def current_model() -> BrawlModel:
    """The saved model (``siaga mediaintel train``) or one fitted on the corpus, cached."""
    with _lock:
        path = model_path()
        key = f"{path}:{path.stat().st_mtime if path.exists() else 0}"
        if key not in _cached:
            model: BrawlModel | None = None
            if path.exists():
                try:
                    with path.open("rb") as handle:
                        model = pickle.load(handle)  # noqa: S301 (our own file)
                except Exception:
                    log.warning("could not read %s; using the corpus model", path, exc_info=True)
                if model is not None and not _current(model):
                    log.warning("%s was trained with other brawl signals; using the corpus "
                                "model until `siaga mediaintel train` runs again", path)
                    model = None
            _cached.clear()
            _cached[key] = model or train()
        return _cached[key]


def _current(model: object) -> bool:
    signals = getattr(model, "signals", None)
    return isinstance(model, BrawlModel) and signals == tuple(s.name for s in SIGNALS)


def forget_model() -> None:
    with _lock:
        _cached.clear()


def evaluate(*, train_csv: Path | Sequence[Path] = TRAIN_FILES, test_csv: Path = HELDOUT_CSV,
             threshold: float = THRESHOLD) -> dict[str, Any]:
    """Train on one file, score the held-out file: precision, recall, F1 and per-category
    results."""
    started = time.perf_counter()
    model = train(corpus=train_csv)
    texts, labels, categories = read_corpus(test_csv)
    proba = model.predict_proba(texts)
    predicted = (proba >= threshold).astype(int)
    truth = np.asarray(labels)
    tp = int(((predicted == 1) & (truth == 1)).sum())
    fp = int(((predicted == 1) & (truth == 0)).sum())
    fn = int(((predicted == 0) & (truth == 1)).sum())
    tn = int(((predicted == 0) & (truth == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_category: dict[str, dict[str, int]] = {}
    for cat, t, p in zip(categories, truth, predicted, strict=True):
        entry = per_category.setdefault(cat, {"n": 0, "correct": 0})
        entry["n"] += 1
        entry["correct"] += int(t == p)
    return {
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "accuracy": round((tp + tn) / len(truth), 4) if len(truth) else 0.0,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn, "n_test": len(truth),
        "n_train": len(read_corpora([train_csv] if isinstance(train_csv, Path) else train_csv)[0]),
        "threshold": threshold,
        "abuse_feature": model.abuse_used, "per_category": per_category,
        "seconds": round(time.perf_counter() - started, 3),
    }
