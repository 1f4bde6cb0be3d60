"""The program on a PostgreSQL server (issue 10, items 1 and 2): the county's sync import beside a bare psycopg
``executemany`` of the same rows; eight clerks at once issuing certificate numbers and correcting people beside
one clerk doing the same work, with the outcome checked; the county overview beside SQLite.

    python bench/postgres.py                  # 10 townships, 10,000 people, 100,000 attendance; 2,000 numbers ...
    python bench/postgres.py --quick          # small sizes: does everything run?
    python bench/postgres.py --server postgresql+psycopg://user@host:5432/postgres
    python bench/postgres.py --processes      # the clerks as processes instead of threads

The server: ``--server URL``, else ``REMOTEEDU_BENCH_PG_URL``, else the throwaway loopback server of
``scripts/postgres.sh`` (started if down). The URL names a database the account may connect to and create
databases from; every database this bench creates (``bench_pg_<pid>_…``) is dropped at the end. When no server
can be had, the table is one row that says so (no goal) and the exit status is 0.

Measured:

1. **Sync import at a county.** Setup as ``bench/sync.py`` (its functions, imported): township SQLite files,
   each enrolled with the county and filled through the bulk paths, each writing its up bundle into one
   folder; but the county is a fresh PostgreSQL database. Then ``CREATE DATABASE … TEMPLATE county`` copies the
   county as it is before the import. Timed: ``sync_import.apply_all`` of the folder (as ``remoteedu sync import``
   does: check, one transaction per bundle: merge, audit, ledger; no file backup, a server is backed up by its
   server). Comparison: bare psycopg ``executemany`` (not COPY: executemany is the twin of the SQLite bench's
   ``sqlite3.executemany``; psycopg 3 pipelines it) of exactly the rows the import added (every travelling table,
   every column, read back from the county afterwards) into the copy, one transaction per township, commit
   included. The bench checks that the copy then holds as many rows per table as the county. Goal: ≤ 3× bare.
2. **Several clerks at once.** A fresh county database. *clerks* threads, each with its own
   ``open_database(url)`` (its own engine and connections, like one PC each), share a fixed count of work:
   certificate numbers (``certificate_numbers.next_number``, one transaction per number) and corrections of
   people (``people.update_person`` with the ``expected_version`` the clerk read just before, one transaction
   each, a few people shared by all so that clerks collide). Comparison: one clerk (one thread) doing the same
   count. Checked: the numbers of each run are 1…N, each exactly once (R11); no lost edit: every refused save
   raised ConcurrentEditError, no two saves were made over the same version of a person, each person's version
   grew by exactly its saves and its final phone number is the one saved last. Goals: the clerks' throughput
   ≥ one clerk's (no collapse under contention); the checks pass. Throughput counts every attempt, saved or
   refused (each is a transaction). Every write of an office takes the next value of its change counter (one
   row, ``stamping.next_change_seq``) and holds that row's lock until it commits, so writes are serialized by
   design and eight clerks can at best overlap what comes before that; as threads of one interpreter they also
   queue for its lock, which lengthens the serialized part (``--processes``: each clerk a process of its own).
3. **The county overview** (``overview_figures.overview``, median of 5 fresh sessions) on the same demo county
   (``services.demo.generate_demo``) on PostgreSQL beside SQLite; the bench checks both give the same figures.
   Goal: < 0.5 s, as in bench/reports.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import Row, add_json_option, print_table  # noqa: E402

try:  # the optional extra ``postgres`` (pip install .[postgres]); without it, the one row "no server"
    import psycopg
    from psycopg import sql
except ImportError:  # pragma: no cover - psycopg is in the dev extra
    psycopg = None  # type: ignore[assignment]
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import URL, make_url  # noqa: E402
from sync import COUNTY, GIVEN, SURNAMES, enrol_township, export, fill_township, township_code  # noqa: E402

from remoteedu_desktop.data.database import Database, open_database  # noqa: E402
from remoteedu_desktop.data.models import CertificateSerial, Person  # noqa: E402
from remoteedu_desktop.errors import ConcurrentEditError  # noqa: E402
from remoteedu_desktop.services import (  # noqa: E402
    certificate_numbers,
    demo,
    offices,
    overview_figures,
    people,
    sync_import,
    sync_rows,
)
from remoteedu_desktop.services.id_number import check_digit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
URL_ENV = "REMOTEEDU_BENCH_PG_URL"
FULL = {"townships": 10, "people": 10_000, "attendance": 100_000, "clerks": 8, "numbers": 2_000, "edits": 2_000,
        "edited_people": 40, "demo_townships": 6, "demo_sites": 10}
QUICK = {"townships": 2, "people": 40, "attendance": 200, "clerks": 8, "numbers": 64, "edits": 64,
         "edited_people": 8, "demo_townships": 1, "demo_sites": 2}
OVERVIEW_RUNS = 5


# --- the server ---------------------------------------------------------------------------------------------------

def find_server(given: str | None) -> tuple[str | None, str]:
    """The server's admin URL and where it came from, or (None, why there is none)."""
    if given:
        return given, "--server"
    if os.environ.get(URL_ENV):
        return os.environ[URL_ENV], URL_ENV
    script = ROOT / "scripts" / "postgres.sh"
    try:
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"scripts/postgres.sh did not run: {exc}"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        why = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        return None, f"scripts/postgres.sh: {why}"
    return lines[-1].strip(), "scripts/postgres.sh"


def libpq(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection string for bare psycopg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Server:
    """Creates the bench's databases on the server and drops every one of them at the end."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url: URL = make_url(admin_url)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
        self.prefix = f"bench_pg_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.made: list[str] = []
        with self.admin.connect() as conn:
            self.version = str(conn.scalar(text("SHOW server_version")))

    def url_of(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        full = f"{self.prefix}_{name}"
        source = f' TEMPLATE "{self.prefix}_{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{full}"{source}'))
        self.made.append(full)
        return self.url_of(full)

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in reversed(self.made):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


# --- 1. sync import at a county -----------------------------------------------------------------------------------

@dataclass
class SyncFigures:
    built: float
    bundles: list[str]
    messages: list[str]
    records: int
    statuses: dict[str, int]
    t_import: float
    t_bare: float
    bare_rows: int
    tables_agree: bool


def added_rows(before: psycopg.Connection, after: psycopg.Connection, codes: list[str]
               ) -> tuple[dict[str, list[tuple[sql.Composed, list[tuple[Any, ...]]]]], int]:
    """The rows the import added (every travelling table, every column), per origin, as INSERT statements."""
    per_town: dict[str, list[tuple[sql.Composed, list[tuple[Any, ...]]]]] = {c: [] for c in codes}
    total = 0
    for table in sync_rows.synced_table_names():
        old = {r[0] for r in before.execute(sql.SQL("SELECT id FROM {}").format(sql.Identifier(table)))}
        cur = after.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table)))
        cols = [d.name for d in cur.description or ()]
        origin, rid = cols.index("origin"), cols.index("id")
        groups: dict[str, list[tuple[Any, ...]]] = {}
        for r in cur:
            if r[rid] not in old:
                groups.setdefault(r[origin], []).append(r)
        insert = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, cols)),
            sql.SQL(", ").join(sql.Placeholder() * len(cols)))
        for code, rows in groups.items():
            per_town.setdefault(code, []).append((insert, rows))
            total += len(rows)
    return per_town, total


def bare_import(before_url: str, after_url: str, codes: list[str]) -> tuple[float, int, bool]:
    """Bare ``executemany`` of the rows the import added into the copy taken before it, one transaction per
    township; and whether the copy then holds as many rows in every travelling table as the county."""
    with psycopg.connect(libpq(before_url)) as before, psycopg.connect(libpq(after_url)) as after:
        per_town, total = added_rows(before, after, codes)
        before.commit()
        start = time.perf_counter()
        for code in per_town:
            with before.transaction(), before.cursor() as cur:
                for insert, rows in per_town[code]:
                    cur.executemany(insert, rows)
        elapsed = time.perf_counter() - start
        agree = all(
            before.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()
            == after.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()
            for t in sync_rows.synced_table_names())
    return elapsed, total, agree


def sync_bench(server: Server, tmp: Path, townships: int, people_total: int, attendance: int) -> SyncFigures:
    start = time.perf_counter()
    county_url = server.create("county", template="migrated")
    county = open_database(county_url, account="county_clerk")
    with county.session() as s:
        offices.init_office(s, level="county", code=COUNTY, name="青山县")
    per_people, per_att = people_total // townships, attendance // townships
    folder = tmp / "stick"
    folder.mkdir()
    codes = []
    for n in range(townships):
        township = enrol_township(county, tmp, n)
        fill_township(township, n, per_people, per_att)
        export(township, folder)
        township.dispose()
        codes.append(township_code(n))
    county.dispose()
    before_url = server.create("county_before", template="county")  # no connection to the county is open
    built = time.perf_counter() - start

    db = open_database(county_url, account="county_clerk")
    files = sorted(p for p in folder.iterdir() if p.suffix == ".zip")
    start = time.perf_counter()
    reports = [report for _, report in sync_import.apply_all(db, files)]
    t_import = time.perf_counter() - start
    db.dispose()
    statuses: dict[str, int] = {}
    for r in reports:
        for rec in r.records:
            statuses[rec.status] = statuses.get(rec.status, 0) + 1
    t_bare, bare_rows, agree = bare_import(before_url, county_url, codes)
    return SyncFigures(built, [r.status for r in reports], [r.message for r in reports if r.message],
                       sum(len(r.records) for r in reports), statuses, t_import, t_bare, bare_rows, agree)


# --- 2. several clerks at once ------------------------------------------------------------------------------------

@dataclass
class Attempt:
    person: str
    read_version: int
    phone: str
    saved: bool
    error: str | None = None  # not None: a refusal that was no ConcurrentEditError (a lost promise)


@dataclass
class ClerkRun:
    seconds: float
    numbers: list[str] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # numbers refused with an exception


@dataclass(frozen=True)
class Work:
    """One piece of a clerk's work (picklable, for ``--processes``): ``numbers`` issues one certificate number
    of *year*; ``edits`` corrects one of *person_ids* (its phone) with the version read just before."""

    kind: str
    year: int = 0
    person_ids: tuple[str, ...] = ()
    tag: str = ""

    def __call__(self, db: Database, k: int, i: int, out: ClerkRun) -> None:
        if self.kind == "numbers":
            try:
                with db.session() as s:
                    number = certificate_numbers.next_number(s, "on_duty", self.year, county=COUNTY)
                out.numbers.append(number)
            except Exception as exc:  # noqa: BLE001  the bench counts every refusal; none is expected
                out.failures.append(f"{type(exc).__name__}: {exc}")
            return
        pid = self.person_ids[(i * 7 + k) % len(self.person_ids)]
        with db.session() as s:  # the form as the clerk opened it
            version = s.scalar(select(Person.row_version).where(Person.id == pid))
        attempt = Attempt(pid, int(version or 0), f"1{self.tag}{k:02d}{i:07d}", saved=False)
        try:
            with db.session() as s:
                people.update_person(s, pid, expected_version=attempt.read_version, phone=attempt.phone)
            attempt.saved = True
        except ConcurrentEditError:
            pass
        except Exception as exc:  # noqa: BLE001  a refusal without the concurrent-edit message: a broken promise
            attempt.error = f"{type(exc).__name__}: {exc}"
        out.attempts.append(attempt)


def shares_of(count: int, clerks: int) -> list[int]:
    return [count // clerks + (1 if k < count % clerks else 0) for k in range(clerks)]


def merged(elapsed: float, results: list[ClerkRun]) -> ClerkRun:
    out = ClerkRun(elapsed)
    for r in results:
        out.numbers += r.numbers
        out.attempts += r.attempts
        out.failures += r.failures
    return out


def run_clerks(databases: list[Database], count: int, work: Work) -> ClerkRun:
    """One thread per database (each its own ``open_database``: one PC each) shares *count* pieces of *work*;
    the clock runs from the moment all are released together until the last has finished."""
    clerks = len(databases)
    results = [ClerkRun(0.0) for _ in range(clerks)]
    shares = shares_of(count, clerks)
    gate = threading.Barrier(clerks + 1)

    def clerk(k: int) -> None:
        gate.wait()
        for i in range(shares[k]):
            work(databases[k], k, i, results[k])

    threads = [threading.Thread(target=clerk, args=(k,), name=f"clerk{k + 1}") for k in range(clerks)]
    for t in threads:
        t.start()
    gate.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return merged(elapsed, results)


def clerk_process(url: str, k: int, share: int, work: Work, gate: Any, done: Any) -> None:
    db = open_database(url, account=f"clerk{k + 1}")
    out = ClerkRun(0.0)
    gate.wait()
    for i in range(share):
        work(db, k, i, out)
    done.put(out)
    db.dispose()


def run_clerk_processes(url: str, clerks: int, count: int, work: Work) -> ClerkRun:
    """As :func:`run_clerks`, each clerk a process of its own (no shared interpreter lock, as on 8 PCs)."""
    ctx = multiprocessing.get_context("spawn")
    gate, done = ctx.Barrier(clerks + 1), ctx.Queue()
    procs = [ctx.Process(target=clerk_process, args=(url, k, share, work, gate, done), name=f"clerk{k + 1}")
             for k, share in enumerate(shares_of(count, clerks))]
    for p in procs:
        p.start()
    gate.wait(timeout=600)
    start = time.perf_counter()
    results = [done.get(timeout=3600) for _ in procs]
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    return merged(elapsed, results)


def numbers_check(numbers: list[str], failures: list[str], count: int, year: int) -> tuple[bool, str]:
    prefix = f"{COUNTY}{year}SG"
    serials = sorted(int(n[len(prefix):]) if n.startswith(prefix) else -1 for n in numbers)
    ok = (not failures and serials == list(range(1, count + 1)) and all(n.startswith(prefix) for n in numbers)
          and len(set(numbers)) == len(numbers))
    why = "" if ok else (f"{len(numbers)} numbers, {len(set(numbers))} distinct, serials {serials[:3]}…{serials[-3:]}; "
                         f"{len(failures)} refused ({failures[:1]})")
    return ok, why


def edits_check(db: Database, attempts: list[Attempt], start_versions: dict[str, int]) -> tuple[int, int, str]:
    """(lost edits, saves, why): an edit is lost when two saves were made over the same version of a person,
    when a person's version did not grow by exactly its saves, or when its phone is not the last one saved;
    a refusal that was no ConcurrentEditError counts as lost too."""
    lost = sum(1 for a in attempts if a.error)
    why = [a.error for a in attempts if a.error][:1]
    saves = [a for a in attempts if a.saved]
    with db.session() as s:
        final = {pid: (version, phone) for pid, version, phone in s.execute(
            select(Person.id, Person.row_version, Person.phone).where(Person.id.in_(start_versions)))}
    for pid, v0 in start_versions.items():
        mine = sorted((a for a in saves if a.person == pid), key=lambda a: a.read_version)
        versions = [a.read_version for a in mine]
        over_same = len(versions) - len(set(versions))
        version, phone = final[pid]
        if over_same or version != v0 + len(mine) or (mine and phone != mine[-1].phone):
            lost += max(1, over_same)
            why.append(f"person {pid[:8]}: versions {v0}→{version} after {len(mine)} saves, phone {phone}")
    return lost, len(saves), "; ".join(str(w) for w in why[:3])


def add_people(db: Database, count: int) -> list[str]:
    ids = []
    with db.session() as s:
        for i in range(count):
            first17 = f"360499{dt.date(1980, 1, 1) + dt.timedelta(days=37 * i):%Y%m%d}{i % 1000:03d}"
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[i // len(GIVEN) % len(GIVEN)]
            info = people.add_person(s, people.PersonInput(name=name,
                                                           id_number=first17 + check_digit(first17),
                                                           phone=f"13800{i:06d}"))
            ids.append(info.id)
    return ids


@dataclass
class ClerkFigures:
    clerks: int
    numbers: int
    edits: int
    one_numbers: ClerkRun
    many_numbers: ClerkRun
    numbers_ok: bool
    numbers_why: str
    one_edits: ClerkRun
    many_edits: ClerkRun
    lost: int
    saves: int
    lost_why: str
    one_lost: int


def clerks_bench(server: Server, clerks: int, numbers: int, edits: int, edited_people: int, *,
                 processes: bool = False) -> ClerkFigures:
    url = server.create("clerks", template="migrated")
    db = open_database(url, account="setup")
    with db.session() as s:
        offices.init_office(s, level="county", code=COUNTY, name="青山县")
    ids = add_people(db, edited_people)
    # numbers: one clerk in one year, the clerks in the next, each year's serials from 1 (the first number of a
    # year inserts its serial row: the clerks race for that too)
    one = [open_database(url, account="clerk")]
    many = [open_database(url, account=f"clerk{k + 1}") for k in range(0 if processes else clerks)]

    def run(work: Work, count: int, *, alone: bool) -> ClerkRun:
        if alone:
            return run_clerks(one, count, work)
        return run_clerk_processes(url, clerks, count, work) if processes else run_clerks(many, count, work)

    one_numbers = run(Work("numbers", year=2026), numbers, alone=True)
    many_numbers = run(Work("numbers", year=2027), numbers, alone=False)
    ok1, why1 = numbers_check(one_numbers.numbers, one_numbers.failures, numbers, 2026)
    ok8, why8 = numbers_check(many_numbers.numbers, many_numbers.failures, numbers, 2027)
    with db.session() as s:  # the serial rows say the same
        last = dict(s.execute(select(CertificateSerial.year, CertificateSerial.last_serial)
                              .where(CertificateSerial.kind == "on_duty")).tuples().all())
    numbers_ok = ok1 and ok8 and last == {2026: numbers, 2027: numbers}
    numbers_why = "; ".join(w for w in (why1, why8, "" if last == {2026: numbers, 2027: numbers}
                                        else f"serial rows {last}") if w)

    def versions() -> dict[str, int]:
        with db.session() as s:
            return dict(s.execute(select(Person.id, Person.row_version).where(Person.id.in_(ids))).tuples().all())

    v0 = versions()
    one_edits = run(Work("edits", person_ids=tuple(ids), tag="5"), edits, alone=True)
    one_lost, _, why_one = edits_check(db, one_edits.attempts, v0)
    v1 = versions()
    many_edits = run(Work("edits", person_ids=tuple(ids), tag="9"), edits, alone=False)
    for clerk_db in one + many:
        clerk_db.dispose()
    lost, saves, lost_why = edits_check(db, many_edits.attempts, v1)
    if one_lost:
        lost_why = f"one clerk: {why_one}; {lost_why}"
    db.dispose()
    return ClerkFigures(clerks, numbers, edits, one_numbers, many_numbers, numbers_ok, numbers_why, one_edits,
                        many_edits, lost, saves, lost_why, one_lost)


# --- 3. the county overview ---------------------------------------------------------------------------------------

def overview_times(db: Database) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(OVERVIEW_RUNS):
        with db.session() as s:
            start = time.perf_counter()
            result = overview_figures.overview(s, today=demo.DEFAULT_TODAY)
            times.append(time.perf_counter() - start)
    return statistics.median(times), result


def comparable(o: overview_figures.Overview) -> tuple[Any, ...]:
    """The overview without the unit ids (random per database)."""
    return (o.scope_name, o.year, o.figures, o.activities_per_month, o.training_hours_per_month, o.fault_ages,
            [(t.code, t.name, t.figures) for t in o.per_township])


def overview_bench(server: Server, tmp: Path, townships: int, sites: int) -> tuple[float, float, bool, str]:
    results = []
    for url in (server.create("demo", template="migrated"), f"sqlite:///{tmp / 'demo.sqlite3'}"):
        db = open_database(url, account="demo")
        with db.session() as s:
            summary = demo.generate_demo(s, townships=townships, sites=sites)
        results.append(overview_times(db))
        db.dispose()
    (t_pg, pg), (t_lite, lite) = results
    agree = comparable(pg) == comparable(lite)
    return t_pg, t_lite, agree, f"{summary}"


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # --processes: the clerks
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rate(run: ClerkRun, count: int) -> float:
    return count / run.seconds if run.seconds else 0.0


# --- the run ------------------------------------------------------------------------------------------------------

@contextmanager
def server_or_none(given: str | None) -> Iterator[tuple[Server | None, str]]:
    url, where = find_server(given) if psycopg is not None else (None, "psycopg is not installed (pip install .[postgres])")
    if url is None:
        yield None, where
        return
    try:
        server = Server(url)
    except Exception as exc:  # noqa: BLE001  any failure to reach the server is the one row "no server"
        yield None, f"{where}: cannot connect: {str(exc).strip().splitlines()[0]}"
        return
    try:
        yield server, where
    finally:
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", metavar="URL", help=f"the server's URL (else ${URL_ENV}, else scripts/postgres.sh)")
    parser.add_argument("--quick", action="store_true", help="small sizes (each option below still overrides)")
    for key, value in FULL.items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=int, default=None, metavar="N",
                            help=f"default {value:,} (quick {QUICK[key]:,})")
    parser.add_argument("--processes", action="store_true",
                        help="the clerks as processes, not threads (no shared interpreter lock, as on separate PCs)")
    parser.add_argument("--no-overview", action="store_true", help="leave out the overview (3.)")
    add_json_option(parser)
    args = parser.parse_args()
    size = {k: getattr(args, k) if getattr(args, k) is not None else (QUICK if args.quick else FULL)[k]
            for k in FULL}

    with server_or_none(args.server) as (server, where):
        if server is None:
            print(f"postgres: no PostgreSQL server: {where}")
            print_table([Row(f"no PostgreSQL server ({where})", None, None, "", "-", None)], args.json)
            return 0
        print(f"postgres: PostgreSQL {server.version} at {server.admin_url.render_as_string(hide_password=True)} "
              f"(from {where}); psycopg {psycopg.__version__}, Python {sys.version.split()[0]}; "
              f"databases {server.prefix}_*, dropped at the end")
        migrated = server.create("migrated")
        open_database(migrated, account="bench").dispose()  # migrated once; every other database is a copy
        with tempfile.TemporaryDirectory(prefix="bench-pg-") as tmpdir:
            tmp = Path(tmpdir)
            parts = [time.perf_counter()]
            sync = sync_bench(server, tmp, size["townships"], size["people"], size["attendance"])
            parts.append(time.perf_counter())
            clerks = clerks_bench(server, size["clerks"], size["numbers"], size["edits"], size["edited_people"],
                                  processes=args.processes)
            parts.append(time.perf_counter())
            overview = None if args.no_overview else overview_bench(server, tmp, size["demo_townships"],
                                                                    size["demo_sites"])
            parts.append(time.perf_counter())

    n = size["townships"]
    applied = sync.bundles.count("applied")
    print(f"sync: {n} townships, {size['people'] // n * n:,} people, {size['attendance'] // n * n:,} attendance; "
          f"setup {sync.built:.1f} s")
    print(f"import: {applied}/{len(sync.bundles)} bundles applied, {sync.records:,} records "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(sync.statuses.items()))}); bare executemany inserted "
          f"{sync.bare_rows:,} rows; row counts of every travelling table then agree: "
          f"{'yes' if sync.tables_agree else 'NO'}")
    for message in sync.messages:
        print(f"  refused: {message}")
    c = clerks
    print(f"clerks: {c.clerks} {'processes' if args.processes else 'threads'}, each its own open_database; {c.numbers:,} numbers, {c.edits:,} corrections "
          f"of {size['edited_people']} people shared by all")
    print(f"numbers: 1…{c.numbers} each once (one clerk and {c.clerks} clerks): "
          f"{'yes' if c.numbers_ok else 'NO: ' + c.numbers_why}")
    refused = sum(1 for a in c.many_edits.attempts if not a.saved and not a.error)
    print(f"corrections by {c.clerks} clerks: {c.saves:,} saved, {refused:,} refused with ConcurrentEditError, "
          f"{sum(1 for a in c.many_edits.attempts if a.error)} other refusals; lost edits {c.lost}"
          + (f" ({c.lost_why})" if c.lost_why else ""))
    if overview:
        print(f"overview: demo county {overview[3]}; PostgreSQL and SQLite give the same figures: "
              f"{'yes' if overview[2] else 'NO'}")

    print(f"wall time: sync {parts[1] - parts[0]:.1f} s (setup included), clerks {parts[2] - parts[1]:.1f} s, "
          f"overview {parts[3] - parts[2]:.1f} s (demo generation included); CPU time of this process "
          f"{cpu_seconds():.1f} s (the server's not included); load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs")
    rows = [
        Row(f"county imports {n} bundles on PostgreSQL (vs. bare executemany)", sync.t_import, sync.t_bare, "s",
            "≤ 3× bare", applied == n and sync.tables_agree and sync.t_import <= 3 * sync.t_bare),
        Row("import rate (vs. bare)", sync.records / sync.t_import if sync.t_import else None,
            sync.bare_rows / sync.t_bare if sync.t_bare else None, "rows/s", "-", None),
        Row(f"certificate numbers, {c.clerks} clerks (vs. one clerk)", rate(c.many_numbers, c.numbers),
            rate(c.one_numbers, c.numbers), "numbers/s", "≥ one clerk's",
            rate(c.many_numbers, c.numbers) >= rate(c.one_numbers, c.numbers)),
        Row(f"numbers 1…N each exactly once (R11), {c.clerks} clerks and one", float(c.numbers), None, "numbers",
            "no gap, no twin", c.numbers_ok),
        Row(f"person corrections, {c.clerks} clerks (vs. one clerk)", rate(c.many_edits, c.edits),
            rate(c.one_edits, c.edits), "edits/s", "≥ one clerk's",
            rate(c.many_edits, c.edits) >= rate(c.one_edits, c.edits)),
        Row(f"lost edits, {c.clerks} clerks (refusals: ConcurrentEditError)", float(c.lost), None, "edits", "0",
            c.lost == 0),
    ]
    if overview:
        rows.append(Row(f"county overview on PostgreSQL (vs. SQLite), demo {size['demo_townships']}×"
                        f"{size['demo_sites']}", overview[0], overview[1], "s", "< 0.5 s",
                        overview[0] < 0.5 and overview[2]))
    print_table(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
