"""`siaga crimes import FILE`, `siaga crimes sync-alarms` and `siaga crimes types`."""

from __future__ import annotations

import json
from pathlib import Path

import typer


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["crimes"].command("import")(crimes_import)
    groups["crimes"].command("sync-alarms")(crimes_sync_alarms)
    groups["crimes"].command("types")(crimes_types)


def crimes_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="CSV: date,lat,lon,type (atau date_single,longitude,"
                                     "latitude dari NYC)"),
    crime_type: str = typer.Option(None, "--type",
                                   help="Jenis kejahatan bila berkas tak punya kolom type"),
    source_tag: str = typer.Option(None, "--source-tag",
                                   help="Awalan id eksternal (bawaan: nama berkas)"),
    timezone: str = typer.Option("Asia/Jakarta", help="Zona waktu untuk waktu tanpa zona"),
) -> None:
    """Import incidents from a CSV; running it again adds nothing already imported."""
    from siaga.crimes.importer import import_csv
    from siaga.db import get_database
    from siaga.errors import DomainError

    try:
        with get_database().session() as session:
            result = import_csv(session, path=file, default_type=crime_type,
                                source_tag=source_tag, timezone=timezone)
    except (DomainError, ValueError) as exc:
        typer.echo(f"Gagal: {getattr(exc, 'message', exc)}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))


def crimes_sync_alarms() -> None:
    """Record the incidents of closed genuine alarms that carry a crime type."""
    from siaga.crimes.service import sync_closed_alarms
    from siaga.db import get_database

    with get_database().session() as session:
        added = sync_closed_alarms(session, limit=100_000)
    typer.echo(json.dumps({"created": added}))


def crimes_types() -> None:
    """List the configured crime types."""
    from siaga.crimes.types import crime_types

    for c in crime_types():
        typer.echo(f"{c.code}\t{c.label}")
