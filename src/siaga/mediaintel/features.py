"""Feature blocks for the abuse and hate-speech classifier: n-gram vectorisers, NB weights, kNN."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from siaga.mediaintel.ngrams import HashedTfidf, l2_normalize
from siaga.mediaintel.normalize import Normalizer

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int_]

# Views of a post: "norm" is the normalised token string, "surface" the cleaned original spelling.
BLOCK_VIEWS = {
    "word": "norm",
    "word13": "norm",
    "charwb": "norm",
    "char": "surface",
    "surface_word": "surface",
}


@dataclass
class Views:
    """The two textual views of a batch of posts, plus their normalised tokens."""

    norm: list[str]
    surface: list[str]

    @classmethod
    def of(cls, texts: Iterable[str], normalizer: Normalizer) -> Views:
        norm: list[str] = []
        surface: list[str] = []
        for text in texts:
            norm.append(normalizer(text))
            surface.append(normalizer.surface(text))
        return cls(norm=norm, surface=surface)


def make_vectorizer(*, block: str, n_docs: int) -> HashedTfidf:
    """Build the TF-IDF vectoriser of one named feature block."""
    # Pruning singletons only pays off on corpora big enough to have a long tail.
    min_df = 2 if n_docs >= 500 else 1
    if block in ("word", "surface_word"):
        # On the surface view the writer's own spelling ("gue" or "saya") tells register.
        return HashedTfidf(analyzer="word", ngram_range=(1, 2))
    if block == "word13":
        return HashedTfidf(analyzer="word", ngram_range=(1, 3), min_df=min_df)
    if block == "charwb":
        return HashedTfidf(analyzer="char_wb", ngram_range=(2, 5))
    if block == "char":
        return HashedTfidf(analyzer="char", ngram_range=(1, 6), min_df=min_df)
    raise ValueError(f"unknown feature block {block!r}")


def stack_blocks(blocks: dict[str, sp.csr_matrix], names: Sequence[str]) -> sp.csr_matrix:
    """Concatenate the named blocks column-wise."""
    if len(names) == 1:
        return blocks[names[0]]
    return sp.hstack([blocks[name] for name in names], format="csr")


def nb_log_ratio(*, features: sp.csr_matrix, labels: IntArray, alpha: float = 1.0) -> FloatArray:
    """Naive-Bayes log-count ratio of each binary feature between the two classes."""
    positive = np.asarray(features[labels == 1].sum(axis=0)).ravel() + alpha
    negative = np.asarray(features[labels == 0].sum(axis=0)).ravel() + alpha
    ratio: FloatArray = np.log(positive / positive.sum()) - np.log(negative / negative.sum())
    return ratio


def binarize(features: sp.csr_matrix) -> sp.csr_matrix:
    """Replace every stored value by one (presence features)."""
    out = features.copy()
    out.data = np.ones_like(out.data)
    return out


def rare_columns(*, matrix: sp.csr_matrix, max_df: float) -> NDArray[np.bool_]:
    """Columns present in at most ``max_df`` (a fraction) of the rows, and in at least one."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    mask: NDArray[np.bool_] = (df > 0) & (df <= max(1, int(max_df * matrix.shape[0])))
    return mask


def keep_columns(matrix: sp.csr_matrix, mask: NDArray[np.bool_]) -> sp.csr_matrix:
    """Zero all columns outside ``mask`` and re-normalise rows to unit length."""
    out = matrix.copy()
    out.data = out.data * mask[out.indices]
    out.eliminate_zeros()
    return l2_normalize(out)


def neighbour_features(
    *,
    query: sp.csr_matrix,
    reference: sp.csr_matrix,
    reference_labels: IntArray,
) -> FloatArray:
    """Similarity of each query row to its nearest positive and negative reference rows.

    Reposts and copy-pasted messages recur with small edits; a near copy of a labelled post is
    strong evidence that a linear model over n-grams does not fully use. Returns columns: best
    positive similarity, best negative similarity, similarity-weighted vote (sim**4 weights).
    """
    positive = (reference_labels == 1).astype(np.float64)
    sims = sp.csr_matrix(query @ reference.T)
    best_pos = np.asarray(sims.multiply(positive[None, :]).tocsr().max(axis=1).todense()).ravel()
    best_neg = np.asarray(
        sims.multiply(1.0 - positive[None, :]).tocsr().max(axis=1).todense()
    ).ravel()
    # A steep power lets the closest few neighbours decide, without sorting every row.
    weights = sims.power(4)
    total = np.asarray(weights.sum(axis=1)).ravel()
    votes = (weights @ positive) / (total + 1e-9)
    return np.column_stack([best_pos, best_neg, votes])


class LexiconMatcher:
    """Counts lexicon terms (single or multi-word) in normalised token strings."""

    def __init__(self, *, terms: Iterable[str], normalizer: Normalizer) -> None:
        # Terms go through the same normaliser as posts so "bangsad" in a list matches "bangsat".
        phrases = {tuple(normalizer.tokens(term)) for term in terms}
        phrases.discard(())
        self.words = frozenset(p[0] for p in phrases if len(p) == 1)
        self.phrases = frozenset(p for p in phrases if len(p) > 1)
        self.max_len = max((len(p) for p in self.phrases), default=1)

    def count(self, norm: str) -> int:
        """Return how many lexicon terms occur in a normalised token string."""
        tokens = norm.split()
        hits = sum(1 for token in tokens if token in self.words)
        if self.phrases:
            for size in range(2, self.max_len + 1):
                for i in range(len(tokens) - size + 1):
                    if tuple(tokens[i : i + size]) in self.phrases:
                        hits += 1
        return hits

    def features(self, norms: Sequence[str]) -> FloatArray:
        """Return a column of log-scaled hit counts."""
        return np.log1p(np.array([[self.count(n)] for n in norms], dtype=np.float64))
