"""Training plans and their sessions (R6–R8): who organizes what for whom, when and where.

R6 (分级负责、分层培训) is shown, never silently ignored and never a block: :func:`plan_warnings` says
when the organizer does not match the staff trained, or the level trained does not match the staff.

CONTRACT (step 3): the dataclasses and signatures below are fixed; the UI, printing and CLI are
written against them. Every function takes the caller's Session; nothing commits here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Attendance, Enrolment, OrgUnit, Person, TrainingPlan, TrainingSession
from ..data.models.training import TARGET_LEVELS
from ..errors import ValidationError
from ._common import clean_text
from .bulk import write_updates
from .training_grid import rederive_passed


@dataclass(frozen=True)
class PlanInput:
    """What the clerk types into the plan editor. Codes are those of codes.py."""

    title: str
    year: int
    organizer_level: str  #: codes.ORGANIZER_LEVEL: county / township / department / telecom
    target_role: str  #: codes.ROLE
    target_level: str  #: "county" | "township" | "village" (training_plan.TARGET_LEVELS)
    topics: tuple[str, ...]  #: codes.TRAINING_TOPIC codes "1".."7" (R7), at least one
    kind: str  #: codes.TRAINING_KIND: pre_job / regular
    mode: str  #: codes.TRAINING_MODE: lecture / self_study / mixed
    planned_hours: float = 0.0
    pass_mark: float = 60.0  #: score 0..100; a score >= pass_mark passes
    organizer_unit_id: str | None = None  #: the county or township unit that organizes (county/township level)
    organizer_department: str | None = None  #: e.g. "县委党校", "县农业局", "中国电信青山分公司"
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    notes: str | None = None


@dataclass(frozen=True)
class PlanWarning:
    """A rule the plan does not follow: shown, never silently ignored, and not a block (R6)."""

    rule: str  #: e.g. "R6"
    message: str  #: Chinese, names what is wrong, e.g. "乡镇组织的培训对象为乡镇站点管理员：应由县远程办培训"

    def text(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class PlanInfo:
    id: str
    title: str
    year: int
    organizer_level: str
    organizer_label: str  #: e.g. "县远程办（青山县）" or "部门（县委党校）"
    organizer_unit_id: str | None
    organizer_department: str | None
    target_role: str
    target_role_label: str
    target_level: str
    topics: tuple[str, ...]
    topic_labels: tuple[str, ...]
    kind: str
    kind_label: str
    mode: str
    mode_label: str
    planned_hours: float
    pass_mark: float
    start_date: dt.date | None
    end_date: dt.date | None
    notes: str | None
    session_count: int
    enrolled_count: int
    warnings: tuple[PlanWarning, ...] = field(default=())


@dataclass(frozen=True)
class SessionInput:
    date: dt.date
    hours: float
    start_time: dt.time | None = None
    end_time: dt.time | None = None  #: after start_time when both are given
    place: str | None = None
    instructor_person_id: str | None = None  #: a tutor from the archive, or
    instructor_name: str | None = None  #: a named outsider (one of the two, or neither)
    notes: str | None = None


@dataclass(frozen=True)
class SessionInfo:
    id: str
    plan_id: str
    plan_title: str
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    hours: float
    place: str | None
    instructor_person_id: str | None
    instructor_name: str | None
    instructor_label: str  #: the tutor's name, the outsider's name, or ""
    notes: str | None

    @property
    def time_label(self) -> str:
        """"09:00–11:30", or "" when no times are set."""
        if self.start_time is None:
            return ""
        end = f"–{self.end_time:%H:%M}" if self.end_time else ""
        return f"{self.start_time:%H:%M}{end}"


def _when(info: SessionInfo, *, with_date: bool = True) -> str:
    """"11月05日 09:00–11:30「title」"; the date left out for the second of a pair (the same day)."""
    parts = [f"{info.date.month:02d}月{info.date.day:02d}日"] if with_date else []
    if info.time_label:
        parts.append(info.time_label)
    return " ".join(parts) + f"「{info.plan_title}」"


@dataclass(frozen=True)
class Clash:
    """Two sessions at overlapping times that share a person: an enrolled person or the instructor."""

    kind: str  #: "person" (enrolled in both) or "instructor" (teaches both, or teaches one and attends the other)
    person_id: str | None  #: None for an outsider instructor matched by name
    person_name: str
    first: SessionInfo
    second: SessionInfo

    def text(self) -> str:
        """E.g. "张三 同时参加 11月05日 09:00–11:30「村级站点管理员岗前培训」与 10:00–12:00「…」"."""
        first = _when(self.first)
        second = _when(self.second, with_date=False)
        joint = f"与 {second}" if self.second.time_label else f"与{second}"
        if self.kind == "person":
            return f"{self.person_name} 同时参加 {first}{joint}"
        if self.person_id is None or self.second.instructor_person_id == self.person_id:
            return f"{self.person_name} 同时讲授 {first}{joint}"
        return f"{self.person_name} 讲授 {first}时须参加 {second}"


# --- R6: who trains whom ---------------------------------------------------------------------------

#: Which organizer levels train each kind of staff (R6, 分级负责、分层培训; 谁组建、谁培训).
R6_ORGANIZERS: dict[str, tuple[str, ...]] = {
    "township_manager": ("county",),
    "village_manager": ("county", "township"),
    "enterprise_manager": ("county", "township"),
    "county_tutor": ("department", "county"),
    "township_tutor": ("department", "county", "township"),
    "technician": ("telecom",),
}
_R6_WHO: dict[str, str] = {
    "township_manager": "县远程办",
    "village_manager": "县远程办或所在乡镇",
    "enterprise_manager": "县远程办或所在乡镇",
    "county_tutor": "组建该队伍的部门（党校、农业、司法等）或县远程办（谁组建、谁培训）",
    "township_tutor": "组建该队伍的部门（党校、农业、司法等）或县远程办、乡镇（谁组建、谁培训）",
    "technician": "各级电信公司",
}
#: The level each kind of staff serves at (R2–R5); technicians serve at county and township level.
R6_LEVELS: dict[str, tuple[str, ...]] = {
    "township_manager": ("township",),
    "village_manager": ("village",),
    "enterprise_manager": ("village",),
    "county_tutor": ("county",),
    "township_tutor": ("township",),
    "technician": ("county", "township"),
}
LEVEL_LABEL: dict[str, str] = {"county": "县级", "township": "乡镇级", "village": "村级"}
_ORGANIZER_SHORT: dict[str, str] = {"county": "县远程办", "township": "乡镇", "department": "部门",
                                    "telecom": "电信公司"}


def _organizer_label(level: str, unit_name: str | None, department: str | None) -> str:
    base = _ORGANIZER_SHORT.get(level, codes.label(codes.ORGANIZER_LEVEL, level))
    detail = unit_name if level in ("county", "township") and unit_name else department or unit_name
    return f"{base}（{detail}）" if detail else base


def _unit_name(session: Session, unit_id: str | None) -> str | None:
    if not unit_id:
        return None
    return session.scalar(select(OrgUnit.name).where(OrgUnit.id == unit_id, OrgUnit.deleted.is_(False)))


def plan_warnings(session: Session, data: PlanInput) -> list[PlanWarning]:
    """R6 (分级负责、分层培训) checks of a plan before or after it is saved."""
    out: list[PlanWarning] = []
    role, level, organizer = data.target_role, data.target_level, data.organizer_level
    if role not in codes.ROLE:
        return out  # nothing to check against yet; add_plan refuses the code itself
    role_label = codes.ROLE[role]
    if organizer in codes.ORGANIZER_LEVEL and organizer not in R6_ORGANIZERS[role]:
        who = _organizer_label(organizer, _unit_name(session, data.organizer_unit_id),
                               (data.organizer_department or "").strip() or None)
        out.append(PlanWarning("R6", f"{role_label}应由{_R6_WHO[role]}培训，本计划的组织者是{who}"
                                     "（分级负责、分层培训）"))
    if level in TARGET_LEVELS and level not in R6_LEVELS[role]:
        fits = "或".join(LEVEL_LABEL[x] for x in R6_LEVELS[role])
        out.append(PlanWarning("R6", f"培训对象{role_label}属{fits}，本计划的培训层级却是{LEVEL_LABEL[level]}"
                                     "（分层培训）"))
    return out


# --- plans -----------------------------------------------------------------------------------------

def _number(value: object, *, field: str, low: float, high: float, rule: str | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
        raise ValidationError(f"“{value}”不是数字", field=field, rule=rule)
    number = float(value)
    if not low <= number <= high:
        raise ValidationError(f"{number:g} 超出 {low:g}–{high:g}", field=field, rule=rule)
    return number


#: More planned hours than this is a typing slip (a year of full-time study is about 1,000).
MAX_PLANNED_HOURS = 2000.0


def _validated(session: Session, data: PlanInput) -> dict[str, object]:
    """The plan's column values, or ValidationError naming the first bad field."""
    title = clean_text(data.title, field="培训名称", required=True, max_len=200)
    if isinstance(data.year, bool) or not isinstance(data.year, int) or not 2000 <= data.year <= 2100:
        raise ValidationError(f"“{data.year}”应为 2000–2100 之间的年份", field="年度")
    organizer = codes.require_code(codes.ORGANIZER_LEVEL, data.organizer_level, field="组织层级")
    role = codes.require_code(codes.ROLE, data.target_role, field="培训对象")
    level = (data.target_level or "").strip()
    if level not in TARGET_LEVELS:
        raise ValidationError(f"“{level}”应为县级、乡镇级或村级" if level else "不能为空", field="对象层级")
    if not data.topics:
        raise ValidationError("至少选择一项培训内容", field="培训内容", rule="R7")
    mask = codes.topics_to_mask(data.topics)
    kind = codes.require_code(codes.TRAINING_KIND, data.kind, field="培训类型")
    mode = codes.require_code(codes.TRAINING_MODE, data.mode, field="培训方式")
    hours = _number(data.planned_hours, field="计划学时", low=0, high=MAX_PLANNED_HOURS, rule="R8")
    mark = _number(data.pass_mark, field="合格分数", low=0, high=100, rule="R8")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ValidationError(f"{data.end_date.isoformat()} 早于开始日期 {data.start_date.isoformat()}",
                              field="结束日期")
    department = clean_text(data.organizer_department, field="组织部门", max_len=100)
    unit_id = (data.organizer_unit_id or "").strip() or None
    if unit_id is not None:
        unit = session.get(OrgUnit, unit_id)
        if unit is None or unit.deleted:
            raise ValidationError("找不到该单位", field="组织单位")
        if unit.kind not in ("county", "township"):
            raise ValidationError(f"“{unit.name}”是{codes.label(codes.UNIT_KIND, unit.kind)}，"
                                  "组织单位应为县或乡镇", field="组织单位", rule="R6")
        if organizer in ("county", "township") and unit.kind != organizer:
            raise ValidationError(f"组织层级为{codes.ORGANIZER_LEVEL[organizer]}，“{unit.name}”却是"
                                  f"{codes.label(codes.UNIT_KIND, unit.kind)}", field="组织单位", rule="R6")
    # R6: each training records its organizer: a county or township office by its unit, a department
    # or a telecom company by its name.
    if organizer in ("county", "township") and unit_id is None:
        raise ValidationError(f"请选择组织培训的{codes.UNIT_KIND[organizer]}", field="组织单位", rule="R6")
    if organizer in ("department", "telecom") and department is None:
        what = "部门名称（如县委党校、县农业农村局）" if organizer == "department" else "电信公司名称"
        raise ValidationError(f"请填写组织培训的{what}", field="组织部门", rule="R6")
    return {
        "title": title, "year": data.year, "organizer_level": organizer, "organizer_unit_id": unit_id,
        "organizer_department": department, "target_role": role, "target_level": level, "topics": mask,
        "kind": kind, "mode": mode, "planned_hours": hours, "pass_mark": mark, "start_date": data.start_date,
        "end_date": data.end_date, "notes": clean_text(data.notes, field="备注", max_len=2000),
    }


def _get_plan(session: Session, plan_id: str) -> TrainingPlan:
    plan = session.get(TrainingPlan, plan_id) if plan_id else None
    if plan is None or plan.deleted:
        raise ValidationError("找不到该培训计划", field="培训计划")
    return plan


def _input_of(plan: TrainingPlan) -> PlanInput:
    return PlanInput(
        title=plan.title, year=plan.year, organizer_level=plan.organizer_level, target_role=plan.target_role,
        target_level=plan.target_level, topics=tuple(codes.mask_to_topics(plan.topics or 0)), kind=plan.kind,
        mode=plan.mode, planned_hours=plan.planned_hours, pass_mark=plan.pass_mark,
        organizer_unit_id=plan.organizer_unit_id, organizer_department=plan.organizer_department,
        start_date=plan.start_date, end_date=plan.end_date, notes=plan.notes)


def _infos(session: Session, plans: list[TrainingPlan], *, with_warnings: bool = True) -> list[PlanInfo]:
    if not plans:
        return []
    ids = [p.id for p in plans]
    sessions = dict(session.execute(
        select(TrainingSession.plan_id, func.count()).where(TrainingSession.plan_id.in_(ids),
                                                            TrainingSession.deleted.is_(False))
        .group_by(TrainingSession.plan_id)).tuples().all())
    enrolled = dict(session.execute(
        select(Enrolment.plan_id, func.count()).where(Enrolment.plan_id.in_(ids), Enrolment.deleted.is_(False))
        .group_by(Enrolment.plan_id)).tuples().all())
    unit_ids = {p.organizer_unit_id for p in plans if p.organizer_unit_id}
    units = dict(session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(unit_ids))).tuples().all()) \
        if unit_ids else {}
    out = []
    for p in plans:
        topics = tuple(codes.mask_to_topics(p.topics or 0))
        warnings = tuple(plan_warnings(session, _input_of(p))) if with_warnings else ()
        out.append(PlanInfo(
            id=p.id, title=p.title, year=p.year, organizer_level=p.organizer_level,
            organizer_label=_organizer_label(p.organizer_level, units.get(p.organizer_unit_id or ""),
                                             p.organizer_department),
            organizer_unit_id=p.organizer_unit_id, organizer_department=p.organizer_department,
            target_role=p.target_role, target_role_label=codes.label(codes.ROLE, p.target_role),
            target_level=p.target_level, topics=topics,
            topic_labels=tuple(codes.TRAINING_TOPIC[t] for t in topics), kind=p.kind,
            kind_label=codes.label(codes.TRAINING_KIND, p.kind), mode=p.mode,
            mode_label=codes.label(codes.TRAINING_MODE, p.mode), planned_hours=float(p.planned_hours or 0.0),
            pass_mark=float(p.pass_mark), start_date=p.start_date, end_date=p.end_date, notes=p.notes,
            session_count=int(sessions.get(p.id, 0)), enrolled_count=int(enrolled.get(p.id, 0)),
            warnings=warnings))
    return out


def add_plan(session: Session, data: PlanInput) -> PlanInfo:
    """Validate (ValidationError naming the field) and add a plan; warnings are returned in PlanInfo."""
    plan = TrainingPlan(**_validated(session, data))
    session.add(plan)
    session.flush()
    return _infos(session, [plan])[0]


def update_plan(session: Session, plan_id: str, data: PlanInput) -> PlanInfo:
    """Change a plan; a new pass mark derives pass/fail of its enrolments again (R8)."""
    plan = _get_plan(session, plan_id)
    values = _validated(session, data)
    old_mark = float(plan.pass_mark)
    for key, value in values.items():
        if getattr(plan, key) != value:
            setattr(plan, key, value)
    session.flush()
    if float(values["pass_mark"]) != old_mark:  # type: ignore[arg-type]
        rederive_passed(session, plan.id, float(plan.pass_mark))
    return _infos(session, [plan])[0]


def delete_plan(session: Session, plan_id: str) -> None:
    """Tombstone the plan with its sessions, enrolments and attendance (R1: never a hard delete)."""
    plan = _get_plan(session, plan_id)
    session.flush()
    session_ids = list(session.scalars(select(TrainingSession.id).where(
        TrainingSession.plan_id == plan.id, TrainingSession.deleted.is_(False))))
    all_sessions = select(TrainingSession.id).where(TrainingSession.plan_id == plan.id)
    attendance = list(session.scalars(select(Attendance.id).where(
        Attendance.session_id.in_(all_sessions), Attendance.deleted.is_(False))))
    enrolments = list(session.scalars(select(Enrolment.id).where(
        Enrolment.plan_id == plan.id, Enrolment.deleted.is_(False))))
    for model, ids in ((Attendance, attendance), (Enrolment, enrolments), (TrainingSession, session_ids)):
        write_updates(session, model, ("deleted",), [(rid, (False,), (True,)) for rid in ids])
    plan.deleted = True
    session.flush()


def get_plan(session: Session, plan_id: str) -> PlanInfo:
    return _infos(session, [_get_plan(session, plan_id)])[0]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_plans(session: Session, *, year: int | None = None, search: str = "") -> list[PlanInfo]:
    """Plans not deleted, newest year first, then by start date and title."""
    stmt = select(TrainingPlan).where(TrainingPlan.deleted.is_(False))
    if year is not None:
        stmt = stmt.where(TrainingPlan.year == year)
    for term in (search or "").split():
        pattern = _like(term)
        stmt = stmt.where(or_(TrainingPlan.title.like(pattern, escape="\\"),
                              TrainingPlan.organizer_department.like(pattern, escape="\\")))
    stmt = stmt.order_by(TrainingPlan.year.desc(), TrainingPlan.start_date.is_(None), TrainingPlan.start_date,
                         TrainingPlan.title, TrainingPlan.id)
    return _infos(session, list(session.scalars(stmt)))


# --- sessions --------------------------------------------------------------------------------------

def _session_values(session: Session, data: SessionInput) -> dict[str, object]:
    if not isinstance(data.date, dt.date):
        raise ValidationError("不能为空", field="日期")
    if isinstance(data.hours, bool) or not isinstance(data.hours, int | float) or not math.isfinite(data.hours):
        raise ValidationError(f"“{data.hours}”不是数字", field="学时", rule="R8")
    hours = float(data.hours)
    if not 0 < hours <= 24:
        raise ValidationError(f"{hours:g} 应大于 0 且不超过 24", field="学时", rule="R8")
    if data.end_time is not None and data.start_time is None:
        raise ValidationError("填写了结束时间，也须填写开始时间", field="开始时间")
    if data.start_time is not None and data.end_time is not None and data.end_time <= data.start_time:
        raise ValidationError(f"{data.end_time:%H:%M} 不晚于开始时间 {data.start_time:%H:%M}", field="结束时间")
    place = clean_text(data.place, field="地点", max_len=200)
    name = clean_text(data.instructor_name, field="授课人", max_len=50)
    person_id = (data.instructor_person_id or "").strip() or None
    if person_id is not None:
        if name is not None:
            raise ValidationError("请选择档案中的辅导员或填写外请授课人，不能两者都填", field="授课人")
        person = session.get(Person, person_id)
        if person is None or person.deleted:
            raise ValidationError("档案中找不到该授课人", field="授课人")
    return {"date": data.date, "hours": hours, "start_time": data.start_time, "end_time": data.end_time,
            "place": place, "instructor_person_id": person_id, "instructor_name": name,
            "notes": clean_text(data.notes, field="备注", max_len=2000)}


_SESSION_COLUMNS = (TrainingSession.id, TrainingSession.plan_id, TrainingPlan.title, TrainingSession.date,
                    TrainingSession.start_time, TrainingSession.end_time, TrainingSession.hours,
                    TrainingSession.place, TrainingSession.instructor_person_id, TrainingSession.instructor_name,
                    Person.name, TrainingSession.notes)


def _session_query() -> Select[Any]:
    return (select(*_SESSION_COLUMNS)
            .join(TrainingPlan, TrainingPlan.id == TrainingSession.plan_id)
            .outerjoin(Person, Person.id == TrainingSession.instructor_person_id)
            .where(TrainingSession.deleted.is_(False), TrainingPlan.deleted.is_(False)))


def _session_infos(session: Session, stmt: Select[Any]) -> list[SessionInfo]:
    out = []
    for sid, pid, title, day, start, end, hours, place, ipid, iname, person_name, notes in session.execute(stmt):
        out.append(SessionInfo(sid, pid, title, day, start, end, float(hours or 0.0), place, ipid, iname,
                               person_name or iname or "", notes))
    return out


def _ordered(stmt: Select[Any]) -> Select[Any]:
    return stmt.order_by(TrainingSession.date, TrainingSession.start_time.is_not(None), TrainingSession.start_time,
                         TrainingPlan.title, TrainingSession.id)


def _get_session(session: Session, session_id: str) -> TrainingSession:
    row = session.get(TrainingSession, session_id) if session_id else None
    if row is None or row.deleted:
        raise ValidationError("找不到该课次", field="课次")
    _get_plan(session, row.plan_id)
    return row


def get_session(session: Session, session_id: str) -> SessionInfo:
    row = _get_session(session, session_id)
    return _session_infos(session, _session_query().where(TrainingSession.id == row.id))[0]


def add_session(session: Session, plan_id: str, data: SessionInput) -> SessionInfo:
    plan = _get_plan(session, plan_id)
    row = TrainingSession(plan_id=plan.id, **_session_values(session, data))
    session.add(row)
    session.flush()
    return get_session(session, row.id)


def update_session(session: Session, session_id: str, data: SessionInput) -> SessionInfo:
    """Change a session; attendance already recorded there is credited the new hours."""
    row = _get_session(session, session_id)
    values = _session_values(session, data)
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    session.flush()
    # R8: a person present is credited the session's hours, so a change of hours follows to them.
    credited = session.execute(select(Attendance.id, Attendance.hours).where(
        Attendance.session_id == row.id, Attendance.present.is_(True), Attendance.deleted.is_(False))).tuples()
    write_updates(session, Attendance, ("hours",), [(aid, (h,), (row.hours,)) for aid, h in credited])
    return get_session(session, row.id)


def delete_session(session: Session, session_id: str) -> None:
    """Tombstone the session and its attendance rows."""
    row = _get_session(session, session_id)
    session.flush()
    attendance = list(session.scalars(select(Attendance.id).where(
        Attendance.session_id == row.id, Attendance.deleted.is_(False))))
    write_updates(session, Attendance, ("deleted",), [(aid, (False,), (True,)) for aid in attendance])
    row.deleted = True
    session.flush()


def list_sessions(session: Session, plan_id: str) -> list[SessionInfo]:
    """The plan's sessions by date and start time."""
    plan = _get_plan(session, plan_id)
    return _session_infos(session, _ordered(_session_query().where(TrainingSession.plan_id == plan.id)))


def sessions_between(session: Session, first_day: dt.date, last_day: dt.date) -> list[SessionInfo]:
    """Every session of every plan from first_day to last_day inclusive (the calendar)."""
    return _session_infos(session, _ordered(_session_query().where(
        TrainingSession.date >= first_day, TrainingSession.date <= last_day)))


# --- clashes ---------------------------------------------------------------------------------------

def _span(info: SessionInfo) -> tuple[int, int] | None:
    """Minutes from midnight [start, end); None for a session without times (it takes the whole day).
    A start without an end lasts the session's hours."""
    if info.start_time is None:
        return None
    start = info.start_time.hour * 60 + info.start_time.minute
    if info.end_time is not None:
        end = info.end_time.hour * 60 + info.end_time.minute
    else:
        end = start + max(1, round(info.hours * 60))
    return start, min(max(end, start + 1), 24 * 60)


def overlap(a: SessionInfo, b: SessionInfo) -> bool:
    """Same day and overlapping times; back to back (09:00–11:00, 11:00–12:00) is not an overlap."""
    if a.date != b.date:
        return False
    sa, sb = _span(a), _span(b)
    if sa is None or sb is None:
        return True
    return sa[0] < sb[1] and sb[0] < sa[1]


def _order(info: SessionInfo) -> tuple[object, ...]:
    return (info.date, info.start_time is not None, info.start_time or dt.time(0), info.plan_title, info.id)


def _same_name(a: str | None, b: str | None) -> bool:
    return bool(a and b and "".join(a.split()) == "".join(b.split()))


def clashes(session: Session, *, plan_id: str | None = None, session_id: str | None = None) -> list[Clash]:
    """Overlapping sessions sharing an enrolled person or an instructor.

    With plan_id, only clashes that involve a session of that plan; with session_id, only that session;
    with neither, all. Sessions without times overlap when on the same day.

    Enrolment is per plan, so a person enrolled in a plan is expected at all of its sessions. Two
    overlapping sessions of the same plan share all its people — those are parallel groups, not a clash
    of a person — but one instructor cannot teach both.
    """
    base = _session_query()
    if session_id is not None:
        scope_days = select(TrainingSession.date).where(TrainingSession.id == session_id)
    elif plan_id is not None:
        scope_days = select(TrainingSession.date).where(TrainingSession.plan_id == plan_id,
                                                        TrainingSession.deleted.is_(False))
    else:
        scope_days = None
    stmt = base if scope_days is None else base.where(TrainingSession.date.in_(scope_days))
    by_day: dict[dt.date, list[SessionInfo]] = defaultdict(list)
    for info in _session_infos(session, stmt):
        by_day[info.date].append(info)

    def in_scope(info: SessionInfo) -> bool:
        if session_id is not None:
            return info.id == session_id
        return plan_id is None or info.plan_id == plan_id

    pairs: list[tuple[SessionInfo, SessionInfo]] = []
    for day_sessions in by_day.values():
        day_sessions.sort(key=_order)
        for i, a in enumerate(day_sessions):
            for b in day_sessions[i + 1:]:
                if (in_scope(a) or in_scope(b)) and overlap(a, b):
                    pairs.append((a, b))
    if not pairs:
        return []

    plans = {s.plan_id for pair in pairs for s in pair}
    people: dict[str, set[str]] = defaultdict(set)
    for pid, person in session.execute(select(Enrolment.plan_id, Enrolment.person_id).where(
            Enrolment.plan_id.in_(plans), Enrolment.deleted.is_(False))).tuples():
        people[pid].add(person)
    wanted = {p for pair in pairs if pair[0].plan_id != pair[1].plan_id
              for p in people[pair[0].plan_id] & people[pair[1].plan_id]}
    wanted |= {s.instructor_person_id for pair in pairs for s in pair if s.instructor_person_id}
    names = _names(session, wanted)

    out: list[Clash] = []
    for a, b in pairs:
        seen: set[str] = set()
        # The same instructor at both: a tutor from the archive by id, an outsider by name.
        if a.instructor_person_id and a.instructor_person_id == b.instructor_person_id:
            seen.add(a.instructor_person_id)
            out.append(Clash("instructor", a.instructor_person_id, names.get(a.instructor_person_id, "?"), a, b))
        elif not a.instructor_person_id and not b.instructor_person_id and _same_name(a.instructor_name,
                                                                                      b.instructor_name):
            out.append(Clash("instructor", None, a.instructor_name or "", a, b))
        # An instructor teaching one session while enrolled in the plan of the other.
        for teaching, other in ((a, b), (b, a)):
            tutor = teaching.instructor_person_id
            if tutor and tutor not in seen and other.plan_id != teaching.plan_id and tutor in people[other.plan_id]:
                seen.add(tutor)
                out.append(Clash("instructor", tutor, names.get(tutor, "?"), teaching, other))
        if a.plan_id == b.plan_id:
            continue
        for person in sorted(people[a.plan_id] & people[b.plan_id] - seen, key=lambda p: (names.get(p, ""), p)):
            out.append(Clash("person", person, names.get(person, "?"), a, b))
    return out


def _names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    wanted = list(set(ids))
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 5000):
        out.update(session.execute(select(Person.id, Person.name).where(
            Person.id.in_(wanted[start:start + 5000]))).tuples().all())
    return out
