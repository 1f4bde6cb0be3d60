"""Training views (R8, R10, R11): a person's hours per year, a unit's coverage, against hand-computed values."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Certificate, OrgUnit, Person
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, posts, units
from remoteedu_desktop.services.training_enrolment import enrol
from remoteedu_desktop.services.training_grid import GridChanges, save_grid
from remoteedu_desktop.services.training_plans import (
    PlanInput,
    SessionInput,
    add_plan,
    add_session,
    delete_plan,
)
from remoteedu_desktop.services.training_views import YearHours, hours_per_year, unit_coverage

NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]
TODAY = dt.date(2026, 6, 30)
PLAN = PlanInput(title="岗前培训", year=2026, organizer_level="county", target_role="village_manager",
                 target_level="village", topics=("1",), kind="pre_job", mode="mixed")


@dataclasses.dataclass
class World:
    township: str
    county: str
    yang: str
    ids: dict[str, str]


@pytest.fixture
def world(db: Database, township_id: str, new_village: NewVillage, new_person: NewPerson) -> World:
    """龙潭镇: 杨家村 (杨一 A, 杨二 B), 李家村 (李一 A, 李二 B), township manager, tutor, technician;
    青石乡's 山一 elsewhere in the county; 走了 left the team.

    Trainings:
    - 2026 pre-job (sessions 3 h + 2 h): 杨一 both + 4 h self-study, 90 → passed (9 h);
      杨二 first only, 50 → failed (3 h); 李一 enrolled, nothing recorded; 镇管 both, 80 → passed (5 h).
    - 2025 regular (one session, 2 h): 杨二 present, 95 passed (a regular training: no pre-job pass).
    - 2026 regular, deleted: 李一 present 6 h — counts nowhere.
    Certificates: 杨一 on-duty valid; 镇管 on-duty expired 2025-12-31; 辅导 appointment valid.
    """
    with db.session() as s:
        county = s.get(OrgUnit, township_id).parent_id  # type: ignore[union-attr]
        qingshi = units.add_unit(s, kind="township", name="青石乡", parent_id=county, code="360499101")
        shan = units.add_unit(s, kind="village", name="山口村", parent_id=qingshi.id, code="360499101201")
    yang, li = new_village("杨家村"), new_village("李家村")
    assert county is not None
    ids: dict[str, str] = {}
    for name, unit_id, role, slot in [
            ("杨一", yang.id, "village_manager", "A"), ("杨二", yang.id, "village_manager", "B"),
            ("李一", li.id, "village_manager", "A"), ("李二", li.id, "village_manager", "B"),
            ("镇管", township_id, "township_manager", None), ("辅导", township_id, "township_tutor", None),
            ("技术", township_id, "technician", None), ("山一", shan.id, "village_manager", "A"),
            ("走了", township_id, "township_tutor", None)]:
        ids[name] = new_person(name=name).id
        with db.session() as s:
            posts.assign_post(s, person_id=ids[name], unit_id=unit_id, role=role, slot=slot,
                              start_date=dt.date(2024, 1, 1), today=TODAY)
    with db.session() as s:
        gone = s.get(Person, ids["走了"])
        assert gone is not None
        gone.left_on = dt.date(2026, 3, 1)  # left, with the post still open by mistake: not covered
        pre = add_plan(s, dataclasses.replace(PLAN, organizer_unit_id=county)).id
        a = add_session(s, pre, SessionInput(date=dt.date(2026, 5, 5), hours=3.0)).id
        b = add_session(s, pre, SessionInput(date=dt.date(2026, 5, 6), hours=2.0)).id
        enrol(s, pre, [ids[n] for n in ("杨一", "杨二", "李一", "镇管")])
        save_grid(s, pre, GridChanges(
            present={(ids["杨一"], a): True, (ids["杨一"], b): True, (ids["杨二"], a): True,
                     (ids["镇管"], a): True, (ids["镇管"], b): True},
            self_study={ids["杨一"]: 4.0}, scores={ids["杨一"]: 90.0, ids["杨二"]: 50.0, ids["镇管"]: 80.0}))
        regular = add_plan(s, dataclasses.replace(PLAN, title="经常性培训", year=2025, kind="regular",
                                                  organizer_unit_id=county)).id
        c = add_session(s, regular, SessionInput(date=dt.date(2025, 9, 1), hours=2.0)).id
        enrol(s, regular, [ids["杨二"]])
        save_grid(s, regular, GridChanges(present={(ids["杨二"], c): True}, self_study={}, scores={ids["杨二"]: 95.0}))
        dropped = add_plan(s, dataclasses.replace(PLAN, title="已删除", kind="regular", organizer_unit_id=county)).id
        d = add_session(s, dropped, SessionInput(date=dt.date(2026, 6, 1), hours=6.0)).id
        enrol(s, dropped, [ids["李一"]])
        save_grid(s, dropped, GridChanges(present={(ids["李一"], d): True}, self_study={}, scores={}))
        delete_plan(s, dropped)
        s.add_all([
            Certificate(kind="on_duty", number="SG-1", person_id=ids["杨一"], issue_date=dt.date(2026, 6, 1)),
            Certificate(kind="on_duty", number="SG-2", person_id=ids["镇管"], issue_date=dt.date(2023, 1, 1),
                        valid_until=dt.date(2025, 12, 31)),
            Certificate(kind="appointment", number="PR-1", person_id=ids["辅导"], issue_date=dt.date(2025, 1, 1),
                        valid_until=dt.date(2027, 12, 31)),
        ])
    return World(township_id, county, yang.id, ids)


def test_hours_per_year_oldest_first(db: Database, world: World) -> None:
    ids = world.ids
    with db.session() as s:
        assert hours_per_year(s, ids["杨二"]) == [YearHours(2025, 2.0, 0.0, 1), YearHours(2026, 3.0, 0.0, 1)]
        assert hours_per_year(s, ids["杨一"]) == [YearHours(2026, 5.0, 4.0, 1)]
        assert hours_per_year(s, ids["杨一"])[0].total == 9.0
        assert hours_per_year(s, ids["李一"]) == [YearHours(2026, 0.0, 0.0, 1)]  # the deleted plan is gone
        assert hours_per_year(s, ids["技术"]) == []
        with pytest.raises(ValidationError):
            hours_per_year(s, "nobody")


def test_coverage_of_a_township(db: Database, world: World) -> None:
    with db.session() as s:
        cov = unit_coverage(s, world.township, today=TODAY)
    rows = {r.name: r for r in cov.rows}
    assert set(rows) == {"杨一", "杨二", "李一", "李二", "镇管", "辅导", "技术"}  # not 山一, not 走了
    assert {n: (r.pre_job_trained, r.hours_this_year, r.has_on_duty_certificate, r.lacks)
            for n, r in rows.items()} == {
        "杨一": (True, 9.0, True, ()),
        "杨二": (False, 3.0, False, ("岗前培训考核未通过", "未持有效上岗证书")),
        "李一": (False, 0.0, False, ("岗前培训未考核", "未持有效上岗证书")),
        "李二": (False, 0.0, False, ("未参加岗前培训", "未持有效上岗证书")),
        "镇管": (True, 5.0, False, ("未持有效上岗证书",)),  # expired on 2025-12-31
        "辅导": (False, 0.0, False, ()),
        "技术": (False, 0.0, False, ("未持有效聘任证书",)),
    }
    assert (rows["杨二"].unit, rows["杨二"].post, rows["杨二"].role) == ("龙潭镇 / 杨家村", "村站点管理员 B岗",
                                                                     "village_manager")
    assert (rows["技术"].unit, rows["技术"].post) == ("龙潭镇", "技术服务员")
    assert (cov.unit_name, cov.year, cov.people, cov.pre_job_trained, cov.hours_this_year,
            cov.lacking_certificate_requirements) == ("龙潭镇", 2026, 7, 2, 17.0, 3)
    assert [r.unit for r in cov.rows] == sorted(r.unit for r in cov.rows)


def test_coverage_of_a_village_and_another_year(db: Database, world: World) -> None:
    with db.session() as s:
        village = unit_coverage(s, world.yang, year=2025, today=TODAY)
        county = unit_coverage(s, world.county, today=TODAY)
    assert [(r.name, r.hours_this_year) for r in village.rows] == [("杨二", 2.0), ("杨一", 0.0)]
    assert (village.people, village.pre_job_trained, village.hours_this_year, village.year) == (2, 1, 2.0, 2025)
    assert county.people == 8 and "山一" in {r.name for r in county.rows}


def test_certificate_validity_follows_today(db: Database, world: World) -> None:
    with db.session() as s:
        before_expiry = unit_coverage(s, world.township, today=dt.date(2025, 12, 31))
    rows = {r.name: r for r in before_expiry.rows}
    assert rows["镇管"].has_on_duty_certificate and rows["镇管"].lacks == ()
    assert before_expiry.year == 2025 and rows["杨二"].hours_this_year == 2.0
