"""Fast hashed n-gram TF-IDF (characters or words), vectorised with numpy.

scikit-learn's analyzers build every n-gram as a Python string and look it up in a dict, which
caps a multi-block model at a few hundred posts per second. Here each n-gram is a rolling
polynomial hash over symbols (code points, or stable hashes of words) of a whole batch at once.
Hashes seen in training are mapped to compact column numbers, so the vocabulary costs one
integer array and unseen n-grams are dropped, as with a fitted vocabulary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

Analyzer = Literal["char", "char_wb", "word"]

_BASE = np.uint64(0x100000001B3)  # FNV 64-bit prime: odd, carries low bits upward.
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, for Fibonacci hashing.
_BREAK = "\x00"  # Never inside an n-gram: separates posts, or words in word-bounded mode.


@lru_cache(maxsize=1 << 18)
def _word_symbol(word: str) -> int:
    # Python's own str hash changes between processes; a saved model needs a stable one.
    value = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
    return value | 1  # zero is reserved for breaks


class HashedTfidf:
    """Sublinear TF-IDF over hashed n-grams, with scikit-learn's fit/transform shape."""

    def __init__(
        self,
        *,
        analyzer: Analyzer = "char",
        ngram_range: tuple[int, int] = (1, 6),
        n_bits: int = 21,
        min_df: int = 1,
    ) -> None:
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.n_bits = n_bits
        self.min_df = min_df
        self.columns_: NDArray[np.int32] | None = None
        self.idf_: NDArray[np.float64] | None = None

    @property
    def n_features(self) -> int:
        """Number of output columns (n-grams kept at fit time)."""
        return 0 if self.idf_ is None else len(self.idf_)

    def __getstate__(self) -> dict[str, object]:
        # The bucket-to-column map is mostly -1; saving just the kept buckets keeps files small.
        state = dict(self.__dict__)
        if self.columns_ is not None:
            state["columns_"] = np.flatnonzero(self.columns_ >= 0).astype(np.int32)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        kept, n_bits = state.get("columns_"), state.get("n_bits")
        if isinstance(kept, np.ndarray) and isinstance(n_bits, int):
            columns = np.full(1 << n_bits, -1, dtype=np.int32)
            columns[kept] = np.arange(len(kept), dtype=np.int32)
            state["columns_"] = columns
        self.__dict__.update(state)

    def fit(self, docs: Sequence[str]) -> HashedTfidf:
        """Learn the kept n-grams and their IDF weights."""
        self.fit_transform(docs)
        return self

    def fit_transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Learn the kept n-grams and IDF weights, and return the TF-IDF matrix of ``docs``."""
        rows, hashes = self._hashes(docs)
        pairs = np.unique(hashes + (rows.astype(np.uint64) << np.uint64(self.n_bits)))
        df = np.bincount((pairs & np.uint64((1 << self.n_bits) - 1)).astype(np.int64),
                         minlength=1 << self.n_bits)
        kept = np.flatnonzero(df >= max(1, self.min_df))
        columns = np.full(1 << self.n_bits, -1, dtype=np.int32)
        columns[kept] = np.arange(len(kept), dtype=np.int32)
        self.columns_ = columns
        # The same smoothing as scikit-learn's TfidfVectorizer.
        self.idf_ = np.log((1.0 + len(docs)) / (1.0 + df[kept])) + 1.0
        return self._matrix(len(docs), rows, hashes)

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Return the TF-IDF matrix of ``docs`` (rows L2-normalised)."""
        if self.columns_ is None:
            raise RuntimeError("vectoriser is not fitted")
        rows, hashes = self._hashes(docs)
        return self._matrix(len(docs), rows, hashes)

    def _matrix(
        self, n_docs: int, rows: NDArray[np.int64], hashes: NDArray[np.uint64]
    ) -> sp.csr_matrix:
        assert self.columns_ is not None and self.idf_ is not None
        cols = self.columns_[hashes.astype(np.int64)]
        seen = cols >= 0
        data = np.ones(int(seen.sum()), dtype=np.float64)
        # COO to CSR sums the duplicate (row, column) pairs into n-gram counts.
        counts = sp.csr_matrix(
            (data, (rows[seen], cols[seen])), shape=(n_docs, len(self.idf_))
        )
        counts.sum_duplicates()
        counts.data = (1.0 + np.log(counts.data)) * self.idf_[counts.indices]
        return l2_normalize(counts)

    def _symbols(self, docs: Sequence[str]) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
        """One symbol per character (or word) of all docs, zero between units, and its owner."""
        if self.analyzer == "word":
            ids: list[int] = []
            lengths = np.zeros(len(docs), dtype=np.int64)
            for i, doc in enumerate(docs):
                words = doc.split()
                ids.extend(_word_symbol(w) for w in words)
                ids.append(0)
                lengths[i] = len(words) + 1
            codes = np.array(ids, dtype=np.uint64)
        else:
            if self.analyzer == "char_wb":
                # Each word padded with spaces, as scikit-learn's char_wb does; words never join.
                parts = [" " + " \x00 ".join(d.split()) + " " if d.strip() else "" for d in docs]
            else:
                parts = [d.replace(_BREAK, " ") for d in docs]
            lengths = np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts))
            joined = _BREAK.join(parts) + _BREAK
            codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        owner = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        return codes, owner

    def _hashes(self, docs: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.uint64]]:
        """Row and bucket of every n-gram occurrence in ``docs``."""
        codes, owner = self._symbols(docs)
        is_break = codes == 0
        low, high = self.ngram_range
        size = len(codes)
        hashes = np.zeros(size, dtype=np.uint64)
        valid = np.ones(size, dtype=bool)
        shift = np.uint64(64 - self.n_bits)
        rows: list[NDArray[np.int64]] = []
        buckets: list[NDArray[np.uint64]] = []
        with np.errstate(over="ignore"):
            for n in range(1, high + 1):
                span = size - n + 1
                if span <= 0:
                    break
                # h_n[i] = h_{n-1}[i] * B + c[i+n-1], wrapping modulo 2**64 on purpose.
                hashes = hashes[:span] * _BASE + codes[n - 1 : n - 1 + span]
                valid = valid[:span] & ~is_break[n - 1 : n - 1 + span]
                if n < low:
                    continue
                keep = np.flatnonzero(valid)
                buckets.append(((hashes[keep] + np.uint64(n)) * _MIX) >> shift)
                rows.append(owner[keep])
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
        return np.concatenate(rows), np.concatenate(buckets)


def l2_normalize(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row to unit Euclidean length (empty rows stay empty)."""
    squares = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    norms = np.sqrt(squares)
    norms[norms == 0.0] = 1.0
    scaled: sp.csr_matrix = sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)
    return scaled
