"""培训情况统计表 for a year: by organizer level (R6) and by topic (R7) — plans, sessions, participants
(enrolments), person-hours (hours attended + self-study), passed / failed / not assessed (R8).

A training counts in its plan's year. A plan covering several topics counts under each of them, so the
topic rows do not add up to the total; the level rows do. In a unit's scope, the participants are the
people who held a post there during the year; a plan counts when it was organized there or enrolled
at least one of them. Five queries whatever the size of the county.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Attendance, Enrolment, Post, TrainingPlan, TrainingSession
from .report_model import REPORTS, ReportTable, office_name, params_line, scope

HEADERS = ("分类", "项目", "培训计划（个）", "课次", "参训人次", "培训人·学时", "考核合格", "考核不合格", "未考核")
WIDTHS = (4.0, 10.0, 3.5, 3.0, 3.5, 4.0, 3.5, 3.5, 3.0)
BY_LEVEL = "按组织层级"
BY_TOPIC = "按培训内容"


@dataclass
class _Tally:
    plans: int = 0
    sessions: int = 0
    participants: int = 0
    hours: float = 0.0
    passed: int = 0
    failed: int = 0
    unassessed: int = 0

    def add(self, other: _Tally) -> None:
        self.plans += other.plans
        self.sessions += other.sessions
        self.participants += other.participants
        self.hours += other.hours
        self.passed += other.passed
        self.failed += other.failed
        self.unassessed += other.unassessed

    def cells(self) -> tuple[object, ...]:
        return (self.plans, self.sessions, self.participants, round(self.hours, 2), self.passed, self.failed,
                self.unassessed)


def _people_in_scope(session: Session, year: int, unit_ids: set[str]) -> set[str]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return {pid for pid, uid in session.execute(
        select(Post.person_id, Post.unit_id).where(
            Post.deleted.is_(False), Post.start_date <= last,
            (Post.end_date.is_(None)) | (Post.end_date >= first))).tuples() if uid in unit_ids}


def plan_tallies(session: Session, year: int, unit_id: str | None) -> tuple[dict[str, _Tally], dict[str, int]]:
    """Per plan id: its tally; and each plan's topics mask. Plans outside the scope are left out."""
    sc = scope(session, unit_id)
    plans = {pid: (level, topics, organizer) for pid, level, topics, organizer in session.execute(
        select(TrainingPlan.id, TrainingPlan.organizer_level, TrainingPlan.topics, TrainingPlan.organizer_unit_id)
        .where(TrainingPlan.year == year, TrainingPlan.deleted.is_(False))).tuples()}
    people = _people_in_scope(session, year, sc.unit_ids) if sc.unit_ids is not None else None
    sessions: dict[str, int] = dict(session.execute(
        select(TrainingSession.plan_id, func.count()).join(TrainingPlan, TrainingPlan.id == TrainingSession.plan_id)
        .where(TrainingPlan.year == year, TrainingSession.deleted.is_(False))
        .group_by(TrainingSession.plan_id)).tuples().all())
    attended: dict[tuple[str, str], float] = defaultdict(float)
    for plan_id, person_id, hours in session.execute(
            select(TrainingSession.plan_id, Attendance.person_id, func.sum(Attendance.hours))
            .join(TrainingSession, TrainingSession.id == Attendance.session_id)
            .join(TrainingPlan, TrainingPlan.id == TrainingSession.plan_id)
            .where(TrainingPlan.year == year, TrainingSession.deleted.is_(False), Attendance.deleted.is_(False),
                   Attendance.present.is_(True))
            .group_by(TrainingSession.plan_id, Attendance.person_id)).tuples():
        attended[(plan_id, person_id)] += float(hours or 0.0)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for plan_id, person_id, study, passed in session.execute(
            select(Enrolment.plan_id, Enrolment.person_id, Enrolment.self_study_hours, Enrolment.passed)
            .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
            .where(TrainingPlan.year == year, Enrolment.deleted.is_(False))).tuples():
        if plan_id not in plans or (people is not None and person_id not in people):
            continue
        t = tallies[plan_id]
        t.participants += 1
        t.hours += attended.get((plan_id, person_id), 0.0) + float(study or 0.0)
        t.passed += passed is True
        t.failed += passed is False
        t.unassessed += passed is None
    kept: dict[str, _Tally] = {}
    for plan_id, (_level, _topics, organizer) in plans.items():
        if people is None or plan_id in tallies or sc.holds(organizer):
            t = tallies.get(plan_id, _Tally())
            t.plans, t.sessions = 1, sessions.get(plan_id, 0)
            kept[plan_id] = t
    return kept, {pid: plans[pid][1] for pid in kept}


def build(session: Session, *, year: int | None, unit_id: str | None, today: dt.date,
          prepared_by: str) -> ReportTable:
    assert year is not None
    sc = scope(session, unit_id)
    tallies, topics = plan_tallies(session, year, unit_id)
    levels = dict(session.execute(select(TrainingPlan.id, TrainingPlan.organizer_level)
                                  .where(TrainingPlan.year == year)).tuples().all())
    by_level: dict[str, _Tally] = {code: _Tally() for code in codes.ORGANIZER_LEVEL}
    by_topic: dict[str, _Tally] = {code: _Tally() for code in codes.TRAINING_TOPIC}
    total = _Tally()
    for plan_id, t in tallies.items():
        by_level.setdefault(levels[plan_id], _Tally()).add(t)
        total.add(t)
        for code in codes.mask_to_topics(topics[plan_id]):
            by_topic.setdefault(code, _Tally()).add(t)
    rows: list[tuple[object, ...]] = []
    for code, t in by_level.items():
        rows.append((BY_LEVEL, codes.label(codes.ORGANIZER_LEVEL, code), *t.cells()))
    for code, t in by_topic.items():
        rows.append((BY_TOPIC, f"（{code}）{codes.label(codes.TRAINING_TOPIC, code)}", *t.cells()))
    notes = ("培训人·学时 = 出勤的集中授课学时 + 分散自学学时（R8）；培训按计划年度统计。",
             "一项培训可涵盖多项内容（R7），按培训内容统计的各行分别计入，不相加；合计等于按组织层级各行之和。")
    return ReportTable(
        key="training", title=REPORTS["training"].title, office_name=office_name(session), prepared_by=prepared_by,
        made_on=today, params=params_line(year=year, scope_name=sc.name), headers=HEADERS, rows=tuple(rows),
        totals=("合计", "", *total.cells()), widths=WIDTHS, notes=notes, landscape=False)
