"""`siaga unit add` and `siaga tracking downsample`."""

from __future__ import annotations

from datetime import timedelta

import typer

tracking_group = typer.Typer(help="GPS tracking history.", no_args_is_help=True)


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["unit"].command("add")(unit_add)
    tracking_group.command("downsample")(tracking_downsample)
    app.add_typer(tracking_group, name="tracking")


def unit_add(
    callsign: str = typer.Argument(..., help="Tanda panggil, mis. R4-KLOJEN-2"),
    org: str = typer.Option(None, help="Kode satuan (bawaan: Polres pertama)"),
    tracker_id: str = typer.Option(None, "--tracker-id",
                                   help="Yang dikirim aplikasi GPS sebagai `id` "
                                        "(bawaan: dibuat acak)"),
    kind: str = typer.Option("car", help="car, motorbike, desk atau officer"),
) -> None:
    """Register a patrol unit; prints the tracker id to enter in Traccar Client."""
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.errors import DomainError
    from siaga.orgs.models import Organisation
    from siaga.orgs.service import org_by_code
    from siaga.units.service import create_unit, new_tracker_id

    if tracker_id is None and kind != "desk":
        tracker_id = new_tracker_id()
    try:
        with get_database().session() as session:
            if org:
                organisation = org_by_code(session, code=org)
            else:
                found = session.scalar(select(Organisation).where(Organisation.level == "polres")
                                       .order_by(Organisation.id).limit(1))
                if found is None:
                    typer.echo("Gagal: belum ada Polres; sebutkan --org", err=True)
                    raise typer.Exit(2)
                organisation = found
            unit = create_unit(session, callsign=callsign, org=organisation, kind=kind,
                               tracker_id=tracker_id)
            org_code = organisation.code
    except DomainError as exc:
        typer.echo(f"Gagal: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Unit {unit.callsign} ({kind}) dibuat di {org_code}.")
    if tracker_id:
        typer.echo(f"ID pelacak: {tracker_id}  (Traccar Client: Device identifier; "
                   f"Server URL: http://<server>/gps/osmand)")


def tracking_downsample(
    older_than_days: int = typer.Option(30, "--older-than-days", min=1,
                                        help="Hanya riwayat yang lebih tua dari N hari"),
) -> None:
    """Keep at most one fix per unit per minute in history older than N days."""
    from siaga.audit.service import audit
    from siaga.db import get_database, utcnow
    from siaga.tracking.service import downsample_positions

    cutoff = utcnow() - timedelta(days=older_than_days)
    with get_database().session() as session:
        deleted = downsample_positions(session, older_than=cutoff)
        audit(session, action="tracking.downsample", target=None, actor=None,
              detail={"older_than": cutoff.isoformat(), "deleted": deleted})
    typer.echo(f"Riwayat sebelum {cutoff:%Y-%m-%d %H:%M} UTC dirampingkan: {deleted} titik "
               "dihapus.")
