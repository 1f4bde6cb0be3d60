"""bench/reports.py keeps working (issue 8: the overview and the reports): a small run seeds its county,
prints the table, agrees with the plain-SQL figures, and ends with the goals line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_reports_bench_runs_small() -> None:
    result = subprocess.run([sys.executable, str(BENCH / "reports.py"), "--small"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = out.strip().splitlines()
    assert "| figure" in out
    assert "reports: 15 sites, 200 people" in out
    assert "figures differing from the bare SQL: 0 of 8" in out
    for figure in ("overview, county + 3 townships (vs. plain SQL, county only)", "overview, one township",
                   "behind() of the 8 figures"):
        assert figure in out, figure
    assert re.search(r"overview \(county\): sites_staffed \d+/\d+; managers_certified \d+/\d+", out)
    assert re.match(r"goals: \d+ met, \d+ missed$", lines[-1])
