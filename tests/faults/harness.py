"""Issue 10 item 3: kill the program (SIGKILL) at random points of an operation, hundreds of times, and check
each time that nothing is half-written.

Operations (``--ops``): ``import`` (staff roster .xlsx, ``remoteedu people import``), ``sync`` (an up bundle
at the county, ``remoteedu sync import``), ``certificates`` (``remoteedu certificates issue --all-eligible``),
``backup`` (``remoteedu backup``) and ``usb`` (``services.backups.backup_to``, the verified copy on a stick,
which the CLI does not offer: run as a one-line Python program over the same service).

For each operation a pristine data directory is prepared once, and the operation is run once unkilled on
a copy: that gives its duration, how many SQL statements, commits and sqlite3 connections it makes, and the
"after" snapshot. Then every trial copies the pristine files, starts the operation in a separate process and
kills it with SIGKILL at a random point of one of four kinds, taken in turn:

- ``statement``: the process kills itself just before its k-th SQL statement, k stratified over all the
  statements of the measured run (the kill lands inside the transaction, whatever the machine's speed);
- ``commit``: the process kills itself just after its c-th commit, counting down from the last one (the
  operation's own transaction committed, the process not yet finished: the "applied" side);
- ``connect``: a random delay after the k-th ``sqlite3.connect`` (an audit hook), up to the next one: this
  reaches work done outside SQLAlchemy, like the online backup API copying a backup;
- ``timed``: after a random delay, stratified over 0 … 1.05 × the measured duration (some kills land before
  the database is opened, most during the work, some after the process ended on its own).

The process is a fork of this one with the program already imported (fast: no seconds of imports per trial),
or, with ``--spawn``, a fresh ``python -c`` over ``remoteedu_desktop.cli.main``. The instrumentation only
observes and kills; the program's code is unchanged. ``--jobs`` runs trials side by side.

After each kill, with bare sqlite3 and with the program:

- ``PRAGMA integrity_check`` is ok and ``open_database`` opens the database again;
- every table's row count, the office's change counter, the certificate serials, the sync peers and the
  settings equal either the "before" or the "after" snapshot exactly (fully applied or not at all);
- numbering and ledgers agree: certificate numbers gap-free per kind and year and equal to
  ``certificate_serial.last_serial`` (R11), no certificate without its number; an applied ``sync_ledger`` row
  exactly when the bundle's rows are there, the peer's received sequence neither ahead nor behind;
- every file the program lists as a backup (``data.backup.list_backups``) is a complete database that
  ``inspect_backup`` accepts (a killed backup may leave only a file the program ignores);
- the operation run again to completion exits 0 and gives the "after" snapshot; a sync import run once more
  changes nothing.

``main()`` prints a table per operation and a summary line; the exit code is 1 when any check failed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from remoteedu_desktop import cli, paths
from remoteedu_desktop.data import backup as backup_files
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.errors import ValidationError

ALL_OPS = ("import", "sync", "certificates", "backup", "usb")
KINDS = ("statement", "commit", "connect", "timed")
REPO = Path(__file__).resolve().parents[2]
DB = paths.DB_FILENAME
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰"
TODAY = dt.date.today()

#: Run in the killed process around the operation: counts SQL statements, commits and sqlite3 connections, and
#: kills the process itself at the one the trial chose. Only observes; the program's code is unchanged.
PREAMBLE = """\
import json as _json, os as _os, signal as _signal, sys as _sys, threading as _threading, time as _time
from sqlalchemy import event as _event
from sqlalchemy.engine import Engine as _Engine
from sqlalchemy.orm import Session as _Session
_plan = {plan!r}
_t0 = _time.perf_counter()
_n = {{"statement": 0, "commit": 0, "connect": 0, "connects": []}}
def _kill():
    _os.kill(_os.getpid(), _signal.SIGKILL)
def _count(kind):
    _n[kind] += 1
    if _plan["kind"] == kind and _n[kind] == _plan["at"]:
        _kill()
def _audit(name, args):
    if name == "sqlite3.connect":
        _n["connects"].append(_time.perf_counter() - _t0)
        _n["connect"] += 1
        if _plan["kind"] == "connect" and _n["connect"] == _plan["at"]:
            _threading.Timer(_plan["delay"], _kill).start()
_sys.addaudithook(_audit)
_event.listen(_Engine, "before_cursor_execute", lambda *a, **k: _count("statement"))
_event.listen(_Session, "after_commit", lambda s: _count("commit"))
try:
{body}
finally:
    if _plan["report"]:
        _n["seconds"] = _time.perf_counter() - _t0
        with open(_plan["report"], "w") as _f:
            _json.dump(_n, _f)
"""


def _quiet(func: Callable[[], int]) -> tuple[int, str]:
    """Run *func* (an in-process CLI call while preparing) with its output captured."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = func()
    paths.set_home(None)
    return code, out.getvalue()


def run_cli(home: Path, *argv: str) -> tuple[int, str]:
    """``remoteedu --home HOME …`` in this process, on the SQLite file in *home* whatever the environment."""
    server = os.environ.pop("REMOTEEDU_DATABASE_URL", None)
    try:
        return _quiet(lambda: cli.main(["--home", str(home), *argv]))
    finally:
        if server is not None:
            os.environ["REMOTEEDU_DATABASE_URL"] = server


def _need(result: tuple[int, str], what: str) -> str:
    code, text = result
    if code != 0:
        raise RuntimeError(f"{what} failed ({code}): {text[-2000:]}")
    return text


def _id_number(i: int, region: str = "360499") -> str:
    from remoteedu_desktop.services.id_number import check_digit

    first17 = f"{region}{dt.date(1960, 1, 1) + dt.timedelta(days=i * 7):%Y%m%d}{i % 1000:03d}"
    return first17 + check_digit(first17)


def _name(i: int) -> str:
    return SURNAMES[i % 10] + GIVEN[i // 10 % 20] + GIVEN[i // 200 % 20]


# --- snapshots and checks -------------------------------------------------------------------------------

Snapshot = dict[str, object]


def integrity(db: Path) -> str:
    with closing(sqlite3.connect(db)) as conn:
        return "；".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())


def snapshot(db: Path) -> Snapshot:
    """What must be exactly "before" or exactly "after": every table's row count and the counters."""
    with closing(sqlite3.connect(db)) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        snap: Snapshot = {f"rows {t}": conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                          for t in tables}
        snap["change_counter"] = conn.execute(
            "SELECT change_counter FROM local_office WHERE id = 1").fetchone()
        snap["certificate_serial"] = conn.execute(
            "SELECT kind, year, last_serial FROM certificate_serial ORDER BY kind, year").fetchall()
        snap["sync_peer"] = conn.execute(
            "SELECT code, accepted_at IS NOT NULL, last_received_seq, last_sent_seq FROM sync_peer"
            " ORDER BY code").fetchall()
        snap["app_setting"] = conn.execute("SELECT key, value_json FROM app_setting ORDER BY key").fetchall()
        snap["sync_ledger"] = conn.execute(
            "SELECT bundle_id, status, sequence FROM sync_ledger ORDER BY bundle_id").fetchall()
    return snap


def differences(a: Snapshot, b: Snapshot) -> list[str]:
    return [f"{k}: {a.get(k)!r} ≠ {b.get(k)!r}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


_NUMBER = re.compile(r"^\d{6}(\d{4})(SG|PR)(\d{4,})$")
_KIND = {"SG": "on_duty", "PR": "appointment"}


def numbering_problems(db: Path) -> list[str]:
    """R11: per kind and year, serials 1 … last_serial each once; no certificate without its number."""
    with closing(sqlite3.connect(db)) as conn:
        numbers = [r[0] for r in conn.execute("SELECT number FROM certificate")]
        serials = {(k, y): n for k, y, n in conn.execute(
            "SELECT kind, year, last_serial FROM certificate_serial")}
    problems = []
    taken: dict[tuple[str, int], list[int]] = {}
    for number in numbers:
        m = _NUMBER.match(number or "")
        if m is None:
            problems.append(f"证书编号“{number}”不符合编号格式")
            continue
        taken.setdefault((_KIND[m.group(2)], int(m.group(1))), []).append(int(m.group(3)))
    for key in sorted(set(taken) | set(serials)):
        got = sorted(taken.get(key, []))
        if got != list(range(1, serials.get(key, 0) + 1)):
            problems.append(f"{key}: 编号 {got[:3]}…{got[-3:]}（{len(got)} 个）"
                            f"与 last_serial {serials.get(key)} 不符")
    return problems


#: What a killed backup may leave beside the listed backups: its temporary copy (with that copy's journal, WAL
#: and shared-memory files: the online backup copies the WAL mode too, until the copy is switched to a rollback
#: journal), or the checksum written just before the copy was renamed. list_backups ignores them all.
LEFTOVERS = (".partial", ".partial-journal", ".partial-wal", ".partial-shm", backup_files.CHECKSUM_SUFFIX)


def backup_problems(folder: Path) -> list[str]:
    """Every file the program lists as a backup is a complete database of ours; anything else is a leftover
    the program ignores."""
    problems = []
    listed = backup_files.list_backups(folder)
    for path in listed:
        try:
            backup_files.inspect_backup(path)
        except ValidationError as exc:
            problems.append(f"列出的备份 {path.name} 不可用：{exc.message}")
    others = sorted(p.name for p in folder.iterdir() if p not in listed) if folder.is_dir() else []
    if stray := [name for name in others if not name.endswith(LEFTOVERS)]:
        problems.append(f"备份文件夹里有不明文件：{'、'.join(stray[:3])}")
    return problems


# --- operations ---------------------------------------------------------------------------------------------

@dataclass
class Op:
    """One operation: how to prepare its pristine directory, run it, and what else to check."""

    name: str
    title: str
    work: Path
    small: bool = False  #: a smaller pristine database (the pytest run), the same steps
    pristine: Path = field(init=False)

    def __post_init__(self) -> None:
        self.pristine = self.work / "pristine"
        self.prepared = False

    def ensure_prepared(self) -> None:
        """Build the pristine data directory, once, in a fresh work folder."""
        if self.prepared:
            return
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        self.prepare()
        self.prepared = True

    def prepare(self) -> None:
        raise NotImplementedError

    def body(self, home: Path) -> str:
        """Python statements (run as the killed process) that perform the operation on *home*."""
        raise NotImplementedError

    def applied(self, home: Path, before: Snapshot, after: Snapshot, now: Snapshot) -> bool | None:
        """True/False: the operation is there or not; None: neither (a failure). By default the database."""
        return True if now == after else False if now == before else None

    def extra_problems(self, home: Path, applied: bool) -> list[str]:
        return backup_problems(home / "backups")

    def rerun_twice(self) -> bool:
        return False

    def after_rerun_problems(self, home: Path) -> list[str]:
        return []

    def cli_body(self, home: Path, *argv: str) -> str:
        return (f"    from remoteedu_desktop import cli as _cli\n"
                f"    _code = _cli.main({['--home', str(home), *argv]!r})\n"
                f"    if _code:\n        raise SystemExit(_code)")


class ImportOp(Op):
    """A township's roster: 40 people already there (20 get a new phone), 80 new, 30 of them with a post."""

    ROSTER = "花名册.xlsx"

    @property
    def EXISTING(self) -> int:  # noqa: N802 - reads like the constant it is
        return 10 if self.small else 40

    @property
    def NEW(self) -> int:  # noqa: N802
        return 20 if self.small else 80

    def prepare(self) -> None:
        from openpyxl import Workbook

        from remoteedu_desktop.services import bulk
        from remoteedu_desktop.services.offices import init_office
        from remoteedu_desktop.services.units import add_unit

        db = open_database(f"sqlite:///{self.pristine / DB}")
        try:
            with db.session() as s:
                info = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
                villages = [add_unit(s, kind="village", name=f"第{n + 1}村", parent_id=info.unit_id,
                                     code=f"360499100{201 + n}").name for n in range(5 if self.small else 15)]
                bulk.add_people(s, [{"name": _name(i), "id_number": _id_number(i), "phone": f"1380000{i:04d}"}
                                    for i in range(self.EXISTING)], today=TODAY)
        finally:
            db.dispose()
        wb = Workbook()
        ws = wb.active
        ws.title = "花名册"
        ws.append(["龙潭镇站点管理员名单"])
        ws.append(["姓名", "身份证号", "手机", "站点", "职务类别", "岗位", "任职时间"])
        for i in range(self.EXISTING // 2):
            ws.append([_name(i), _id_number(i), f"1390000{i:04d}"])
        for i in range(self.EXISTING, self.EXISTING + self.NEW):
            row = [_name(i), _id_number(i), f"1380000{i:04d}"]
            k = i - self.EXISTING
            if k < 2 * len(villages):
                row += [villages[k // 2], "村站点管理员", "A岗" if k % 2 == 0 else "B岗", "2024.3.1"]
            ws.append(row)
        wb.save(self.pristine / self.ROSTER)  # in the data directory: each trial has its own row report

    def body(self, home: Path) -> str:
        return self.cli_body(home, "people", "import", str(home / self.ROSTER), "--today", TODAY.isoformat())

    def after_rerun_problems(self, home: Path) -> list[str]:
        from openpyxl import load_workbook

        from remoteedu_desktop.cli_people import report_path

        try:
            load_workbook(report_path(home / self.ROSTER), read_only=True).close()
        except Exception as exc:  # noqa: BLE001 - whatever openpyxl says, the report is unreadable
            return [f"再次导入后的逐行报告打不开：{exc!r}"]
        return []


class SyncOp(Op):
    """A county and one enrolled township (key accepted); the township's up bundle with 600 people."""

    @property
    def PEOPLE(self) -> int:  # noqa: N802
        return 100 if self.small else 600

    def prepare(self) -> None:
        from remoteedu_desktop.services import bulk, office_keys

        county, township, stick = self.pristine, self.work / "township", self.work / "stick"
        stick.mkdir(parents=True)
        enrolment = self.work / "enrol.json"
        _need(run_cli(county, "init", "--level", "county", "--code", "360499", "--name", "青山县"), "init")
        _need(run_cli(county, "sync", "enroll", "--township", "360499100", "--name", "龙潭镇", "--out",
                      str(enrolment)), "enroll")
        _need(run_cli(township, "sync", "enroll", "--install", str(enrolment)), "install")
        db = open_database(f"sqlite:///{township / DB}")
        try:
            with db.session() as s:
                people = [{"name": _name(i), "id_number": _id_number(i)} for i in range(self.PEOPLE)]
                bulk.add_people(s, people, today=TODAY)
                fingerprint = office_keys.own_fingerprint(s).short
        finally:
            db.dispose()
        _need(run_cli(township, "sync", "export", "--to", str(stick)), "export")
        [self.bundle] = list(stick.iterdir())
        run_cli(county, "sync", "import", str(self.bundle))  # refused: the key waits for the phone call
        _need(run_cli(county, "sync", "enroll", "--accept", "360499100", "--fingerprint", fingerprint),
              "accept")

    def body(self, home: Path) -> str:
        return self.cli_body(home, "sync", "import", str(self.bundle))

    def rerun_twice(self) -> bool:
        return True

    def extra_problems(self, home: Path, applied: bool) -> list[str]:
        problems = super().extra_problems(home, applied)
        with closing(sqlite3.connect(home / DB)) as conn:
            people = conn.execute("SELECT count(*) FROM person").fetchone()[0]
            ledger = conn.execute("SELECT count(*) FROM sync_ledger WHERE status = 'applied'").fetchone()[0]
            seq = conn.execute("SELECT last_received_seq FROM sync_peer WHERE code = '360499100'").fetchone()
        if (people, ledger) not in ((0, 0), (self.PEOPLE, 1)):
            problems.append(f"sync_ledger 与数据不一致：人员 {people}，已导入的包 {ledger}")
        if (seq[0] or 0) != ledger:
            problems.append(f"sync_peer.last_received_seq = {seq[0]}，已导入的包 {ledger}")
        return problems


class CertificatesOp(Op):
    """A demo county where every on-duty certificate of two townships was revoked: all those are eligible."""

    def prepare(self) -> None:
        from sqlalchemy import select

        from remoteedu_desktop.data.models import Certificate
        from remoteedu_desktop.services import certificate_register

        size = ("1", "3") if self.small else ("2", "6")
        _need(run_cli(self.pristine, "demo", "--townships", size[0], "--sites", size[1], "--seed", "10"),
              "demo")
        db = open_database(f"sqlite:///{self.pristine / DB}")
        try:
            with db.session() as s:
                for cert in s.scalars(select(Certificate).where(Certificate.kind == "on_duty",
                                                                Certificate.status == "valid")).all():
                    certificate_register.revoke(s, cert.id, reason="信息有误，重新发证", on=TODAY)
        finally:
            db.dispose()
        if problems := numbering_problems(self.pristine / DB):
            raise RuntimeError(f"certificates: the prepared database is already inconsistent: {problems}")

    def body(self, home: Path) -> str:
        return self.cli_body(home, "certificates", "issue", "--all-eligible", "--date", TODAY.isoformat())

    def extra_problems(self, home: Path, applied: bool) -> list[str]:
        return super().extra_problems(home, applied) + numbering_problems(home / DB)


class BackupOp(Op):
    """``remoteedu backup`` of the demo county's database (into the data directory's backups/)."""

    source: Op | None = None

    def prepare(self) -> None:
        assert self.source is not None
        self.source.ensure_prepared()
        self.pristine.mkdir(parents=True)
        shutil.copy2(self.source.pristine / DB, self.pristine / DB)

    def folder(self, home: Path) -> Path:
        return home / "backups"

    def body(self, home: Path) -> str:
        return self.cli_body(home, "backup")

    def listed(self, home: Path) -> int:
        return len(backup_files.list_backups(self.folder(home)))

    def applied(self, home: Path, before: Snapshot, after: Snapshot, now: Snapshot) -> bool | None:
        if now != before:  # a backup never changes the database
            return None
        grew = self.listed(home) - self.listed(self.pristine)
        return True if grew == 1 else False if grew == 0 else None

    def extra_problems(self, home: Path, applied: bool) -> list[str]:
        folders = {self.folder(home), home / "backups"}
        return [p for folder in sorted(folders) for p in backup_problems(folder)]


class UsbOp(BackupOp):
    """``backup_to`` (File → Back up to USB): the copy, its check and its .sha256 on the stick."""

    def folder(self, home: Path) -> Path:
        return home / "stick"

    def prepare(self) -> None:
        super().prepare()
        (self.pristine / "stick").mkdir()

    def body(self, home: Path) -> str:
        return (f"    from remoteedu_desktop.data.database import open_database as _open\n"
                f"    from remoteedu_desktop.services.backups import backup_to as _backup_to\n"
                f"    _db = _open({f'sqlite:///{home / DB}'!r})\n"
                f"    try:\n        _backup_to(_db, {str(self.folder(home))!r})\n"
                f"    finally:\n        _db.dispose()")

    def extra_problems(self, home: Path, applied: bool) -> list[str]:
        problems = super().extra_problems(home, applied)
        for path in backup_files.list_backups(self.folder(home)):
            if backup_files.read_checksum(path) is None:
                problems.append(f"U 盘上的备份 {path.name} 没有校验值文件")
        return problems


# --- running the operation in a killable process ------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    kind: str  #: one of KINDS, or "none" (run to the end)
    at: float  #: seconds (timed) or the number of the statement, commit or sqlite3 connection
    delay: float = 0.0  #: connect: seconds after that connection


@dataclass(frozen=True)
class Run:
    killed: bool
    exit_code: int | None
    seconds: float
    counts: dict[str, Any]  #: what the process counted (only when it ran to the end)


def _program(op: Op, home: Path, plan: Plan, report: Path | None) -> str:
    body = op.body(home)
    at = int(plan.at) if plan.kind in ("statement", "commit", "connect") else 0
    return PREAMBLE.format(plan={"kind": plan.kind, "at": at, "delay": plan.delay,
                                 "report": str(report) if report else ""}, body=body)


def _child_env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    env.pop("REMOTEEDU_DATABASE_URL", None)  # this checks the SQLite file; a server has its own faults
    env.pop("REMOTEEDU_HOME", None)
    return env


def _fork(program: str, log: Path) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:  # the child: never returns into the caller
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        sys.stdout = sys.stderr = open(fd, "w", buffering=1, closefd=False)  # noqa: SIM115
        os.environ.pop("REMOTEEDU_DATABASE_URL", None)
        os.environ.pop("REMOTEEDU_HOME", None)
        try:
            exec(compile(program, "<fault trial>", "exec"), {"__name__": "__fault_trial__"})
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            code = 70
        sys.stdout.flush()
    finally:
        os._exit(code)


def run_once(op: Op, home: Path, plan: Plan, *, spawn: bool, timeout: float = 600) -> Run:
    """Run *op* on *home* in its own process, killed as *plan* says; wait for it to end."""
    report = home.parent / f"{home.name}.counts.json"
    report.unlink(missing_ok=True)
    log = home.parent / f"{home.name}.log"
    program = _program(op, home, plan, report)
    start = time.perf_counter()
    if spawn:
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-c", program], env=_child_env(), stdout=out,
                                    stderr=subprocess.STDOUT, cwd=REPO)
        pid = proc.pid
    else:
        proc = None
        pid = _fork(program, log)
    killed = False
    status: int | None = None
    deadline = start + (plan.at if plan.kind == "timed" else timeout)
    while status is None:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = raw
            break
        now = time.perf_counter()
        if now >= deadline:
            if plan.kind != "timed":
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise RuntimeError(f"{op.name}: the process ran over {timeout} s")
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(min(0.002, max(0.0, deadline - now)))
    seconds = time.perf_counter() - start
    if proc is not None:
        proc.returncode = 0  # reaped above; keep Popen from waiting again
    if os.WIFSIGNALED(status):
        killed = os.WTERMSIG(status) == signal.SIGKILL
        code = None
    else:
        code = os.WEXITSTATUS(status)
    counts = json.loads(report.read_text()) if report.exists() else {}
    report.unlink(missing_ok=True)
    return Run(killed=killed, exit_code=code, seconds=seconds, counts=counts)


# --- trials ------------------------------------------------------------------------------------------------

@dataclass
class Measured:
    seconds: float
    statements: int
    commits: int
    connects: list[float]  #: when each sqlite3 connection was opened, seconds from the start
    work_seconds: float  #: from the start of the operation's code to its end (the process takes longer)
    before: Snapshot
    after: Snapshot


@dataclass
class Tally:
    op: str
    trials: int = 0
    not_applied: int = 0
    applied_killed: int = 0
    ran_to_end: int = 0
    failures: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)
    seconds: float = 0.0
    measured: Measured | None = None


def copy_home(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)


def measure(op: Op, *, spawn: bool) -> Measured:
    home = op.work / "measured"
    copy_home(op.pristine, home)
    before = snapshot(home / DB)
    run = run_once(op, home, Plan("none", 0), spawn=spawn)
    if run.exit_code != 0:
        raise RuntimeError(f"{op.name}: the unkilled run failed ({run.exit_code}): "
                           f"{(home.parent / 'measured.log').read_text(errors='replace')[-3000:]}")
    after = snapshot(home / DB)
    if op.rerun_twice():
        again = run_once(op, home, Plan("none", 0), spawn=spawn)
        if again.exit_code != 0 or snapshot(home / DB) != after:
            raise RuntimeError(f"{op.name}: running it twice is not harmless: "
                               + "; ".join(differences(after, snapshot(home / DB))))
    if not isinstance(op, BackupOp) and before == after:
        raise RuntimeError(f"{op.name}: the operation changed nothing; the trials would prove nothing")
    shutil.rmtree(home)
    return Measured(run.seconds, run.counts.get("statement", 0), run.counts.get("commit", 0),
                    list(run.counts.get("connects", [])), float(run.counts.get("seconds", run.seconds)),
                    before, after)


def plans(count: int, m: Measured, rng: random.Random) -> list[Plan]:
    """*count* kill points: the kinds in turn, each stratified over its range."""
    per = {k: [i for i in range(count) if KINDS[i % len(KINDS)] == k] for k in KINDS}
    out: list[Plan] = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        j, n = per[kind].index(i), len(per[kind])
        u = (j + rng.random()) / n  # stratified: spread evenly, random within its share
        if kind == "statement" and m.statements:
            out.append(Plan(kind, 1 + int(u * m.statements)))
        elif kind == "commit" and m.commits:
            out.append(Plan(kind, m.commits - j % m.commits))  # the last commit first
        elif kind == "connect" and m.connects:
            k = int(u * len(m.connects))
            until = m.connects[k + 1] if k + 1 < len(m.connects) else m.work_seconds
            out.append(Plan(kind, k + 1, delay=rng.random() * max(0.0, until - m.connects[k])))
        else:
            out.append(Plan("timed", u * 1.05 * m.seconds))
    return out


def check(op: Op, home: Path, m: Measured, *, spawn: bool) -> tuple[bool, list[str]]:
    """The checks after a kill: (applied, problems)."""
    db = home / DB
    problems = []
    if (result := integrity(db)) != "ok":
        return False, [f"integrity_check: {result}"]
    try:
        open_database(f"sqlite:///{db}").dispose()
    except Exception as exc:  # noqa: BLE001 - any refusal is the failure being looked for
        return False, [f"open_database: {exc}"]
    now = snapshot(db)
    applied = op.applied(home, m.before, m.after, now)
    if applied is None:
        problems.append("半写入：既不是操作前也不是操作后 — " + "; ".join(
            differences(m.before, now)[:4]) + " / 与操作后：" + "; ".join(differences(m.after, now)[:4]))
        applied = False
    problems += op.extra_problems(home, applied)
    for n in range(2 if op.rerun_twice() else 1):
        label = "（第二次）" if n else ""
        listed = op.listed(home) if isinstance(op, BackupOp) else 0
        again = run_once(op, home, Plan("none", 0), spawn=spawn)
        if again.exit_code != 0:
            log = (home.parent / f"{home.name}.log").read_text(errors="replace")[-1500:]
            problems.append(f"再次运行{label}失败，退出码 {again.exit_code}：{log}")
            break
        now = snapshot(db)
        if isinstance(op, BackupOp):
            if now != m.before or op.listed(home) != listed + 1:
                problems.append(f"再次运行{label}后备份不是恰好多了一份，或数据库变了")
        elif now != m.after:
            problems.append(f"再次运行{label}后不是操作后的状态：" + "; ".join(differences(m.after, now)[:4]))
    problems += op.extra_problems(home, True) + op.after_rerun_problems(home)
    if (result := integrity(db)) != "ok":
        problems.append(f"再次运行后 integrity_check: {result}")
    return applied, problems


@dataclass(frozen=True)
class Trial:
    """One trial's result (small and picklable: trials may run in worker processes)."""

    n: int
    plan: Plan
    killed: bool
    applied: bool
    problems: tuple[str, ...]

    @property
    def where(self) -> str:
        delay = f" +{self.plan.delay:.3f} s" if self.plan.delay else ""
        return f"#{self.n} ({self.plan.kind} {self.plan.at:g}{delay})"


def run_trial(op: Op, m: Measured, n: int, plan: Plan, *, spawn: bool) -> Trial:
    """Copy the pristine directory, run the operation killed as *plan* says, check; the directory is removed
    unless a check failed."""
    home = op.work / f"trial{n}"
    copy_home(op.pristine, home)
    run = run_once(op, home, plan, spawn=spawn)
    problems: list[str] = []
    if not run.killed and run.exit_code != 0:
        log = (home.parent / f"{home.name}.log").read_text(errors="replace")[-1500:]
        problems.append(f"未被杀死却失败，退出码 {run.exit_code}：{log}")
    applied, found = check(op, home, m, spawn=spawn)
    problems += found
    if not run.killed and not applied:
        problems.append("进程自己结束了，操作却没有生效")
    if not problems:
        shutil.rmtree(home, ignore_errors=True)
        (home.parent / f"{home.name}.log").unlink(missing_ok=True)
    return Trial(n, plan, run.killed, applied, tuple(problems))


#: What a worker process of ``--jobs`` runs trials of (inherited through fork, never pickled).
_WORKER: tuple[Op, Measured, bool] | None = None


def _worker_trial(n: int, plan: Plan) -> Trial:
    assert _WORKER is not None
    op, m, spawn = _WORKER
    return run_trial(op, m, n, plan, spawn=spawn)


def _trials(op: Op, m: Measured, todo: list[Plan], *, spawn: bool, jobs: int) -> Iterator[Trial]:
    if jobs <= 1 or len(todo) < 2 or not hasattr(os, "fork"):
        for n, plan in enumerate(todo):
            yield run_trial(op, m, n, plan, spawn=spawn)
        return
    global _WORKER
    _WORKER = (op, m, spawn)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_worker_trial, n, plan) for n, plan in enumerate(todo)]
            for future in as_completed(futures):
                yield future.result()
    finally:
        _WORKER = None


def run_op(op: Op, count: int, rng: random.Random, *, spawn: bool, jobs: int = 1,
           echo: Callable[[str], None] = print) -> Tally:
    tally = Tally(op.name)
    start = time.perf_counter()
    op.ensure_prepared()
    m = measure(op, spawn=spawn)
    tally.measured = m
    echo(f"{op.title}: 准备完毕，完整运行 {m.seconds:.2f} s（SQL 语句 {m.statements} 条，提交 {m.commits} 次，"
         f"sqlite3 连接 {len(m.connects)} 个）")
    for trial in _trials(op, m, plans(count, m, rng), spawn=spawn, jobs=jobs):
        tally.trials += 1
        tally.kinds[trial.plan.kind] += 1
        if trial.problems:
            tally.failures += 1
            tally.messages.append(f"{op.name} {trial.where}: " + " | ".join(trial.problems))
            echo(f"  失败 {op.name} {trial.where}: " + " | ".join(trial.problems))
        elif not trial.killed:
            tally.ran_to_end += 1
        elif trial.applied:
            tally.applied_killed += 1
        else:
            tally.not_applied += 1
        if count >= 50 and tally.trials % 25 == 0 and tally.trials < count:
            took = time.perf_counter() - start
            echo(f"  {op.name}: {tally.trials}/{count}，失败 {tally.failures}，{took:.0f} s")
    tally.seconds = time.perf_counter() - start
    return tally


def make_ops(names: Sequence[str], work: Path, *, small: bool = False) -> list[Op]:
    classes: dict[str, tuple[type[Op], str]] = {
        "import": (ImportOp, "花名册导入 people import"),
        "sync": (SyncOp, "同步包导入 sync import"),
        "certificates": (CertificatesOp, "批量发证 certificates issue"),
        "backup": (BackupOp, "备份 backup"),
        "usb": (UsbOp, "备份到U盘 backup_to"),
    }
    ops: list[Op] = []
    certs: CertificatesOp | None = None
    for name in names:
        cls, title = classes[name]
        op = cls(name, title, work / name, small)
        if isinstance(op, CertificatesOp):
            certs = op
        ops.append(op)
    for op in ops:
        if isinstance(op, BackupOp):
            if certs is None:  # a backup needs a realistic database: the certificates' demo county
                certs = CertificatesOp("certificates", "", work / "demo-source", small)
            op.source = certs
    return ops


def table(tallies: Sequence[Tally]) -> list[str]:
    head = ("操作 operation", "trials", "killed, not applied", "killed, applied", "ran to end", "failures",
            "stmt/commit/connect/timed", "run s", "total s")
    rows = [head]
    for t in tallies:
        m = t.measured
        rows.append((t.op, str(t.trials), str(t.not_applied), str(t.applied_killed), str(t.ran_to_end),
                     str(t.failures), "/".join(str(t.kinds[k]) for k in KINDS),
                     f"{m.seconds:.2f}" if m else "-", f"{t.seconds:.0f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return lines


def summary(tallies: Sequence[Tally], seconds: float) -> str:
    trials = sum(t.trials for t in tallies)
    failures = sum(t.failures for t in tallies)
    return (f"共 {trials} 次试验（{len(tallies)} 种操作），杀死后未生效 {sum(t.not_applied for t in tallies)}，"
            f"杀死后已生效 {sum(t.applied_killed for t in tallies)}，自行结束 {sum(t.ran_to_end for t in tallies)}，"
            f"失败 {failures}；用时 {seconds:.0f} s — {'通过 PASS' if failures == 0 else '失败 FAIL'}")


def run_all(names: Sequence[str], count: int, seed: int, work: Path, *, spawn: bool = False, jobs: int = 1,
            small: bool = False, echo: Callable[[str], None] = print) -> list[Tally]:
    rng = random.Random(seed)
    return [run_op(op, count, rng, spawn=spawn, jobs=jobs, echo=echo)
            for op in make_ops(names, work, small=small)]


def parse_ops(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in ALL_OPS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"未知的操作：{', '.join(unknown) or '（空）'}；可选 {','.join(ALL_OPS)}")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="faults.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100, help="每种操作的试验次数（默认 100）")
    parser.add_argument("--ops", type=parse_ops, default=list(ALL_OPS), help=f"逗号分隔：{','.join(ALL_OPS)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spawn", action="store_true",
                        help="每次试验启动新的 python 进程（慢：每次先导入程序约数秒），而不是从已导入程序的进程 fork")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="同时进行的试验数（默认 2 与 CPU 数中较小者）")
    parser.add_argument("--workdir", help="工作目录（默认临时目录，结束后删除；失败的试验目录保留）")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count 至少为 1")
    if not hasattr(signal, "SIGKILL") or not hasattr(os, "fork"):
        print("需要 Linux 或 macOS（SIGKILL、fork）；Windows 上请在 WSL 中运行。", file=sys.stderr)
        return 2
    shm = Path("/dev/shm")  # a kill is not a power cut: memory-backed files are as good, and faster to copy
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(
        prefix="remoteedu-faults-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    print(f"杀进程试验：{','.join(args.ops)}，每种 {args.count} 次，seed {args.seed}，"
          f"{'spawn' if args.spawn else 'fork'}，并行 {args.jobs}，工作目录 {work}", flush=True)
    try:
        tallies = run_all(args.ops, args.count, args.seed, work, spawn=args.spawn, jobs=args.jobs,
                          echo=lambda text: print(text, flush=True))
    except RuntimeError as exc:  # the preparation or the unkilled run failed: nothing to kill
        print(f"准备失败：{exc}（工作目录 {work}）", file=sys.stderr)
        return 1
    print()
    for line in table(tallies):
        print(line)
    print(summary(tallies, time.perf_counter() - start))
    failed = any(t.failures for t in tallies)
    if not args.workdir and not failed:
        shutil.rmtree(work, ignore_errors=True)
    elif failed:
        print(f"失败的试验目录保留在 {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
