"""Attendance and assessment entry for one plan (R8): people × sessions, self-study hours, scores.

The grid is loaded whole, edited in memory by the UI, and saved in one transaction: validate every
cell first (ValidationError naming the person and the column), then write. Pass/fail is derived from
the plan's pass mark, never typed.

Saving a training of 500 people × 4 sessions writes up to 2,500 rows; going through the ORM's unit of
work one object at a time would take seconds. So the rows are written with one ``executemany`` per
table: new attendance through :func:`bulk.insert_rows`, changes through :func:`write_updates`, which
stamps them exactly as :mod:`remoteedu_desktop.data.stamping` does (``row_version`` + 1, the office's
next ``change_seq``, ``changed_by``, ``updated_at``) and writes one audit row per changed field.

CONTRACT (step 3): the dataclasses and signatures below are fixed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import Attendance, Enrolment, Person, TrainingPlan, TrainingSession
from ..errors import ValidationError
from .bulk import insert_rows, write_updates

#: Self-study hours one person may be credited in one plan (R8).
MAX_SELF_STUDY = 500.0


@dataclass(frozen=True)
class GridSession:
    id: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    hours: float  #: the hours credited to a person present

    @property
    def label(self) -> str:
        """Column header, e.g. "11-05 09:00"."""
        return f"{self.date:%m-%d}" + (f" {self.start_time:%H:%M}" if self.start_time else "")


@dataclass(frozen=True)
class GridPerson:
    person_id: str
    enrolment_id: str
    name: str
    unit: str


@dataclass(frozen=True)
class GridData:
    plan_id: str
    plan_title: str
    pass_mark: float
    planned_hours: float
    sessions: tuple[GridSession, ...]
    people: tuple[GridPerson, ...]
    present: frozenset[tuple[str, str]]  #: (person_id, session_id) marked present
    self_study: Mapping[str, float]  #: person_id → self-study hours (0.0 when none)
    scores: Mapping[str, float | None]  #: person_id → score or None
    assessed_on: dt.date | None  #: the assessment date (the latest recorded in the plan)


@dataclass(frozen=True)
class GridChanges:
    """What the clerk changed; only these are written."""

    present: Mapping[tuple[str, str], bool]  #: (person_id, session_id) → present
    self_study: Mapping[str, float]  #: person_id → hours, 0 <= h <= 500
    scores: Mapping[str, float | None]  #: person_id → 0..100, or None to clear
    assessed_on: dt.date | None = None  #: stored on every enrolment whose score is set


@dataclass(frozen=True)
class SaveSummary:
    attendance_written: int
    enrolments_written: int
    passed: int  #: after the save, over the whole plan
    failed: int
    not_assessed: int


def passed(score: float | None, pass_mark: float) -> bool | None:
    """Pass/fail derived from the pass mark (R8); None when not assessed."""
    if score is None:
        return None
    return score >= pass_mark


# --- loading ----------------------------------------------------------------------------------------

def _plan(session: Session, plan_id: str) -> TrainingPlan:
    plan = session.get(TrainingPlan, plan_id)
    if plan is None or plan.deleted:
        raise ValidationError("找不到该培训计划", field="培训计划")
    return plan


def _grid_sessions(session: Session, plan_id: str) -> list[GridSession]:
    rows = session.execute(
        select(TrainingSession.id, TrainingSession.date, TrainingSession.start_time, TrainingSession.end_time,
               TrainingSession.hours)
        .where(TrainingSession.plan_id == plan_id, TrainingSession.deleted.is_(False))
        .order_by(TrainingSession.date, TrainingSession.start_time, TrainingSession.id)).tuples()
    return [GridSession(sid, day, start, end, float(hours or 0.0)) for sid, day, start, end, hours in rows]


def load_grid(session: Session, plan_id: str) -> GridData:
    """The plan's people (by unit, then name) × sessions (by date and time), with what is recorded."""
    from .training_enrolment import placements  # the roster's unit labels; imported late (no cycle)

    plan = _plan(session, plan_id)
    sessions = _grid_sessions(session, plan.id)
    enrolled = session.execute(
        select(Enrolment.id, Enrolment.person_id, Person.name, Person.name_initials, Enrolment.self_study_hours,
               Enrolment.score, Enrolment.assessed_on)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.plan_id == plan.id, Enrolment.deleted.is_(False))).tuples().all()
    where = placements(session, [r[1] for r in enrolled], prefer_role=plan.target_role)
    people: list[tuple[str, str, str, GridPerson]] = []
    self_study: dict[str, float] = {}
    scores: dict[str, float | None] = {}
    assessed: list[dt.date] = []
    for eid, pid, name, initials, study, score, on in enrolled:
        place = where.get(pid)
        unit = place.unit if place else ""
        people.append((unit, initials or name, name, GridPerson(pid, eid, name, unit)))
        self_study[pid] = float(study or 0.0)
        scores[pid] = None if score is None else float(score)
        if on is not None:
            assessed.append(on)
    people.sort(key=lambda p: (p[0], p[1], p[2], p[3].person_id))
    present: set[tuple[str, str]] = set()
    if sessions:
        ids = set(self_study)
        for pid, sid in session.execute(
                select(Attendance.person_id, Attendance.session_id)
                .where(Attendance.session_id.in_([s.id for s in sessions]), Attendance.deleted.is_(False),
                       Attendance.present.is_(True))).tuples():
            if pid in ids:
                present.add((pid, sid))
    return GridData(
        plan_id=plan.id, plan_title=plan.title, pass_mark=float(plan.pass_mark),
        planned_hours=float(plan.planned_hours or 0.0), sessions=tuple(sessions),
        people=tuple(p[3] for p in people), present=frozenset(present), self_study=self_study, scores=scores,
        assessed_on=max(assessed) if assessed else None)


# --- saving -----------------------------------------------------------------------------------------

def _number(value: object) -> float | None:
    """A finite float, or None for something that is not a number (NaN and infinities included)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _fmt_number(value: object) -> str:
    number = _number(value)
    if number is None:
        return repr(value)
    return f"{number:g}"


def _who(names: Mapping[str, str], person_id: str) -> str:
    return names.get(person_id) or f"人员 {person_id[:8]}"


def _validate(session: Session, changes: GridChanges, enrolled: Mapping[str, tuple[Any, ...]],
              sessions: Mapping[str, GridSession]) -> None:
    """Every cell of the changes checked before anything is written (R8)."""
    names = {pid: row[1] for pid, row in enrolled.items()}
    strangers = ({pid for pid, _sid in changes.present} | set(changes.self_study) | set(changes.scores)) - set(names)
    if strangers:  # name them if they exist at all
        names = {**names, **dict(session.execute(select(Person.id, Person.name).where(
            Person.id.in_(strangers))).tuples().all())}
    for (pid, sid), value in changes.present.items():
        where = sessions[sid].label if sid in sessions else "?"
        if pid not in enrolled:
            raise ValidationError(f"{_who(names, pid)}（{where}）：未报名本培训", field="考勤", rule="R8")
        if sid not in sessions:
            raise ValidationError(f"{_who(names, pid)}：该课次不属于本培训或已删除", field="考勤", rule="R8")
        if not isinstance(value, bool):
            raise ValidationError(f"{_who(names, pid)}（{where}）：{value!r} 不是“到”或“未到”",
                                  field="考勤", rule="R8")
    for pid, hours in changes.self_study.items():
        if pid not in enrolled:
            raise ValidationError(f"{_who(names, pid)}：未报名本培训", field="自学学时", rule="R8")
        number = _number(hours)
        if number is None or not 0 <= number <= MAX_SELF_STUDY:
            raise ValidationError(f"{_who(names, pid)}：{_fmt_number(hours)} 超出 0–{MAX_SELF_STUDY:g}",
                                  field="自学学时", rule="R8")
    for pid, score in changes.scores.items():
        if pid not in enrolled:
            raise ValidationError(f"{_who(names, pid)}：未报名本培训", field="成绩", rule="R8")
        if score is None:
            continue
        number = _number(score)
        if number is None or not 0 <= number <= 100:
            raise ValidationError(f"{_who(names, pid)}：{_fmt_number(score)} 超出 0–100", field="成绩", rule="R8")


_ENROLMENT_COLUMNS = ("self_study_hours", "score", "passed", "assessed_on")
_ATTENDANCE_COLUMNS = ("present", "hours", "deleted")


def save_grid(session: Session, plan_id: str, changes: GridChanges) -> SaveSummary:
    """Validate every change, then write them in the caller's transaction (fast: executemany)."""
    plan = _plan(session, plan_id)
    session.flush()
    sessions = {s.id: s for s in _grid_sessions(session, plan.id)}
    # person id → (enrolment id, name, self-study, score, passed, assessed_on)
    enrolled: dict[str, tuple[Any, ...]] = {
        pid: (eid, name, study, score, ok, on) for eid, pid, name, study, score, ok, on in session.execute(
            select(Enrolment.id, Enrolment.person_id, Person.name, Enrolment.self_study_hours, Enrolment.score,
                   Enrolment.passed, Enrolment.assessed_on)
            .join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.plan_id == plan.id, Enrolment.deleted.is_(False))).tuples()}
    _validate(session, changes, enrolled, sessions)

    # Attendance: an existing row (a tombstoned one too: the unique index covers it) is updated, so that
    # a change travels; absent stays a row with 0 hours rather than vanishing.
    existing: dict[tuple[str, str], tuple[str, tuple[Any, ...]]] = {}
    if changes.present:
        for rid, pid, sid, here, hours, gone in session.execute(
                select(Attendance.id, Attendance.person_id, Attendance.session_id, Attendance.present,
                       Attendance.hours, Attendance.deleted)
                .where(Attendance.session_id.in_(list(sessions)))).tuples():
            existing[(pid, sid)] = (rid, (bool(here), float(hours or 0.0), bool(gone)))
    updates: list[tuple[str, tuple[Any, ...], tuple[Any, ...]]] = []
    inserts: list[tuple[str, str, bool, float]] = []
    for (pid, sid), here in changes.present.items():
        new = (here, sessions[sid].hours if here else 0.0, False)
        if (pid, sid) in existing:
            rid, old = existing[(pid, sid)]
            updates.append((rid, old, new))
        elif here:
            inserts.append((sid, pid, True, sessions[sid].hours))
    written = write_updates(session, Attendance, _ATTENDANCE_COLUMNS, updates)
    if inserts:
        written += insert_rows(session, Attendance.__table__, ("session_id", "person_id", "present", "hours"),
                               inserts, note="考勤").count

    # Enrolments: self-study, score, and what follows from the score (R8).
    mark = float(plan.pass_mark)
    enrolment_rows = []
    for pid, (eid, _name, study, score, ok, on) in enrolled.items():
        old = (study, score, ok, on)
        new_study = float(changes.self_study[pid]) if pid in changes.self_study else study
        new_score = changes.scores.get(pid, score)
        new_score = None if new_score is None else float(new_score)
        if new_score is None:
            new_on = None
        elif changes.assessed_on is not None:
            new_on = changes.assessed_on
        else:
            new_on = on
        enrolment_rows.append((eid, old, (new_study, new_score, passed(new_score, mark), new_on)))
    enrolments_written = write_updates(session, Enrolment, _ENROLMENT_COLUMNS, enrolment_rows)

    results = [row[2][2] for row in enrolment_rows]
    return SaveSummary(attendance_written=written, enrolments_written=enrolments_written,
                       passed=sum(1 for r in results if r is True), failed=sum(1 for r in results if r is False),
                       not_assessed=sum(1 for r in results if r is None))


def rederive_passed(session: Session, plan_id: str, pass_mark: float) -> int:
    """Pass/fail of every enrolment of the plan again from *pass_mark* (R8: never typed, always derived).
    Returns the count of enrolments whose result changed."""
    rows = session.execute(
        select(Enrolment.id, Enrolment.score, Enrolment.passed)
        .where(Enrolment.plan_id == plan_id, Enrolment.deleted.is_(False))).tuples().all()
    return write_updates(session, Enrolment, ("passed",),
                         [(eid, (ok,), (passed(score, pass_mark),)) for eid, score, ok in rows])
