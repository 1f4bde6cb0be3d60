"""Scale: 100,000 people with posts and 1,000,000 attendance rows through the program's own
write path (validation, sync stamps, audit rows, one transaction per batch), beside a bare
``sqlite3.executemany`` of exactly the same rows into the same schema, in the same run.

    python bench/seed_scale.py                    # full size
    python bench/seed_scale.py --people 2000 --attendance 20000   # quick

Goal: the program's write path within 2× of the bare insert; peak memory under 1 GiB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import Row, add_json_option, print_table  # noqa: E402

from remoteedu_desktop.data.database import open_database  # noqa: E402
from remoteedu_desktop.data.engine import CACHE_KIB  # noqa: E402
from remoteedu_desktop.data.models import OrgUnit, TrainingPlan, TrainingSession  # noqa: E402
from remoteedu_desktop.services import bulk  # noqa: E402
from remoteedu_desktop.services.id_number import check_digit  # noqa: E402
from remoteedu_desktop.services.offices import init_office  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰海燕喆堃玥"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_people(n: int, rng: random.Random) -> list[dict[str, str]]:
    out = []
    for i in range(n):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 14600))
        # Region digits from the index keep the numbers unique across 100k people.
        first17 = f"{36 + i // 1_000_000:02d}{(i // 1000) % 10000:04d}{birth:%Y%m%d}{i % 1000:03d}"
        out.append({"name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    "id_number": first17 + check_digit(first17), "ethnicity": "01",
                    "political_status": "01", "education": "21", "phone": f"138{i:08d}"})
    return out


def table_rows(path: Path, table: str) -> tuple[list[str], list[tuple]]:
    with sqlite3.connect(path) as conn:
        cur = conn.execute(f"SELECT * FROM {table}")
        return [d[0] for d in cur.description], cur.fetchall()


def bare_insert(path: Path, table: str, columns: list[str], rows: list[tuple]) -> float:
    conn = sqlite3.connect(path)
    # The same pragmas the program sets, so the comparison measures the write path, not settings.
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", f"cache_size={CACHE_KIB}"):
        conn.execute(f"PRAGMA {pragma}")
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(sql, rows)
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--attendance", type=int, default=1_000_000)
    add_json_option(parser)
    args = parser.parse_args()
    rng = random.Random(2026)
    villages = max(1, args.people * 2 // 5 // 2)  # 80% of people are village managers on A/B
    townships = max(1, min(100, villages // 50))
    people_input = make_people(args.people, rng)

    with tempfile.TemporaryDirectory() as tmp:
        ours_path, bare_path = Path(tmp) / "ours.sqlite3", Path(tmp) / "bare.sqlite3"
        ours = open_database(f"sqlite:///{ours_path}")
        # Setup, not timed: the office, units, one training with sessions.
        with ours.session() as s:
            init_office(s, level="county", code="360499", name="青山县")
            county = s.query(OrgUnit).one()
            twn = bulk.insert_rows(s, OrgUnit.__table__, ("parent_id", "kind", "code", "name", "active"),
                                   [(county.id, "township", f"360499{i:03d}", f"第{i}镇", True)
                                    for i in range(townships)])
            vil = bulk.insert_rows(s, OrgUnit.__table__, ("parent_id", "kind", "code", "name", "active"),
                                   [(twn.ids[i % townships], "village", f"360499{i % townships:03d}{i // townships:03d}",
                                     f"第{i}村", True) for i in range(villages)])
            plan = TrainingPlan(title="规模测试培训", year=2026, organizer_level="county", target_role="village_manager",
                                target_level="village", topics=127, kind="regular", mode="lecture")
            s.add(plan)
            s.flush()
            per_session = min(args.people, 4000)
            n_sessions = max(1, args.attendance // per_session)
            sessions = bulk.insert_rows(s, TrainingSession.__table__, ("plan_id", "date", "hours"),
                                        [(plan.id, dt.date(2026, 1, 1) + dt.timedelta(days=i % 300), 2.0)
                                         for i in range(n_sessions)])

        rss_before = peak_rss_mb()
        timings = {}
        start = time.perf_counter()
        with ours.session() as s:
            people = bulk.add_people(s, people_input, today=dt.date(2026, 11, 1))
        timings["person"] = time.perf_counter() - start

        posts_input = []
        for i, pid in enumerate(people.ids):
            if i < villages * 2:
                posts_input.append({"person_id": pid, "unit_id": vil.ids[i // 2], "role": "village_manager",
                                    "slot": "AB"[i % 2], "start_date": dt.date(2024, 1, 1)})
            else:
                posts_input.append({"person_id": pid, "unit_id": twn.ids[i % townships],
                                    "role": "township_tutor", "slot": None, "start_date": dt.date(2024, 1, 1)})
        start = time.perf_counter()
        with ours.session() as s:
            bulk.assign_posts(s, posts_input)
        timings["post"] = time.perf_counter() - start

        attendance_input = [(sessions.ids[k // per_session], people.ids[k % per_session], True, 2.0)
                            for k in range(n_sessions * per_session)]
        start = time.perf_counter()
        with ours.session() as s:
            bulk.record_attendance(s, attendance_input)
        timings["attendance"] = time.perf_counter() - start
        rss_after = peak_rss_mb()
        ours.dispose()
        del attendance_input, posts_input

        # The bare comparison: the same schema (migrated), the same setup rows copied untimed,
        # then exactly the rows the program wrote, with sqlite3.executemany in one transaction.
        open_database(f"sqlite:///{bare_path}").dispose()
        for table in ("local_office", "org_unit", "training_plan", "training_session"):
            cols, rows = table_rows(ours_path, table)
            with sqlite3.connect(bare_path) as conn:
                conn.execute(f"DELETE FROM {table}")
                conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(cols))})", rows)
        bare = {}
        for table in ("person", "post", "attendance"):
            cols, rows = table_rows(ours_path, table)
            bare[table] = bare_insert(bare_path, table, cols, rows)
            del rows

    n_att = n_sessions * per_session
    total, bare_total = sum(timings.values()), sum(bare.values())
    rows_out = [
        Row(f"{args.people:,} people (validated ID numbers)", timings["person"], bare["person"], "s", "-", None),
        Row(f"{args.people:,} posts (R3 slot checks)", timings["post"], bare["post"], "s", "-", None),
        Row(f"{n_att:,} attendance rows", timings["attendance"], bare["attendance"], "s", "-", None),
        Row("total write time", total, bare_total, "s", "≤ 2.00× bare", total <= 2 * bare_total),
        Row("peak RSS during the writes", rss_after, None, "MB", "< 1024 MB", rss_after < 1024),
    ]
    print(f"seed_scale: SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}; "
          f"RSS before the writes {rss_before:.0f} MB; rows/s ours {(2 * args.people + n_att) / total:,.0f}, "
          f"bare {(2 * args.people + n_att) / bare_total:,.0f}")
    print_table(rows_out, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
