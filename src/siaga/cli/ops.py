"""Operations commands: `siaga backup` and `siaga restore` (SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import typer


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    out: Path = typer.Option(None, "--out", help="Berkas tujuan (bawaan: var/backups/...)"),
) -> None:
    """Back up the SQLite database while the server runs; prints one JSON object."""
    from siaga.config import get_settings
    from siaga.errors import DomainError
    from siaga.ops.backup import backup_sqlite

    try:
        result = backup_sqlite(get_settings(), out=out)
    except DomainError as exc:
        typer.echo(f"Gagal: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps({"backup": str(result.path), "bytes": result.bytes,
                           "tables": result.tables}))


def restore(
    file: Path = typer.Argument(..., help="Berkas cadangan dari `siaga backup`"),
    force: bool = typer.Option(False, "--force", help="Timpa basis data yang ada"),
) -> None:
    """Restore the SQLite database from a backup (stop the server first)."""
    from siaga.config import get_settings
    from siaga.errors import DomainError
    from siaga.ops.backup import restore_sqlite

    try:
        result = restore_sqlite(get_settings(), backup=file, force=force)
    except DomainError as exc:
        typer.echo(f"Gagal: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps({"restored": str(result.path), "bytes": result.bytes,
                           "tables": result.tables}))
