"""The county imports the up bundles of its townships (issue 6, item 11), beside a bare ``sqlite3.executemany``
of the same rows; and the export of one township with 5,000 people.

    python bench/sync.py                                          # 30 townships, 60,000 people, 600,000 attendance
    python bench/sync.py --townships 3 --people 60 --attendance 300   # quick

Setup, not timed: a county database and *townships* township databases in a temporary directory, each
township enrolled with the county and its keys accepted (``sync_enrolment``, as in the clerk's phone check).
Each township has people/townships people (``services.bulk.add_people``), one village site for each two of
them with everyone on post A or B (``bulk.assign_posts``), township-run training plans of five sessions each
(``training_plans``), everyone enrolled (``training_enrolment.enrol``) and attendance/townships attendance rows
(``bulk.record_attendance``). The bulk paths stamp the rows with the township's code as ``origin`` and
``changed_by`` and a ``change_seq`` from the township's own counter (``stamping.next_change_seq``). Then each
township writes its up bundle (``sync_export.export_up``) into one folder, as the clerks' USB sticks would.

Measured:

- the export of one separate township with 5,000 people (and the same attendance per person), not imported;
- the county importing the folder with ``sync_import.apply_all`` as the CLI and the Sync page do (check,
  one pre-import backup for the folder, one transaction per bundle: merge, audit, ledger), in a child process so that its peak
  RSS is the import's own;
- comparison: bare ``sqlite3.executemany`` of exactly the rows the import added (the same tables and columns,
  read back from the county database afterwards) into a copy of the county database taken before the import
  (its schema and the county's few own rows), one transaction per township, with the program's pragmas.

Goals: the import within 3× of bare; the export of 5,000 people under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import Row, add_json_option, print_table  # noqa: E402
from sqlalchemy import select  # noqa: E402

from remoteedu_desktop.data.database import Database, open_database  # noqa: E402
from remoteedu_desktop.data.engine import CACHE_KIB  # noqa: E402
from remoteedu_desktop.data.models import OrgUnit  # noqa: E402
from remoteedu_desktop.services import (  # noqa: E402
    bulk,
    office_keys,
    offices,
    sync_export,
    sync_import,
    sync_rows,
    training_enrolment,
    training_plans,
)
from remoteedu_desktop.services import sync_enrolment as se  # noqa: E402
from remoteedu_desktop.services.id_number import check_digit  # noqa: E402

COUNTY = "360499"
TODAY = dt.date(2026, 11, 1)
SESSIONS_PER_PLAN = 5
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉海燕喆堃玥文斌鹏飞宇婷"
PRAGMAS = ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", f"cache_size={CACHE_KIB}")


def township_code(n: int) -> str:
    return f"{COUNTY}{101 + n:03d}"


def enrol_township(county: Database, tmp: Path, n: int) -> Database:
    """A township database enrolled with the county, its keys accepted (issue 6, item 1)."""
    code = township_code(n)
    with county.session() as s:
        se.add_township_office(s, code, f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]}镇")
        enrolment = se.enrolment_file(s, code)
    township = open_database(f"sqlite:///{tmp / code / 'township.sqlite3'}", account="town_clerk")
    with township.session() as s:
        se.install_enrolment(s, enrolment, where=f"{code}.json")
        keys = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
        fp = office_keys.own_fingerprint(s)
    with county.session() as s:
        se.pending_peer_key(s, code, *keys)
        se.accept_peer(s, code, fp.short)
    return township


def fill_township(db: Database, n: int, people: int, attendance: int, seed: int = 2026) -> None:
    """People, sites with posts, township-run trainings with sessions, enrolments and attendance, through the
    bulk paths (stamped with the township's code and counter)."""
    rng = random.Random(seed + n)
    code = township_code(n)
    with db.session() as s:
        unit_id = s.scalar(select(OrgUnit.id).where(OrgUnit.code == code))
        assert unit_id is not None
        villages = bulk.insert_rows(
            s, OrgUnit.__table__, ("parent_id", "kind", "code", "name", "active", "sort_order"),
            [(unit_id, "village", f"{code}{i + 1:03d}" if i < 999 else None,
              f"{GIVEN[i % len(GIVEN)]}{SURNAMES[i // 7 % 48]}{GIVEN[i // 300 % len(GIVEN)]}村",
              True, i) for i in range((people + 1) // 2)])
        rows = []
        for i in range(people):
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 9000) // 1000 * 1000 + i // 1000)
            first17 = f"3604{n:02d}{birth:%Y%m%d}{i % 1000:03d}"
            rows.append({"name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                         "id_number": first17 + check_digit(first17), "phone": f"138{n:02d}{i:06d}"})
        ids = bulk.add_people(s, rows, today=TODAY).ids
        bulk.assign_posts(s, [{"person_id": pid, "unit_id": villages.ids[i // 2], "role": "village_manager",
                               "slot": "AB"[i % 2], "start_date": dt.date(2024, 1, 1)} for i, pid in enumerate(ids)])
        sessions = max(1, -(-attendance // max(1, people)))
        session_ids: list[str] = []
        for p in range(-(-sessions // SESSIONS_PER_PLAN)):
            plan = training_plans.add_plan(s, training_plans.PlanInput(
                title=f"2026年{code}村级站点管理员培训（第{p + 1}期）", year=2026, organizer_level="township",
                target_role="village_manager", target_level="village", topics=("1", "2"), kind="regular",
                mode="lecture", planned_hours=2.5 * SESSIONS_PER_PLAN, pass_mark=60.0, organizer_unit_id=unit_id))
            count = min(SESSIONS_PER_PLAN, sessions - p * SESSIONS_PER_PLAN)
            for k in range(count):
                sitting = training_plans.add_session(s, plan.id, training_plans.SessionInput(
                    date=dt.date(2026, 3, 2) + dt.timedelta(days=7 * p + k), hours=2.5,
                    start_time=dt.time(9, 0), end_time=dt.time(11, 30), place="镇党员活动室", instructor_name="王堃"))
                session_ids.append(sitting.id)
            training_enrolment.enrol(s, plan.id, ids)
        cells = [(sid, pid) for sid in session_ids for pid in ids][:attendance]
        bulk.record_attendance(s, [(sid, pid, k % 9 != 0, 0.0 if k % 9 == 0 else 2.5)
                                   for k, (sid, pid) in enumerate(cells)])


def export(db: Database, folder: Path) -> tuple[float, sync_export.ExportResult]:
    start = time.perf_counter()
    with db.session() as s:
        result = sync_export.export_up(s, folder)
    return time.perf_counter() - start, result


def snapshot(source: Path, target: Path) -> None:
    """A consistent copy of the database as it is now (the WAL included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()


def import_child(county_path: Path, folder: Path) -> int:
    """In a fresh process: the county imports every bundle of *folder*, as ``remoteedu sync import`` does."""
    db = open_database(f"sqlite:///{county_path}", account="county_clerk")
    files = sorted(p for p in folder.iterdir() if p.suffix == ".zip")
    start = time.perf_counter()
    reports = [report for _, report in sync_import.apply_all(db, files)]
    elapsed = time.perf_counter() - start
    db.dispose()
    statuses: dict[str, int] = {}
    for r in reports:
        for rec in r.records:
            statuses[rec.status] = statuses.get(rec.status, 0) + 1
    print(json.dumps({"seconds": elapsed, "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "bundles": [r.status for r in reports], "messages": [r.message for r in reports if r.message],
                      "records": sum(len(r.records) for r in reports), "statuses": statuses}))
    return 0


def bare_import(before: Path, after: Path, codes: list[str]) -> tuple[float, int]:
    """The rows the import added to the county (every travelling table, every column), inserted into the copy
    taken before the import with ``executemany``: one transaction per township, commit included."""
    tables = sync_rows.synced_table_names()
    per_town: dict[str, list[tuple[str, list[tuple[Any, ...]]]]] = {c: [] for c in codes}
    rows_total = 0
    with sqlite3.connect(after) as a, sqlite3.connect(before) as b:
        for table in tables:
            old = {r[0] for r in b.execute(f"SELECT id FROM {table}")}
            cur = a.execute(f"SELECT * FROM {table}")
            cols = [d[0] for d in cur.description]
            origin, rid = cols.index("origin"), cols.index("id")
            groups: dict[str, list[tuple[Any, ...]]] = {}
            for r in cur:
                if r[rid] not in old:
                    groups.setdefault(r[origin], []).append(r)
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for code, rows in groups.items():
                per_town.setdefault(code, []).append((sql, rows))
                rows_total += len(rows)
    conn = sqlite3.connect(before, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    start = time.perf_counter()
    for code in per_town:
        conn.execute("BEGIN")
        for sql, rows in per_town[code]:
            conn.executemany(sql, rows)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, rows_total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=30)
    parser.add_argument("--people", type=int, default=60_000, help="people in all townships together")
    parser.add_argument("--attendance", type=int, default=600_000, help="attendance rows in all townships together")
    parser.add_argument("--export-people", type=int, default=5_000, help="people of the separately timed export")
    parser.add_argument("--keep", type=Path, default=None, help="build into this folder and keep it")
    parser.add_argument("--import-child", nargs=2, type=Path, metavar=("COUNTY_DB", "FOLDER"), help=argparse.SUPPRESS)
    add_json_option(parser)
    args = parser.parse_args()
    if args.import_child:
        return import_child(*args.import_child)

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = args.keep or Path(tmpdir)
        tmp.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        county_path = tmp / "county" / "county.sqlite3"
        county = open_database(f"sqlite:///{county_path}", account="county_clerk")
        with county.session() as s:
            offices.init_office(s, level="county", code=COUNTY, name="青山县")
        per_people, per_att = args.people // args.townships, args.attendance // args.townships
        folder = tmp / "stick"
        folder.mkdir(exist_ok=True)
        codes, exports = [], []
        for n in range(args.townships):
            township = enrol_township(county, tmp, n)
            fill_township(township, n, per_people, per_att)
            exports.append(export(township, folder)[0])
            township.dispose()
            codes.append(township_code(n))
        # the separately timed export: one township of --export-people people, the same attendance per person
        big_n = args.townships
        big = enrol_township(county, tmp, big_n)
        big_att = args.export_people * max(1, args.attendance // max(1, args.people))
        fill_township(big, big_n, args.export_people, big_att)
        (tmp / "big").mkdir(exist_ok=True)
        t_export, big_result = export(big, tmp / "big")
        big_bytes = big_result.path.stat().st_size
        big.dispose()
        county.dispose()
        built = time.perf_counter() - start
        bundle_bytes = sum(p.stat().st_size for p in folder.iterdir())

        before = tmp / "county_before.sqlite3"
        snapshot(county_path, before)
        if args.keep:  # for re-running the import alone: --import-child on a copy of this file
            snapshot(county_path, tmp / "county_pristine.sqlite3")
        child = subprocess.run([sys.executable, __file__, "--import-child", str(county_path), str(folder)],
                               capture_output=True, text=True)
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            return 1
        result = json.loads(child.stdout.strip().splitlines()[-1])
        t_bare, bare_rows = bare_import(before, county_path, codes)

    t_import = result["seconds"]
    applied = result["bundles"].count("applied")
    print(f"sync: {args.townships} townships, {per_people * args.townships:,} people, "
          f"{per_att * args.townships:,} attendance; setup {built:.1f} s (exports {sum(exports):.1f} s); "
          f"{bundle_bytes / 2**20:.1f} MiB of bundles; SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}")
    print(f"import: {applied}/{len(result['bundles'])} bundles applied, {result['records']:,} records "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(result['statuses'].items()))}); "
          f"bare inserted {bare_rows:,} rows; peak RSS of the import {result['rss_kib'] / 1024:.0f} MiB")
    for message in result["messages"]:
        print(f"  refused: {message}")
    print(f"export of {args.export_people:,} people: {big_result.total:,} rows, "
          f"{big_bytes / 2**20:.1f} MiB")
    rows = [
        Row(f"county imports {args.townships} bundles (vs. bare executemany)", t_import, t_bare, "s", "≤ 3× bare",
            applied == args.townships and t_import <= 3 * t_bare),
        Row("import rate (vs. bare)", result["records"] / t_import, bare_rows / t_bare if t_bare else None,
            "rows/s", "-", None),
        Row("import peak RSS", result["rss_kib"] / 1024, None, "MiB", "-", None),
        Row(f"export of one township with {args.export_people:,} people", t_export, None, "s", "< 2 s",
            t_export < 2),
    ]
    print_table(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
