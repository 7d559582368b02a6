"""Evaluation commands whose output shape INTERFACES.md fixes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["eval"].command("mediaintel")(eval_mediaintel)
    groups["eval"].command("hotspots")(eval_hotspots)


def eval_mediaintel(
    train: Path = typer.Option(None, exists=True, dir_okay=False),
    test: Path = typer.Option(None, exists=True, dir_okay=False),
    label: str = typer.Option(..., help="Kolom label, mis. Abusive atau HS"),
    cv: Path = typer.Option(None, exists=True, dir_okay=False,
                            help="Validasi silang k-lipat pada satu CSV (ganti --train/--test)"),
    folds: int = typer.Option(5, min=2),
    seed: int = typer.Option(0),
) -> None:
    """Train the abuse model on one file and score the other (or k-fold CV with --cv); prints
    one JSON object."""
    from siaga.mediaintel.evaluation import cross_validate, evaluate

    if cv is not None:
        result = cross_validate(csv=cv, label=label, folds=folds, seed=seed)
    elif train is not None and test is not None:
        result = evaluate(train_csv=train, test_csv=test, label=label)
    else:
        typer.echo("Gagal: beri --train dan --test, atau --cv", err=True)
        raise typer.Exit(2)
    typer.echo(json.dumps(result))


def eval_hotspots(
    data: Path = typer.Option(..., exists=True, dir_okay=False),
    test_from: str = typer.Option(..., help="Tanggal awal minggu uji, YYYY-MM-DD"),
    weeks: int = typer.Option(44, min=1),
    cell_m: float = typer.Option(150.0, min=10.0),
    method: str = typer.Option("auto"),
) -> None:
    """Weekly prospective evaluation of hotspot methods; prints one JSON object."""
    from siaga.hotspots.evaluation import evaluate

    result = evaluate(data_csv=data, test_from=date.fromisoformat(test_from), weeks=weeks,
                      cell_m=cell_m, method=method)
    typer.echo(json.dumps(result))
