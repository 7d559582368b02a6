"""Community-policing commands: the weekly anev report."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

import typer


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["report"].command("anev")(report_anev)


def report_anev(
    org: str = typer.Option(..., help="Kode satuan, mis. polres-malang-kota"),
    week: str = typer.Option(None, help="Minggu ISO, mis. 2026-W47 (bawaan: minggu lalu)"),
    format: str = typer.Option("json", "--format", help="json, csv atau pdf"),
    out: Path = typer.Option(None, "--out", help="Berkas tujuan (bawaan: keluaran standar)"),
) -> None:
    """Weekly anev report for Satbinmas: visits, coverage gaps, follow-ups, alarms."""
    from siaga.db import get_database, utcnow
    from siaga.errors import DomainError
    from siaga.orgs.service import org_by_code
    from siaga.visits.anev import anev_csv, anev_report
    from siaga.visits.anev_pdf import anev_pdf
    from siaga.visits.periods import iso_week_of

    if format not in ("json", "csv", "pdf"):
        typer.echo("Gagal: --format harus json, csv atau pdf", err=True)
        raise typer.Exit(2)
    label = week or iso_week_of(utcnow() - timedelta(days=7))
    try:
        with get_database().session() as session:
            report = anev_report(session, org=org_by_code(session, code=org), week=label)
    except DomainError as exc:
        typer.echo(f"Gagal: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    if format == "pdf":
        data = anev_pdf(report)
    elif format == "csv":
        data = anev_csv(report).encode("utf-8")
    else:
        data = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        out.write_bytes(data)
        typer.echo(f"Laporan anev {org} {label} ditulis ke {out}", err=True)
