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


def test_training_runs_small() -> None:
    result = subprocess.run([sys.executable, str(BENCH / "training.py"), "--people", "40", "--sessions", "2"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "| figure" in result.stdout
    for figure in ("first save", "update save", "sign-in sheets, 2 sessions × 40"):
        assert figure in result.stdout, figure
    assert "first save wrote 80 attendance + 40 enrolments" in result.stdout
    assert lines[-1].startswith("goals: ")


def test_certificates_runs_small() -> None:
    result = subprocess.run([sys.executable, str(BENCH / "certificates.py"), "--count", "20", "--no-libreoffice"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    for figure in ("issue 20 (number, sign, freeze, hash)", "print 20 into one PDF vs bare canvas",
                   "print 20 vs LibreOffice (not installed or skipped)"):
        assert figure in result.stdout, figure
    assert lines[-1].startswith("goals: ")
