"""Scoring a held-out file that also names the time window each warning post points at.

Each row has ``label,category,text,expected_time``; ``expected_time`` is blank or
``+Nd HH:MM`` (N days after the posting day, a WIB clock time inside the window the post names).
Every post counts as written on ``POSTED_AT`` (a Wednesday, 10:00 WIB); the time-resolution rate
is the share of warning posts with an expected time whose resolved windows contain it.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from siaga.intel import brawl_model
from siaga.intel.times import resolve_times, zone

POSTED_AT = datetime(2026, 12, 2, 10, 0, tzinfo=zone())
_EXPECTED = re.compile(r"^\+(\d+)d (\d{1,2}):(\d{2})$")


def expected_moment(value: str) -> datetime | None:
    """The WIB moment an ``expected_time`` cell names, or None when blank."""
    value = value.strip()
    if not value:
        return None
    match = _EXPECTED.match(value)
    if match is None:
        raise ValueError(f"expected_time must look like '+1d 15:30', not {value!r}")
    days, hour, minute = (int(g) for g in match.groups())
    day = POSTED_AT.date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=POSTED_AT.tzinfo)


def time_resolved(text: str, moment: datetime) -> bool:
    """Whether one of the windows resolved from the text contains the moment."""
    return any(w.start <= moment <= w.end for w in resolve_times(text, posted_at=POSTED_AT))


def evaluate_heldout(path: Path, *, threshold: float = brawl_model.THRESHOLD) -> dict[str, Any]:
    """Precision and recall of the training-corpus model on the file, plus the time-resolution
    rate of its warning posts."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [r["text"] for r in rows]
    truth = np.asarray([int(r["label"]) for r in rows])
    model = brawl_model.train()
    predicted = (model.predict_proba(texts) >= threshold).astype(int)
    tp = int(((predicted == 1) & (truth == 1)).sum())
    fp = int(((predicted == 1) & (truth == 0)).sum())
    fn = int(((predicted == 0) & (truth == 1)).sum())
    timed = [(r["text"], expected_moment(r.get("expected_time") or "")) for r in rows
             if int(r["label"]) == 1]
    named = [(text, at) for text, at in timed if at is not None]
    resolved = [text for text, at in named if time_resolved(text, at)]
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
        "time_resolution": round(len(resolved) / len(named), 4) if named else 0.0,
        "tp": tp, "fp": fp, "fn": fn, "n_test": len(rows), "n_timed": len(named),
        "missed": [texts[i] for i in range(len(rows)) if truth[i] == 1 and predicted[i] == 0],
        "false_alarms": [texts[i] for i in range(len(rows))
                         if truth[i] == 0 and predicted[i] == 1],
        "unresolved": [text for text, _ in named if text not in resolved],
        "threshold": threshold,
    }
