"""The `siaga mediaintel` and `siaga eval` commands of the intel domain, for CliRunner tests."""

from __future__ import annotations

import typer


def intel_cli() -> typer.Typer:
    """A Typer app with only the intel domain's commands registered."""
    from siaga.cli import intel

    app = typer.Typer()
    groups = {"mediaintel": typer.Typer(), "eval": typer.Typer()}
    app.add_typer(groups["mediaintel"], name="mediaintel")
    app.add_typer(groups["eval"], name="eval")
    intel.register(app, groups)
    return app
