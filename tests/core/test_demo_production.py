"""The demo's published password must never reach a live deployment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect


def test_demo_load_refused_in_production(tmp_path: Path) -> None:
    db = tmp_path / "prod.db"
    env = {**os.environ, "SIAGA_ENV": "production", "SIAGA_SECRET_KEY": "x" * 48,
           "SIAGA_DATA_DIR": str(tmp_path), "SIAGA_DATABASE_URL": f"sqlite:///{db}"}
    result = subprocess.run([sys.executable, "-m", "siaga.cli.main", "demo", "load"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "SIAGA_ENV=production" in result.stderr
    # Nothing was written: no tables, no demo users.
    assert not db.exists() or not inspect(create_engine(f"sqlite:///{db}")).get_table_names()
