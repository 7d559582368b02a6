"""`siaga unit add` through the command line."""

from __future__ import annotations

import uuid
from typing import Any

import typer
from sqlalchemy import select
from typer.testing import CliRunner


def _cli() -> typer.Typer:
    from siaga.cli import units

    app = typer.Typer()
    groups = {"unit": typer.Typer()}
    app.add_typer(groups["unit"], name="unit")
    units.register(app, groups)
    return app


def _unit(callsign: str) -> Any:
    from siaga.db import get_database
    from siaga.units.models import Unit

    with get_database().session() as session:
        return session.scalar(select(Unit).where(Unit.callsign == callsign))


def test_unit_add_is_registered_in_the_siaga_command() -> None:
    from siaga.cli.main import COMMAND_MODULES

    assert "siaga.cli.units" in COMMAND_MODULES


def test_unit_add_with_org_and_tracker_id(siaga_env: dict[str, str]) -> None:
    callsign = f"R4-CLI-{uuid.uuid4().hex[:6]}".upper()
    tracker = f"cli-{uuid.uuid4().hex[:8]}"
    result = CliRunner().invoke(_cli(), ["unit", "add", callsign, "--org", "polsek-sukun",
                                         "--tracker-id", tracker, "--kind", "motorbike"])
    assert result.exit_code == 0, result.output
    assert tracker in result.output
    unit = _unit(callsign)
    assert (unit.tracker_id, unit.kind, unit.status) == (tracker, "motorbike", "available")
    assert unit.org_path.endswith("/polsek-sukun/")
    again = CliRunner().invoke(_cli(), ["unit", "add", callsign, "--org", "polsek-sukun"])
    assert again.exit_code == 2 and "sudah dipakai" in again.output


def test_unit_add_defaults_org_and_makes_a_tracker_id(siaga_env: dict[str, str]) -> None:
    callsign = f"R4-CLI-{uuid.uuid4().hex[:6]}".upper()
    result = CliRunner().invoke(_cli(), ["unit", "add", callsign])
    assert result.exit_code == 0, result.output
    unit = _unit(callsign)
    assert unit.org_path.count("/") == 3  # a Polres
    assert unit.tracker_id and len(unit.tracker_id) == 32 and unit.tracker_id in result.output


def test_unit_add_refuses_unknown_org_and_kind(siaga_env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(_cli(), ["unit", "add", "X-9", "--org", "polsek-atlantis"]
                         ).exit_code == 2
    assert runner.invoke(_cli(), ["unit", "add", "X-9", "--kind", "helicopter"]).exit_code == 2
