"""The abuse / hate-speech classifier: normalised text, word and character n-grams, a linear model.

Word n-grams catch the insults themselves; character n-grams inside word boundaries catch the
misspellings, elongations and affixes (`anjiing`, `kontolnya`) that slang normalisation misses.
The decision threshold is chosen on a held-out part of the training data for macro-F1, because
the classes are unbalanced and 0.5 is rarely the best cut.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from siaga.mediaintel.normalize import normalize


class AbuseClassifier:
    """Binary text classifier; fit on texts and 0/1 labels, then score new texts 0..1."""

    def __init__(self, *, c: float = 8.0, tune_threshold: bool = True, seed: int = 0) -> None:
        self.c = c
        self.tune_threshold = tune_threshold
        self.seed = seed
        self.threshold = 0.5
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                     token_pattern=r"(?u)\b\w+\b", max_features=200_000)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                     sublinear_tf=True, max_features=300_000)
        self.model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced",
                                        solver="liblinear")

    def _features(self, texts: Sequence[str], *, fit: bool = False) -> object:
        clean = [normalize(t) for t in texts]
        if fit:
            parts = [self.words.fit_transform(clean), self.chars.fit_transform(clean)]
        else:
            parts = [self.words.transform(clean), self.chars.transform(clean)]
        return hstack(parts).tocsr()

    def fit(self, texts: Sequence[str], labels: Sequence[int] | np.ndarray) -> AbuseClassifier:
        """Learn from labelled texts (and pick the threshold on a held-out fifth)."""
        y = np.asarray(labels, dtype=int)
        # Too few examples make a held-out threshold noisier than the plain 0.5 cut.
        if self.tune_threshold and len(y) >= 500 and min(np.bincount(y)) >= 50:
            fit_x, hold_x, fit_y, hold_y = train_test_split(
                list(texts), y, test_size=0.2, stratify=y, random_state=self.seed)
            probe = AbuseClassifier(c=self.c, tune_threshold=False, seed=self.seed)
            probe.fit(fit_x, fit_y)
            self.threshold = best_threshold(hold_y, probe.predict_proba(hold_x))
        self.model.fit(self._features(texts, fit=True), y)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of the positive label for each text."""
        return np.asarray(self.model.predict_proba(self._features(texts))[:, 1])

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """0/1 labels at the tuned threshold."""
        return (self.predict_proba(texts) >= self.threshold).astype(int)

    def save(self, path: Path) -> None:
        """Write the fitted model to a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def load(path: Path) -> AbuseClassifier:
        """Read a model written by save() (only load files this system wrote)."""
        with path.open("rb") as handle:
            model = pickle.load(handle)
        if not isinstance(model, AbuseClassifier):
            raise TypeError(f"{path} does not hold an AbuseClassifier")
        return model


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The cut on scores that maximises macro-F1 on these labels."""
    best, best_f1 = 0.5, -1.0
    for cut in np.linspace(0.2, 0.8, 25):
        f1 = f1_score(labels, (scores >= cut).astype(int), average="macro")
        if f1 > best_f1:
            best, best_f1 = float(cut), float(f1)
    return best
