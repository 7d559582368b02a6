"""The `siaga` command line: each domain adds its commands to the groups defined here."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(help="Siaga: pusat komando Polres/Polsek.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
GROUPS: dict[str, typer.Typer] = {
    name: typer.Typer(help=help_text, no_args_is_help=True)
    for name, help_text in {
        "db": "Database migrations.",
        "demo": "Demo tenants: Polres Malang Kota and Polres Tegal.",
        "user": "Staff accounts.",
        "unit": "Patrol units.",
        "eval": "Evaluation of models against labelled data.",
        "bench": "Load benchmarks against a running server.",
        "mediaintel": "Media intelligence on social-media posts.",
        "crimes": "The crime register.",
        "report": "Reports for leadership.",
        "regions": "Administrative regions and village boundaries.",
    }.items()
}
for _name, _group in GROUPS.items():
    app.add_typer(_group, name=_name)

# Each module exposes register(app, groups); listing them here keeps start-up imports light.
COMMAND_MODULES = [
    "siaga.cli.core",
    "siaga.cli.demo",
    "siaga.cli.evaluate",
    "siaga.bench.cli",
    "siaga.cli.ops",
    "siaga.cli.units",
    "siaga.cli.dispatch",
    "siaga.cli.visits",
    "siaga.cli.scorecard",
    "siaga.cli.intel",
    "siaga.cli.crimes",
    "siaga.cli.regions",
    "siaga.cli.orgs",
]


def _register() -> None:
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(app, GROUPS)


def main() -> None:
    """Entry point of the `siaga` executable."""
    _register()
    app()


if __name__ == "__main__":
    main()
