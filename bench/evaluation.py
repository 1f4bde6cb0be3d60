"""The yearly evaluation (R14) of a county with 5,000 village site managers: scoring the year, and printing
everyone's yearly evaluation form (年度考评表), each beside the bare minimum that does the same work.

    python bench/evaluation.py                 # 5,000 people
    python bench/evaluation.py --people 200    # quick

Setup, not timed: a fresh SQLite database in a temporary directory: the county office, one township per
250 people, one village site per two people, everyone on post A or B since 2024 (``services.bulk``,
people from ``seed_scale.make_people``); for the automatic indicators, one training of the year with
attendance, self-study hours and an assessment for everyone, 4–16 activities per site, and a valid
on-duty certificate for 85 % of the people.

Measured:

- the first scoring of the year (``evaluation_scoring.score_year``, commit included): the round opened
  with the default rubrics, an evaluation created for every person and every site, the automatic
  indicators filled, totals, grades, quota and ranks. Goal: < 5 s (its manual items are still empty);
- then every manual item of every person is given points (bulk insert, not timed) and the year is
  scored again: every total, grade, quota and rank recomputed and written. Goal: < 5 s and ≤ 10× the
  comparison, which is one plain ``sqlite3`` GROUP BY query computing the same totals from the same
  rows, written back with one ``executemany`` UPDATE in one transaction (into a copy of the database
  taken just before). The bench checks that both give the same totals;
- the forms of the 5,000 people in one PDF (``evaluation_forms_data.forms_pdf``: the data read in bulk,
  one page each), beside bare ReportLab drawing the same rules and the same strings on the same number
  of pages with ``drawString`` (no fitting, no per-character font fallback). Goal: ≤ 2× bare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
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
from seed_scale import make_people  # noqa: E402
from sqlalchemy import select  # noqa: E402

from remoteedu_desktop.data.database import Database, open_database  # noqa: E402
from remoteedu_desktop.data.engine import CACHE_KIB  # noqa: E402
from remoteedu_desktop.data.models import (  # noqa: E402
    Activity,
    Certificate,
    Enrolment,
    Evaluation,
    EvaluationRound,
    EvaluationScore,
    OrgUnit,
    Rubric,
    RubricItem,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.printing import evaluation_forms as ef  # noqa: E402
from remoteedu_desktop.printing.fonts import register_fonts, string_width  # noqa: E402
from remoteedu_desktop.services import bulk, evaluation_forms_data, evaluation_scoring  # noqa: E402
from remoteedu_desktop.services.offices import init_office  # noqa: E402
from remoteedu_desktop.services.progress import run_to_end  # noqa: E402

YEAR = 2025
TODAY = dt.date(2026, 6, 30)
PRAGMAS = ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", f"cache_size={CACHE_KIB}")
#: The totals by the scoring rule (R14), in one GROUP BY: weighted score items + bonus − deductions, ≥ 0, 0.1.
TOTALS_SQL = """
SELECT s.evaluation_id,
       MAX(0.0, ROUND(SUM(CASE i.kind WHEN 'score' THEN s.points / i.max_points * i.weight_pct
                                      WHEN 'bonus' THEN s.points ELSE -s.points END), 1))
FROM evaluation_score s
JOIN rubric_item i ON i.id = s.item_id
JOIN evaluation e ON e.id = s.evaluation_id
WHERE e.round_id = ? AND s.deleted = 0 AND i.deleted = 0 AND e.deleted = 0
GROUP BY s.evaluation_id
"""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(db: Database, people: int) -> None:
    """The county, its townships and villages, everyone a village site manager (A or B) since 2024."""
    rng = random.Random(2026)
    townships = max(1, people // 250)
    villages = max(1, (people + 1) // 2)
    with db.session() as s:
        init_office(s, level="county", code="360499", name="青山县")
        county = s.scalars(select(OrgUnit)).one()
        twn = bulk.insert_rows(s, OrgUnit.__table__, ("parent_id", "kind", "code", "name", "active", "sort_order"),
                               [(county.id, "township", f"360499{i + 1:03d}", f"第{i + 1}镇", True, i)
                                for i in range(townships)])
        vil = bulk.insert_rows(s, OrgUnit.__table__, ("parent_id", "kind", "code", "name", "active", "sort_order"),
                               [(twn.ids[i % townships], "village", f"360499{i % townships + 1:03d}{i // townships:03d}",
                                 f"第{i + 1}村", True, i) for i in range(villages)])
        ids = bulk.add_people(s, make_people(people, rng), today=TODAY).ids
        bulk.assign_posts(s, [{"person_id": pid, "unit_id": vil.ids[i // 2], "role": "village_manager",
                               "slot": "AB"[i % 2], "start_date": dt.date(2024, 1, 1)} for i, pid in enumerate(ids)])
        # The year's data the automatic indicators read (R8, R13): one training with an assessment, and
        # each site's activities, so that totals and grades spread as in a real county.
        plan = TrainingPlan(title=f"{YEAR}年站点管理员经常性培训", year=YEAR, organizer_level="county",
                            target_role="village_manager", target_level="village", topics=127, kind="regular",
                            mode="mixed", pass_mark=60.0)
        s.add(plan)
        s.flush()
        sessions = bulk.insert_rows(s, TrainingSession.__table__, ("plan_id", "date", "hours"),
                                    [(plan.id, dt.date(YEAR, 5, 10), 16.0)])
        hours = [rng.choice((0.0, 8.0, 16.0, 16.0, 16.0)) for _ in ids]
        bulk.record_attendance(s, [(sessions.ids[0], pid, h > 0, h) for pid, h in zip(ids, hours, strict=True)])
        scores = [round(rng.uniform(45, 100), 1) for _ in ids]
        bulk.insert_rows(s, Enrolment.__table__, ("plan_id", "person_id", "self_study_hours", "score", "passed"),
                         [(plan.id, pid, float(rng.randint(0, 12)), score, score >= 60)
                          for pid, score in zip(ids, scores, strict=True)])
        bulk.insert_rows(s, Activity.__table__, ("site_id", "date", "channel", "title", "participants", "hours"),
                         [(site, dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365)), "group_study",
                           "集中学习", rng.randint(8, 40), 2.0)
                          for site in vil.ids for _ in range(rng.randint(4, 16))])
        bulk.insert_rows(s, Certificate.__table__, ("kind", "number", "person_id", "issue_date", "valid_until",
                                                    "status"),
                         [("on_duty", f"青远上岗〔2024〕{i + 1:05d}", pid, dt.date(2024, 3, 1), dt.date(2027, 2, 28),
                           "valid") for i, pid in enumerate(ids) if rng.random() < 0.85])


def fill_manual_scores(db: Database, seed: int = 7) -> int:
    """Points for every empty manual item of every person's evaluation (as the keyboard grid would)."""
    rng = random.Random(seed)
    with db.session() as s:
        rnd = s.scalars(select(EvaluationRound).where(EvaluationRound.year == YEAR)).one()
        items = s.execute(select(RubricItem.id, RubricItem.rubric_id, RubricItem.kind, RubricItem.max_points)
                          .join(Rubric, Rubric.id == RubricItem.rubric_id)
                          .where(Rubric.round_id == rnd.id, RubricItem.deleted.is_(False),
                                 RubricItem.indicator.is_(None))).tuples().all()
        by_rubric: dict[str, list[tuple[str, str, float]]] = {}
        for iid, rid, kind, max_points in items:
            by_rubric.setdefault(rid, []).append((iid, kind, max_points))
        have = set(s.execute(select(EvaluationScore.evaluation_id, EvaluationScore.item_id)
                             .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
                             .where(Evaluation.round_id == rnd.id)).tuples().all())
        rows = []
        for eid, rid in s.execute(select(Evaluation.id, Evaluation.rubric_id).where(
                Evaluation.round_id == rnd.id, Evaluation.person_id.is_not(None))).tuples():
            for iid, kind, max_points in by_rubric.get(rid, []):
                if (eid, iid) in have:
                    continue
                if kind == "score":
                    points = round(max_points * min(1.0, max(0.3, rng.gauss(0.82, 0.1))), 1)
                elif rng.random() < 0.1:  # a deduction or a bonus for one in ten
                    points = float(rng.randint(1, int(max_points)))
                else:
                    continue
                rows.append((eid, iid, points, False))
        bulk.insert_rows(s, EvaluationScore.__table__, ("evaluation_id", "item_id", "points", "automatic"), rows)
        return len(rows)


def snapshot(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()


def bare_totals(path: Path, round_id: str) -> tuple[float, dict[str, float]]:
    """The totals by one GROUP BY and written back with one executemany, in one transaction (timed)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    start = time.perf_counter()
    conn.execute("BEGIN")
    totals = conn.execute(TOTALS_SQL, (round_id,)).fetchall()
    conn.executemany("UPDATE evaluation SET total = ? WHERE id = ?", [(t, eid) for eid, t in totals])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, dict(totals)


def our_totals(path: Path, round_id: str) -> dict[str, float | None]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT id, total FROM evaluation WHERE round_id = ? AND deleted = 0",
                                 (round_id,)).fetchall())


def form_strings(form: ef.EvaluationForm) -> list[str]:
    """Every string a form draws, in drawing order (what the bare loop draws too)."""
    out = [form.title, f"所在乡镇（县）：{form.township}", ef.rank_text(form)]
    for label, value in (*form.short_fields, *form.wide_fields):
        out += [label, value]
    out += [h for h, _w in ef.ITEM_COLUMNS]
    for n, item in enumerate(form.items, start=1):
        out += [str(n), item.title, item.value_text, item.points_text]
    out += ["合\u3000计", "100", ef.number(form.total), "总\u3000分", ef.number(form.total), "等\u3000次", form.grade,
            "排\u3000名", ef.rank_text(form), "照片", "（一寸）"]
    out += ["个人", "总结", "所在单位", "意见", "乡镇（县）", "远教办", "意见", "本人签字：", "负责人签字：", "负责人签字：",
            "（盖章）", "（盖章）"] + ["年\u3000\u3000月\u3000\u3000日"] * 3
    if form.self_summary:
        out += ef.wrap_lines(form.self_summary, 150 * 2.835, 10.5)
    if form.opinion:
        out += ef.wrap_lines(form.opinion, 150 * 2.835, 10.5)
    return [s for s in out if s]


def bare_forms(forms: list[ef.EvaluationForm]) -> tuple[float, int]:
    """Bare ReportLab: per page the same number of rules and the same strings, ``drawString`` at fixed places."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    font = register_fonts()
    strings = [form_strings(f) for f in forms]
    start = time.perf_counter()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, initialFontName=font)
    for texts in strings:
        c.setLineWidth(0.5)
        for k in range(24):  # the horizontal rules of the table
            y = A4[1] - 40 * mm - k * 9 * mm
            c.line(15 * mm, y, A4[0] - 15 * mm, y)
        for k in range(12):  # the vertical ones
            x = 15 * mm + k * 15 * mm
            c.line(x, A4[1] - 40 * mm, x, 12 * mm)
        c.rect(15 * mm, 12 * mm, 180 * mm, A4[1] - 52 * mm)
        c.setFont(font, 16)
        c.drawCentredString(A4[0] / 2, A4[1] - 20 * mm, texts[0])
        c.setFont(font, 10.5)
        for n, text in enumerate(texts[1:]):
            c.drawString(17 * mm + (n % 4) * 45 * mm, A4[1] - 30 * mm - (n // 4) * 5 * mm, text)
        c.showPage()
    c.save()
    return time.perf_counter() - start, len(buf.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    add_json_option(parser)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "evaluation.sqlite3"
        db = open_database(f"sqlite:///{path}")
        start = time.perf_counter()
        build(db, args.people)
        built = time.perf_counter() - start

        # First scoring: the round, the evaluations, the automatic indicators.
        load_before = os.getloadavg()[0]
        start, cpu = time.perf_counter(), time.process_time()
        with db.session() as s:
            first = run_to_end(evaluation_scoring.score_year(s, YEAR, today=TODAY))
        t_first, c_first = time.perf_counter() - start, time.process_time() - cpu

        # Every manual item scored, then the year scored again.
        filled = fill_manual_scores(db)
        snapshot(path, Path(tmp) / "bare.sqlite3")
        start, cpu = time.perf_counter(), time.process_time()
        with db.session() as s:
            again = run_to_end(evaluation_scoring.score_year(s, YEAR, today=TODAY))
        t_again, c_again = time.perf_counter() - start, time.process_time() - cpu
        load_after = os.getloadavg()[0]
        b_again, bare = bare_totals(Path(tmp) / "bare.sqlite3", again.round_id)
        ours = our_totals(path, again.round_id)
        people_totals = {eid: t for eid, t in ours.items() if eid in bare}
        differ = sum(1 for eid, t in people_totals.items() if t is None or abs(t - bare[eid]) > 0.051)

        # The forms of everyone, one PDF. The fonts are loaded first (once per process, ~1 s for the CJK
        # fonts and their coverage tables), as the bare loop below finds them loaded too.
        register_fonts()
        string_width("王喆", 10.5)
        rss_before = peak_rss_mb()
        with db.session() as s:
            start = time.perf_counter()
            batch = evaluation_forms_data.load_batch(s, YEAR, target="site_manager")
            t_load = time.perf_counter() - start
            start = time.perf_counter()
            pdf = run_to_end(evaluation_forms_data.forms_pdf(s, YEAR, target="site_manager"))
            t_forms = time.perf_counter() - start
            forms = evaluation_forms_data.form_data(s, YEAR, target="site_manager")
        start = time.perf_counter()
        ef.render_forms(forms)
        t_render = time.perf_counter() - start
        rss_forms = peak_rss_mb()
        b_forms, bare_size = bare_forms(forms)
        db.dispose()

    grades = ", ".join(f"{g} {n}" for g, n in again.by_grade.items())
    print(f"evaluation: {args.people:,} people, {again.evaluated:,} evaluations (with the sites), setup {built:.1f} s; "
          f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}")
    print(f"first scoring: {first.evaluated:,} evaluated, {first.complete:,} complete; {filled:,} manual points "
          f"entered; second scoring: {again.complete:,} complete ({grades}); totals differing from the bare "
          f"query: {differ} of {len(people_totals):,}")
    # The machine's load, since wall time on a shared machine is stretched by the other processes: the
    # CPU time of this process tells how much of a scoring was ours.
    print(f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} CPUs; CPU time of the first "
          f"scoring {c_first:.2f} s, of the second {c_again:.2f} s")
    print(f"forms: {len(batch.records):,} pages, {len(pdf) / 1024 / 1024:.1f} MiB (bare {bare_size / 1024 / 1024:.1f} "
          f"MiB); peak RSS {rss_before:.0f} MB before the forms, {rss_forms:.0f} MB after")
    n = len(batch.records)
    rows = [
        Row(f"first scoring: {first.evaluated:,} evaluations created + indicators", t_first, None, "s",
            "< 5 s", t_first < 5),
        Row(f"scoring {args.people:,} people again, all items (vs. bare GROUP BY + UPDATE)", t_again, b_again, "s",
            "< 5 s, ≤ 10× bare", t_again < 5 and t_again <= 10 * b_again and differ == 0),
        Row(f"forms: load_batch of {n:,} (no goal)", t_load, None, "s", "-", None),
        Row(f"forms: render only, {n:,} pages (no goal)", t_render, b_forms, "s", "-", None),
        Row(f"forms: {n:,} pages, data + PDF (vs. bare ReportLab)", t_forms, b_forms, "s", "≤ 2× bare",
            t_forms <= 2 * b_forms),
    ]
    print_table(rows, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
