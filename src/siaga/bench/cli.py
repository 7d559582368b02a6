"""`siaga bench ...`: load benchmarks against a running server."""

from __future__ import annotations

import asyncio
import json

import typer


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["bench"].command("alarms")(bench_alarms)


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
