"""What every fuzzed input must do, and the tally of what they did (issue 10, item 4).

An input is either *refused* with the project's error type (:class:`ValidationError` and its subclasses) whose
message is non-empty Chinese text naming where, or *imported* with a consistent result. Anything else is
counted against the program:

- ``crash``: another exception, or a refusal that breaks the rules of a refusal (no Chinese, no place);
- ``hang``: an input that took more CPU time than the per-input limit, or far more real time (timers interrupt
  Python code; a C loop that ignores them is still caught by the time measured afterwards);
- ``partial``: a refusal that changed the database, an import whose result is inconsistent, or a database that
  fails ``PRAGMA integrity_check`` / ``foreign_key_check`` afterwards.

Databases are prepared once and restored by copying the file (:class:`Slot`), never migrated per input.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import shutil
import signal
import sqlite3
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from remoteedu_desktop.data.database import Database, open_database

Kind = Literal["refused", "imported", "crash", "hang", "partial"]
BAD: tuple[Kind, ...] = ("crash", "hang", "partial")
#: Real time allowed per input, as a multiple of the CPU limit (a loaded machine; an input that waits on a lock).
WALL_FACTOR = 12
_HAN = re.compile(r"[\u4e00-\u9fff]")


class Hang(BaseException):
    """Raised by the alarm. A BaseException, so that the code under test cannot swallow it with
    ``except Exception`` (the zip reader does, on purpose, for damaged input)."""


class Broken(Exception):
    """The oracle found a broken promise (a partial write, an inconsistent import, a bad refusal)."""

    def __init__(self, kind: Kind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@contextlib.contextmanager
def time_limit(cpu_seconds: float, wall_seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread after *cpu_seconds* of this process's CPU time (SIGPROF: a busy
    machine does not make an input hang) or *wall_seconds* of real time (SIGALRM: an input that waits). POSIX,
    main thread only."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum: int, frame: object) -> None:
        what = "CPU" if signum == signal.SIGPROF else "wall-clock"
        raise Hang(f"over {cpu_seconds if signum == signal.SIGPROF else wall_seconds:g} s of {what} time")

    previous = {sig: signal.signal(sig, ring) for sig in (signal.SIGPROF, signal.SIGALRM)}
    # and again every second: a Hang raised inside a callback that ignores exceptions (a gc callback) is lost
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds, 1.0)
    signal.setitimer(signal.ITIMER_REAL, wall_seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def chinese(text: str | None) -> bool:
    return bool(text and text.strip() and _HAN.search(text))


@dataclass
class Outcome:
    kind: Kind
    message: str = ""  #: the refusal's message, or what went wrong
    steps: list[str] = field(default_factory=list)  #: the mutations, for the report
    seconds: float = 0.0
    sample: Path | None = None  #: where the input was saved (bad outcomes only)


_GROUP_NUMBERS = re.compile(r"\d+")
_GROUP_QUOTED = re.compile(r"“[^”]*”|（[^）]*）|\([^)]*\)|【[^】]*】")


def message_group(message: str) -> str:
    """A refusal message with the particulars taken out, so that the same reason counts once."""
    text = _GROUP_QUOTED.sub("…", message.split("\n", 1)[0])
    return _GROUP_NUMBERS.sub("N", text)[:110]


@dataclass
class Tally:
    target: str
    inputs: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    mutations: Counter[str] = field(default_factory=Counter)
    bad: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    slowest: float = 0.0

    def add(self, outcome: Outcome) -> None:
        self.inputs += 1
        self.kinds[outcome.kind] += 1
        self.seconds += outcome.seconds
        self.slowest = max(self.slowest, outcome.seconds)
        for step in outcome.steps:
            if not step.startswith("seed:"):
                self.mutations[step.split(":", 1)[0]] += 1
        if outcome.kind == "refused":
            self.refusals[message_group(outcome.message)] += 1
        elif outcome.kind in BAD:
            self.bad.append(outcome)

    @property
    def failures(self) -> int:
        return sum(self.kinds[k] for k in BAD)

    def lines(self, *, top: int = 12, show_bad: int = 10) -> list[str]:
        k = self.kinds
        out = [f"[{self.target}] inputs {self.inputs}: refused {k['refused']}, imported {k['imported']}, "
               f"crashes {k['crash']}, hangs {k['hang']}, partial writes {k['partial']}"
               f"  ({self.seconds:.1f} s in the inputs, slowest {self.slowest:.2f} s)"]
        if self.refusals:
            out.append(f"  top refusal messages ({len(self.refusals)} kinds):")
            out += [f"    {n:6d}  {text}" for text, n in self.refusals.most_common(top)]
        if self.mutations:
            out.append("  mutation steps: " + ", ".join(f"{m} {n}" for m, n in sorted(self.mutations.items())))
        for outcome in self.bad[:show_bad]:
            out.append(f"  {outcome.kind.upper()}: {outcome.message.splitlines()[0] if outcome.message else ''}")
            out.append(f"    steps: {'; '.join(outcome.steps)[:400]}")
            if outcome.sample is not None:
                out.append(f"    input kept: {outcome.sample}")
            out += [f"    {line}" for line in outcome.message.splitlines()[1:12]]
        return out


def crash_text(exc: BaseException) -> str:
    """The exception and the last frames, for the report."""
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    where = "\n".join(f"{Path(f.filename).name}:{f.lineno} {f.name}: {f.line}" for f in frames)
    return f"{type(exc).__name__}: {str(exc)[:300]}\n{where}"


# --- the database ------------------------------------------------------------------------------------------------

def table_digests(path: Path) -> dict[str, str]:
    """SHA-256 of every table's rows (sorted), and the office's change counter, read with bare sqlite3."""
    out: dict[str, str] = {}
    with contextlib.closing(sqlite3.connect(path)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for name in names:
            rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{name}"'))
            out[name] = f"{len(rows)}:" + hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()
        counter = conn.execute("SELECT change_counter FROM local_office WHERE id = 1").fetchone()
        out["change_counter"] = str(counter[0] if counter else -1)
    return out


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))


def integrity_problem(path: Path) -> str | None:
    """None when ``integrity_check`` is ok and ``foreign_key_check`` finds nothing."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            return f"integrity_check: {result}"
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            return f"foreign_key_check: {dangling[:5]}"
    return None


def snapshot(source: Path, dest: Path) -> None:
    """A one-file copy of an SQLite database (the backup API folds in the WAL)."""
    dest.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(dest)) as dst:
        src.backup(dst)
    with contextlib.closing(sqlite3.connect(dest)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")


class Slot:
    """One prepared database, restored by copying its file before every input (no migrations per input).

    The database is opened once through ``open_database`` (migrations, stamping, audit log) and kept: before each
    input its connections are closed, the file is replaced by the prepared copy, and the pool reconnects to it.
    SQLAlchemy's statement cache lives on the engine, so it is kept too."""

    def __init__(self, prepared: Path, work: Path, account: str) -> None:
        self.prepared = prepared
        self.work = work
        self.account = account
        self.file = work / "remoteedu.sqlite3"
        self.digests = table_digests(prepared)
        self.db: Database | None = None
        self.dirty = True  #: the file may differ from the prepared one (or is missing)

    def restore(self) -> None:
        if self.db is not None:
            self.db.engine.dispose()  # no connection may hold the old file (or its WAL) open
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        shutil.copyfile(self.prepared, self.file)
        self.dirty = False

    def pristine(self) -> None:
        """Restore only when an earlier input may have written (a dry run that wrote nothing leaves it as is;
        the oracle checks that it did write nothing, and marks the slot dirty otherwise)."""
        if self.dirty:
            self.restore()

    def open(self) -> Database:
        if self.db is None:
            self.db = open_database(f"sqlite:///{self.file}", account=self.account)
        return self.db

    def close(self) -> None:
        if self.db is not None:
            self.db.dispose()
            self.db = None

    def after(self) -> dict[str, str]:
        return table_digests(self.file)


def cache_migration_scripts() -> None:
    """Read the Alembic scripts once per process instead of several times per input.

    ``data.migrate.script_directory()`` compiles every migration file on each call and an import calls it about
    five times (``open_database``, then ``known_revisions()`` in each check): ~0.25 s of every input. The scripts
    do not change during a run, so the fuzzer keeps the one ScriptDirectory; nothing about the database or the
    readers changes (the same revisions come back)."""
    from remoteedu_desktop.data import migrate

    if getattr(migrate.script_directory, "__wrapped__", None) is None:
        migrate.script_directory = functools.cache(migrate.script_directory)


def run_guarded(body: Callable[[], Outcome], *, limit: float, steps: list[str]) -> Outcome:
    """Run one input's body under the time limit (*limit* seconds of CPU, ``WALL_FACTOR`` times that of real time);
    exceptions the body did not classify are crashes."""
    wall_limit = limit * WALL_FACTOR
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        with time_limit(limit, wall_limit):
            outcome = body()
    except Hang as exc:
        outcome = Outcome("hang", f"{exc}\n{crash_text(exc)}")
    except Broken as exc:
        outcome = Outcome(exc.kind, str(exc))
    except Exception as exc:  # noqa: BLE001 - a crash is what we are counting
        outcome = Outcome("crash", crash_text(exc))
    outcome.seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    outcome.steps = steps
    if outcome.kind not in BAD and (cpu > limit or outcome.seconds > wall_limit):
        outcome = Outcome("hang", f"took {cpu:.1f} s of CPU, {outcome.seconds:.1f} s in all (limit {limit:g} s of "
                                  f"CPU, {wall_limit:g} s in all)", steps, outcome.seconds)
    return outcome
