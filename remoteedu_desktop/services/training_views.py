"""What training a person and a unit have had (R8, R10, R11): hours per year and coverage.

CONTRACT (step 3): the dataclasses and signatures below are fixed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Attendance, Certificate, Enrolment, Person, Post, TrainingPlan, TrainingSession
from .people import get_person
from .staff_query import unit_subtree
from .training_enrolment import placements
from .units import get_unit

#: Rows per ``IN (…)`` list: well under SQLite's parameter limit.
_CHUNK = 5000

LACK_PRE_JOB = "未参加岗前培训"
LACK_PRE_JOB_FAILED = "岗前培训考核未通过"
LACK_PRE_JOB_NOT_ASSESSED = "岗前培训未考核"
LACK_ON_DUTY = "未持有效上岗证书"
LACK_APPOINTMENT = "未持有效聘任证书"


@dataclass(frozen=True)
class YearHours:
    year: int
    lecture_hours: float  #: hours credited at sessions attended
    self_study_hours: float
    trainings: int  #: plans enrolled in that year

    @property
    def total(self) -> float:
        return self.lecture_hours + self.self_study_hours


@dataclass(frozen=True)
class CoverageRow:
    person_id: str
    name: str
    unit: str
    post: str
    role: str
    pre_job_trained: bool  #: passed the assessment of a pre-job training (what R11 needs for 上岗证书)
    hours_this_year: float
    has_on_duty_certificate: bool  #: holds a valid on-duty certificate
    lacks: tuple[str, ...]  #: what is missing, Chinese: "未参加岗前培训", "岗前培训考核未通过", "未持有效上岗证书"…


@dataclass(frozen=True)
class CoverageSummary:
    unit_id: str
    unit_name: str
    year: int
    people: int
    pre_job_trained: int
    hours_this_year: float
    lacking_certificate_requirements: int  #: managers who cannot yet get an on-duty certificate
    rows: tuple[CoverageRow, ...]


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _hours_by_year(session: Session, person_ids: list[str], year: int | None = None
                   ) -> tuple[dict[tuple[str, int], float], dict[tuple[str, int], float], dict[tuple[str, int], int]]:
    """(person, plan year) → lecture hours, self-study hours, plans enrolled; deleted plans, sessions,
    enrolments and attendance left out. A training counts in its plan's year (R8)."""
    lecture: dict[tuple[str, int], float] = defaultdict(float)
    study: dict[tuple[str, int], float] = defaultdict(float)
    trainings: dict[tuple[str, int], int] = defaultdict(int)
    for chunk in _chunks(person_ids):
        enr = (select(Enrolment.person_id, TrainingPlan.year, func.sum(Enrolment.self_study_hours), func.count())
               .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
               .where(Enrolment.person_id.in_(chunk), Enrolment.deleted.is_(False), TrainingPlan.deleted.is_(False))
               .group_by(Enrolment.person_id, TrainingPlan.year))
        att = (select(Attendance.person_id, TrainingPlan.year, func.sum(Attendance.hours))
               .join(TrainingSession, TrainingSession.id == Attendance.session_id)
               .join(TrainingPlan, TrainingPlan.id == TrainingSession.plan_id)
               .where(Attendance.person_id.in_(chunk), Attendance.deleted.is_(False), Attendance.present.is_(True),
                      TrainingSession.deleted.is_(False), TrainingPlan.deleted.is_(False))
               .group_by(Attendance.person_id, TrainingPlan.year))
        if year is not None:
            enr = enr.where(TrainingPlan.year == year)
            att = att.where(TrainingPlan.year == year)
        for pid, y, hours, count in session.execute(enr).tuples():
            study[(pid, y)] += float(hours or 0.0)
            trainings[(pid, y)] += int(count)
        for pid, y, hours in session.execute(att).tuples():
            lecture[(pid, y)] += float(hours or 0.0)
    return lecture, study, trainings


def hours_per_year(session: Session, person_id: str) -> list[YearHours]:
    """The person's training hours by year, oldest first."""
    person = get_person(session, person_id)
    lecture, study, trainings = _hours_by_year(session, [person.id])
    years = sorted({y for _p, y in lecture} | {y for _p, y in study} | {y for _p, y in trainings})
    return [YearHours(y, lecture.get((person.id, y), 0.0), study.get((person.id, y), 0.0),
                      trainings.get((person.id, y), 0)) for y in years]


def _valid_certificates(session: Session, person_ids: list[str], today: dt.date) -> set[tuple[str, str]]:
    """(person id, certificate kind) of every valid, unexpired certificate (R11)."""
    out: set[tuple[str, str]] = set()
    for chunk in _chunks(person_ids):
        out.update(session.execute(
            select(Certificate.person_id, Certificate.kind)
            .where(Certificate.person_id.in_(chunk), Certificate.deleted.is_(False), Certificate.status == "valid",
                   Certificate.issue_date <= today,
                   or_(Certificate.valid_until.is_(None), Certificate.valid_until >= today))).tuples())
    return out


def _pre_job_results(session: Session, person_ids: list[str]) -> dict[str, set[bool | None]]:
    """person id → the results of their pre-job trainings: True passed, False failed, None not assessed."""
    out: dict[str, set[bool | None]] = defaultdict(set)
    for chunk in _chunks(person_ids):
        for pid, ok, score in session.execute(
                select(Enrolment.person_id, Enrolment.passed, Enrolment.score)
                .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
                .where(Enrolment.person_id.in_(chunk), Enrolment.deleted.is_(False), TrainingPlan.deleted.is_(False),
                       TrainingPlan.kind == "pre_job")).tuples():
            out[pid].add(ok if ok is not None else (False if score is not None else None))
    return out


def _lacks(roles: set[str], results: set[bool | None], has_on_duty: bool, has_appointment: bool) -> tuple[str, ...]:
    """What a person still lacks for the certificates of the posts they hold (R11)."""
    lacks: list[str] = []
    if roles & codes.MANAGER_ROLES:
        if not results:
            lacks.append(LACK_PRE_JOB)
        elif True not in results:
            lacks.append(LACK_PRE_JOB_FAILED if False in results else LACK_PRE_JOB_NOT_ASSESSED)
        if not has_on_duty:
            lacks.append(LACK_ON_DUTY)
    if roles - codes.MANAGER_ROLES and not has_appointment:  # tutors and technicians (R4, R5, R11)
        lacks.append(LACK_APPOINTMENT)
    return tuple(lacks)


def unit_coverage(session: Session, unit_id: str, *, year: int | None = None,
                  today: dt.date | None = None) -> CoverageSummary:
    """Coverage of everyone holding an open post at the unit or below it; year defaults to today's."""
    today = today or dt.date.today()
    year = year or today.year
    unit = get_unit(session, unit_id)
    subtree = set(session.scalars(unit_subtree(unit.id)))
    roles: dict[str, set[str]] = defaultdict(set)
    names: dict[str, tuple[str, str]] = {}
    for pid, role, name, initials in session.execute(
            select(Post.person_id, Post.role, Person.name, Person.name_initials)
            .join(Person, Person.id == Post.person_id)
            .where(Post.unit_id.in_(unit_subtree(unit.id)), Post.end_date.is_(None), Post.deleted.is_(False),
                   Person.deleted.is_(False), Person.left_on.is_(None))).tuples():
        roles[pid].add(role)
        names[pid] = (name, initials or name)
    ids = list(roles)
    where = placements(session, ids, open_only=True, within=subtree)
    lecture, study, _trainings = _hours_by_year(session, ids, year)
    certificates = _valid_certificates(session, ids, today)
    results = _pre_job_results(session, ids)
    rows = []
    for pid in ids:
        place = where.get(pid)
        held = roles[pid]
        role = place.role if place else min(held, key=lambda r: list(codes.ROLE).index(r))
        on_duty = (pid, "on_duty") in certificates
        rows.append(CoverageRow(
            person_id=pid, name=names[pid][0], unit=place.unit if place else "", post=place.post if place else "",
            role=role, pre_job_trained=True in results.get(pid, set()),
            hours_this_year=lecture.get((pid, year), 0.0) + study.get((pid, year), 0.0),
            has_on_duty_certificate=on_duty,
            lacks=_lacks(held, results.get(pid, set()), on_duty, (pid, "appointment") in certificates)))
    rows.sort(key=lambda r: (r.unit, names[r.person_id][1], r.name, r.person_id))
    managers = [r for r in rows if roles[r.person_id] & codes.MANAGER_ROLES]
    return CoverageSummary(
        unit_id=unit.id, unit_name=unit.name, year=year, people=len(rows),
        pre_job_trained=sum(1 for r in rows if r.pre_job_trained),
        hours_this_year=sum(r.hours_this_year for r in rows),
        lacking_certificate_requirements=sum(1 for r in managers if not r.pre_job_trained),
        rows=tuple(rows))
