"""One training of 500 people × 4 sessions: saving the attendance and assessment grid, and printing
the sign-in sheets, beside the bare minimum that does the same work.

    python bench/training.py                 # 500 people, 4 sessions
    python bench/training.py --people 40     # quick

Setup, not timed: a fresh SQLite database in a temporary directory with one township, one village
site for each two people, every person on post A or B (through ``services.bulk``), one plan with its
sessions (``training_plans``) and everyone enrolled (``training_enrolment.enrol``).

Measured:

- the first save of the full grid (``training_grid.save_grid``: every attendance cell present, every
  self-study hours and score set), in its own transaction, commit included: new attendance rows
  inserted, enrolments updated, all of it stamped and audited;
- a second save that changes every cell (everyone absent, new hours, new scores): updates only;
- comparison for both: bare ``sqlite3.executemany`` of exactly the rows the save wrote (attendance,
  enrolments, the office's change counter and the audit rows, read back from our database) into a copy
  of the database taken just before the save, in one transaction, with the pragmas the program sets;
- the sign-in sheets of the plan (``training_print.sign_in_sheet_pdf``: every session × everyone),
  beside bare ReportLab drawing the same strings with the same font on the same number of pages.

Goals: first save < 1 s and ≤ 5× bare; update save < 1 s; sign-in sheets < 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import Row, add_json_option, print_table  # noqa: E402

from remoteedu_desktop.data.database import Database, open_database  # noqa: E402
from remoteedu_desktop.data.engine import CACHE_KIB  # noqa: E402
from remoteedu_desktop.data.models import OrgUnit  # noqa: E402
from remoteedu_desktop.services import (  # noqa: E402
    bulk,
    training_enrolment,
    training_grid,
    training_plans,
    training_print,
)
from remoteedu_desktop.services.id_number import check_digit  # noqa: E402
from remoteedu_desktop.services.offices import init_office  # noqa: E402

TODAY = dt.date(2026, 11, 1)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉海燕喆堃玥文斌鹏飞宇婷"
PRAGMAS = ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", f"cache_size={CACHE_KIB}")


def build(db: Database, people: int, sessions: int, seed: int = 2026) -> str:
    """The township, its sites and staff, one plan with *sessions* sessions and everyone enrolled."""
    rng = random.Random(seed)
    with db.session() as s:
        office = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
        villages = bulk.insert_rows(
            s, OrgUnit.__table__, ("parent_id", "kind", "code", "name", "active", "sort_order"),
            [(office.unit_id, "village", f"360499100{i + 1:03d}", f"{GIVEN[i % len(GIVEN)]}{SURNAMES[i // 7 % 48]}村",
              True, i) for i in range((people + 1) // 2)])
        rows = []
        for i in range(people):
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 12000))
            first17 = f"3604{i // 1000 % 100:02d}{birth:%Y%m%d}{i % 1000:03d}"
            rows.append({"name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                         "id_number": first17 + check_digit(first17), "phone": f"138{i:08d}"})
        ids = bulk.add_people(s, rows, today=TODAY).ids
        bulk.assign_posts(s, [{"person_id": pid, "unit_id": villages.ids[i // 2], "role": "village_manager",
                               "slot": "AB"[i % 2], "start_date": dt.date(2024, 1, 1)} for i, pid in enumerate(ids)])
        plan = training_plans.add_plan(s, training_plans.PlanInput(
            title="2026年龙潭镇村级站点管理员岗前培训", year=2026, organizer_level="township",
            target_role="village_manager", target_level="village", topics=("1", "2", "5", "6"), kind="pre_job",
            mode="mixed", planned_hours=2.5 * sessions, pass_mark=60.0, organizer_unit_id=office.unit_id))
        for k in range(sessions):
            training_plans.add_session(s, plan.id, training_plans.SessionInput(
                date=dt.date(2026, 11, 3) + dt.timedelta(days=k), hours=2.5, start_time=dt.time(9, 0),
                end_time=dt.time(11, 30), place="龙潭镇党员活动室", instructor_name="王堃"))
        training_enrolment.enrol(s, plan.id, ids)
        return plan.id


def snapshot(source: Path, target: Path) -> None:
    """A consistent copy of the database as it is now (the WAL included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()


def rows_of(path: Path, sql: str, args: tuple[Any, ...] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        cur = conn.execute(sql, args)
        return [d[0] for d in cur.description], cur.fetchall()


def max_audit_id(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def bare_write(path: Path, ours: Path, *, audit_after: int, insert_attendance: bool, session_ids: list[str],
               plan_id: str) -> float:
    """Exactly the rows our save left in *ours*, written into *path* (the copy taken before the save)
    with ``executemany``: attendance inserted or updated, enrolments updated, the change counter
    updated, the audit rows inserted; one transaction, commit included."""
    marks = ",".join("?" * len(session_ids))
    att_cols, att = rows_of(ours, f"SELECT * FROM attendance WHERE session_id IN ({marks})", tuple(session_ids))
    enr_cols, enr = rows_of(ours, "SELECT * FROM enrolment WHERE plan_id = ?", (plan_id,))
    aud_cols, aud = rows_of(ours, "SELECT * FROM audit_log WHERE id > ?", (audit_after,))
    _, office = rows_of(ours, "SELECT change_counter FROM local_office WHERE id = 1")

    def update_sql(table: str, cols: list[str]) -> tuple[str, list[tuple[Any, ...]]]:
        keep = [c for c in cols if c != "id"]
        return f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in keep)} WHERE id = ?", [
            tuple(r[cols.index(c)] for c in keep) + (r[cols.index("id")],)
            for r in (att if table == "attendance" else enr)]

    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    if insert_attendance:
        att_sql = f"INSERT INTO attendance ({', '.join(att_cols)}) VALUES ({', '.join('?' * len(att_cols))})"
        att_rows = att
    else:
        att_sql, att_rows = update_sql("attendance", att_cols)
    enr_sql, enr_rows = update_sql("enrolment", enr_cols)
    aud_sql = f"INSERT INTO audit_log ({', '.join(aud_cols)}) VALUES ({', '.join('?' * len(aud_cols))})"
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute("UPDATE local_office SET change_counter = ? WHERE id = 1", office[0])
    conn.executemany(att_sql, att_rows)
    conn.executemany(enr_sql, enr_rows)
    conn.executemany(aud_sql, aud)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def bare_pdf(sheets: int, names: list[tuple[str, str, str]], title: str) -> tuple[float, int]:
    """Bare ReportLab: the same strings, the same font and the same rows per page; no rules, no fitting."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from remoteedu_desktop.printing.fonts import register_fonts
    from remoteedu_desktop.printing.training_sheets import sign_in_rows_per_page

    font = register_fonts()
    per_page = sign_in_rows_per_page()
    start = time.perf_counter()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, initialFontName=font)
    for _ in range(sheets):
        for first in range(0, max(1, len(names)), per_page):
            c.setFont(font, 16)
            c.drawCentredString(A4[0] / 2, A4[1] - 20 * mm, title)
            c.setFont(font, 10.5)
            for n, (name, unit, post) in enumerate(names[first:first + per_page]):
                y = A4[1] - 60 * mm - n * 9.5 * mm
                c.drawString(20 * mm, y, str(first + n + 1))
                c.drawString(35 * mm, y, name)
                c.drawString(60 * mm, y, unit)
                c.drawString(105 * mm, y, post)
            c.showPage()
    c.save()
    return time.perf_counter() - start, len(buf.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=4)
    add_json_option(parser)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "training.sqlite3"
        db = open_database(f"sqlite:///{path}")
        start = time.perf_counter()
        plan_id = build(db, args.people, args.sessions)
        built = time.perf_counter() - start
        with db.session() as s:
            start = time.perf_counter()
            grid = training_grid.load_grid(s, plan_id)
            load = time.perf_counter() - start
        session_ids = [gs.id for gs in grid.sessions]
        people = [p.person_id for p in grid.people]
        assert len(people) == args.people and len(session_ids) == args.sessions

        # First save: every cell present, every hours and score set (inserts).
        first = training_grid.GridChanges(
            present={(pid, sid): True for pid in people for sid in session_ids},
            self_study={pid: float(4 + i % 3) for i, pid in enumerate(people)},
            scores={pid: float(40 + i % 61) for i, pid in enumerate(people)},
            assessed_on=dt.date(2026, 11, 7))
        snapshot(path, Path(tmp) / "bare1.sqlite3")
        audit_before = max_audit_id(path)
        start = time.perf_counter()
        with db.session() as s:
            summary1 = training_grid.save_grid(s, plan_id, first)
        t_first = time.perf_counter() - start
        b_first = bare_write(Path(tmp) / "bare1.sqlite3", path, audit_after=audit_before, insert_attendance=True,
                             session_ids=session_ids, plan_id=plan_id)

        # Second save: every cell changed (everyone absent, new hours, new scores): updates.
        second = training_grid.GridChanges(
            present={(pid, sid): False for pid in people for sid in session_ids},
            self_study={pid: float(8 + i % 3) for i, pid in enumerate(people)},
            scores={pid: float(100 - i % 61) for i, pid in enumerate(people)},
            assessed_on=dt.date(2026, 11, 8))
        snapshot(path, Path(tmp) / "bare2.sqlite3")
        audit_before = max_audit_id(path)
        start = time.perf_counter()
        with db.session() as s:
            summary2 = training_grid.save_grid(s, plan_id, second)
        t_second = time.perf_counter() - start
        b_second = bare_write(Path(tmp) / "bare2.sqlite3", path, audit_after=audit_before, insert_attendance=False,
                              session_ids=session_ids, plan_id=plan_id)
        audit_rows = max_audit_id(path) - audit_before

        # The sign-in sheets of the whole plan, and bare ReportLab drawing the same strings.
        with db.session() as s:
            start = time.perf_counter()
            pdf = training_print.sign_in_sheet_pdf(s, plan_id)
            t_pdf = time.perf_counter() - start
            roster = training_enrolment.enrolled(s, plan_id)
            title = training_plans.get_plan(s, plan_id).title + " 签到表"
        b_pdf, bare_size = bare_pdf(args.sessions, [(p.name, p.unit, p.post) for p in roster], title)
        db.dispose()

    cells = args.people * args.sessions
    print(f"training: {args.people} people × {args.sessions} sessions ({cells:,} attendance cells), "
          f"setup {built:.1f} s; SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}")
    print(f"first save wrote {summary1.attendance_written:,} attendance + {summary1.enrolments_written} enrolments "
          f"({summary1.passed} passed, {summary1.failed} failed); second save {summary2.attendance_written:,} + "
          f"{summary2.enrolments_written}, {audit_rows:,} audit rows; sign-in PDF {len(pdf) / 1024:.0f} KiB "
          f"(bare {bare_size / 1024:.0f} KiB)")
    rows = [
        Row("load_grid (no goal)", load, None, "s", "-", None),
        Row("first save: attendance inserted + scores (vs. bare executemany)", t_first, b_first, "s",
            "< 1 s, ≤ 5× bare", t_first < 1 and t_first <= 5 * b_first),
        Row("update save: every cell changed (vs. bare executemany)", t_second, b_second, "s", "< 1 s",
            t_second < 1),
        Row(f"sign-in sheets, {args.sessions} sessions × {args.people} (vs. bare ReportLab)", t_pdf, b_pdf, "s",
            "< 2 s", t_pdf < 2),
    ]
    print_table(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
