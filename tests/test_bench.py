"""The bench scripts keep working: a tiny run prints the table and the goals line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_seed_scale_runs_small() -> None:
    result = subprocess.run([sys.executable, str(BENCH / "seed_scale.py"), "--people", "300", "--attendance", "1200"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "| figure" in result.stdout and "total write time" in result.stdout
    assert lines[-1].startswith("goals: ")
