"""`siaga org add-polres`: a Polres over an imported kabupaten/kota."""

from __future__ import annotations

import json
from pathlib import Path

import typer

org_group = typer.Typer(help="Police organisations (Polda, Polres, Polsek).", no_args_is_help=True)


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    org_group.command("add-polres")(add_polres)
    app.add_typer(org_group, name="org")


def add_polres(
    code: str = typer.Option(..., help="Kode Polres, mis. polres-batu"),
    name: str = typer.Option(..., help="Nama, mis. Polres Batu"),
    kabkota: str = typer.Option(..., help="Kode Kemendagri kabupaten/kota yang sudah diimpor"),
    polda_code: str = typer.Option(..., help="Kode Polda (dibuat bila belum ada)"),
    polda_name: str = typer.Option(..., help="Nama Polda"),
    polsek_map: Path = typer.Option(None, help="CSV kecamatan_code,polsek_code,polsek_name "
                                               "(bawaan: satu Polsek per kecamatan)"),
) -> None:
    """Create a Polres with its Polsek; prints the Polsek and their kecamatan as JSON."""
    from siaga.db import get_database
    from siaga.errors import DomainError
    from siaga.orgs.onboarding import add_polres as create
    from siaga.orgs.onboarding import parse_polsek_map

    try:
        groups = None
        if polsek_map is not None:
            try:
                text = polsek_map.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                typer.echo(f"Gagal: peta Polsek {polsek_map} tidak bisa dibaca: {exc}", err=True)
                raise typer.Exit(2) from exc
            groups = parse_polsek_map(text)
        with get_database().session() as session:
            result = create(session, code=code, name=name, kabkota_code=kabkota,
                            polda_code=polda_code, polda_name=polda_name, polsek_map=groups)
    except DomainError as exc:
        typer.echo(f"Gagal: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(json.dumps(result.as_json()))
