"""`siaga report monthly`: the leadership report of one organisation for one month."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["report"].command("monthly")(report_monthly)


def report_monthly(
    org: str = typer.Option(..., "--org", help="Kode satuan, mis. polres-tegal"),
    month: str = typer.Option(..., "--month", help="Bulan YYYY-MM, mis. 2026-11"),
    format: str = typer.Option("json", "--format", help="json, csv atau pdf"),
    out: Path = typer.Option(None, "--out", help="Berkas keluaran (bawaan: layar; PDF wajib)"),
) -> None:
    """Monthly scorecard report: KPIs, response times, Polsek drill-down, initiatives."""
    from siaga.db import get_database
    from siaga.errors import DomainError
    from siaga.orgs.service import org_by_code
    from siaga.scorecard.periods import parse_month
    from siaga.scorecard.report import FORMATS, monthly_report, report_csv, report_pdf

    if format not in FORMATS:
        typer.echo("--format harus json, csv atau pdf", err=True)
        raise typer.Exit(2)
    if format == "pdf" and out is None:
        typer.echo("PDF butuh --out BERKAS", err=True)
        raise typer.Exit(2)
    try:
        with get_database().session() as session:
            organisation = org_by_code(session, code=org)
            data = monthly_report(session, org=organisation, period=parse_month(month))
    except DomainError as exc:
        typer.echo(f"Gagal: {exc.message}", err=True)
        raise typer.Exit(1) from None
    if format == "pdf":
        payload: bytes = report_pdf(data)
    elif format == "csv":
        payload = report_csv(data).encode()
    else:
        payload = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
    if out is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        out.write_bytes(payload)
        typer.echo(f"Laporan ditulis ke {out}", err=True)
