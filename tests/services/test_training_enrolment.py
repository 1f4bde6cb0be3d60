"""Enrolment (R6, R8, R11): by filters in one step, singly, removal, restoring a removed enrolment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Attendance, Certificate, Enrolment, Person
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, posts, units
from remoteedu_desktop.services.training_enrolment import (
    EnrolFilter,
    EnrolResult,
    candidates,
    enrol,
    enrol_matching,
    enrolled,
    unenrol,
)
from remoteedu_desktop.services.training_grid import GridChanges, save_grid
from remoteedu_desktop.services.training_plans import (
    PlanInput,
    SessionInput,
    add_plan,
    add_session,
    delete_plan,
)

State = Callable[[], dict[str, int]]
Refused = Callable[..., None]
NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]
TODAY = dt.date(2026, 6, 30)
START = dt.date(2024, 3, 1)


@dataclass
class Org:
    """龙潭镇 with 杨家村 and 李家村 (posts A and B each), its township manager, tutor and technician;
    青石乡 next door with one village."""

    township: str
    yang: str
    li: str
    other_township: str
    other_village: str
    ids: dict[str, str]  # name → person id


def _assign(s: object, person_id: str, unit_id: str, role: str, slot: str | None = None) -> str:
    return posts.assign_post(s, person_id=person_id, unit_id=unit_id, role=role, slot=slot,  # type: ignore[arg-type]
                             start_date=START, today=TODAY).id


@pytest.fixture
def org(db: Database, township_id: str, new_village: NewVillage, new_person: NewPerson) -> Org:
    yang, li = new_village("杨家村"), new_village("李家村")
    with db.session() as s:
        county = s.get(units.OrgUnit, township_id).parent_id  # type: ignore[union-attr]
        qingshi = units.add_unit(s, kind="township", name="青石乡", parent_id=county, code="360499101")
        shan = units.add_unit(s, kind="village", name="山口村", parent_id=qingshi.id, code="360499101201")
    ids: dict[str, str] = {}
    layout = [("杨一", yang.id, "village_manager", "A"), ("杨二", yang.id, "village_manager", "B"),
              ("李一", li.id, "village_manager", "A"), ("李二", li.id, "village_manager", "B"),
              ("山一", shan.id, "village_manager", "A"), ("镇管", township_id, "township_manager", None),
              ("辅导", township_id, "township_tutor", None), ("技术", township_id, "technician", None)]
    for name, unit_id, role, slot in layout:
        person = new_person(name=name, phone="13812345678")
        ids[name] = person.id
        with db.session() as s:
            _assign(s, person.id, unit_id, role, slot)
    return Org(township_id, yang.id, li.id, qingshi.id, shan.id, ids)


def _plan(db: Database, township_id: str, *, kind: str = "pre_job", title: str = "村级站点管理员岗前培训") -> str:
    with db.session() as s:
        return add_plan(s, PlanInput(title=title, year=2026, organizer_level="township", target_role="village_manager",
                                     target_level="village", topics=("1", "2"), kind=kind, mode="lecture",
                                     organizer_unit_id=township_id)).id


def _certificate(db: Database, person_id: str, number: str, *, status: str = "valid", kind: str = "on_duty",
                 valid_until: dt.date | None = None, deleted: bool = False) -> None:
    with db.session() as s:
        s.add(Certificate(kind=kind, number=number, person_id=person_id, issue_date=dt.date(2025, 1, 1),
                          status=status, valid_until=valid_until, deleted=deleted))


def _names(found: list) -> list[str]:  # type: ignore[type-arg]
    return [c.name for c in found]


# --- filters -----------------------------------------------------------------------------------------

def test_village_managers_of_a_township_include_its_sites_only(db: Database, org: Org) -> None:
    plan = _plan(db, org.township)
    with db.session() as s:
        found = candidates(s, plan, EnrolFilter(role="village_manager", unit_id=org.township))
        village = candidates(s, plan, EnrolFilter(unit_id=org.yang))
        everyone = candidates(s, plan, EnrolFilter())
        technicians = candidates(s, plan, EnrolFilter(role="technician"))
    assert [(c.name, c.unit, c.post) for c in found] == [
        ("李二", "龙潭镇 / 李家村", "村站点管理员 B岗"), ("李一", "龙潭镇 / 李家村", "村站点管理员 A岗"),
        ("杨二", "龙潭镇 / 杨家村", "村站点管理员 B岗"), ("杨一", "龙潭镇 / 杨家村", "村站点管理员 A岗")]
    assert not any(c.enrolled for c in found)
    assert _names(village) == ["杨二", "杨一"]
    assert set(_names(everyone)) == set(org.ids)
    assert [(c.name, c.unit, c.post) for c in technicians] == [("技术", "龙潭镇", "技术服务员")]


def test_people_who_left_or_whose_post_ended_are_not_candidates(db: Database, org: Org) -> None:
    plan = _plan(db, org.township)
    with db.session() as s:
        [post] = posts.open_posts(s, person_id=org.ids["杨一"])
        posts.end_post(s, post.id, end_date=TODAY, reason="外出务工", today=TODAY)
        person = s.get(Person, org.ids["李一"])
        assert person is not None
        person.left_on, person.left_reason = TODAY, "调离"
    with db.session() as s:
        assert _names(candidates(s, plan, EnrolFilter(role="village_manager", unit_id=org.township))) == ["李二", "杨二"]


def test_without_a_valid_on_duty_certificate(db: Database, org: Org) -> None:
    plan = _plan(db, org.township)
    _certificate(db, org.ids["杨一"], "SG-1")  # valid, no end: excluded
    _certificate(db, org.ids["杨二"], "SG-2", valid_until=TODAY + dt.timedelta(days=3650))  # valid: excluded
    _certificate(db, org.ids["李一"], "SG-3", status="revoked")  # revoked: still lacks one
    _certificate(db, org.ids["李二"], "SG-4", valid_until=dt.date(2020, 1, 1))  # expired by date
    _certificate(db, org.ids["山一"], "SG-5", deleted=True)
    _certificate(db, org.ids["镇管"], "PR-1", kind="appointment")  # another kind does not count
    with db.session() as s:
        found = candidates(s, plan, EnrolFilter(role="village_manager", without_on_duty_certificate=True))
        managers = candidates(s, plan, EnrolFilter(role="township_manager", without_on_duty_certificate=True))
    # by unit ("青石乡 / 山口村" before "龙潭镇 / 李家村"), then by the pinyin initials of the name (二 er, 一 yi)
    assert _names(found) == ["山一", "李二", "李一"]
    assert _names(managers) == ["镇管"]


def test_without_pre_job_training(db: Database, org: Org) -> None:
    target = _plan(db, org.township, title="补训")
    pre_job = _plan(db, org.township, title="去年的岗前培训")
    regular = _plan(db, org.township, kind="regular", title="经常性培训")
    gone = _plan(db, org.township, title="已删除的岗前培训")
    ids = org.ids
    with db.session() as s:
        enrol(s, pre_job, [ids["杨一"], ids["杨二"], ids["李一"]])
        enrol(s, regular, [ids["李二"]])
        enrol(s, gone, [ids["山一"]])
        save_grid(s, pre_job, GridChanges(present={}, self_study={},
                                          scores={ids["杨一"]: 90.0, ids["杨二"]: 40.0}))  # passed, failed
        save_grid(s, regular, GridChanges(present={}, self_study={}, scores={ids["李二"]: 95.0}))
        save_grid(s, gone, GridChanges(present={}, self_study={}, scores={ids["山一"]: 95.0}))
        delete_plan(s, gone)
    with db.session() as s:
        found = candidates(s, target, EnrolFilter(role="village_manager", without_pre_job_training=True))
    assert _names(found) == ["山一", "李二", "李一", "杨二"]


def test_bad_filter_is_refused(db: Database, org: Org, refused: Refused) -> None:
    plan = _plan(db, org.township)
    with db.session() as s:
        with pytest.raises(ValidationError) as exc:
            candidates(s, plan, EnrolFilter(role="driver"))
        refused(exc.value, field="职务类别")
        with pytest.raises(ValidationError) as exc:
            candidates(s, plan, EnrolFilter(unit_id="nowhere"))
        refused(exc.value, field="单位")
        with pytest.raises(ValidationError) as exc:
            candidates(s, "no-plan", EnrolFilter())
        refused(exc.value, field="培训计划")


# --- enrol and remove --------------------------------------------------------------------------------

def test_enrol_matching_in_one_step_then_again_changes_nothing(db: Database, org: Org) -> None:
    plan = _plan(db, org.township)
    _certificate(db, org.ids["杨一"], "SG-1")
    flt = EnrolFilter(role="village_manager", unit_id=org.township, without_on_duty_certificate=True)
    with db.session() as s:
        assert enrol_matching(s, plan, flt) == EnrolResult(3, 0, 0)
    with db.session() as s:
        assert [(c.name, c.enrolled) for c in candidates(s, plan, flt)] == [("李二", True), ("李一", True),
                                                                            ("杨二", True)]
        assert enrol_matching(s, plan, flt) == EnrolResult(0, 0, 3)
        assert enrol(s, plan, [org.ids["杨二"], org.ids["杨一"], org.ids["杨一"]]) == EnrolResult(1, 0, 1)
        rows = s.scalars(select(Enrolment).where(Enrolment.plan_id == plan)).all()
    assert len(rows) == 4 and all(r.origin == "360499100" and r.change_seq > 0 for r in rows)


def test_enrol_refuses_who_left_or_does_not_exist_and_writes_nothing(db: Database, org: Org, state: State,
                                                                   refused: Refused) -> None:
    plan = _plan(db, org.township)
    with db.session() as s:
        person = s.get(Person, org.ids["李二"])
        assert person is not None
        person.left_on = dt.date(2026, 5, 1)
    before = state()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        enrol(s, plan, [org.ids["杨一"], org.ids["李二"]])
    refused(exc.value, field="人员", says="李二已于 2026-05-01 离开队伍")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        enrol(s, plan, [org.ids["杨一"], "nobody"])
    refused(exc.value, field="人员", says="找不到人员")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        enrol(s, "no-plan", [org.ids["杨一"]])
    refused(exc.value, field="培训计划")
    assert state() == before


def test_removed_and_enrolled_again_is_restored_not_duplicated(db: Database, org: Org) -> None:
    plan = _plan(db, org.township)
    yang1, yang2 = org.ids["杨一"], org.ids["杨二"]
    with db.session() as s:
        assert enrol(s, plan, [yang1, yang2]) == EnrolResult(2, 0, 0)
    with db.session() as s:
        first_id = s.scalar(select(Enrolment.id).where(Enrolment.person_id == yang1))
        assert unenrol(s, plan, [yang1, org.ids["李一"]]) == 1  # 李一 was never enrolled
    with db.session() as s:
        assert [p.name for p in enrolled(s, plan)] == ["杨二"]
        assert enrol(s, plan, [yang1, yang2]) == EnrolResult(0, 1, 1)
    with db.session() as s:
        rows = s.scalars(select(Enrolment).where(Enrolment.person_id == yang1)).all()
        assert [(r.id, r.deleted) for r in rows] == [(first_id, False)]
        assert rows[0].row_version == 3  # enrolled, removed, restored: each a change that travels
        assert [p.name for p in enrolled(s, plan)] == ["杨二", "杨一"]


def test_removing_someone_with_records_needs_drop_records(db: Database, org: Org, state: State,
                                                          refused: Refused) -> None:
    plan = _plan(db, org.township)
    yang1, yang2, li1 = org.ids["杨一"], org.ids["杨二"], org.ids["李一"]
    with db.session() as s:
        sid = add_session(s, plan, SessionInput(date=dt.date(2026, 11, 5), hours=3.0)).id
        enrol(s, plan, [yang1, yang2, li1])
        save_grid(s, plan, GridChanges(present={(yang1, sid): True}, self_study={}, scores={yang2: 70.0}))
    with db.session() as s:
        roster = {p.name: p.has_records for p in enrolled(s, plan)}
    assert roster == {"杨一": True, "杨二": True, "李一": False}
    before = state()
    for who in (yang1, yang2):
        with db.session() as s, pytest.raises(ValidationError) as exc:
            unenrol(s, plan, [li1, who])
        refused(exc.value, field="人员", rule="R8")
    assert state() == before
    with db.session() as s:
        assert unenrol(s, plan, [yang1, yang2], drop_records=True) == 2
    with db.session() as s:
        assert [p.name for p in enrolled(s, plan)] == ["李一"]
        assert s.scalar(select(func.count()).select_from(Attendance).where(Attendance.deleted.is_(False))) == 0
        # back again: the dropped records do not come back with the enrolment
        assert enrol(s, plan, [yang1, yang2]) == EnrolResult(0, 2, 0)
    with db.session() as s:
        assert {p.name: p.has_records for p in enrolled(s, plan)} == {"杨一": False, "杨二": False, "李一": False}
        assert s.scalar(select(Enrolment.score).where(Enrolment.person_id == yang2)) is None


def test_roster_by_unit_then_name_with_masked_phone(db: Database, org: Org) -> None:
    plan = _plan(db, org.township)
    with db.session() as s:
        enrol(s, plan, [org.ids[n] for n in ("镇管", "杨二", "李一", "山一")])
    with db.session() as s:
        roster = enrolled(s, plan)
    assert [(p.name, p.unit, p.post) for p in roster] == [
        ("山一", "青石乡 / 山口村", "村站点管理员 A岗"), ("镇管", "龙潭镇", "乡镇站点管理员"),
        ("李一", "龙潭镇 / 李家村", "村站点管理员 A岗"), ("杨二", "龙潭镇 / 杨家村", "村站点管理员 B岗")]
    assert {p.phone_masked for p in roster} == {"138****5678"}
    assert {p.gender for p in roster} == {"男"}
