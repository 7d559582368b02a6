"""Region commands: importing village boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from siaga.errors import Invalid


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["regions"].command("import")(regions_import)


def regions_import(file: Path = typer.Argument(..., help="Berkas GeoJSON batas desa/kelurahan")
                   ) -> None:
    """Import village boundaries; running it twice changes nothing."""
    from siaga.db import get_database
    from siaga.orgs.boundaries import read_boundaries
    from siaga.orgs.onboarding import import_villages

    try:
        villages, repairs = read_boundaries(file)
    except Invalid as exc:
        typer.echo(f"Impor ditolak: {exc}", err=True)
        raise typer.Exit(2) from exc
    for note in repairs:
        typer.echo(f"Diperbaiki: {note}", err=True)
    with get_database().session() as session:
        counts = import_villages(session, villages=villages, actor=None, source=file.name)
    typer.echo(json.dumps(counts))
