"""The staff list over 100,000 people: first paint, filter keystrokes and memory, with the real widgets.

    python bench/staff_list.py                 # 100,000 people
    python bench/staff_list.py --people 500    # quick

The database is built first, in a child process (so the measured process's
peak RSS is the list's, not the builder's), through the program's fast write
path (``services.bulk``): a county, townships, village sites, people with
posts A/B, township managers, tutors, technicians, some who left, and
certificates.

Measured, offscreen, in this process:

- first paint: construct ``StaffPage`` + show + process events until the
  first rows are there + ``grab()`` (which paints them), the first time in the
  process (cold: statements not compiled yet); comparison: the naive approach,
  a ``QStandardItemModel`` filled with every row, shown in a ``QTableView``;
- each filter keystroke, typed one character at a time ("z", "zh", "zha",
  clear, "1", "13", "138", clear, "0", "00", "002", "0021", clear, "王"): from
  setting the text until the table's viewport has been repainted by the event
  loop with the new list (the search, the model reset, the rows fetched, one
  paint, counted by an event filter); comparison: the bare SQL
  ``SELECT`` of the same statement through ``sqlite3`` (for the clears and the
  one- and two-digit states, which the page answers from its kept id list,
  that is the full list's query);
- RSS: peak (getrusage) and current (VmRSS), after the keystrokes and before
  the comparisons run.

Goals: first paint < 0.3 s, a keystroke < 50 ms, RSS < 250 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import Row, add_json_option, print_table  # noqa: E402

TODAY = dt.date(2026, 11, 1)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉海燕喆堃玥文斌鹏飞宇婷"
KEYSTROKES = ("z", "zh", "zha", "", "1", "13", "138", "", "0", "00", "002", "0021", "", "王")


def build_database(path: Path, people: int, seed: int = 2026) -> dict[str, int]:
    """A county of *people* staff, written with the bulk path. Returns counts for the header line."""
    from sqlalchemy import update

    from remoteedu_desktop.data.database import open_database
    from remoteedu_desktop.data.models import Certificate, OrgUnit, Person, Post
    from remoteedu_desktop.services import bulk
    from remoteedu_desktop.services.id_number import check_digit
    from remoteedu_desktop.services.offices import init_office

    rng = random.Random(seed)
    n_village = people * 80 // 100 // 2 * 2  # village site managers, A and B
    n_left = people * 2 // 100
    n_station = people * 5 // 100
    n_tech = people * 3 // 100
    n_tutor = people - n_village - n_left - n_station - n_tech
    villages = max(1, n_village // 2)
    townships = max(1, min(100, villages // 20))
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as s:
            init_office(s, level="county", code="360499", name="青山县")
            county = s.query(OrgUnit).one()
            cols = ("parent_id", "kind", "code", "name", "active", "sort_order")
            twn = bulk.insert_rows(s, OrgUnit.__table__, cols,
                                   [(county.id, "township", f"360499{i:03d}", f"{SURNAMES[i % 48]}{'家镇' if i % 3 else '坪乡'}",
                                     True, i) for i in range(townships)])
            station = bulk.insert_rows(s, OrgUnit.__table__, cols,
                                       [(twn.ids[i], "township_station", f"360499{i:03d}000", "乡镇站点", True, 0)
                                        for i in range(townships)])
            vil = bulk.insert_rows(s, OrgUnit.__table__, cols,
                                   [(twn.ids[i % townships], "village",
                                     f"360499{i % townships:03d}{1 + i // townships:03d}",
                                     f"{GIVEN[i % len(GIVEN)]}{SURNAMES[(i // 7) % 48]}村", True, i)
                                    for i in range(villages)])
        rows = []
        for i in range(people):
            birth = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randrange(0, 14000))
            first17 = f"{36 + i // 1_000_000:02d}{(i // 1000) % 10000:04d}{birth:%Y%m%d}{i % 1000:03d}"
            given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
            rows.append({"name": rng.choice(SURNAMES) + given, "id_number": first17 + check_digit(first17),
                         "ethnicity": "01", "political_status": "01", "education": "21",
                         "phone": f"1{rng.choice('3589')}{i:09d}"})
        with db.session() as s:
            ids = bulk.add_people(s, rows, today=TODAY).ids
        del rows
        start = dt.date(2024, 1, 1)
        posts = []
        for i, pid in enumerate(ids[:n_village]):
            posts.append({"person_id": pid, "unit_id": vil.ids[i // 2], "role": "village_manager",
                          "slot": "AB"[i % 2], "start_date": start})
        k = n_village
        for i, pid in enumerate(ids[k:k + n_station]):
            posts.append({"person_id": pid, "unit_id": station.ids[i % townships], "role": "township_manager",
                          "start_date": start, "tenure": "full_time"})
        k += n_station
        for i, pid in enumerate(ids[k:k + n_tutor]):
            posts.append({"person_id": pid, "unit_id": twn.ids[i % townships], "role": "township_tutor",
                          "start_date": start})
        k += n_tutor
        for i, pid in enumerate(ids[k:k + n_tech]):
            posts.append({"person_id": pid, "unit_id": twn.ids[i % townships], "role": "technician",
                          "start_date": start})
        k += n_tech
        leavers = ids[k:]
        with db.session() as s:
            bulk.assign_posts(s, posts)
            bulk.insert_rows(s, Post.__table__, ("person_id", "unit_id", "role", "tenure", "start_date",
                                                 "start_reason", "end_date", "end_reason"),
                             [(pid, twn.ids[i % townships], "township_tutor", "part_time", start, "新任",
                               dt.date(2026, 3, 1), "离开队伍") for i, pid in enumerate(leavers)])
            if leavers:
                s.execute(update(Person).where(Person.id.in_(leavers)).values(left_on=dt.date(2026, 3, 1),
                                                                               left_reason="外出务工"))
            certs = []
            for i, pid in enumerate(ids[:n_village + n_station]):
                if i % 10 < 7:
                    status, until = ("revoked", None) if i % 97 == 0 else ("valid", dt.date(2028, 12, 31))
                    if i % 31 == 0:
                        until = dt.date(2025, 12, 31)  # valid on paper, past its date
                    certs.append(("on_duty", f"3604992025SG{i:06d}", pid, dt.date(2025, 6, 1), until, status))
            bulk.insert_rows(s, Certificate.__table__, ("kind", "number", "person_id", "issue_date",
                                                        "valid_until", "status"), certs)
    finally:
        db.dispose()
    return {"people": people, "townships": townships, "villages": villages, "left": len(leavers)}


def rss_mb() -> tuple[float, float]:
    """(peak, current) resident set size in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    current = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak, current


def bare_select_seconds(path: Path, statement: object) -> float:
    """The same statement, compiled for SQLite with its values inlined, run with bare sqlite3."""
    from sqlalchemy.dialects import sqlite

    sql = str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA cache_size=-65536")
    conn.execute(sql).fetchall()  # warm, as the program's connection is
    start = time.perf_counter()
    conn.execute(sql).fetchall()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def measure(path: Path, counts: dict[str, int]) -> list[Row]:
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTranslator
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from remoteedu_desktop import paths
    from remoteedu_desktop.services.staff_query import StaffFilter, StaffQuery, rows_for
    from remoteedu_desktop.ui.context import opened
    from remoteedu_desktop.ui.fonts import install_app_font
    from remoteedu_desktop.ui.i18n import install_translators
    from remoteedu_desktop.ui.staff_list import StaffPage

    app = QApplication.instance() or QApplication(["staff_list_bench"])
    install_app_font(app)  # type: ignore[arg-type]
    try:
        install_translators(app, "zh_CN")
    except AttributeError:  # ui/i18n.py on PySide6 6.11 (QLocale.Territory): load this area's file directly
        translator = QTranslator(app)
        if translator.load(str(paths.resources_dir() / "i18n" / "staff_list_zh_CN.qm")):
            app.installTranslator(translator)

    def settle() -> None:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)

    def until_loaded(page: StaffPage, *, first_rows: bool = False) -> None:
        """Let the event loop run (sleeping, as a real one does) until the id query has been applied
        (with *first_rows*: until the first rows are there, the rest may still be coming)."""
        settle()
        while page.model.busy and not (first_rows and page.model.rowCount()):
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    def flush() -> None:
        """Untimed: let Qt's deferred repaint (a ~5 ms update timer) happen now, so it is not charged
        to the next measurement."""
        end = time.perf_counter() + 0.05
        while time.perf_counter() < end:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

    class PaintCounter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.paints = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                self.paints += 1
            return False

    def until_painted(page: StaffPage, counter: PaintCounter, before: int) -> None:
        """Until the id query has been applied and the viewport painted since *before*."""
        settle()
        while page.model.busy or counter.paints == before:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)

    rows: list[Row] = []
    with opened(f"sqlite:///{path}") as ctx:
        ctx.office()  # open the connection pool and warm the page cache, as a running program has
        with ctx.session() as s:
            StaffQuery().ids(s)
        rss_start = rss_mb()

        start = time.perf_counter()
        page = StaffPage(ctx)
        page.resize(1366, 700)
        page.show()
        until_loaded(page, first_rows=True)
        page.grab()
        first_paint = time.perf_counter() - start
        model = page.model
        first_fetched = model.fetched_rows
        assert first_fetched > 0, "the first rows were not painted"
        until_loaded(page)
        whole_list = time.perf_counter() - start
        shown = model.rowCount()
        flush()

        counter = PaintCounter()
        page.table.viewport().installEventFilter(counter)
        typed: list[float] = []
        bare: list[float] = []
        for text in KEYSTROKES:
            before = counter.paints
            start = time.perf_counter()
            page.search.setText(text)
            page.apply_filter_now()
            # A keystroke that changes nothing ("1" after "") resets nothing: ask for the one paint the
            # clerk waits for anyway (merged with the reset's own, never two).
            page.table.viewport().update()
            until_painted(page, counter, before)
            typed.append(time.perf_counter() - start)
            flush()
        peak, current = rss_mb()
        # The bare SELECTs run after the RSS reading: their own connections' page caches would count.
        for text in KEYSTROKES:
            bare.append(bare_select_seconds(path, StaffQuery(StaffFilter(text=text), today=TODAY).statement()))
        page.close()
        page.deleteLater()
        settle()

        # The page opened again (the statements compiled, the pages of the file in the cache).
        reopened = []
        for _ in range(3):
            start = time.perf_counter()
            again = StaffPage(ctx)
            again.resize(1366, 700)
            again.show()
            until_loaded(again, first_rows=True)
            again.grab()
            reopened.append(time.perf_counter() - start)
            until_loaded(again)
            again.close()
            again.deleteLater()
            flush()

        # The naive approach: every row fetched and put into a QStandardItemModel up front.
        start = time.perf_counter()
        with ctx.session() as s:
            all_ids = StaffQuery().ids(s)
            naive_rows = []
            for i in range(0, len(all_ids), 5000):
                naive_rows.extend(rows_for(s, all_ids[i:i + 5000]))
        std = QStandardItemModel(len(naive_rows), 9)
        for r, row in enumerate(naive_rows):
            for c, value in enumerate((row.name, row.gender, str(row.age), row.id_number_masked, row.phone_masked,
                                       row.roles, row.certificate, "在岗" if row.active else "已离开", row.units)):
                std.setItem(r, c, QStandardItem(value))
        view = QTableView()
        view.setModel(std)
        view.resize(1366, 700)
        view.show()
        settle()
        view.grab()
        naive_paint = time.perf_counter() - start
        naive_peak, naive_current = rss_mb()
        view.close()

    med, worst = statistics.median(typed), max(typed)
    print(f"staff_list: {counts['people']:,} people ({shown:,} on the team shown), {counts['townships']} townships, "
          f"{counts['villages']:,} village sites, {counts['left']:,} left; SQLite {sqlite3.sqlite_version}, "
          f"Python {sys.version.split()[0]}; RSS before the page {rss_start[1]:.0f} MB; "
          f"rows fetched for the first paint {first_fetched}")
    print("keystrokes (ms, search+reset+paint / bare SELECT): " + ", ".join(
        f"{t or '∅'!s} {a * 1000:.0f}/{b * 1000:.0f}" for t, a, b in zip(KEYSTROKES, typed, bare, strict=True)))
    rows += [
        Row("first paint of StaffPage (vs. QStandardItemModel)", first_paint, naive_paint, "s", "< 0.30 s",
            first_paint < 0.3),
        Row("  every id of the list loaded (no goal)", whole_list, None, "s", "-", None),
        Row("  first paint, page opened again, median of 3 (no goal)", statistics.median(reopened), None, "s",
            "-", None),
        Row("filter keystroke, median (vs. bare SELECT)", med * 1000, statistics.median(bare) * 1000, "ms",
            "< 50 ms", med < 0.05),
        Row("filter keystroke, max (vs. bare SELECT)", worst * 1000, max(bare) * 1000, "ms", "< 50 ms",
            worst < 0.05),
        Row("peak RSS (vs. naive model)", peak, naive_peak, "MB", "< 250 MB", peak < 250),
        Row("current RSS, VmRSS (vs. naive model)", current, naive_current, "MB", "< 250 MB", current < 250),
    ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the database at this path and keep it; "
                                                     "if it exists, measure it again without rebuilding")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # child process: build and exit
    add_json_option(parser)
    args = parser.parse_args()
    if args.build:
        counts = build_database(args.build, args.people)
        print(" ".join(f"{k}={v}" for k, v in counts.items()))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "staff.sqlite3"
        counts_file = path.with_name(path.name + ".counts")
        if args.keep and path.exists() and counts_file.exists():
            output = counts_file.read_text()
            print(f"database {path} kept from an earlier run")
        else:
            start = time.perf_counter()
            child = subprocess.run([sys.executable, __file__, "--people", str(args.people), "--build", str(path)],
                                   capture_output=True, text=True, check=False)
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                return 1
            output = child.stdout
            if args.keep:
                counts_file.write_text(output)
            print(f"built in {time.perf_counter() - start:.1f} s (bulk write path, child process)")
        counts = {k: int(v) for k, v in (item.split("=") for item in output.split())}
        rows = measure(path, counts)
    print_table(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
