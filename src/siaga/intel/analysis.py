"""One post in, one judgement out: brawl risk, warning flag, schools, places, times, reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from siaga.intel.brawl_model import BrawlModel, current_model
from siaga.intel.entities import Gazetteer, PlaceEntry, SchoolEntry, fold
from siaga.intel.signals import SignalHit, find_signals
from siaga.intel.times import WEEKDAYS, TimeWindow, resolve_times


@dataclass
class Analysis:
    risk: float
    is_warning: bool
    schools: list[SchoolEntry]
    places: list[PlaceEntry]
    times: list[TimeWindow]
    signals: list[SignalHit]
    reasons: list[str] = field(default_factory=list)

    @property
    def gathering(self) -> bool:
        """The post says people are already together at the place."""
        return any(s.name == "gathering" for s in self.signals)

    def as_dict(self) -> dict[str, Any]:
        """The stored and exported form (names only; positions stay in the registers)."""
        return {
            "risk": round(self.risk, 4),
            "is_warning": self.is_warning,
            "schools": [s.name for s in self.schools],
            "places": [p.name for p in self.places],
            "times": [t.as_dict() for t in self.times],
            "signals": {s.name: s.matches for s in self.signals},
            "reasons": self.reasons,
        }


def analyse_many(texts: list[str], *, posted_at: list[datetime], gazetteer: Gazetteer,
                 model: BrawlModel | None = None) -> list[Analysis]:
    """Analyse a batch of posts (the model scores them together, which is much faster)."""
    model = model or current_model()
    risks = [float(r) for r in model.predict_proba(texts)] if texts else []
    out = []
    for text, when, risk in zip(texts, posted_at, risks, strict=True):
        out.append(_one(text, when, float(risk), gazetteer, model.threshold))
    return out


def analyse(text: str, *, posted_at: datetime, gazetteer: Gazetteer,
            model: BrawlModel | None = None) -> Analysis:
    """Analyse one post."""
    return analyse_many([text], posted_at=[posted_at], gazetteer=gazetteer, model=model)[0]


def _one(text: str, posted_at: datetime, risk: float, gazetteer: Gazetteer,
         threshold: float) -> Analysis:
    found = gazetteer.find(text)
    dismissal = dict(found.schools[0].dismissal_times) if found.schools else None
    times = resolve_times(text, posted_at=posted_at, dismissal_times=dismissal)
    signals = find_signals(text, folded=fold(text))
    analysis = Analysis(risk=risk, is_warning=risk >= threshold, schools=found.schools,
                        places=found.places, times=times, signals=signals)
    reasons = [f"model: risiko {risk:.2f}"]
    for hit in signals:
        prefix = "penyeimbang" if hit.negative else "sinyal"
        reasons.append(f"{prefix} {hit.label}: {', '.join(hit.matches)}")
    for school in found.schools:
        reasons.append(f"sekolah: {school.name} (\"{found.spans.get(school.name, '')}\")")
    for place in found.places:
        reasons.append(f"tempat: {place.name} ({place.kind})")
    for window in times:
        day = WEEKDAYS[window.start.weekday()]
        reasons.append(f"waktu: \"{window.text}\" -> {day} {window.start:%d/%m %H:%M}-"
                       f"{window.end:%H:%M} WIB")
    analysis.reasons = reasons
    return analysis
