"""`siaga bench ...`: load benchmarks against a running server."""

from __future__ import annotations

import asyncio
import json

import typer


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["bench"].command("alarms")(bench_alarms)
    from siaga.bench.load import bench_load

    groups["bench"].command("load")(bench_load)
    groups["bench"].command("gps")(bench_gps)
    from siaga.bench.locate import bench_locate

    groups["bench"].command("locate")(bench_locate)


def bench_alarms(
    url: str = typer.Option("http://127.0.0.1:8000"),
    n: int = typer.Option(1000, min=1),
    concurrency: int = typer.Option(50, min=1),
    user: str = typer.Option("operator", help="Staff log-in whose WebSocket listens"),
    password: str = typer.Option("siaga-demo-2026"),
    devices: int = typer.Option(0, help="Registered devices (bawaan: sama dengan n)"),
) -> None:
    """Post N alarms while a staff WebSocket listens; prints one JSON object."""
    from siaga.bench.alarms import run_alarm_bench

    result = asyncio.run(run_alarm_bench(url=url, n=n, concurrency=concurrency, user=user,
                                         password=password, devices=devices or n))
    typer.echo(json.dumps(result))


def bench_gps(
    url: str = typer.Option("http://127.0.0.1:8000"),
    n: int = typer.Option(10000, min=1),
    concurrency: int = typer.Option(32, min=1),
    user: str = typer.Option("admin", help="Log-in that lists (and if needed adds) units"),
    password: str = typer.Option("siaga-demo-2026"),
    units: int = typer.Option(0, help="Units to spread fixes over (bawaan: n/60, minimal 100)"),
    org: str = typer.Option(None, help="Satuan for BENCH-GPS-* units added when too few"),
) -> None:
    """Post N OsmAnd fixes for registered units; prints one JSON object."""
    from siaga.bench.gps import run_gps_bench

    result = asyncio.run(run_gps_bench(url=url, n=n, concurrency=concurrency, user=user,
                                       password=password, units=units, org=org))
    typer.echo(json.dumps(result))
