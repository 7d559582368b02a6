"""PostgreSQL settings without which a committed (answered) alarm can be lost, checked at start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from siaga.db import get_database

log = logging.getLogger(__name__)
# Each must read `on`: with synchronous_commit off a commit is answered before it reaches the
# disk; with fsync off nothing is ever forced to it.
REQUIRED_ON = ("synchronous_commit", "fsync")


def durability_warnings(values: Mapping[str, str]) -> list[str]:
    """One warning per required setting that is not `on` (values as SHOW reports them)."""
    return [
        f"PostgreSQL {name}={values.get(name, '?')}: answered alarms can be lost in a crash "
        f"or power cut; set {name}=on (see docs/OPERATIONS.md)"
        for name in REQUIRED_ON if values.get(name, "").strip().lower() != "on"
    ]


def read_durability_settings(engine: Engine) -> dict[str, str]:
    """The server's current values of the required settings."""
    with engine.connect() as conn:
        return {name: str(conn.execute(text(f"SHOW {name}")).scalar_one())
                for name in REQUIRED_ON}


def check_durability(engine: Engine) -> list[str]:
    """Log (and return) a warning for each required PostgreSQL setting that is off."""
    if engine.dialect.name != "postgresql":
        return []
    try:
        values = read_durability_settings(engine)
    except SQLAlchemyError as exc:
        log.warning("could not read PostgreSQL durability settings: %s", exc)
        return []
    problems = durability_warnings(values)
    for problem in problems:
        log.warning(problem)
    return problems


async def check_durability_at_startup(_app: Any) -> None:
    """Start-up hook: the check runs in a thread, off the event loop."""
    await asyncio.to_thread(check_durability, get_database().engine)
