"""Every benchmark of the project in one run, printed as one table (issue 10, item 2).

    python bench/run_all.py --markdown bench/LATEST.md    # full sizes, for the README (tens of minutes)
    python bench/run_all.py --quick                       # small sizes, a minute or two: does everything run?
    python bench/run_all.py --only training,certificates  # some of them
    python bench/run_all.py --args "sync=--townships 10"  # a bench's own options, after its size options

Each bench script (``bench/<name>.py``, listed in :data:`BENCHES`) runs in a fresh Python process, one after
the other, so that its memory, caches and peak RSS are its own; it measures the program beside its comparison
in the same process (bare SQLite, bare ReportLab, LibreOffice where installed, the naive Qt model) and writes
its rows with ``--json``. This script prints the rows of all of them as one table in the ``_table.py`` format
with a column naming the bench, the lines each script prints about its run (sizes, checks, CPU time), and the
machine: CPUs, memory, the load average before and after, the versions, the total wall time. The last line is
``goals: N met, M missed``.

A bench that fails (an exception, a non-zero exit, a timeout, no rows) or an unknown name given to ``--only``
is one row that says so and counts as a missed goal; the other benches still run. The exit status is 1 when
a bench failed, else 0 (a missed timing goal is in the table, not in the exit status: it depends on the machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shlex
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import HEADER, Row, goals, read_json, table_lines  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Bench:
    what: str  #: one line: what it measures, beside what
    quick: tuple[str, ...]  #: the script's own options for small sizes (``--quick``)


#: Every bench script of ``bench/``, in the order they run (tests/test_bench_run_all.py checks none is missing).
BENCHES: dict[str, Bench] = {
    "seed_scale": Bench("100,000 people and 1,000,000 attendance rows written, beside bare executemany",
                        ("--people", "300", "--attendance", "1200")),
    "staff_list": Bench("the staff list over 100,000 people (real widgets), beside QStandardItemModel and bare SELECT",
                        ("--people", "500")),
    "training": Bench("500 people × 4 sessions: grid saves beside bare executemany, sign-in sheets beside ReportLab",
                      ("--people", "40", "--sessions", "2")),
    "certificates": Bench("1,000 certificates issued and printed, beside bare ReportLab and LibreOffice",
                          ("--count", "20")),
    "sync": Bench("30 township bundles imported at the county, beside bare executemany; one export",
                  ("--townships", "2", "--people", "40", "--attendance", "200", "--export-people", "30")),
    "evaluation": Bench("5,000 people scored and their forms printed, beside bare SQL and bare ReportLab",
                        ("--people", "40")),
    "reports": Bench("the overview and every report of a county, beside plain SQL and a bare canvas loop",
                     ("--small",)),
    "postgres": Bench("on PostgreSQL: 10 township bundles imported beside bare psycopg executemany; 8 clerks "
                      "issuing numbers and correcting people beside one; the overview beside SQLite", ("--quick",)),
}


@dataclass
class Outcome:
    name: str
    rows: list[Row]
    notes: list[str]
    seconds: float
    cpu_seconds: float
    load: float
    ok: bool
    options: list[str] = field(default_factory=list)


def bench_scripts() -> list[str]:
    """The bench scripts in ``bench/`` (not the helpers starting with ``_``, not this one)."""
    return sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_") and p.stem != "run_all")


def failed(name: str, why: str, notes: list[str] | None = None, *, seconds: float = 0.0, cpu_seconds: float = 0.0,
           load: float | None = None) -> Outcome:
    """A bench that did not give its rows: one row saying why, a missed goal."""
    return Outcome(name, [Row(f"FAILED: {why}", None, None, "", "runs to the end", False)], notes or [], seconds,
                   cpu_seconds, os.getloadavg()[0] if load is None else load, False)


def last_error(stderr: str) -> str:
    """The line that says what went wrong: the exception's (the last line of a traceback), shortened."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    if not lines:
        return "no message"
    text = lines[-1]
    return text if len(text) <= 160 else text[:157] + "..."


def run_one(name: str, options: list[str], timeout: float, work: Path) -> Outcome:
    """One bench script in a fresh process (its own session, so a timeout ends its children too)."""
    script = HERE / f"{name}.py"
    if name not in BENCHES or not script.exists():
        return failed(name, f"no bench named {name!r}", [f"the benches: {', '.join(BENCHES)}"])
    out = work / f"{name}.json"
    command = [sys.executable, str(script), *options, "--json", str(out)]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "PYTHONDONTWRITEBYTECODE": "1"}
    load = os.getloadavg()[0]
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the bench and the children it started (a new session: only ours)
        stdout, stderr = child.communicate()
        return failed(name, f"timed out after {timeout:.0f} s", notes_of(stdout),
                      seconds=time.perf_counter() - start, load=load)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
    notes = notes_of(stdout)
    if child.returncode != 0:
        trace = [f"stderr: {line}" for line in stderr.rstrip().splitlines()[-6:]]
        why = f"exit {child.returncode}: {last_error(stderr)}"
        return failed(name, why, notes + trace, seconds=seconds, cpu_seconds=cpu_seconds, load=load)
    if not out.exists():
        return failed(name, "no rows written (--json)", notes, seconds=seconds, cpu_seconds=cpu_seconds, load=load)
    try:
        rows = read_json(out)
    except (ValueError, TypeError, KeyError) as exc:
        return failed(name, f"unreadable rows: {exc}", notes, seconds=seconds, cpu_seconds=cpu_seconds, load=load)
    if not rows:
        return failed(name, "no rows", notes, seconds=seconds, cpu_seconds=cpu_seconds, load=load)
    return Outcome(name, rows, notes, seconds, cpu_seconds, load, True)


def notes_of(stdout: str) -> list[str]:
    """What a script prints besides its table and goals line (sizes, checks, CPU time, load)."""
    return [line.rstrip() for line in stdout.splitlines()
            if line.strip() and not line.startswith("|") and not line.startswith("goals: ")]


def first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout.strip().splitlines() or [""])[0]


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_facts() -> list[str]:
    """What the figures depend on: the CPU, the memory, the versions, the commit."""
    cpu = ""
    memory = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
        memory = f", {kib / 2**20:.1f} GiB memory"
    except (OSError, StopIteration, ValueError):
        pass
    soffice = first_line(["soffice", "--version"]) or "not installed"
    commit = first_line(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"])
    dirty = first_line(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])
    return [
        f"machine: {os.cpu_count()} CPUs{f' ({cpu})' if cpu else ''}{memory}; {platform.platform()}",
        f"versions: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"SQLAlchemy {version('SQLAlchemy')}, ReportLab {version('reportlab')}, PySide6 {version('PySide6')}; "
        f"LibreOffice: {soffice}",
        f"commit: {commit or 'unknown'}{' (with uncommitted changes)' if dirty else ''}",
    ]


def table(outcomes: list[Outcome]) -> tuple[list[str], int, int]:
    rows = [(o.name, r) for o in outcomes for r in o.rows]
    lines = table_lines(("bench", *HEADER), [(name, *r.cells()) for name, r in rows])
    met, missed = goals([r for _n, r in rows])
    return lines, met, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (each script's own small options)")
    parser.add_argument("--only", metavar="NAME,...", help=f"only these benches, in this order ({', '.join(BENCHES)})")
    parser.add_argument("--args", metavar="NAME=OPTIONS", action="append", default=[],
                        help="more options for one bench, after its size options (may be repeated)")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="also write the table and the facts as Markdown")
    parser.add_argument("--timeout", type=float, default=3 * 3600, metavar="SECONDS",
                        help="a bench running longer is stopped and counted as failed (default 3 h)")
    parser.add_argument("--list", action="store_true", help="list the benches and exit")
    args = parser.parse_args(argv)

    if args.list:
        for name, bench in BENCHES.items():
            print(f"{name:13} {bench.what}")
        return 0
    names = [n.strip() for n in args.only.split(",") if n.strip()] if args.only else list(BENCHES)
    if not names:
        parser.error("--only: no bench named")
    extra: dict[str, list[str]] = {}
    for item in args.args:
        name, sep, options = item.partition("=")
        if not sep:
            parser.error(f"--args {item!r}: expected NAME=OPTIONS, e.g. --args 'sync=--townships 10'")
        if name.strip() not in BENCHES:
            parser.error(f"--args {item!r}: no bench named {name.strip()!r} (see --list)")
        extra.setdefault(name.strip(), []).extend(shlex.split(options))
    unregistered = [n for n in bench_scripts() if n not in BENCHES]

    started = dt.datetime.now(dt.UTC)
    facts = machine_facts()
    load_before = os.getloadavg()
    size = "quick (small sizes)" if args.quick else "full sizes"
    print(f"run_all: {len(names)} benches, {size}, started {started:%Y-%m-%d %H:%M} UTC", flush=True)
    for line in facts:
        print(line)
    print("load average before: " + " ".join(f"{x:.2f}" for x in load_before), flush=True)

    outcomes: list[Outcome] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="run_all-") as tmp:
        for n, name in enumerate(names, start=1):
            bench = BENCHES.get(name)
            options = [*(bench.quick if bench and args.quick else ()), *extra.get(name, [])]
            print(f"\n[{n}/{len(names)}] {name} {shlex.join(options)}".rstrip(), flush=True)
            outcome = replace(run_one(name, options, args.timeout, Path(tmp)), options=options)
            outcomes.append(outcome)
            for note in outcome.notes:
                print(f"  {note}")
            state = "ok" if outcome.ok else outcome.rows[0].figure
            print(f"  -> {state}; {outcome.seconds:.1f} s wall, {outcome.cpu_seconds:.1f} s CPU, "
                  f"load average {outcome.load:.2f} at the start", flush=True)
    total = time.perf_counter() - start
    load_after = os.getloadavg()

    lines, met, missed = table(outcomes)
    tail = [f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}; total wall time {total:.0f} s "
            f"({total / 60:.1f} min)"]
    busiest = max([load_before[0], *(o.load for o in outcomes)])
    if busiest >= 0.5 * (os.cpu_count() or 1):
        tail.append(f"the machine was not idle: load average up to {busiest:.2f} at a bench's start on "
                    f"{os.cpu_count()} CPUs; wall times are stretched (compare each bench's CPU time above)")
    if args.quick:
        tail.append("quick: small sizes, to see that everything runs; the goals are set for the full sizes "
                    "(at small sizes fixed costs dominate the ratios)")
    if unregistered:
        tail.append(f"not run (bench scripts not listed in run_all.BENCHES): {', '.join(unregistered)}")
    print()
    for line in lines:
        print(line)
    for line in tail:
        print(line)
    print(f"goals: {met} met, {missed} missed")

    if args.markdown:
        command = shlex.join(["python", "bench/run_all.py", *(sys.argv[1:] if argv is None else argv)])
        args.markdown.write_text("\n".join(markdown(outcomes, facts, lines, tail, started, load_before, command,
                                                    met, missed)) + "\n", encoding="utf-8")
    return 0 if all(o.ok for o in outcomes) else 1


def markdown(outcomes: list[Outcome], facts: list[str], lines: list[str], tail: list[str], started: dt.datetime,
             load_before: tuple[float, float, float], command: str, met: int, missed: int) -> list[str]:
    out = [f"`{command}`, {started:%Y-%m-%d %H:%M} UTC:", ""]
    out += [f"- {fact}" for fact in facts]
    out += [f"- load average before: {' '.join(f'{x:.2f}' for x in load_before)}"]
    out += [f"- {line}" for line in tail]
    out += ["", *lines, "", f"goals: {met} met, {missed} missed", ""]
    for o in outcomes:
        run = shlex.join(["python", f"bench/{o.name}.py", *o.options])
        out.append(f"- **{o.name}** (`{run}`): {o.seconds:.1f} s wall, {o.cpu_seconds:.1f} s CPU, load average "
                   f"{o.load:.2f} at the start")
        out += [f"  - {note.strip()}" for note in o.notes]
    return out


if __name__ == "__main__":
    raise SystemExit(main())
