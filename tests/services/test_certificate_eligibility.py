"""Who may receive a certificate (R11), and each reason why someone may not.

``build_world`` is shared with the other certificate tests (imported from this module): the 龙潭镇
office with two villages, managers with every pre-job training result, a tutor, a technician and
someone whose post ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Enrolment
from remoteedu_desktop.services import certificate_eligibility as ce
from remoteedu_desktop.services import people, posts, training_enrolment, training_plans, units

TODAY = dt.date(2026, 6, 30)
ISSUE = dt.date(2026, 7, 1)
PLAN_TITLE = "2026年龙潭镇村级站点管理员岗前培训"


@dataclass
class World:
    township_id: str
    village_id: str  #: 杨家村
    other_village_id: str  #: 李家村
    ids: dict[str, str]  #: short name → person id
    plan_id: str


def _person(s: Session, new_person: Callable[..., people.PersonInfo], name: str, **kw: object) -> str:
    return new_person(s, name, **kw).id


def build_world(db: Database, township_id: str, new_person: Callable[..., people.PersonInfo]) -> World:
    with db.session() as s:
        yang = units.add_unit(s, kind="village", name="杨家村", parent_id=township_id, code="360499100201")
        li = units.add_unit(s, kind="village", name="李家村", parent_id=township_id, code="360499100202")
        ids = {
            "passed": _person(s, new_person, "王喆"),
            "failed": _person(s, new_person, "李四", female=True),
            "pending": _person(s, new_person, "赵六"),
            "untrained": _person(s, new_person, "钱七"),
            "tutor": _person(s, new_person, "孙玥", female=True),
            "tech": _person(s, new_person, "周八"),
            "gone": _person(s, new_person, "吴九"),
            "township": _person(s, new_person, "郑十"),
        }
        start = dt.date(2024, 3, 1)

        def post(key: str, unit: str, role: str, slot: str | None = None) -> str:
            return posts.assign_post(s, person_id=ids[key], unit_id=unit, role=role, slot=slot, start_date=start,
                                     today=TODAY).id

        post("passed", yang.id, "village_manager", "A")
        post("failed", yang.id, "village_manager", "B")
        post("pending", li.id, "village_manager", "A")
        post("untrained", li.id, "village_manager", "B")
        post("tutor", township_id, "township_tutor")
        post("tech", township_id, "technician")
        post("township", township_id, "township_manager")
        gone = posts.assign_post(s, person_id=ids["gone"], unit_id=township_id, role="township_tutor",
                                 start_date=start, today=TODAY)
        posts.end_post(s, gone.id, end_date=dt.date(2025, 12, 31), reason="工作调动", today=TODAY)
        plan = training_plans.add_plan(s, training_plans.PlanInput(
            title=PLAN_TITLE, year=2026, organizer_level="township", organizer_unit_id=township_id,
            target_role="village_manager", target_level="village", topics=("1", "2"), kind="pre_job",
            mode="lecture", start_date=dt.date(2026, 5, 6), end_date=dt.date(2026, 5, 8)))
        county_plan = training_plans.add_plan(s, training_plans.PlanInput(
            title="2026年青山县乡镇站点管理员岗前培训班", year=2026, organizer_level="county",
            organizer_unit_id=units.get_unit(s, township_id).parent_id,
            target_role="township_manager", target_level="township", topics=("1", "2"), kind="pre_job",
            mode="lecture", start_date=dt.date(2026, 4, 6), end_date=dt.date(2026, 4, 8)))
        training_enrolment.enrol(s, plan.id, [ids["passed"], ids["failed"], ids["pending"]])
        training_enrolment.enrol(s, county_plan.id, [ids["township"]])
        results = {ids["passed"]: (86.0, True), ids["failed"]: (41.0, False), ids["township"]: (90.5, True)}
        for e in s.scalars(select(Enrolment)):
            if e.person_id in results:
                e.score, e.passed = results[e.person_id]
                e.assessed_on = dt.date(2026, 5, 8)
        s.flush()
        return World(township_id, yang.id, li.id, ids, plan.id)


def rows_by_person(db: Database, **kw: object) -> dict[str, ce.Eligibility]:
    with db.session() as s:
        rows = ce.eligibility(s, today=TODAY, **kw)  # type: ignore[arg-type]
    return {r.person_id: r for r in rows}


def test_each_reason(db: Database, township_id: str, new_person: Callable[..., people.PersonInfo]) -> None:
    w = build_world(db, township_id, new_person)
    rows = rows_by_person(db)
    ok = rows[w.ids["passed"]]
    assert ok.eligible and ok.reasons == () and ok.kind == "on_duty"
    assert (ok.unit, ok.post, ok.role) == ("龙潭镇杨家村站点", "A岗村站点管理员", "village_manager")
    assert ok.training == PLAN_TITLE and ok.enrolment_id is not None and ok.post_id is not None
    assert rows[w.ids["failed"]].reasons == ("岗前培训未通过考核",)
    assert rows[w.ids["pending"]].reasons == ("岗前培训尚未评定",)
    assert rows[w.ids["untrained"]].reasons == ("未参加岗前培训",)
    assert not any(rows[w.ids[k]].eligible for k in ("failed", "pending", "untrained"))
    tutor = rows[w.ids["tutor"]]
    assert tutor.eligible and tutor.kind == "appointment" and tutor.unit == "龙潭镇" and tutor.post == "乡镇教学辅导员"
    assert rows[w.ids["tech"]].eligible and rows[w.ids["tech"]].kind == "appointment"
    gone = rows[w.ids["gone"]]
    assert (gone.eligible, gone.reasons, gone.post_id, gone.kind) == (False, ("无在岗岗位",), None, "appointment")
    township = rows[w.ids["township"]]
    assert township.eligible and township.training.startswith("2026年青山县")
    # Eligible first.
    listed = list(rows.values())
    assert [r.eligible for r in listed] == sorted((r.eligible for r in listed), reverse=True)


def test_left_person_has_no_post(db: Database, township_id: str,
                                 new_person: Callable[..., people.PersonInfo]) -> None:
    w = build_world(db, township_id, new_person)
    with db.session() as s:
        person = people.get_person(s, w.ids["passed"])
        person.left_on = dt.date(2026, 6, 1)
    assert rows_by_person(db)[w.ids["passed"]].reasons == ("无在岗岗位",)


def test_kind_and_unit_scope(db: Database, township_id: str, new_person: Callable[..., people.PersonInfo]) -> None:
    w = build_world(db, township_id, new_person)
    on_duty = rows_by_person(db, kind="on_duty")
    assert {r.kind for r in on_duty.values()} == {"on_duty"}
    assert w.ids["tutor"] not in on_duty and w.ids["passed"] in on_duty
    yang = rows_by_person(db, unit_id=w.village_id)
    assert set(yang) == {w.ids["passed"], w.ids["failed"]}


def test_holders_are_not_eligible_again(db: Database, township_id: str,
                                        new_person: Callable[..., people.PersonInfo]) -> None:
    from remoteedu_desktop.services import certificate_issue as ci
    from remoteedu_desktop.services.progress import run_to_end

    w = build_world(db, township_id, new_person)
    with db.session() as s:
        ids = run_to_end(ci.issue_all_eligible(s, issue_date=TODAY))
    assert len(ids) == 4
    rows = rows_by_person(db)
    passed, tutor = rows[w.ids["passed"]], rows[w.ids["tutor"]]
    # Issued in list order: the township manager (unit 龙潭镇) before the village's.
    assert passed.reasons == ("已持有有效上岗证书（编号 3604992026SG0002）",)
    assert passed.holds_number == "3604992026SG0002"
    assert rows[w.ids["township"]].holds_number == "3604992026SG0001"
    assert tutor.reasons == ("已持有有效聘任证书（编号 3604992026PR0001，有效期至 2029-06-29）",)
    # After the appointment term the tutor is eligible again.
    with db.session() as s:
        later = {r.person_id: r for r in ce.eligibility(s, today=dt.date(2029, 6, 30))}
    assert later[w.ids["tutor"]].eligible
    assert not later[w.ids["passed"]].eligible  # on-duty certificates do not expire
