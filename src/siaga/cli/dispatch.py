"""`siaga simulate` and `siaga bench recommend`: dispatch policies and recommendation speed."""

from __future__ import annotations

import json

import typer


# Lazy by design: each command imports its domain inside its function, so `siaga --help`
# and the other commands start without loading the whole application.
def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    app.command("simulate")(simulate)
    groups["bench"].command("recommend")(bench_recommend)


def simulate(
    org: str = typer.Option("polres-malang-kota", help="Kode Polres yang disimulasikan"),
    hours: float = typer.Option(24.0, min=0.01, help="Lama simulasi (jam)"),
    policy: str = typer.Option("nearest", help="nearest (ETA terdekat) atau polsek (piket "
                                               "Polsek kelurahan)"),
    seed: int = typer.Option(1, help="Benih acak (hasil dapat diulang)"),
    rate: float = typer.Option(4.0, min=0.01, help="Rata-rata alarm per jam (Poisson)"),
) -> None:
    """Simulate alarms and units on a scratch copy of the database; prints one JSON object."""
    from siaga.dispatch.simulate import run_simulation

    if policy not in ("nearest", "polsek"):
        typer.echo("--policy harus nearest atau polsek", err=True)
        raise typer.Exit(2)
    result = run_simulation(org_code=org, hours=hours, policy=policy, seed=seed,
                            rate_per_hour=rate)
    typer.echo(json.dumps(result))


def bench_recommend(
    units: int = typer.Option(500, min=1, help="Jumlah unit sintetis"),
    n: int = typer.Option(300, min=1, help="Jumlah rekomendasi yang diukur"),
    seed: int = typer.Option(1),
) -> None:
    """Time recommend_units over synthetic units in a scratch database; prints p50/p99 ms."""
    from siaga.dispatch.bench import run_recommend_bench

    typer.echo(json.dumps(run_recommend_bench(units=units, n=n, seed=seed)))
