"""bench/sync.py keeps working (issue 6, item 11): a tiny run enrols the townships, exports their bundles,
imports them at the county beside bare executemany, and prints the table and the goals line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_sync_bench_runs_small() -> None:
    result = subprocess.run([sys.executable, str(BENCH / "sync.py"), "--townships", "2", "--people", "40",
                             "--attendance", "200", "--export-people", "30"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = out.strip().splitlines()
    assert "sync: 2 townships, 40 people, 200 attendance" in out
    # every bundle applied; the rows the import added are exactly the rows bare executemany inserted
    found = re.search(r"import: 2/2 bundles applied, ([\d,]+) records \(new ([\d,]*\d)[^)]*\); "
                      r"bare inserted ([\d,]+) rows", out)
    assert found, out
    assert found.group(2) == found.group(3) and int(found.group(3).replace(",", "")) >= 40 + 200
    assert "| figure" in out
    for figure in ("county imports 2 bundles (vs. bare executemany)", "import rate (vs. bare)", "import peak RSS",
                   "export of one township with 30 people"):
        assert figure in out, figure
    assert re.fullmatch(r"goals: \d+ met, \d+ missed", lines[-1]), lines[-1]
