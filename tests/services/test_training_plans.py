"""Training plans and sessions (R6–R8): validation, R6 warnings, tombstones, the calendar and clashes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from remoteedu_desktop import codes
from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import (
    Attendance,
    AuditLog,
    Enrolment,
    OrgUnit,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, training_enrolment, training_grid, units
from remoteedu_desktop.services.training_plans import (
    PlanInput,
    SessionInput,
    add_plan,
    add_session,
    clashes,
    delete_plan,
    delete_session,
    get_plan,
    get_session,
    list_plans,
    list_sessions,
    plan_warnings,
    sessions_between,
    update_plan,
    update_session,
)

State = Callable[[], dict[str, int]]
Refused = Callable[..., None]
NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]
DAY = dt.date(2026, 11, 5)


def _county_id(db: Database, township_id: str) -> str:
    with db.session() as s:
        parent = s.scalar(select(OrgUnit.parent_id).where(OrgUnit.id == township_id))
    assert parent is not None
    return parent


def _plan_input(unit_id: str | None, **changes: object) -> PlanInput:
    """A proper plan: the township trains its village site managers before they start (R6)."""
    base = PlanInput(title="2026年龙潭镇村级站点管理员岗前培训", year=2026, organizer_level="township",
                     target_role="village_manager", target_level="village", topics=("1", "2", "5"),
                     kind="pre_job", mode="mixed", planned_hours=12.0, pass_mark=60.0, organizer_unit_id=unit_id,
                     start_date=dt.date(2026, 11, 5), end_date=dt.date(2026, 11, 6))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _add(db: Database, data: PlanInput) -> str:
    with db.session() as s:
        return add_plan(s, data).id


def _session(db: Database, plan_id: str, start: str | None, end: str | None, *, day: dt.date = DAY,
             hours: float = 2.0, **fields: object) -> str:
    begin = dt.time.fromisoformat(start) if start else None
    finish = dt.time.fromisoformat(end) if end else None
    with db.session() as s:
        return add_session(s, plan_id, SessionInput(date=day, hours=hours, start_time=begin, end_time=finish,
                                                    **fields)).id  # type: ignore[arg-type]


# --- plans: validation (R6–R8) ----------------------------------------------------------------------

def test_add_plan_stores_it_with_labels_and_no_warning(db: Database, township_id: str) -> None:
    with db.session() as s:
        info = add_plan(s, _plan_input(township_id, topics=("5", "1", "2"), notes="  自带笔记本  "))
    assert info.warnings == ()
    assert info.organizer_label == "乡镇（龙潭镇）"
    assert (info.topics, info.topic_labels) == (("1", "2", "5"), ("远程教育指导意见", "平台知识", "站点设备操作维护"))
    assert (info.kind_label, info.mode_label, info.target_role_label) == ("岗前培训", "集中与自学结合", "村站点管理员")
    assert (info.session_count, info.enrolled_count, info.notes) == (0, 0, "自带笔记本")
    with db.session() as s:
        row = s.get(TrainingPlan, info.id)
        assert row is not None and row.topics == 0b10011 and row.origin == "360499100"
        assert s.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.table_name == "training_plan", AuditLog.action == "insert")) == 1
        assert get_plan(s, info.id) == info


def test_organizer_labels_name_the_unit_or_the_department(db: Database, township_id: str) -> None:
    county = _county_id(db, township_id)
    with db.session() as s:
        a = add_plan(s, _plan_input(county, organizer_level="county", target_role="township_manager",
                                    target_level="township"))
        b = add_plan(s, _plan_input(None, organizer_level="department", organizer_department="中共青山县委党校",
                                    target_role="county_tutor", target_level="county", kind="regular"))
        c = add_plan(s, _plan_input(None, organizer_level="telecom", organizer_department="中国电信青山分公司",
                                    target_role="technician", target_level="township", kind="regular"))
    assert (a.organizer_label, b.organizer_label, c.organizer_label) == (
        "县远程办（青山县）", "部门（中共青山县委党校）", "电信公司（中国电信青山分公司）")
    assert a.warnings == b.warnings == c.warnings == ()


@pytest.mark.parametrize(("changes", "field", "rule"), [
    ({"title": "  "}, "培训名称", None),
    ({"title": "培" * 201}, "培训名称", None),
    ({"year": 1999}, "年度", None),
    ({"year": 2101}, "年度", None),
    ({"organizer_level": "province"}, "组织层级", None),
    ({"target_role": "driver"}, "培训对象", None),
    ({"target_level": "city"}, "对象层级", None),
    ({"topics": ()}, "培训内容", "R7"),
    ({"topics": ("1", "8")}, "培训内容", None),
    ({"kind": "refresher"}, "培训类型", None),
    ({"mode": "online"}, "培训方式", None),
    ({"planned_hours": -1.0}, "计划学时", "R8"),
    ({"pass_mark": 100.5}, "合格分数", "R8"),
    ({"pass_mark": -1.0}, "合格分数", "R8"),
    ({"pass_mark": float("nan")}, "合格分数", "R8"),
    ({"start_date": dt.date(2026, 11, 6), "end_date": dt.date(2026, 11, 5)}, "结束日期", None),
    ({"organizer_unit_id": "no-such-unit"}, "组织单位", None),
    ({"organizer_unit_id": None}, "组织单位", "R6"),
    ({"organizer_level": "department", "organizer_unit_id": None}, "组织部门", "R6"),
    ({"organizer_level": "telecom", "organizer_unit_id": None, "organizer_department": "  "}, "组织部门", "R6"),
])
def test_bad_plan_is_refused_naming_the_field_and_writes_nothing(
        db: Database, township_id: str, state: State, refused: Refused, changes: dict[str, object], field: str,
        rule: str | None) -> None:
    before = state()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        add_plan(s, _plan_input(township_id, **changes))
    refused(exc.value, field=field, rule=rule)
    assert state() == before


def test_organizer_unit_must_be_the_county_or_township_of_that_level(
        db: Database, township_id: str, new_village: NewVillage, state: State, refused: Refused) -> None:
    village = new_village("杨家村")
    county = _county_id(db, township_id)
    before = state()
    for level, unit_id in (("township", village.id), ("county", township_id), ("township", county)):
        with db.session() as s, pytest.raises(ValidationError) as exc:
            add_plan(s, _plan_input(unit_id, organizer_level=level))
        refused(exc.value, field="组织单位", rule="R6")
    assert state() == before


def test_boundaries_are_accepted(db: Database, township_id: str) -> None:
    with db.session() as s:
        low = add_plan(s, _plan_input(township_id, year=2000, pass_mark=0.0, planned_hours=0.0,
                                      start_date=DAY, end_date=DAY, title="培" * 200))
        high = add_plan(s, _plan_input(township_id, year=2100, pass_mark=100, topics=tuple(codes.TRAINING_TOPIC)))
    assert (low.year, low.pass_mark, low.planned_hours, len(low.title)) == (2000, 0.0, 0.0, 200)
    assert (high.year, high.pass_mark, len(high.topics)) == (2100, 100.0, 7)


# --- R6 warnings ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("organizer", "role", "level"), [
    ("county", "township_manager", "township"),
    ("county", "village_manager", "village"),
    ("township", "village_manager", "village"),
    ("township", "enterprise_manager", "village"),
    ("county", "enterprise_manager", "village"),
    ("department", "county_tutor", "county"),
    ("county", "county_tutor", "county"),
    ("department", "township_tutor", "township"),
    ("township", "township_tutor", "township"),
    ("telecom", "technician", "township"),
    ("telecom", "technician", "county"),
])
def test_r6_proper_plans_have_no_warning(db: Database, township_id: str, organizer: str, role: str,
                                         level: str) -> None:
    unit = {"county": _county_id(db, township_id), "township": township_id}.get(organizer)
    data = _plan_input(unit, organizer_level=organizer, target_role=role, target_level=level,
                       organizer_department=None if unit else "中共青山县委党校")
    with db.session() as s:
        assert plan_warnings(s, data) == []
        assert add_plan(s, data).warnings == ()


@pytest.mark.parametrize(("organizer", "role", "level", "says"), [
    ("township", "township_manager", "township", "乡镇站点管理员应由县远程办培训"),
    ("department", "township_manager", "township", "乡镇站点管理员应由县远程办培训"),
    ("department", "village_manager", "village", "村站点管理员应由县远程办或所在乡镇培训"),
    ("telecom", "enterprise_manager", "village", "非公企业站点管理员应由县远程办或所在乡镇培训"),
    ("telecom", "county_tutor", "county", "县级教学辅导员应由组建该队伍的部门"),
    ("township", "county_tutor", "county", "县级教学辅导员应由组建该队伍的部门"),
    ("telecom", "township_tutor", "township", "乡镇教学辅导员应由组建该队伍的部门"),
    ("county", "technician", "township", "技术服务员应由各级电信公司培训"),
    ("department", "technician", "county", "技术服务员应由各级电信公司培训"),
])
def test_r6_wrong_organizer_is_warned_not_refused(db: Database, township_id: str, organizer: str, role: str,
                                                  level: str, says: str) -> None:
    unit = {"county": _county_id(db, township_id), "township": township_id}.get(organizer)
    data = _plan_input(unit, organizer_level=organizer, target_role=role, target_level=level,
                       organizer_department=None if unit else "某单位")
    with db.session() as s:
        warnings = plan_warnings(s, data)
        info = add_plan(s, data)  # a warning never blocks
    assert len(warnings) == 1 and warnings[0].rule == "R6"
    assert warnings[0].message.startswith(says), warnings[0].message
    assert warnings[0].text().startswith(f"[R6] {says}")
    assert info.warnings == tuple(warnings)


def test_r6_warning_names_the_organizer(db: Database, township_id: str) -> None:
    with db.session() as s:
        [w] = plan_warnings(s, _plan_input(township_id, target_role="township_manager", target_level="township"))
        [t] = plan_warnings(s, _plan_input(None, organizer_level="telecom", organizer_department="中国电信青山分公司",
                                           target_role="county_tutor", target_level="county"))
    assert "乡镇（龙潭镇）" in w.message
    assert "电信公司（中国电信青山分公司）" in t.message


@pytest.mark.parametrize(("role", "level"), [
    ("township_manager", "village"), ("township_manager", "county"), ("village_manager", "township"),
    ("enterprise_manager", "county"), ("county_tutor", "township"), ("township_tutor", "county"),
    ("technician", "village"),
])
def test_r6_level_that_does_not_fit_the_staff_is_warned(db: Database, township_id: str, role: str,
                                                        level: str) -> None:
    organizer = {"township_manager": "county", "county_tutor": "department", "township_tutor": "department",
                 "technician": "telecom"}.get(role, "township")
    unit = {"county": _county_id(db, township_id), "township": township_id}.get(organizer)
    data = _plan_input(unit, organizer_level=organizer, target_role=role, target_level=level,
                       organizer_department=None if unit else "某部门")
    with db.session() as s:
        warnings = plan_warnings(s, data)
    assert [w.rule for w in warnings] == ["R6"]
    assert codes.ROLE[role] in warnings[0].message and "培训层级" in warnings[0].message


def test_r6_warnings_of_an_incomplete_form_are_empty(db: Database, township_id: str) -> None:
    with db.session() as s:
        assert plan_warnings(s, _plan_input(township_id, target_role="")) == []


# --- plans: update, list, delete ----------------------------------------------------------------------

def test_update_plan_changes_fields_and_audits_them(db: Database, township_id: str, state: State,
                                                    refused: Refused) -> None:
    plan_id = _add(db, _plan_input(township_id))
    with db.session() as s:
        info = update_plan(s, plan_id, _plan_input(township_id, title="改名后的培训", topics=("6",)))
    assert (info.title, info.topics) == ("改名后的培训", ("6",))
    with db.session() as s:
        fields = set(s.scalars(select(AuditLog.field).where(AuditLog.record_id == plan_id,
                                                            AuditLog.action == "update")))
    assert fields == {"title", "topics"}
    before = state()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        update_plan(s, plan_id, _plan_input(township_id, year=3000))
    refused(exc.value, field="年度")
    assert state() == before
    with db.session() as s, pytest.raises(ValidationError):
        update_plan(s, "no-such-plan", _plan_input(township_id))


def test_list_plans_newest_year_first_then_start_date_with_search(db: Database, township_id: str) -> None:
    _add(db, _plan_input(township_id, title="乙", year=2025, start_date=None, end_date=None))
    _add(db, _plan_input(township_id, title="丙", start_date=dt.date(2026, 3, 1), end_date=None))
    _add(db, _plan_input(township_id, title="甲", start_date=dt.date(2026, 9, 1), end_date=None))
    _add(db, _plan_input(None, title="党校100%培训", year=2024, organizer_level="department",
                         organizer_department="县委党校", target_role="county_tutor", target_level="county"))
    with db.session() as s:
        assert [p.title for p in list_plans(s)] == ["丙", "甲", "乙", "党校100%培训"]
        assert [p.title for p in list_plans(s, year=2026)] == ["丙", "甲"]
        assert [p.title for p in list_plans(s, search="党校")] == ["党校100%培训"]
        assert [p.title for p in list_plans(s, search="100%")] == ["党校100%培训"]
        assert [p.title for p in list_plans(s, search="0%培")] == ["党校100%培训"]
        assert list_plans(s, search="%%") == []


def test_delete_plan_tombstones_plan_sessions_enrolments_attendance(
        db: Database, township_id: str, new_person: NewPerson, state: State) -> None:
    plan_id = _add(db, _plan_input(township_id))
    other_id = _add(db, _plan_input(township_id, title="另一个培训"))
    first, second = _session(db, plan_id, "09:00", "11:00"), _session(db, plan_id, "14:00", "16:00")
    other_session = _session(db, other_id, "09:00", "11:00", day=dt.date(2026, 12, 1))
    person = new_person(name="王小明")
    with db.session() as s:
        training_enrolment.enrol(s, plan_id, [person.id])
        training_enrolment.enrol(s, other_id, [person.id])
        training_grid.save_grid(s, plan_id, training_grid.GridChanges(
            present={(person.id, first): True, (person.id, second): True}, self_study={}, scores={}))
        training_grid.save_grid(s, plan_id, training_grid.GridChanges(  # an absent row stays a row
            present={(person.id, second): False}, self_study={}, scores={}))
        training_grid.save_grid(s, other_id, training_grid.GridChanges(
            present={(person.id, other_session): True}, self_study={}, scores={}))
    before = state()
    with db.session() as s:
        delete_plan(s, plan_id)
    after = state()
    assert {k: v for k, v in after.items() if k != "audit_log" and k != "change_counter"} == \
        {k: v for k, v in before.items() if k != "audit_log" and k != "change_counter"}  # nothing hard deleted
    with db.session() as s:
        assert s.get(TrainingPlan, plan_id).deleted  # type: ignore[union-attr]
        assert all(r.deleted for r in s.scalars(select(TrainingSession).where(TrainingSession.plan_id == plan_id)))
        assert all(r.deleted for r in s.scalars(select(Enrolment).where(Enrolment.plan_id == plan_id)))
        assert [r.deleted for r in s.scalars(select(Attendance).where(
            Attendance.session_id.in_([first, second])))] == [True, True]
        # the other plan is untouched
        assert [r.deleted for r in s.scalars(select(Attendance).where(Attendance.session_id == other_session))] == [False]
        assert [p.id for p in list_plans(s)] == [other_id]
        deletions = s.scalars(select(AuditLog.table_name).where(AuditLog.field == "deleted",
                                                                AuditLog.new_value == "True")).all()
        assert sorted(deletions) == ["attendance", "attendance", "enrolment", "training_plan", "training_session",
                                     "training_session"]
        with pytest.raises(ValidationError):
            get_plan(s, plan_id)
        assert sessions_between(s, DAY, DAY) == []


# --- sessions ----------------------------------------------------------------------------------------

def test_add_session_and_list_in_date_and_time_order(db: Database, township_id: str, new_person: NewPerson) -> None:
    plan_id = _add(db, _plan_input(township_id))
    tutor = new_person(name="李老师")
    late = _session(db, plan_id, "14:00", "16:30", hours=2.5, place=" 党员活动室 ", instructor_person_id=tutor.id)
    early = _session(db, plan_id, "09:00", "11:30", hours=2.5, instructor_name=" 赵专家 ")
    untimed = _session(db, plan_id, None, None, hours=4.0)
    next_day = _session(db, plan_id, "08:30", None, day=DAY + dt.timedelta(days=1))
    with db.session() as s:
        infos = list_sessions(s, plan_id)
        assert [i.id for i in infos] == [untimed, early, late, next_day]
        info = get_session(s, late)
        assert get_plan(s, plan_id).session_count == 4
    assert (info.place, info.instructor_label, info.time_label, info.hours) == ("党员活动室", "李老师", "14:00–16:30", 2.5)
    assert infos[1].instructor_label == "赵专家" and infos[1].instructor_person_id is None
    assert infos[0].time_label == "" and infos[3].time_label == "08:30"


@pytest.mark.parametrize(("changes", "field"), [
    ({"hours": 0.0}, "学时"),
    ({"hours": -2.0}, "学时"),
    ({"hours": 24.5}, "学时"),
    ({"start_time": dt.time(11, 0), "end_time": dt.time(9, 0)}, "结束时间"),
    ({"start_time": dt.time(9, 0), "end_time": dt.time(9, 0)}, "结束时间"),
    ({"start_time": None, "end_time": dt.time(9, 0)}, "开始时间"),
    ({"place": "地" * 201}, "地点"),
    ({"instructor_person_id": "nobody"}, "授课人"),
    ({"instructor_name": "名" * 51}, "授课人"),
])
def test_bad_session_is_refused_and_writes_nothing(db: Database, township_id: str, state: State,
                                                   refused: Refused, changes: dict[str, object],
                                                   field: str) -> None:
    plan_id = _add(db, _plan_input(township_id))
    data = dataclasses.replace(SessionInput(date=DAY, hours=2.0, start_time=dt.time(9, 0), end_time=dt.time(11, 0)),
                               **changes)  # type: ignore[arg-type]
    before = state()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        add_session(s, plan_id, data)
    refused(exc.value, field=field)
    assert state() == before


def test_session_instructor_is_one_kind_only(db: Database, township_id: str, new_person: NewPerson,
                                             state: State, refused: Refused) -> None:
    plan_id = _add(db, _plan_input(township_id))
    tutor = new_person(name="李老师")
    before = state()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        add_session(s, plan_id, SessionInput(date=DAY, hours=2, instructor_person_id=tutor.id,
                                             instructor_name="赵专家"))
    refused(exc.value, field="授课人", says="不能两者都填")
    assert state() == before
    with db.session() as s:
        ok = add_session(s, plan_id, SessionInput(date=DAY, hours=24, place="地" * 200))
    assert ok.hours == 24.0


def test_update_session_recredits_hours_and_delete_tombstones_attendance(
        db: Database, township_id: str, new_person: NewPerson) -> None:
    plan_id = _add(db, _plan_input(township_id))
    sid = _session(db, plan_id, "09:00", "11:00", hours=2.0)
    a, b = new_person(name="甲"), new_person(name="乙")
    with db.session() as s:
        training_enrolment.enrol(s, plan_id, [a.id, b.id])
        training_grid.save_grid(s, plan_id, training_grid.GridChanges(
            present={(a.id, sid): True, (b.id, sid): True}, self_study={}, scores={}))
        training_grid.save_grid(s, plan_id, training_grid.GridChanges(
            present={(b.id, sid): False}, self_study={}, scores={}))
    with db.session() as s:
        info = update_session(s, sid, SessionInput(date=DAY, hours=3.0, start_time=dt.time(9, 0),
                                                   end_time=dt.time(12, 0), place="新地点"))
        assert (info.hours, info.place) == (3.0, "新地点")
        hours = dict(s.execute(select(Attendance.person_id, Attendance.hours)).tuples().all())
    assert hours == {a.id: 3.0, b.id: 0.0}  # the present are credited the new hours, the absent stay at 0
    with db.session() as s:
        delete_session(s, sid)
    with db.session() as s:
        assert all(r.deleted for r in s.scalars(select(Attendance)))
        assert list_sessions(s, plan_id) == []
        with pytest.raises(ValidationError):
            get_session(s, sid)


def test_sessions_between_is_inclusive_and_spans_plans(db: Database, township_id: str) -> None:
    p1 = _add(db, _plan_input(township_id, title="甲培训"))
    p2 = _add(db, _plan_input(township_id, title="乙培训"))
    before = _session(db, p1, "09:00", "10:00", day=dt.date(2026, 10, 31))
    first = _session(db, p1, "09:00", "10:00", day=dt.date(2026, 11, 1))
    b = _session(db, p2, "08:00", "10:00", day=dt.date(2026, 11, 1))
    last = _session(db, p2, None, None, day=dt.date(2026, 11, 30))
    _session(db, p2, "09:00", "10:00", day=dt.date(2026, 12, 1))
    with db.session() as s:
        found = sessions_between(s, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [i.id for i in found] == [b, first, last]
    assert {i.plan_title for i in found} == {"甲培训", "乙培训"}
    assert before not in {i.id for i in found}


# --- clashes -----------------------------------------------------------------------------------------

@pytest.fixture
def two_plans(db: Database, township_id: str) -> tuple[str, str]:
    return (_add(db, _plan_input(township_id, title="村级站点管理员岗前培训")),
            _add(db, _plan_input(township_id, title="远程教育平台操作培训", kind="regular")))


def _enrol(db: Database, plan_id: str, *person_ids: str) -> None:
    with db.session() as s:
        training_enrolment.enrol(s, plan_id, list(person_ids))


def test_person_enrolled_in_two_overlapping_sessions_clashes(db: Database, two_plans: tuple[str, str],
                                                             new_person: NewPerson) -> None:
    p1, p2 = two_plans
    zhang, li, wang = new_person(name="张三"), new_person(name="李四"), new_person(name="王五")
    _enrol(db, p1, zhang.id, li.id)
    _enrol(db, p2, zhang.id, wang.id)
    s1 = _session(db, p1, "09:00", "11:30")
    s2 = _session(db, p2, "10:00", "12:00")
    with db.session() as s:
        found = clashes(s)
        assert clashes(s, plan_id=p1) == found == clashes(s, session_id=s2)
    assert [(c.kind, c.person_id, c.first.id, c.second.id) for c in found] == [("person", zhang.id, s1, s2)]
    assert found[0].text() == "张三 同时参加 11月05日 09:00–11:30「村级站点管理员岗前培训」与 10:00–12:00「远程教育平台操作培训」"


def test_back_to_back_sessions_do_not_clash(db: Database, two_plans: tuple[str, str],
                                            new_person: NewPerson) -> None:
    p1, p2 = two_plans
    zhang = new_person(name="张三")
    _enrol(db, p1, zhang.id)
    _enrol(db, p2, zhang.id)
    _session(db, p1, "09:00", "11:00")
    _session(db, p2, "11:00", "12:00")
    _session(db, p2, "08:00", None, hours=1.0)  # a start without an end lasts its hours: 08:00–09:00
    _session(db, p1, "09:00", "10:00", day=DAY + dt.timedelta(days=1))  # another day
    _session(db, p2, "09:00", "10:00", day=DAY + dt.timedelta(days=2))
    with db.session() as s:
        assert clashes(s) == []
    _session(db, p2, "10:59", "11:30")  # one minute of overlap is a clash
    with db.session() as s:
        assert [c.person_name for c in clashes(s)] == ["张三"]


def test_untimed_session_overlaps_everything_that_day(db: Database, two_plans: tuple[str, str],
                                                      new_person: NewPerson) -> None:
    p1, p2 = two_plans
    zhang = new_person(name="张三")
    _enrol(db, p1, zhang.id)
    _enrol(db, p2, zhang.id)
    s1 = _session(db, p1, None, None, hours=6.0)
    s2 = _session(db, p2, "19:00", "20:00")
    with db.session() as s:
        [c] = clashes(s)
    assert (c.kind, c.first.id, c.second.id) == ("person", s1, s2)
    assert c.text() == "张三 同时参加 11月05日「村级站点管理员岗前培训」与 19:00–20:00「远程教育平台操作培训」"


def test_instructor_teaching_two_sessions_at_once_clashes(db: Database, two_plans: tuple[str, str],
                                                         new_person: NewPerson) -> None:
    p1, p2 = two_plans
    tutor = new_person(name="李老师")
    s1 = _session(db, p1, "09:00", "11:00", instructor_person_id=tutor.id)
    s2 = _session(db, p2, "10:00", "12:00", instructor_person_id=tutor.id)
    s3 = _session(db, p1, "14:00", "16:00", instructor_name="赵 专家")
    s4 = _session(db, p1, "15:00", "17:00", instructor_name="赵专家")  # same plan, same outsider
    _session(db, p2, "15:00", "17:00", instructor_name="钱专家")
    with db.session() as s:
        found = clashes(s)
    assert [(c.kind, c.person_id, c.person_name, c.first.id, c.second.id) for c in found] == [
        ("instructor", tutor.id, "李老师", s1, s2), ("instructor", None, "赵 专家", s3, s4)]
    assert found[0].text().startswith("李老师 同时讲授 11月05日 09:00–11:00「村级站点管理员岗前培训」")


def test_instructor_enrolled_in_the_other_plan_clashes(db: Database, two_plans: tuple[str, str],
                                                      new_person: NewPerson) -> None:
    p1, p2 = two_plans
    tutor = new_person(name="李老师")
    _enrol(db, p2, tutor.id)
    s1 = _session(db, p1, "09:00", "11:00", instructor_person_id=tutor.id)
    s2 = _session(db, p2, "10:00", "12:00")
    with db.session() as s:
        [c] = clashes(s)
    assert (c.kind, c.person_id, c.first.id, c.second.id) == ("instructor", tutor.id, s1, s2)
    assert c.text() == "李老师 讲授 11月05日 09:00–11:00「村级站点管理员岗前培训」时须参加 10:00–12:00「远程教育平台操作培训」"


def test_same_plan_parallel_sessions_are_not_a_person_clash(db: Database, two_plans: tuple[str, str],
                                                            new_person: NewPerson) -> None:
    p1, _p2 = two_plans
    zhang = new_person(name="张三")
    _enrol(db, p1, zhang.id)
    _session(db, p1, "09:00", "11:00", place="一组")
    _session(db, p1, "09:00", "11:00", place="二组")
    with db.session() as s:
        assert clashes(s) == []


def test_clash_scope_by_plan_and_session(db: Database, township_id: str, new_person: NewPerson) -> None:
    p1 = _add(db, _plan_input(township_id, title="甲"))
    p2 = _add(db, _plan_input(township_id, title="乙"))
    p3 = _add(db, _plan_input(township_id, title="丙"))
    zhang, li = new_person(name="张三"), new_person(name="李四")
    _enrol(db, p1, zhang.id)
    _enrol(db, p2, zhang.id, li.id)
    _enrol(db, p3, li.id)
    a = _session(db, p1, "09:00", "10:00")
    b = _session(db, p2, "09:30", "10:30")
    c = _session(db, p3, "10:00", "11:00")
    with db.session() as s:
        assert {(x.person_name, x.first.id, x.second.id) for x in clashes(s)} == {("张三", a, b), ("李四", b, c)}
        assert [(x.first.id, x.second.id) for x in clashes(s, plan_id=p1)] == [(a, b)]
        assert [(x.first.id, x.second.id) for x in clashes(s, session_id=c)] == [(b, c)]
        assert len(clashes(s, session_id=b)) == 2
        training_enrolment.unenrol(s, p3, [li.id])  # removed from the plan: no longer expected there
        assert clashes(s, session_id=c) == []
