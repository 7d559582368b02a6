"""Core commands: serve, migrations, staff accounts."""

from __future__ import annotations

import sys

import typer

from siaga.config import get_settings


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    app.command("serve")(serve)
    groups["db"].command("upgrade")(db_upgrade)
    groups["db"].command("revision")(db_revision)
    groups["user"].command("add")(user_add)
    app.command("user-add", hidden=True)(user_add)


def serve(
    host: str = typer.Option(None, help="Alamat yang didengarkan"),
    port: int = typer.Option(None, help="Port (bawaan SIAGA_PORT atau 8000)"),
    workers: int = typer.Option(1, help="Jumlah proses pekerja"),
    access_log: bool = typer.Option(
        False, help="Catat setiap permintaan (nginx di depan biasanya sudah mencatatnya)"),
) -> None:
    """Run the web server."""
    import uvicorn
    from pydantic import ValidationError

    try:
        settings = get_settings()
    except ValidationError as exc:
        problems = "; ".join(str(e.get("msg", "")) for e in exc.errors())
        typer.echo(f"Server tidak dijalankan: pengaturan tidak aman atau salah ({problems}).",
                   err=True)
        raise typer.Exit(2) from exc
    if workers > 1:
        from siaga.ops.metrics import prepare_multiprocess

        prepare_multiprocess(settings.data_dir)
    if workers > 1 and settings.is_sqlite:
        typer.echo("Peringatan: beberapa pekerja dengan SQLite; gunakan PostgreSQL untuk produksi.",
                   err=True)
    if workers > 1 and not settings.redis_url:
        typer.echo("SIAGA_REDIS_URL wajib diisi bila --workers > 1 (agar peristiwa sampai ke "
                   "semua layar).", err=True)
        raise typer.Exit(2)
    uvicorn.run("siaga.asgi:app", host=host or settings.host, port=port or settings.port,
                workers=workers, log_level="info", access_log=access_log, ws_ping_interval=20,
                proxy_headers=True,
                # Events are small JSON; compressing each one costs more CPU than it saves.
                ws_per_message_deflate=False)


def db_upgrade() -> None:
    """Apply all migrations."""
    from siaga.db import get_database
    from siaga.migrate import upgrade

    upgrade(get_database().engine)
    typer.echo("Basis data mutakhir.")


def db_revision(message: str = typer.Argument(...),
                head: str = typer.Option("head", help="Cabang induk (mis. 0001_foundation)")
                ) -> None:
    """Write a new migration from model changes (for developers)."""
    from siaga.db import get_database
    from siaga.migrate import autogenerate

    autogenerate(get_database().engine, message, head=head)


def user_add(
    username: str = typer.Argument(...),
    role: str = typer.Option(..., help="operator, petugas, analis, pimpinan atau admin"),
    org: str = typer.Option(None, help="Kode satuan, mis. polres-malang-kota"),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Baca kata sandi dari masukan standar"),
    full_name: str = typer.Option("", help="Nama lengkap"),
) -> None:
    """Add a staff account."""
    from siaga.auth.service import create_user
    from siaga.db import get_database
    from siaga.errors import DomainError
    from siaga.orgs.service import org_by_code

    if role != "admin" and not org:
        typer.echo(f"Gagal: peran {role} wajib punya satuan (--org KODE); hanya admin boleh "
                   "tanpa satuan.", err=True)
        raise typer.Exit(2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Kata sandi", hide_input=True, confirmation_prompt=True)
    try:
        with get_database().session() as session:
            organisation = org_by_code(session, code=org) if org else None
            create_user(session, username=username, password=password, role=role,
                        org=organisation, full_name=full_name)
    except DomainError as exc:
        typer.echo(f"Gagal: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Pengguna {username} ({role}) dibuat.")
