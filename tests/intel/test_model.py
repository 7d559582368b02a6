"""The brawl model on the held-out corpus, and the `siaga mediaintel classify` contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from siaga.intel import brawl_model
from tests.intel.cli import intel_cli

# The held-out file (130 posts, 68 brawl-related) is written apart from the training file and
# never used to choose features or settings. The model scored P = R = 0.94 on it when the
# corpus was written. With 68 positives a single post moves recall by 1.5 points, and the 95%
# Wilson interval around 0.94 reaches down to about 0.86; 0.80 leaves room for changes in the
# shared normaliser and the optional abuse feature while still failing a model that has lost
# its grip on the brawl vocabulary (a keyword baseline sits near 0.7 precision).
MIN_PRECISION = 0.80
MIN_RECALL = 0.80


def test_heldout_precision_and_recall() -> None:
    result = brawl_model.evaluate()
    print(f"\nheld-out brawl model: precision={result['precision']:.3f} "
          f"recall={result['recall']:.3f} f1={result['f1']:.3f} n={result['n_test']}")
    assert result["n_test"] >= 100
    assert result["precision"] >= MIN_PRECISION, result
    assert result["recall"] >= MIN_RECALL, result


def test_heldout_never_overlaps_training() -> None:
    train, _, _ = brawl_model.read_corpus(brawl_model.TRAIN_CSV)
    heldout, labels, _ = brawl_model.read_corpus(brawl_model.HELDOUT_CSV)
    assert not {t.lower() for t in train} & {t.lower() for t in heldout}
    assert len(train) >= 250 and 0.3 < sum(labels) / len(labels) < 0.7



def test_classify_cli_contract(tmp_path: Path) -> None:
    rows = [
        {"id": "a1", "text": "woy smk n 2 slawi besok pulang sekolah ditunggu di procot, "
                             "bawa gir, jgn kabur"},
        {"id": 7, "text": "stop tawuran! duta pelajar sman 3 slawi ngajak damai"},
        {"id": "c3", "text": "mabar ml nanti malam yuk"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(intel_cli(), ["mediaintel", "classify", "--in", str(src),
                                         "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a1", 7, "c3"]
    for line in lines:
        assert 0.0 <= line["risk"] <= 1.0
        assert isinstance(line["is_warning"], bool)
        for key in ("schools", "places", "times", "reasons"):
            assert isinstance(line[key], list)
    brawl, campaign, game = lines
    assert brawl["is_warning"] and not campaign["is_warning"] and not game["is_warning"]
    assert brawl["schools"] == ["SMKN 2 Slawi"]
    assert brawl["places"] == ["Procot"]
    assert brawl["times"] and brawl["times"][0]["start"].endswith("+07:00")
    assert any("senjata" in r for r in brawl["reasons"])
    assert campaign["schools"] == ["SMAN 3 Slawi"]


def test_eval_brawl_prints_one_json_object() -> None:
    result = CliRunner().invoke(intel_cli(), ["eval", "brawl"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert {"precision", "recall", "f1", "n_test"} <= set(data)


def test_hard_negatives_with_times_are_not_warnings() -> None:
    """A time alone, ordinary plans and news of a past brawl must not put a marker on the map;
    an arranged brawl with the same words must."""
    from datetime import UTC, datetime

    from siaga.intel.analysis import analyse_many
    from siaga.intel.entities import builtin_gazetteer

    texts = [
        "besok jam 2",
        "besok jam 7 brgkt sekolah bareng yuk",
        "berita: tawuran pelajar di slawi minggu lalu, polisi amankan celurit",
        "b3s0k plg sekolah smkn2 slawi ditunggu di procot bawa gir",
    ]
    posted = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    results = analyse_many(texts, posted_at=[posted] * len(texts), gazetteer=builtin_gazetteer())
    assert [r.is_warning for r in results] == [False, False, False, True]
    news = results[2]
    assert news.times and all(w.end <= posted for w in news.times)
    assert any(r.startswith("penyeimbang") for r in news.reasons)
    arranged = results[3]
    assert [s.name for s in arranged.schools] == ["SMKN 2 Slawi"]
    assert arranged.times[0].start.date().isoformat() == "2026-11-24"


def test_a_model_saved_with_other_signals_is_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = brawl_model.train()
    stale.signals = ("challenge",)
    path = tmp_path / "brawl_model.pkl"
    stale.save(path)
    monkeypatch.setattr(brawl_model, "model_path", lambda: path)
    brawl_model.forget_model()
    try:
        assert brawl_model.current_model() is not stale
        assert brawl_model.current_model().signals == tuple(
            s.name for s in brawl_model.SIGNALS)
    finally:
        brawl_model.forget_model()
