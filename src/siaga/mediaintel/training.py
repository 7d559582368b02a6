"""Train the abuse classifier on a labelled CSV and save it where ``default_scorer`` looks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from siaga.mediaintel.evaluation import auxiliary_labels, read_labelled, resources_near
from siaga.mediaintel.model import default_model_path, train_model


@dataclass(frozen=True)
class TrainingReport:
    """What a training run used and where the model went."""

    path: Path
    label: str
    n_posts: int
    n_positive: int
    auxiliary: tuple[str, ...]
    slang_csv: Path | None
    lexicon_csv: Path | None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "path": str(self.path),
            "label": self.label,
            "posts": self.n_posts,
            "positive": self.n_positive,
            "auxiliary": list(self.auxiliary),
            "slang_csv": str(self.slang_csv) if self.slang_csv else None,
            "lexicon_csv": str(self.lexicon_csv) if self.lexicon_csv else None,
        }


def train_from_csv(
    *,
    data_csv: Path,
    label: str = "Abusive",
    text_column: str = "Tweet",
    out: Path | None = None,
    limit: int | None = None,
    seed: int = 0,
) -> TrainingReport:
    """Fit the classifier on ``data_csv`` (first ``limit`` rows when given) and save it."""
    texts, labels = read_labelled(path=data_csv, label=label, text_column=text_column)
    auxiliary = auxiliary_labels(path=data_csv, label=label)
    if limit is not None:
        texts, labels = texts[:limit], labels[:limit]
        auxiliary = {name: values[:limit] for name, values in auxiliary.items()}
    resources = resources_near(data_csv)
    model = train_model(
        texts=texts, labels=labels, auxiliary=auxiliary, resources=resources, seed=seed
    )
    path = out or default_model_path()
    model.save(path)
    return TrainingReport(
        path=path,
        label=label,
        n_posts=len(texts),
        n_positive=int(labels.sum()),
        auxiliary=tuple(model.auxiliary_names),
        slang_csv=resources.slang_csv,
        lexicon_csv=resources.lexicon_csv,
    )
