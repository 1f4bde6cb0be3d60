"""The demo county (services/demo.py): realistic, free of rule warnings (R2, R3, R12), deterministic."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from remoteedu_desktop import codes
from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import (
    Activity,
    ActivityTutor,
    Attendance,
    Award,
    Base,
    Certificate,
    Enrolment,
    Evaluation,
    EvaluationRound,
    FaultTicket,
    OrgUnit,
    Person,
    Post,
    RubricItem,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.data.models.base import SYNC_COLUMNS
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import checks
from remoteedu_desktop.services.demo import DEFAULT_TODAY, DemoSummary, demo_steps, generate_demo
from remoteedu_desktop.services.id_number import parse_id_number

OpenDb = Callable[[str], Database]
SMALL = {"townships": 2, "sites": 2}


def _open(path: Path) -> Database:
    return open_database(f"sqlite:///{path}")


@pytest.fixture
def open_db(tmp_path: Path) -> Iterator[OpenDb]:
    """Fresh SQLite databases in tmp_path (x.sqlite3, y.sqlite3, …), all disposed afterwards."""
    opened: list[Database] = []

    def make(name: str = "x") -> Database:
        db = _open(tmp_path / f"{name}.sqlite3")
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.dispose()


@pytest.fixture
def db(open_db: OpenDb) -> Database:
    return open_db("x")


@pytest.fixture(scope="module")
def default_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary, float]]:
    """The one default-size run of this module, shared by the read-only checks."""
    import time

    database = _open(tmp_path_factory.mktemp("demo") / "x.sqlite3")
    started = time.perf_counter()
    with database.session() as session:
        summary = generate_demo(session)
    elapsed = time.perf_counter() - started
    yield database, summary, elapsed
    database.dispose()


def count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# --- (1) the default demo ----------------------------------------------------------------------

def test_default_demo_counts_and_no_rule_warnings(default_demo: tuple[Database, DemoSummary, float]) -> None:
    # No time limit here (speed goals live in bench/, a loaded CI machine would make it flaky).
    database, summary, _elapsed = default_demo
    with database.session() as s:
        assert checks.rule_warnings(s, today=DEFAULT_TODAY) == []
        # The summary is what the database holds.
        assert summary == DemoSummary(
            townships=count(s, OrgUnit, OrgUnit.kind == "township"),
            sites=count(s, OrgUnit, OrgUnit.kind.in_(sorted(codes.SITE_KINDS))),
            people=count(s, Person), posts=count(s, Post), plans=count(s, TrainingPlan),
            sessions=count(s, TrainingSession), attendance=count(s, Attendance),
            certificates=count(s, Certificate), evaluations=count(s, Evaluation),
            activities=count(s, Activity), faults=count(s, FaultTicket),
        )
        open_roles = Counter(s.scalars(select(Post.role).where(Post.end_date.is_(None))))
        units = Counter(s.scalars(select(OrgUnit.kind)))
        village_codes = list(s.scalars(select(OrgUnit.code).where(OrgUnit.kind == "village")))
        township_codes = sorted(s.scalars(select(OrgUnit.code).where(OrgUnit.kind == "township")))
        township_names = list(s.scalars(select(OrgUnit.name).where(OrgUnit.kind == "township")))
        ended = list(s.scalars(select(Post).where(Post.end_date.is_not(None))))

    # R1: county → 6 townships → a station, 10 villages each, an enterprise site every other township.
    assert units == {"county": 1, "township": 6, "township_station": 6, "village": 60, "enterprise": 3}
    assert (summary.townships, summary.sites) == (6, 69)
    assert township_codes == [f"360499{n}" for n in range(100, 106)]
    assert "龙潭镇" in township_names
    assert all(re.fullmatch(r"360499\d{6}", c or "") for c in village_codes)
    # R2–R5: the post structure.
    assert open_roles["village_manager"] == 120
    assert 12 <= open_roles["township_manager"] <= 18
    assert open_roles["county_tutor"] == 8
    assert 6 <= open_roles["township_tutor"] <= 18
    assert 6 <= open_roles["technician"] <= 12
    assert open_roles["enterprise_manager"] == 3
    # R12: some history, every change with a reason (never more than one per site in 12 months:
    # rule_warnings above).
    assert 4 <= len([p for p in ended if p.role == "village_manager"]) <= 12
    assert all(p.end_reason for p in ended)
    # Training (2 years × county, enterprise, 6 townships, 2 tutor plans, technicians), evaluation, faults.
    assert summary.plans == 2 * (1 + 1 + 6 + 2 + 1)
    assert summary.evaluations == 120
    assert summary.faults == 12
    assert 150 <= summary.people <= 200
    assert summary.posts == summary.people + 1  # one transfer: one person, two posts
    assert summary.sessions >= 2 * summary.plans
    assert summary.attendance > 800
    assert summary.certificates > 130
    assert summary.activities >= 2 * summary.sites


def test_default_demo_data_is_consistent(default_demo: tuple[Database, DemoSummary, float]) -> None:
    database, _, _ = default_demo
    with database.session() as s:
        plans = {p.id: p for p in s.scalars(select(TrainingPlan))}
        sessions = {x.id: x for x in s.scalars(select(TrainingSession))}
        enrolments = list(s.scalars(select(Enrolment)))
        attendance = list(s.scalars(select(Attendance)))
        certificates = list(s.scalars(select(Certificate)))
        evaluations = list(s.scalars(select(Evaluation)))
        rnd = s.scalars(select(EvaluationRound)).one()
        items = list(s.scalars(select(RubricItem)))
        faults = list(s.scalars(select(FaultTicket)))
        names = list(s.scalars(select(Person.name)))
        awards = count(s, Award)
        activity_tutors = count(s, ActivityTutor)
        activities = count(s, Activity)
        passed_pre_job = {e.person_id for e in enrolments if e.passed and plans[e.plan_id].kind == "pre_job"}

    for plan in plans.values():  # R6–R8
        assert plan.start_date is not None and plan.end_date is not None
        assert plan.start_date <= plan.end_date < DEFAULT_TODAY
        assert codes.mask_to_topics(plan.topics)
    assert {p.organizer_level for p in plans.values()} == {"county", "township", "department", "telecom"}
    for e in enrolments:
        assert e.score is not None and e.passed == (e.score >= plans[e.plan_id].pass_mark)
    assert 0 < sum(not e.passed for e in enrolments) < len(enrolments) / 5
    for a in attendance:
        assert a.hours == (sessions[a.session_id].hours if a.present else 0.0)
    assert any(not a.present for a in attendance)
    # R11: numbered without gaps per kind and year; on-duty only after a passed pre-job training.
    numbers = [c.number for c in certificates]
    assert len(set(numbers)) == len(numbers)
    by_series = Counter((c.kind, c.issue_date.year) for c in certificates)
    for c in certificates:
        match = re.fullmatch(r"360499(\d{4})(SG|PR)(\d{4})", c.number)
        assert match and int(match[1]) == c.issue_date.year
        assert 1 <= int(match[3]) <= by_series[(c.kind, c.issue_date.year)]
        assert c.status == "valid" and re.fullmatch(r"[0-9a-f]{64}", c.pdf_sha256 or "")
        assert c.issue_date < DEFAULT_TODAY
        assert json.loads(c.snapshot_json or "{}")["values"]["number"] == c.number
        if c.kind == "on_duty":
            assert c.person_id in passed_pre_job and c.enrolment_id is not None
        else:
            assert c.term_start is not None and c.valid_until is not None
            assert c.valid_until == c.term_start.replace(year=c.term_start.year + 3) - dt.timedelta(days=1)
            # Current, or a term that ran out (left for the clerk to renew).
            assert c.valid_until >= DEFAULT_TODAY or c.term_start <= DEFAULT_TODAY - dt.timedelta(days=3 * 365)
    assert {c.kind for c in certificates} == {"on_duty", "appointment"}
    assert any(c.valid_until is not None and c.valid_until < DEFAULT_TODAY for c in certificates)
    # R14: last year's closed round, weights summing to 100, grades from the thresholds, ranks.
    assert (rnd.year, rnd.status) == (DEFAULT_TODAY.year - 1, "closed")
    assert sum(i.weight_pct for i in items) == 100 and 4 <= len(items) <= 5
    thresholds = json.loads(rnd.thresholds_json)
    for ev in evaluations:
        assert ev.total is not None and ev.grade in codes.GRADE_STANDARD
        expected = next((g for g in ("excellent", "pass", "basic") if ev.total >= thresholds[g]), "fail")
        assert ev.grade == expected
        assert ev.rank_township is not None and ev.rank_county is not None and ev.rank_township <= ev.rank_county
    assert len({ev.grade for ev in evaluations}) >= 3
    assert awards == 3
    # R13 and R9.
    assert activity_tutors == activities
    statuses = Counter(f.status for f in faults)
    assert statuses["open"] >= 1 and statuses["resolved"] + statuses["closed"] >= 1
    for f in faults:
        assert (f.technician_id is None) == (f.status == "open")
        assert f.resolved_at is None or (f.assigned_at is not None and f.assigned_at <= f.resolved_at)
    # Rare characters for the font and printing work.
    assert set("喆堃玥昇珺婧燚") <= set("".join(names))


# --- (2) determinism -----------------------------------------------------------------------------

def canonical_dump(database: Database) -> dict[str, list[str]]:
    """Every travelling table's rows without sync stamps, with each foreign key replaced by the
    referenced row's own canonical content (recursively): equal dumps mean equal business content."""
    tables: list[Table] = [t for t in Base.metadata.sorted_tables if "change_seq" in t.c]
    with database.engine.connect() as conn:
        rows = {t.name: {r.id: r for r in conn.execute(select(t))} for t in tables}
    cache: dict[tuple[str, str], str] = {}

    def key(table: Table, row_id: str) -> str:
        ident = (table.name, row_id)
        if ident not in cache:
            cache[ident] = "<cycle>"
            cache[ident] = repr(content(table, rows[table.name][row_id]))
        return cache[ident]

    def content(table: Table, row: object) -> tuple[tuple[str, object], ...]:
        out = []
        for col in table.c:
            if col.name in SYNC_COLUMNS:
                continue
            value = row._mapping[col]  # type: ignore[attr-defined]
            fk = next(iter(col.foreign_keys), None)
            if fk is not None and value is not None:
                value = key(fk.column.table, value)  # type: ignore[arg-type]
            out.append((col.name, value))
        return tuple(out)

    return {t.name: sorted(key(t, row_id) for row_id in rows[t.name]) for t in tables}


def test_same_seed_same_content_other_seed_different(open_db: OpenDb) -> None:
    dumps = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        database = open_db(name)
        with database.session() as s:
            generate_demo(s, seed=seed, **SMALL)
        dumps.append(canonical_dump(database))
    first, same, other = dumps
    assert first["person"] and first["attendance"] and first["certificate"] and first["evaluation_score"]
    assert first == same
    assert first != other
    assert first["person"] != other["person"]


# --- (3) ID numbers ------------------------------------------------------------------------------

def test_every_id_number_is_valid_and_matches(default_demo: tuple[Database, DemoSummary, float]) -> None:
    database, _, _ = default_demo
    with database.session() as s:
        people = list(s.scalars(select(Person)))
    assert len({p.id_number for p in people}) == len(people)
    for p in people:
        info = parse_id_number(p.id_number, today=DEFAULT_TODAY)
        assert info.number == p.id_number
        assert info.gender == p.gender, p.name
        assert info.birth_date == p.birth_date, p.name
        assert info.region.startswith("3604")
        assert 1965 <= p.birth_date.year <= 2000
        assert re.fullmatch(r"1[358]\d{9}", p.phone or ""), p.phone
        assert p.source_category in codes.SOURCE_CATEGORY
        assert 2 <= len(p.name) <= 4
    assert Counter(p.id_number[:6] for p in people).most_common(1)[0][0] == "360499"
    assert {p.gender for p in people} == {"1", "2"}
    assert Counter(p.ethnicity for p in people)["01"] > len(people) * 0.8


# --- (4) a second demo is refused ----------------------------------------------------------------

def test_second_demo_is_refused(db: Database) -> None:
    with db.session() as s:
        generate_demo(s, townships=1, sites=1)
    with db.session() as s:
        before = count(s, Person), count(s, OrgUnit)
    with db.session() as s, pytest.raises(ValidationError) as exc:
        generate_demo(s, **SMALL)
    assert "空数据库" in exc.value.message
    with db.session() as s:
        assert (count(s, Person), count(s, OrgUnit)) == before


def test_sizes_out_of_range_are_refused(db: Database) -> None:
    with db.session() as s:
        for bad in ({"townships": 0}, {"sites": 0}, {"townships": 501}):
            with pytest.raises(ValidationError):
                demo_steps(s, **bad)  # type: ignore[arg-type]
        assert count(s, OrgUnit) == 0


# --- (5) small sizes and the progress generator --------------------------------------------------

def test_smallest_demo_with_progress(db: Database) -> None:
    progress: list[tuple[int, int, str]] = []
    with db.session() as s:
        steps = demo_steps(s, townships=1, sites=1, seed=3)
        while True:
            try:
                progress.append(next(steps))
            except StopIteration as stop:
                summary = stop.value
                break
        assert checks.rule_warnings(s, today=DEFAULT_TODAY) == []
    assert isinstance(summary, DemoSummary)
    total = progress[0][1]
    assert [done for done, _, _ in progress] == list(range(total + 1))
    assert all(t == total for _, t, _ in progress)
    assert all(text for _, _, text in progress)
    assert progress[-1] == (total, total, "演示数据已生成")
    # One township with its station, one village and (first township) an enterprise site.
    assert (summary.townships, summary.sites) == (1, 3)
    assert summary.evaluations == 2 and summary.faults == 2
    assert "乡镇 1 个" in str(summary)


def test_other_today_has_no_warnings(db: Database) -> None:
    today = dt.date(2024, 2, 10)
    with db.session() as s:
        summary = generate_demo(s, townships=1, sites=3, seed=9, today=today)
        assert checks.rule_warnings(s, today=today) == []
        latest = s.scalar(select(func.max(TrainingSession.date)))
        rnd_year = s.scalar(select(EvaluationRound.year))
    assert summary.evaluations == 2 * 3
    assert latest is not None and latest < today
    assert rnd_year == 2023
