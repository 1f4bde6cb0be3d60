"""bench/evaluation.py keeps working (R14 scoring and the yearly evaluation forms): a tiny run prints the
table, checks its totals against the bare GROUP BY, and ends with the goals line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_evaluation_runs_small() -> None:
    result = subprocess.run([sys.executable, str(BENCH / "evaluation.py"), "--people", "40"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = out.strip().splitlines()
    assert "| figure" in out
    for figure in ("first scoring: 60 evaluations created", "scoring 40 people again, all items",
                   "forms: load_batch of 40", "forms: 40 pages, data + PDF (vs. bare ReportLab)"):
        assert figure in out, figure
    assert "evaluation: 40 people, 60 evaluations (with the sites)" in out  # 40 managers + 20 village sites
    assert "totals differing from the bare query: 0 of 60" in out
    assert "forms: 40 pages" in out
    assert re.match(r"goals: \d+ met, \d+ missed$", lines[-1])
