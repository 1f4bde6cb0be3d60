"""The person editor's data (R10): detail with the full ID number, the whole archive, the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import (
    Attendance,
    Award,
    AwardCampaign,
    Certificate,
    Enrolment,
    Evaluation,
    EvaluationRound,
    Person,
    Rubric,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, person_views, posts, units

TODAY = dt.date(2026, 6, 30)

NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]


def test_detail_holds_the_full_id_number(db: Database, office: object, new_person: NewPerson) -> None:
    info = new_person(name="张三", phone="13800000000", ethnicity="01", source_category="VIL_COMMITTEE")
    with db.session() as s:
        d = person_views.person_detail(s, info.id)
        number = s.get(Person, info.id).id_number  # type: ignore[union-attr]
    assert d.id_number == number and len(number) == 18
    assert d.id_number_masked == number[:6] + "********" + number[-4:]
    assert (d.name, d.gender, d.birth_date, d.phone, d.ethnicity, d.source_category, d.has_photo) == (
        "张三", "1", dt.date(1980, 5, 17), "13800000000", "01", "VIL_COMMITTEE", False)
    with db.session() as s, pytest.raises(ValidationError):
        person_views.person_detail(s, "nobody")


def test_history_has_posts_training_certificates_evaluations_awards(
        db: Database, township_id: str, new_village: NewVillage, new_person: NewPerson) -> None:
    yang, li = new_village("杨家村"), new_village("李家村")
    p = new_person(name="张三")
    with db.session() as s:
        first = posts.assign_post(s, person_id=p.id, unit_id=yang.id, role="village_manager", slot="A",
                                  start_date=dt.date(2019, 3, 1), today=TODAY)
        posts.transfer_post(s, first.id, to_unit_id=li.id, to_slot="B", on=dt.date(2025, 4, 1), reason="工作需要",
                            today=TODAY)
        plan = TrainingPlan(title="2025年村级站点管理员岗前培训", year=2025, organizer_level="township",
                            target_role="village_manager", target_level="village", kind="pre_job", mode="mixed",
                            planned_hours=12.0, start_date=dt.date(2025, 5, 1))
        s.add(plan)
        s.flush()
        sessions = [TrainingSession(plan_id=plan.id, date=dt.date(2025, 5, d), hours=4.0) for d in (1, 2)]
        s.add_all(sessions)
        s.flush()
        s.add_all([Attendance(session_id=sessions[0].id, person_id=p.id, present=True, hours=4.0),
                   Attendance(session_id=sessions[1].id, person_id=p.id, present=False, hours=0.0)])
        s.add(Enrolment(plan_id=plan.id, person_id=p.id, self_study_hours=2.5, score=88.0, passed=True,
                        assessed_on=dt.date(2025, 5, 20)))
        s.add(Certificate(kind="on_duty", number="3604992025SG0001", person_id=p.id, issue_date=dt.date(2025, 6, 1),
                          status="valid"))
        rnd = EvaluationRound(year=2025, name="2025年度考评", grade_scale="competent")
        s.add(rnd)
        s.flush()
        rubric = Rubric(round_id=rnd.id, target="site_manager", name="站点管理员考评细则")
        s.add(rubric)
        s.flush()
        s.add(Evaluation(round_id=rnd.id, rubric_id=rubric.id, person_id=p.id, total=91.5, grade="pass"))
        campaign = AwardCampaign(year=2025, kind="excellent_manager", name="2025年优秀站点管理员评比")
        s.add(campaign)
        s.flush()
        s.add(Award(campaign_id=campaign.id, person_id=p.id, title="优秀站点管理员", awarded_on=dt.date(2026, 1, 20),
                    document_no="青远办〔2026〕1号"))
    with db.session() as s:
        h = person_views.person_history(s, p.id)
    assert [(r.title, r.start_date, r.end_date, r.start_reason, r.end_reason, r.is_open) for r in h.posts] == [
        ("龙潭镇杨家村 A岗", dt.date(2019, 3, 1), dt.date(2025, 4, 1), "新任", "工作需要", False),
        ("龙潭镇李家村 B岗", dt.date(2025, 4, 1), None, "工作需要", None, True)]
    assert h.posts[0].role_label == "村站点管理员"
    [t] = h.training
    assert (t.plan_title, t.year, t.kind_label, t.mode_label, t.attended_hours, t.self_study_hours, t.hours,
            t.score, t.passed) == ("2025年村级站点管理员岗前培训", 2025, "岗前培训", "集中与自学结合", 4.0, 2.5, 6.5,
                                   88.0, True)
    assert [(c.number, c.kind_label, c.status_label) for c in h.certificates] == [
        ("3604992025SG0001", "上岗证书", "有效")]
    assert [(e.year, e.total, e.grade_label, e.unfit) for e in h.evaluations] == [(2025, 91.5, "称职", False)]
    assert [(a.title, a.kind_label, a.document_no) for a in h.awards] == [
        ("优秀站点管理员", "优秀站点管理员", "青远办〔2026〕1号")]


def test_audit_trail_lists_changes_newest_first(db: Database, new_village: NewVillage,
                                                new_person: NewPerson) -> None:
    site = new_village("杨家村")
    p = new_person(name="张三", phone="13800000000")
    with db.session() as s:
        post = posts.assign_post(s, person_id=p.id, unit_id=site.id, role="village_manager", slot="A",
                                 start_date=dt.date(2020, 1, 1), today=TODAY)
    with db.session() as s:
        people.update_person(s, p.id, phone="13900000000", political_status="01", today=TODAY)
    with db.session() as s:
        posts.end_post(s, post.id, end_date=dt.date(2026, 6, 1), reason="外出务工", today=TODAY)
    with db.session() as s:
        trail = person_views.audit_trail(s, p.id)
    assert {e.account for e in trail} == {"clerk1"}
    changes = [(e.subject, e.action, e.field, e.old_value, e.new_value) for e in trail if e.action == "修改"]
    assert ("人员档案", "修改", "联系电话", "13800000000", "13900000000") in changes
    assert ("人员档案", "修改", "政治面貌", "", "中共党员") in changes  # code shown as its label
    assert ("岗位：龙潭镇杨家村 A岗", "修改", "离岗原因", "", "外出务工") in changes
    assert ("岗位：龙潭镇杨家村 A岗", "修改", "离岗日期", "", "2026-06-01") in changes
    assert all(e.field != "name_initials" for e in trail)
    inserted = [e for e in trail if e.action == "新增"]
    assert [e.subject for e in inserted] == ["岗位：龙潭镇杨家村 A岗", "人员档案"]  # newest first
    person_insert = inserted[-1].new_value
    assert "姓名：张三" in person_insert and "性别：男" in person_insert
    assert "身份证号码：360499********" in person_insert  # the trail is a list: the number stays masked
    assert trail == sorted(trail, key=lambda e: e.at, reverse=True)
    assert trail[0].at.date() >= dt.date(2026, 1, 1)


def test_audit_trail_masks_a_corrected_id_number(db: Database, new_person: NewPerson,
                                                 make_id: Callable[..., str]) -> None:
    p = new_person(name="张三")
    new_number = make_id(dt.date(1980, 5, 17), 99)
    with db.session() as s:
        people.update_person(s, p.id, id_number=new_number, today=TODAY)
    with db.session() as s:
        [change] = [e for e in person_views.audit_trail(s, p.id) if e.field == "身份证号码"]
    assert change.new_value == new_number[:6] + "********" + new_number[-4:]
    assert new_number not in change.old_value + change.new_value


def test_person_choices_search_and_posts(db: Database, new_village: NewVillage, new_person: NewPerson) -> None:
    site = new_village("杨家村")
    zhang = new_person(name="张三")
    new_person(name="李四", female=True)
    left = new_person(name="张离开")
    with db.session() as s:
        posts.assign_post(s, person_id=zhang.id, unit_id=site.id, role="village_manager", slot="A",
                          start_date=dt.date(2020, 1, 1), today=TODAY)
        person = s.get(Person, left.id)
        assert person is not None
        person.left_on, person.left_reason = dt.date(2026, 1, 1), "外出"
        number = s.get(Person, zhang.id).id_number  # type: ignore[union-attr]
    with db.session() as s:
        by_name = person_views.person_choices(s, "张")
        by_initials = person_views.person_choices(s, "ls")
        by_tail = person_views.person_choices(s, number[-6:])
        everyone = person_views.person_choices(s, "", include_left=True)
        one = person_views.person_choice(s, zhang.id)
    assert [c.name for c in by_name] == ["张三"]  # people who left are not offered
    assert [c.name for c in by_initials] == ["李四"]
    assert [c.id for c in by_tail] == [zhang.id]
    assert len(everyone) == 3
    assert by_name[0].posts == "龙潭镇杨家村 A岗" == one.posts
    assert by_name[0].display == f"张三（男，1980年生，{number[:6]}********{number[-4:]}） · 龙潭镇杨家村 A岗"


def test_post_record_unknown(db: Database, office: object) -> None:
    with db.session() as s, pytest.raises(ValidationError) as info:
        person_views.post_record(s, "nope")
    assert info.value.field == "岗位"
