"""Run a fuzz target for a number of inputs and tally the outcomes (``scripts/fuzz.py`` and the tests).

Hypothesis draws one 64-bit seed per input (``st.integers``), reproducibly from ``--seed``; the target builds its
mutated input from a ``random.Random`` of that seed, so that any input can be made again with ``--replay``. The
run never stops at the first failure: every outcome is counted, the bad ones are kept on disk.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from . import bundle_target, excel_target
from .oracle import BAD, Outcome, Tally, cache_migration_scripts, run_guarded

TARGETS: dict[str, ModuleType] = {"bundle": bundle_target, "excel": excel_target}
DEFAULT_LIMIT = 5.0  #: CPU seconds per input ("a few seconds"); a county import of a small bundle takes ~0.2


class Target:
    """A prepared target: its world (databases, the real input), the slot restored before every input."""

    def __init__(self, name: str, base: Path) -> None:
        self.name = name
        self.module = TARGETS[name]
        cache_migration_scripts()
        self.world = self.module.prepare(base / name)
        self.slot = self.module.make_slot(self.world, base / name / "work")

    def one(self, input_seed: int, *, limit: float, dry_run: bool = False) -> tuple[Outcome, bytes, str]:
        # the input under way, for a hang the alarm cannot interrupt (C code): kill the run and --replay it
        (self.slot.work.parent / "current-input.txt").write_text(f"{input_seed}\n", encoding="utf-8")
        rng = random.Random(input_seed)
        data, name, steps = self.module.make_input(rng, self.world)
        outcome = run_guarded(lambda: self.module.judge(self.slot, data, name, dry_run=dry_run), limit=limit,
                              steps=[f"seed:{input_seed}", *steps])
        return outcome, data, name

    def close(self) -> None:
        self.slot.close()


def run(target: Target, count: int, seed: int, *, limit: float = DEFAULT_LIMIT, keep: Path | None = None,
        report: Callable[[Tally], None] | None = None, dry_run: bool = False, minutes: float | None = None) -> Tally:
    """*count* inputs through *target*; returns the tally. Bad inputs are written to *keep* when given.
    *dry_run*: only the checks and the preview (nothing is imported; the database must stay unchanged).
    *minutes*: stop making inputs after that long (the tally says how many were made)."""
    tally = Tally(target.name + (" dry run" if dry_run else ""))
    stop = None if minutes is None else time.monotonic() + 60 * minutes

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate], derandomize=False,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @hypothesis_seed(seed)
    @given(st.integers(min_value=0, max_value=2 ** 64 - 1))
    def fuzz(input_seed: int) -> None:
        if stop is not None and time.monotonic() > stop:
            return  # out of time: the remaining examples are skipped at once
        outcome, data, name = target.one(input_seed, limit=limit, dry_run=dry_run)
        if outcome.kind in BAD and keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            outcome.sample = keep / f"{target.name}-{outcome.kind}-{input_seed}{Path(name).suffix or '.bin'}"
            outcome.sample.write_bytes(data)
        tally.add(outcome)
        if report is not None and tally.inputs % 100 == 0:
            report(tally)

    fuzz()
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fuzz.py", description=(
        "Fuzz the sync bundle reader (county import) and the Excel roster importer with mutated inputs; "
        "exit 1 on any crash, hang or partial write."))
    parser.add_argument("--count", type=int, default=1000, help="inputs per target (default 1000)")
    parser.add_argument("--target", choices=("bundle", "excel", "all"), default="all")
    parser.add_argument("--seed", type=int, default=0, help="the run's seed (default 0)")
    parser.add_argument("--limit", type=float, default=DEFAULT_LIMIT, help="CPU seconds allowed per input (default 5; 12 times that in real time)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder for the inputs that crashed, hung or wrote partially (default: beside the work "
                             "folder, kept only when there are any)")
    parser.add_argument("--minutes", type=float, default=None,
                        help="stop each target after this many minutes, whatever the count (default: no limit)")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one, removed)")
    parser.add_argument("--replay", type=int, default=None, metavar="INPUT_SEED",
                        help="run the one input with this seed (printed with every bad input) and show the result")
    args = parser.parse_args(argv)
    targets = ["bundle", "excel"] if args.target == "all" else [args.target]
    work = args.work or Path(tempfile.mkdtemp(prefix="remoteedu-fuzz-"))
    keep = args.keep or work.with_name(work.name + "-kept")
    os.environ["REMOTEEDU_HOME"] = str(work / "home")  # never the clerk's real data directory
    failures = 0
    try:
        for name in targets:
            start = time.perf_counter()
            print(f"[{name}] preparing …", flush=True)
            target = Target(name, work)
            try:
                if args.replay is not None:
                    outcome, _, _ = target.one(args.replay, limit=args.limit)
                    tally = Tally(name)
                    tally.add(outcome)
                    print("\n".join(tally.lines()))
                    print(f"  outcome: {outcome.kind} {outcome.message}")
                    failures += tally.failures
                    continue

                def progress(t: Tally, name: str = name) -> None:
                    k = t.kinds
                    print(f"[{name}] {t.inputs}/{args.count}: refused {k['refused']}, imported {k['imported']}, "
                          f"bad {t.failures}", flush=True)

                tally = run(target, args.count, args.seed, limit=args.limit, keep=keep, report=progress,
                            minutes=args.minutes)
            finally:
                target.close()
            print("\n".join(tally.lines()))
            print(f"[{name}] wall time {time.perf_counter() - start:.1f} s", flush=True)
            failures += tally.failures
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"fuzz: {'FAILED' if failures else 'ok'} — {failures} crashes, hangs or partial writes", flush=True)
    return 1 if failures else 0


def describe(tally: Tally) -> str:
    """The tally as text, for a test's failure message."""
    return "\n".join(tally.lines(show_bad=20))


__all__ = ["TARGETS", "Target", "describe", "main", "run"]
