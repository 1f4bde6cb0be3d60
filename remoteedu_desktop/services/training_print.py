"""Training paperwork as PDF bytes (R8): sign-in sheets, the roster of a plan, personal training records.

Gathers the data with the caller's Session into the plain dataclasses of
:mod:`remoteedu_desktop.printing.training_sheets` and renders them there (fonts embedded).
The sheets carry names, units and posts only: no ID number, no phone (they go round a classroom).

CONTRACT (step 3): the signatures below are fixed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Attendance, Enrolment, TrainingPlan, TrainingSession
from ..errors import ValidationError
from ..printing import training_sheets as sheets
from . import training_enrolment, training_grid, training_plans, training_views
from .people import get_person

#: The shortest id prefix accepted (the CLI's list shows 8 characters).
MIN_PREFIX = 6
_TARGET_FIELD = "培训计划或课次"


def _prefix_pattern(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def resolve_target(session: Session, text: str) -> tuple[Literal["plan", "session"], str]:
    """A plan or session given by full id or a unique id prefix (>= 6 characters), or a plan by its exact
    title; ValidationError (Chinese, says what was searched) when none or several match."""
    wanted = (text or "").strip()
    if not wanted:
        raise ValidationError("请输入培训计划或课次的编号，或培训计划的名称", field=_TARGET_FIELD)
    live_sessions = (select(TrainingSession.id, TrainingPlan.title, TrainingSession.date)
                     .join(TrainingPlan, TrainingPlan.id == TrainingSession.plan_id)
                     .where(TrainingSession.deleted.is_(False), TrainingPlan.deleted.is_(False)))
    live_plans = select(TrainingPlan.id, TrainingPlan.title, TrainingPlan.year).where(TrainingPlan.deleted.is_(False))
    found: dict[str, tuple[Literal["plan", "session"], str]] = {}
    key = wanted.lower()  # ids are lower-case UUIDs; a prefix typed in capitals still finds them
    if len(key) >= MIN_PREFIX:
        pattern = _prefix_pattern(key)
        for pid, title, year in session.execute(live_plans.where(TrainingPlan.id.like(pattern, escape="\\"))):
            found[pid] = ("plan", f"培训计划 {pid[:8]}「{title}」（{year}年）")
        for sid, title, day in session.execute(live_sessions.where(TrainingSession.id.like(pattern, escape="\\"))):
            found[sid] = ("session", f"课次 {sid[:8]}「{title}」{day.isoformat()}")
        exact = [rid for rid in found if rid == key]
        if exact:
            return found[exact[0]][0], exact[0]
    if not found:
        for pid, title, year in session.execute(live_plans.where(TrainingPlan.title == wanted)):
            found[pid] = ("plan", f"培训计划 {pid[:8]}「{title}」（{year}年）")
    if len(found) == 1:
        (rid, (kind, _label)), = found.items()
        return kind, rid
    if not found:
        hint = "" if len(key) >= MIN_PREFIX else f"（编号至少输入前 {MIN_PREFIX} 位）"
        raise ValidationError(f"找不到“{wanted}”：没有以此开头的培训计划或课次编号，也没有名称为此的培训计划{hint}",
                              field=_TARGET_FIELD)
    listed = "；".join(label for _kind, label in sorted(found.values(), key=lambda item: item[1])[:10])
    more = f" 等 {len(found)} 项" if len(found) > 10 else ""
    raise ValidationError(f"“{wanted}”对应多个培训计划或课次：{listed}{more}。请输入更长的编号", field=_TARGET_FIELD)


def _sign_in_rows(session: Session, plan_id: str) -> tuple[sheets.SignInRow, ...]:
    """Everyone enrolled, by unit then name (the order of the roster and the grid)."""
    return tuple(sheets.SignInRow(name=p.name, unit=p.unit, post=p.post)
                 for p in training_enrolment.enrolled(session, plan_id))


def sign_in_sheet_pdf(session: Session, target_id: str) -> bytes:
    """Sign-in sheets (签到表): one page (or more) per session; a plan id gives every session of the plan."""
    plan_row = session.get(TrainingPlan, target_id) if target_id else None
    if plan_row is not None and not plan_row.deleted:
        plan_id, only = plan_row.id, None
    else:
        one = training_plans.get_session(session, target_id)  # ValidationError when there is no such session
        plan_id, only = one.plan_id, one.id
    plan = training_plans.get_plan(session, plan_id)
    all_sessions = training_plans.list_sessions(session, plan_id)
    if not all_sessions:
        raise ValidationError(f"培训计划「{plan.title}」还没有课次，无法打印签到表", field="课次")
    rows = _sign_in_rows(session, plan_id)
    out = [sheets.SignInSheet(plan_title=plan.title, organizer=plan.organizer_label, date=s.date,
                              time_label=s.time_label, place=s.place or "", instructor=s.instructor_label,
                              hours=s.hours, rows=rows, session_number=n, session_count=len(all_sessions))
           for n, s in enumerate(all_sessions, start=1) if only is None or s.id == only]
    return sheets.render_sign_in_sheets(out)


def _target_label(plan: training_plans.PlanInfo) -> str:
    return f"{training_plans.LEVEL_LABEL.get(plan.target_level, '')} {plan.target_role_label}".strip()


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start and end and start != end:
        return f"{sheets.cn_date(start)} 至 {sheets.cn_date(end)}"
    return sheets.cn_date(start or end)


def plan_roster_pdf(session: Session, plan_id: str) -> bytes:
    """The roster of a plan (培训花名册): everyone enrolled, attendance hours, self-study, score, result."""
    plan = training_plans.get_plan(session, plan_id)
    grid = training_grid.load_grid(session, plan.id)
    hours = {s.id: s.hours for s in grid.sessions}
    lecture: dict[str, float] = defaultdict(float)
    for pid, sid in grid.present:
        lecture[pid] += hours[sid]
    days = [s.date for s in grid.sessions]
    rows = []
    for p in training_enrolment.enrolled(session, plan.id):
        score = grid.scores.get(p.person_id)
        rows.append(sheets.RosterRow(
            name=p.name, gender=p.gender, unit=p.unit, post=p.post, lecture_hours=lecture.get(p.person_id, 0.0),
            self_study_hours=grid.self_study.get(p.person_id, 0.0), score=score,
            result=sheets.result_label(training_grid.passed(score, plan.pass_mark))))
    roster = sheets.PlanRoster(
        title=plan.title, year=plan.year, organizer=plan.organizer_label, target=_target_label(plan),
        kind=plan.kind_label, mode=plan.mode_label, topics=plan.topic_labels, planned_hours=plan.planned_hours,
        pass_mark=plan.pass_mark,
        period=_period(plan.start_date or (min(days) if days else None), plan.end_date or (max(days) if days else None)),
        session_count=plan.session_count, rows=tuple(rows))
    return sheets.render_plan_roster(roster)


def _record(session: Session, person_id: str, plans: dict[str, training_plans.PlanInfo]) -> sheets.TrainingRecordSheet:
    person = get_person(session, person_id)
    place = training_enrolment.placements(session, [person.id]).get(person.id)
    enrolments = session.execute(
        select(Enrolment.plan_id, Enrolment.self_study_hours, Enrolment.score, Enrolment.passed)
        .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
        .where(Enrolment.person_id == person.id, Enrolment.deleted.is_(False), TrainingPlan.deleted.is_(False))
        .order_by(TrainingPlan.year, TrainingPlan.start_date.is_(None), TrainingPlan.start_date, TrainingPlan.title,
                  TrainingPlan.id)).tuples().all()
    lecture = dict(session.execute(
        select(TrainingSession.plan_id, func.sum(Attendance.hours))
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(Attendance.person_id == person.id, Attendance.deleted.is_(False), Attendance.present.is_(True),
               TrainingSession.deleted.is_(False))
        .group_by(TrainingSession.plan_id)).tuples().all())
    entries = []
    for plan_id, study, score, ok in enrolments:
        if plan_id not in plans:
            plans[plan_id] = training_plans.get_plan(session, plan_id)
        plan = plans[plan_id]
        if ok is None and score is not None:  # derived from the pass mark when not stored yet (R8)
            ok = training_grid.passed(float(score), plan.pass_mark)
        entries.append(sheets.TrainingEntry(
            year=plan.year, title=plan.title, organizer=plan.organizer_label, kind=plan.kind_label,
            mode=plan.mode_label, lecture_hours=float(lecture.get(plan_id) or 0.0),
            self_study_hours=float(study or 0.0), score=None if score is None else float(score),
            result=sheets.result_label(ok)))
    years = tuple(sheets.YearHoursRow(y.year, y.trainings, y.lecture_hours, y.self_study_hours)
                  for y in training_views.hours_per_year(session, person.id))
    return sheets.TrainingRecordSheet(name=person.name, gender=codes.label(codes.GENDER, person.gender),
                                      unit=place.unit if place else "", post=place.post if place else "",
                                      entries=tuple(entries), years=years)


def training_record_pdf(session: Session, person_ids: Sequence[str]) -> bytes:
    """Each person's training record (培训记录): trainings with hours, results, and hours per year."""
    ids = list(dict.fromkeys(pid for pid in person_ids if pid))
    if not ids:
        raise ValidationError("请先选择要打印培训记录的人员", field="人员")
    plans: dict[str, training_plans.PlanInfo] = {}
    return sheets.render_training_records([_record(session, pid, plans) for pid in ids])


__all__ = ["MIN_PREFIX", "plan_roster_pdf", "resolve_target", "sign_in_sheet_pdf", "training_record_pdf"]
