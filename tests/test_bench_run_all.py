"""bench/run_all.py (issue 10 item 2): every bench in one run, one table with a bench column, the goals line;
a bench that fails, or a name that is no bench, is a row that says so and counts as missed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
COLUMNS = ["bench", "figure", "measured", "comparison", "ratio", "goal", "met"]


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """seed_scale at small size (runs), training with no sessions (its sign-in sheets raise a ValidationError)
    and a name that is no bench."""
    markdown = tmp_path_factory.mktemp("run_all") / "LATEST.md"
    result = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--quick",
                             "--only", "seed_scale,training,no_such_bench", "--args", "training=--sessions 0",
                             "--markdown", str(markdown)],
                            capture_output=True, text=True, timeout=300)
    return result, markdown


def test_one_table_with_the_bench_column_and_the_goals_line(quick_run) -> None:
    result, _ = quick_run
    out = result.stdout
    assert result.returncode == 1, (out, result.stderr)  # a bench failed
    lines = out.strip().splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert cells(table[0]) == COLUMNS
    assert re.fullmatch(r"\|(-+\|){7}", table[1])
    body = [cells(line) for line in table[2:]]
    assert all(len(row) == 7 for row in body)
    assert [row[0] for row in body].count("seed_scale") == 5
    total = next(row for row in body if row[:2] == ["seed_scale", "total write time"])
    assert re.fullmatch(r"\d+\.\d\d s", total[2]) and re.fullmatch(r"\d+\.\d\d s", total[3])
    assert re.fullmatch(r"\d+\.\d\d×", total[4]) and total[5] == "≤ 2.00× bare" and total[6] in ("yes", "NO")
    # the last line counts the table's own yes and NO
    found = re.fullmatch(r"goals: (\d+) met, (\d+) missed", lines[-1])
    assert found, lines[-1]
    met, missed = int(found.group(1)), int(found.group(2))
    assert met == sum(row[6] == "yes" for row in body) and missed == sum(row[6] == "NO" for row in body)
    assert met >= 1 and missed >= 2
    # the machine and the run
    for fact in ("CPUs", "load average before:", "load average after:", "total wall time", "SQLite 3.",
                 "ReportLab ", "Python 3."):
        assert fact in out, fact
    # what seed_scale printed besides its table is kept
    assert "rows/s ours" in out


def test_failing_and_unknown_benches_are_missed_rows(quick_run) -> None:
    result, _ = quick_run
    body = [cells(line) for line in result.stdout.splitlines()[2:] if line.startswith("| ")]
    training = [row for row in body if row[0] == "training"]
    assert len(training) == 1, training
    assert training[0][1].startswith("FAILED: exit 1: ") and "ValidationError" in training[0][1]
    assert training[0][2:] == ["-", "-", "-", "runs to the end", "NO"]
    assert "stderr: " in result.stdout and "还没有课次" in result.stdout  # the end of the traceback, in the notes
    unknown = [row for row in body if row[0] == "no_such_bench"]
    assert len(unknown) == 1 and unknown[0][1] == "FAILED: no bench named 'no_such_bench'" and unknown[0][6] == "NO"


def test_markdown_holds_the_same_table(quick_run) -> None:
    result, markdown = quick_run
    text = markdown.read_text(encoding="utf-8")
    table = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert "\n".join(table) in text
    assert result.stdout.strip().splitlines()[-1] in text
    assert "python bench/run_all.py --quick --only seed_scale,training,no_such_bench" in text
    assert "- **seed_scale** (`python bench/seed_scale.py --people 300 --attendance 1200`)" in text
    assert "load average before" in text and "SQLite 3." in text


def test_every_bench_script_is_run() -> None:
    """A new bench/<name>.py must be listed in run_all.BENCHES (with its small sizes for --quick)."""
    result = subprocess.run([sys.executable, str(BENCH / "run_all.py"), "--list"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    listed = sorted(line.split()[0] for line in result.stdout.splitlines())
    scripts = sorted(p.stem for p in BENCH.glob("*.py") if not p.stem.startswith("_") and p.stem != "run_all")
    assert listed == scripts
