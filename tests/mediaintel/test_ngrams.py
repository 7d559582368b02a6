"""The hashed n-gram TF-IDF vectoriser behaves like a fitted vocabulary."""

from __future__ import annotations

import pickle

import numpy as np

from siaga.mediaintel.ngrams import HashedTfidf

DOCS = ["anak smk tawuran", "anak sma belajar", "polisi patroli malam", "anak anak main bola"]


def _distinct_char_ngrams(text: str, low: int, high: int) -> set[str]:
    return {text[i : i + n] for n in range(low, high + 1) for i in range(len(text) - n + 1)}


def test_each_distinct_char_ngram_gets_a_column() -> None:
    vec = HashedTfidf(analyzer="char", ngram_range=(1, 4))
    matrix = vec.fit_transform(DOCS)
    for row, doc in enumerate(DOCS):
        assert matrix[row].nnz == len(_distinct_char_ngrams(doc, 1, 4))
    all_grams = set().union(*(_distinct_char_ngrams(d, 1, 4) for d in DOCS))
    assert vec.n_features == len(all_grams)


def test_rows_are_unit_length_and_unseen_ngrams_are_ignored() -> None:
    vec = HashedTfidf(analyzer="char_wb", ngram_range=(2, 4)).fit(DOCS)
    matrix = vec.transform(["anak smk", "zzzz qqqq", ""])
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    assert np.allclose(norms, [1.0, 0.0, 0.0])


def test_word_bounded_ngrams_never_span_two_words() -> None:
    vec = HashedTfidf(analyzer="char_wb", ngram_range=(3, 3)).fit(["ab cd"])
    # " ab", "ab ", " cd", "cd "; nothing like "b c".
    assert vec.n_features == 4
    assert vec.transform(["b c"]).nnz == 0


def test_word_ngrams_and_min_df() -> None:
    vec = HashedTfidf(analyzer="word", ngram_range=(1, 2), min_df=2)
    matrix = vec.fit_transform(DOCS)
    # Only "anak" occurs in two posts.
    assert vec.n_features == 1 and matrix.nnz == 3


def test_rarer_ngrams_weigh_more() -> None:
    vec = HashedTfidf(analyzer="word", ngram_range=(1, 1))
    row = vec.fit_transform(DOCS)[0].toarray().ravel()
    anak, smk = (vec.transform([w]).indices[0] for w in ("anak", "smk"))
    assert row[smk] > row[anak] > 0


def test_fitted_vectoriser_pickles_to_the_same_output() -> None:
    vec = HashedTfidf(analyzer="char", ngram_range=(1, 5)).fit(DOCS)
    again = pickle.loads(pickle.dumps(vec))
    left, right = vec.transform(DOCS), again.transform(DOCS)
    assert (left != right).nnz == 0
