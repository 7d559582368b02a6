"""`siaga demo load`."""

from __future__ import annotations

import typer


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["demo"].command("load")(demo_load)


def demo_load(
    activity: bool = typer.Option(
        True, "--activity/--without-activity",
        help="Also play a year of activity through the services (about 1.5 min of CPU)"),
) -> None:
    """Load the demo tenants, their staff and log-ins (safe to run again)."""
    from siaga.config import get_settings

    if get_settings().env == "production":
        # The demo's log-ins share one published password: never in a live deployment.
        typer.echo("Data demo tidak boleh dimuat saat SIAGA_ENV=production: semua akun demo "
                   "memakai kata sandi yang diumumkan.", err=True)
        raise typer.Exit(code=2)
    from siaga.db import get_database
    from siaga.demo.load import DEMO_PASSWORD, load_demo

    with get_database().session() as session:
        summary = load_demo(session, activity=activity)
    typer.echo(f"Demo dimuat: {summary.kelurahan} kelurahan/desa, {summary.schools} sekolah baru.")
    typer.echo(f"Log-in demo (kata sandi untuk semua: {DEMO_PASSWORD}):")
    for username, role, org in summary.users:
        if not username.startswith("bhabin."):
            typer.echo(f"  {username:<26} {role:<9} {org}")
    bhabins = [u for u, _, _ in summary.users if u.startswith("bhabin.")]
    if bhabins:
        typer.echo(f"  {len(bhabins)} Bhabinkamtibmas: {bhabins[0]}, {bhabins[1]}, ... (petugas)")
    if summary.activity is not None:
        from siaga.demo.activity.report import activity_lines

        for line in activity_lines(summary.activity):
            typer.echo(line)
