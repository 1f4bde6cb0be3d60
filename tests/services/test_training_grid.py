"""Attendance and assessment grid (R8): load, validate everything, save in one go, pass/fail derived."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Attendance, AuditLog, Enrolment, LocalOffice
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, posts, units
from remoteedu_desktop.services.training_enrolment import enrol, unenrol
from remoteedu_desktop.services.training_grid import GridChanges, load_grid, passed, save_grid
from remoteedu_desktop.services.training_plans import (
    PlanInput,
    SessionInput,
    add_plan,
    add_session,
    get_plan,
    update_plan,
)

State = Callable[[], dict[str, int]]
Refused = Callable[..., None]
NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]
TODAY = dt.date(2026, 6, 30)
PLAN = PlanInput(title="村级站点管理员岗前培训", year=2026, organizer_level="township", target_role="village_manager",
                 target_level="village", topics=("1", "2"), kind="pre_job", mode="mixed", planned_hours=10.0,
                 pass_mark=60.0)


@dataclasses.dataclass
class Setup:
    plan: str
    sessions: list[str]  # in date order
    people: dict[str, str]  # name → person id
    other_plan_session: str


@pytest.fixture
def setup(db: Database, township_id: str, new_village: NewVillage, new_person: NewPerson) -> Setup:
    village = new_village("杨家村")
    ids = {}
    for name, slot in (("王小明", "A"), ("李红", "B"), ("赵强", None)):
        person = new_person(name=name)
        ids[name] = person.id
        if slot:
            with db.session() as s:
                posts.assign_post(s, person_id=person.id, unit_id=village.id, role="village_manager", slot=slot,
                                  start_date=dt.date(2024, 1, 1), today=TODAY)
    with db.session() as s:
        plan = add_plan(s, dataclasses.replace(PLAN, organizer_unit_id=township_id)).id
        other = add_plan(s, dataclasses.replace(PLAN, title="另一培训", organizer_unit_id=township_id)).id
        later = add_session(s, plan, SessionInput(date=dt.date(2026, 11, 6), hours=2.5, start_time=dt.time(14)))
        first = add_session(s, plan, SessionInput(date=dt.date(2026, 11, 5), hours=3.0, start_time=dt.time(9)))
        untimed = add_session(s, plan, SessionInput(date=dt.date(2026, 11, 7), hours=4.0))
        elsewhere = add_session(s, other, SessionInput(date=dt.date(2026, 11, 5), hours=3.0))
        enrol(s, plan, [ids["王小明"], ids["李红"], ids["赵强"]])
    return Setup(plan, [first.id, later.id, untimed.id], ids, elsewhere.id)


def _save(db: Database, plan: str, **changes: object) -> object:
    data = GridChanges(present=changes.pop("present", {}), self_study=changes.pop("self_study", {}),  # type: ignore[arg-type]
                       scores=changes.pop("scores", {}), **changes)  # type: ignore[arg-type]
    with db.session() as s:
        return save_grid(s, plan, data)


def test_passed_is_derived_from_the_pass_mark() -> None:
    assert passed(None, 60) is None
    assert passed(60, 60) is True and passed(59.5, 60) is False and passed(0, 0) is True


def test_load_an_empty_grid(db: Database, setup: Setup) -> None:
    with db.session() as s:
        grid = load_grid(s, setup.plan)
    assert [g.id for g in grid.sessions] == setup.sessions
    assert [g.label for g in grid.sessions] == ["11-05 09:00", "11-06 14:00", "11-07"]
    assert [g.hours for g in grid.sessions] == [3.0, 2.5, 4.0]
    # by unit, then name: 赵强 holds no post (unit ""), then the village's two by pinyin (li, wang)
    assert [(p.name, p.unit) for p in grid.people] == [("赵强", ""), ("李红", "龙潭镇 / 杨家村"),
                                                      ("王小明", "龙潭镇 / 杨家村")]
    assert grid.present == frozenset() and grid.assessed_on is None
    assert set(grid.self_study.values()) == {0.0} and set(grid.scores.values()) == {None}
    assert (grid.plan_title, grid.pass_mark, grid.planned_hours) == ("村级站点管理员岗前培训", 60.0, 10.0)


def test_save_and_load_round_trip(db: Database, setup: Setup) -> None:
    wang, li, zhao = (setup.people[n] for n in ("王小明", "李红", "赵强"))
    s1, s2, s3 = setup.sessions
    summary = _save(db, setup.plan, present={(wang, s1): True, (wang, s2): True, (li, s1): True, (zhao, s3): False},
                    self_study={wang: 6.5, li: 0.0}, scores={wang: 85.0, li: 59.5},
                    assessed_on=dt.date(2026, 11, 7))
    assert summary == type(summary)(attendance_written=3, enrolments_written=2, passed=1, failed=1,  # type: ignore[call-arg]
                                    not_assessed=1)
    with db.session() as s:
        grid = load_grid(s, setup.plan)
        rows = {(a.person_id, a.session_id): (a.present, a.hours) for a in s.scalars(select(Attendance))}
        result = {e.person_id: (e.score, e.passed, e.assessed_on, e.self_study_hours) for e in s.scalars(
            select(Enrolment))}
    assert grid.present == {(wang, s1), (wang, s2), (li, s1)}
    assert dict(grid.self_study) == {wang: 6.5, li: 0.0, zhao: 0.0}
    assert dict(grid.scores) == {wang: 85.0, li: 59.5, zhao: None}
    assert grid.assessed_on == dt.date(2026, 11, 7)
    assert rows == {(wang, s1): (True, 3.0), (wang, s2): (True, 2.5), (li, s1): (True, 3.0)}  # hours credited
    assert result == {wang: (85.0, True, dt.date(2026, 11, 7), 6.5), li: (59.5, False, dt.date(2026, 11, 7), 0.0),
                      zhao: (None, None, None, 0.0)}


def test_unmarking_keeps_an_absent_row_and_the_change_travels(db: Database, setup: Setup) -> None:
    wang = setup.people["王小明"]
    s1 = setup.sessions[0]
    _save(db, setup.plan, present={(wang, s1): True})
    with db.session() as s:
        before = s.scalar(select(Attendance).where(Attendance.person_id == wang))
        assert before is not None
        version, seq = before.row_version, before.change_seq
    summary = _save(db, setup.plan, present={(wang, s1): False})
    assert summary.attendance_written == 1  # type: ignore[attr-defined]
    with db.session() as s:
        row = s.scalar(select(Attendance).where(Attendance.person_id == wang))
        assert row is not None
        assert (row.present, row.hours, row.deleted) == (False, 0.0, False)
        assert row.row_version == version + 1 and row.change_seq > seq and row.changed_by == "360499100"
        assert s.get(LocalOffice, 1).change_counter >= row.change_seq  # type: ignore[union-attr]
        audit = s.execute(select(AuditLog.field, AuditLog.old_value, AuditLog.new_value).where(
            AuditLog.record_id == row.id, AuditLog.action == "update").order_by(AuditLog.field)).all()
        assert [tuple(a) for a in audit] == [("hours", "3.0", "0.0"), ("present", "True", "False")]
    # saving the same again writes nothing
    assert _save(db, setup.plan, present={(wang, s1): False}).attendance_written == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(("kind", "value", "field", "says"), [
    ("scores", 120.0, "成绩", "王小明：120 超出 0–100"),
    ("scores", -0.5, "成绩", "王小明：-0.5 超出 0–100"),
    ("scores", float("nan"), "成绩", "王小明："),
    ("self_study", 500.5, "自学学时", "王小明：500.5 超出 0–500"),
    ("self_study", -1.0, "自学学时", "王小明：-1 超出 0–500"),
    ("self_study", None, "自学学时", "王小明："),
])
def test_bad_cell_is_refused_naming_person_and_column_and_nothing_written(
        db: Database, setup: Setup, state: State, refused: Refused, kind: str, value: object, field: str,
        says: str) -> None:
    wang, li = setup.people["王小明"], setup.people["李红"]
    before = state()
    changes: dict[str, object] = {"present": {(li, setup.sessions[0]): True}, "scores": {li: 90.0},
                                  "self_study": {li: 2.0}}
    changes[kind] = {**changes[kind], wang: value}  # type: ignore[dict-item]
    with pytest.raises(ValidationError) as exc:
        _save(db, setup.plan, **changes)
    refused(exc.value, field=field, rule="R8", says=says)
    assert state() == before
    if kind == "scores" and value == 120.0:
        assert exc.value.text() == "【成绩】王小明：120 超出 0–100（规则 R8）"


def test_attendance_of_someone_not_enrolled_or_at_another_plan_is_refused(
        db: Database, setup: Setup, new_person: NewPerson, state: State, refused: Refused) -> None:
    stranger = new_person(name="陌生人")
    wang = setup.people["王小明"]
    before = state()
    with pytest.raises(ValidationError) as exc:
        _save(db, setup.plan, present={(wang, setup.sessions[0]): True, (stranger.id, setup.sessions[0]): True})
    refused(exc.value, field="考勤", rule="R8", says="陌生人（11-05 09:00）：未报名本培训")
    with pytest.raises(ValidationError) as exc:
        _save(db, setup.plan, present={(wang, setup.other_plan_session): True})
    refused(exc.value, field="考勤", rule="R8", says="王小明：该课次不属于本培训")
    with pytest.raises(ValidationError) as exc:
        _save(db, setup.plan, scores={stranger.id: 80.0})
    refused(exc.value, field="成绩", says="陌生人：未报名本培训")
    with pytest.raises(ValidationError) as exc:
        _save(db, "no-plan", scores={wang: 80.0})
    refused(exc.value, field="培训计划")
    assert state() == before


def test_boundaries_are_accepted(db: Database, setup: Setup) -> None:
    wang, li = setup.people["王小明"], setup.people["李红"]
    summary = _save(db, setup.plan, self_study={wang: 500, li: 0}, scores={wang: 100, li: 0})
    assert (summary.passed, summary.failed) == (1, 1)  # type: ignore[attr-defined]


def test_clearing_a_score_clears_the_result(db: Database, setup: Setup) -> None:
    wang = setup.people["王小明"]
    _save(db, setup.plan, scores={wang: 75.0}, assessed_on=dt.date(2026, 11, 7))
    summary = _save(db, setup.plan, scores={wang: None})
    assert summary.not_assessed == 3  # type: ignore[attr-defined]
    with db.session() as s:
        row = s.scalar(select(Enrolment).where(Enrolment.person_id == wang))
        assert row is not None and (row.score, row.passed, row.assessed_on) == (None, None, None)


def test_changing_the_pass_mark_derives_pass_fail_again(db: Database, setup: Setup, township_id: str) -> None:
    wang, li = setup.people["王小明"], setup.people["李红"]
    _save(db, setup.plan, scores={wang: 85.0, li: 65.0})
    with db.session() as s:
        info = update_plan(s, setup.plan, dataclasses.replace(PLAN, organizer_unit_id=township_id, pass_mark=70))
        assert info.pass_mark == 70.0
        results = dict(s.execute(select(Enrolment.person_id, Enrolment.passed)).tuples().all())
    assert results == {wang: True, li: False, setup.people["赵强"]: None}
    with db.session() as s:
        update_plan(s, setup.plan, dataclasses.replace(PLAN, organizer_unit_id=township_id, pass_mark=60))
        assert dict(s.execute(select(Enrolment.person_id, Enrolment.passed)).tuples().all())[li] is True
        audit = s.execute(select(AuditLog.record_id, AuditLog.new_value).where(
            AuditLog.table_name == "enrolment", AuditLog.field == "passed").order_by(AuditLog.id)).all()
        li_enrolment = s.scalar(select(Enrolment.id).where(Enrolment.person_id == li))
    # the save (both passed at 60), then 李红 failed at 70, then passed again at 60
    assert sorted(v for _r, v in audit[:2]) == ["True", "True"]
    assert [tuple(a) for a in audit[2:]] == [(li_enrolment, "False"), (li_enrolment, "True")]


def test_orm_objects_loaded_before_the_save_are_refreshed(db: Database, setup: Setup) -> None:
    wang = setup.people["王小明"]
    with db.session() as s:
        row = s.scalar(select(Enrolment).where(Enrolment.person_id == wang))
        assert row is not None and row.score is None
        save_grid(s, setup.plan, GridChanges(present={}, self_study={}, scores={wang: 88.0}))
        assert (row.score, row.passed) == (88.0, True)
        row.notes = "表现良好"  # an ORM change after the fast path: no stale row_version
        s.flush()
        assert get_plan(s, setup.plan).enrolled_count == 3
    with db.session() as s:
        again = s.scalar(select(Enrolment).where(Enrolment.person_id == wang))
        assert again is not None and (again.notes, again.row_version) == ("表现良好", 3)


def test_attendance_dropped_with_a_removal_comes_back_on_a_new_mark(db: Database, setup: Setup) -> None:
    wang = setup.people["王小明"]
    s1 = setup.sessions[0]
    _save(db, setup.plan, present={(wang, s1): True})
    with db.session() as s:
        unenrol(s, setup.plan, [wang], drop_records=True)
        enrol(s, setup.plan, [wang])
        assert load_grid(s, setup.plan).present == frozenset()
    _save(db, setup.plan, present={(wang, s1): True})  # the tombstoned row is lifted: no unique-index clash
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Attendance)) == 1
        assert load_grid(s, setup.plan).present == {(wang, s1)}
