"""The automatic indicators of the yearly evaluation (R14), each against figures worked out by hand on a
small fixed county: one township with two villages, five people in post in 2025 and one who left.

The year 2025 is scored on 2026-06-30, so its period is the whole of 2025 (365 days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import (
    Activity,
    ActivityTutor,
    Attendance,
    Certificate,
    Enrolment,
    Evaluation,
    EvaluationScore,
    FaultTicket,
    RubricItem,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.services import evaluation_scoring as scoring
from remoteedu_desktop.services import people, posts, units
from remoteedu_desktop.services.evaluation_indicators import (
    INDICATORS,
    IndicatorReader,
    Subject,
    post_spans,
    response_share,
)
from remoteedu_desktop.services.progress import run_to_end

TODAY = dt.date(2026, 6, 30)  # the conftest's fixed day

YEAR = 2025
ALL_ROLES = ("village_manager", "enterprise_manager", "township_manager", "county_tutor", "township_tutor",
             "technician")


@dataclass
class County:
    township: str
    v1: str
    v2: str
    ids: dict[str, str]  #: short name → person id


def _plan(s: Session, year: int, title: str) -> TrainingPlan:
    plan = TrainingPlan(title=title, year=year, organizer_level="township", target_role="village_manager",
                        target_level="village", kind="regular", mode="mixed", planned_hours=8.0, pass_mark=60.0)
    s.add(plan)
    s.flush()
    return plan


def build_county(db: Database, township_id: str, new_person: Callable[..., people.PersonInfo],
                 new_village: Callable[..., units.UnitInfo]) -> County:
    v1, v2 = new_village("上村").id, new_village("下村").id
    with db.session() as s:
        ids = {short: new_person(s, name).id for short, name in
               (("jia", "王甲"), ("yi", "李乙"), ("bing", "张丙"), ("ding", "赵丁"), ("wu", "刘戊"), ("ji", "陈己"))}

        def post(who: str, unit: str, role: str, start: dt.date, slot: str | None = None) -> str:
            return posts.assign_post(s, person_id=ids[who], unit_id=unit, role=role, slot=slot, start_date=start,
                                     today=TODAY).id

        post("jia", v1, "village_manager", dt.date(2020, 1, 1), "A")
        post("yi", v1, "village_manager", dt.date(2025, 7, 1), "B")
        post("bing", township_id, "township_tutor", dt.date(2024, 1, 1))
        post("ding", township_id, "technician", dt.date(2023, 1, 1))
        post("wu", township_id, "township_manager", dt.date(2022, 1, 1))
        left = post("ji", v2, "village_manager", dt.date(2018, 1, 1), "A")
        posts.end_post(s, left, end_date=dt.date(2024, 12, 31), reason="外出务工", today=TODAY)

        # Training (R8): a training counts in its plan's year.
        p1, p2, p0 = _plan(s, 2025, "2025年第一期"), _plan(s, 2025, "2025年第二期"), _plan(s, 2024, "2024年培训")
        s1, s2 = (TrainingSession(plan_id=p1.id, date=dt.date(2025, 3, d), hours=4.0) for d in (1, 2))
        s0 = TrainingSession(plan_id=p0.id, date=dt.date(2024, 3, 1), hours=8.0)
        s.add_all([s1, s2, s0])
        s.flush()
        s.add_all([
            Attendance(session_id=s1.id, person_id=ids["jia"], present=True, hours=4.0),
            Attendance(session_id=s2.id, person_id=ids["jia"], present=False, hours=0.0),
            Attendance(session_id=s0.id, person_id=ids["jia"], present=True, hours=8.0),  # 2024: not counted
            Attendance(session_id=s1.id, person_id=ids["bing"], present=True, hours=4.0),
            Attendance(session_id=s2.id, person_id=ids["bing"], present=True, hours=4.0),
            Attendance(session_id=s1.id, person_id=ids["yi"], present=True, hours=4.0, deleted=True),
            Enrolment(plan_id=p1.id, person_id=ids["jia"], self_study_hours=6.0, passed=True, score=80.0),
            Enrolment(plan_id=p2.id, person_id=ids["jia"], score=50.0),  # below the pass mark 60: failed
            Enrolment(plan_id=p1.id, person_id=ids["bing"], score=75.0),  # no flag, above the mark: passed
        ])

        # Activities (R13).
        acts = {}
        for key, site, day, gone in (("a1", v1, dt.date(2025, 3, 1), False), ("a2", v1, dt.date(2025, 5, 1), False),
                                     ("a3", v1, dt.date(2025, 11, 1), False), ("old", v1, dt.date(2024, 12, 31), False),
                                     ("del", v1, dt.date(2025, 6, 1), True), ("b1", v2, dt.date(2025, 8, 1), False)):
            acts[key] = Activity(site_id=site, date=day, channel="group_study", title="集中学习", participants=10,
                                 hours=2.0, deleted=gone)
            s.add(acts[key])
        s.flush()
        s.add_all([ActivityTutor(activity_id=acts[k].id, person_id=ids["bing"]) for k in ("a1", "b1", "old")])

        # Faults (R9): response = report → assignment.
        def at(month: int, day: int, hour: int, year: int = 2025) -> dt.datetime:
            return dt.datetime(year, month, day, hour)

        s.add_all([
            FaultTicket(site_id=v1, reported_at=at(4, 1, 8), description="无信号", technician_id=ids["ding"],
                        assigned_at=at(4, 2, 20), resolved_at=at(4, 3, 8), status="resolved"),  # 36 h
            FaultTicket(site_id=v1, reported_at=at(9, 10, 8), description="电脑蓝屏", technician_id=ids["ding"],
                        assigned_at=at(9, 13, 8), resolved_at=at(9, 14, 8), status="closed"),  # 72 h
            FaultTicket(site_id=v2, reported_at=at(12, 31, 12), description="无信号", status="open"),  # 12 h
            FaultTicket(site_id=v1, reported_at=at(12, 30, 8, 2024), description="旧故障", technician_id=ids["ding"],
                        assigned_at=at(1, 30, 8), status="assigned"),  # reported in 2024: not counted
        ])

        # Certificates (R11).
        for who, kind, issued, until, status in (
                ("jia", "on_duty", dt.date(2024, 6, 1), dt.date(2027, 5, 31), "valid"),
                ("yi", "on_duty", dt.date(2025, 8, 1), dt.date(2025, 10, 31), "valid"),  # lapsed before year end
                ("bing", "appointment", dt.date(2024, 2, 1), None, "valid"),
                ("ding", "on_duty", dt.date(2024, 2, 1), None, "valid"),  # a technician needs an appointment
                ("wu", "on_duty", dt.date(2023, 2, 1), None, "revoked")):
            s.add(Certificate(kind=kind, number=f"N{who}", person_id=ids[who], issue_date=issued, valid_until=until,
                              status=status))
    return County(township_id, v1, v2, ids)


@pytest.fixture
def county(db: Database, township_id: str, new_person: Callable[..., people.PersonInfo],
           new_village: Callable[..., units.UnitInfo]) -> County:
    return build_county(db, township_id, new_person, new_village)


def read_all(db: Database, c: County) -> dict[str, dict[str, float]]:
    """short name (or v1/v2) → indicator → share, for the subjects of the fixed county."""
    targets = {"jia": "site_manager", "yi": "site_manager", "bing": "tutor", "ding": "technician",
               "wu": "township_manager"}
    roles = {"site_manager": {"village_manager"}, "tutor": {"township_tutor"}, "technician": {"technician"},
             "township_manager": {"township_manager"}}
    with db.session() as s:
        spans = post_spans(s, YEAR, TODAY, ALL_ROLES)
        subjects = {who: Subject(who, target, c.ids[who], None,
                                 tuple(span for role, span in spans.get(c.ids[who], []) if role in roles[target]))
                    for who, target in targets.items()}
        subjects["v1"] = Subject("v1", "site", None, c.v1)
        subjects["v2"] = Subject("v2", "site", None, c.v2)
        reader = IndicatorReader(s, YEAR, TODAY)
        out: dict[str, dict[str, float]] = {}
        for key, subject in subjects.items():
            out[key] = {}
            for code in INDICATORS:
                reading = reader.read(subject, code)
                assert reading is not None and reading.note
                out[key][code] = reading.share
        assert reader.read(subjects["jia"], "no_such_indicator") is None
        return out


def test_training_hours_count_the_plan_year_attended_and_self_study(db: Database, county: County) -> None:
    """R8: 4 h attended + 6 h self-study in 2025 (the 2024 session and the absent day do not count) of 24."""
    shares = read_all(db, county)
    assert shares["jia"]["training_hours"] == pytest.approx(10 / 24)
    assert shares["bing"]["training_hours"] == pytest.approx(8 / 24)
    assert shares["yi"]["training_hours"] == 0.0  # the only attendance row is a tombstone
    assert shares["v1"]["training_hours"] == 0.0


def test_assessment_passed_is_the_share_of_assessed_trainings_passed(db: Database, county: County) -> None:
    """R8: 王甲 passed one of two (the second scored 50 under the pass mark 60); 张丙's 75 passes without a flag."""
    shares = read_all(db, county)
    assert shares["jia"]["assessment_passed"] == pytest.approx(0.5)
    assert shares["bing"]["assessment_passed"] == 1.0
    assert shares["yi"]["assessment_passed"] == 0.0


def test_activity_count_by_site_post_period_township_mean_and_tutor(db: Database, county: County) -> None:
    """R13: 上村 logged 3 activities in 2025 (one in 2024 and a deleted one do not count), 下村 1."""
    shares = read_all(db, county)
    assert shares["jia"]["activity_count"] == pytest.approx(3 / 12)
    assert shares["yi"]["activity_count"] == pytest.approx(1 / 12)  # in post from 1 July: only November's
    assert shares["wu"]["activity_count"] == pytest.approx(2 / 12)  # (3 + 1) / 2 sites
    assert shares["bing"]["activity_count"] == pytest.approx(2 / 12)  # led two 2025 activities
    assert shares["v1"]["activity_count"] == pytest.approx(3 / 12)
    assert shares["v2"]["activity_count"] == pytest.approx(1 / 12)


def test_fault_response_means_and_the_sliding_scale(db: Database, county: County) -> None:
    """R9: 36 h and 72 h → mean 54 h → (168 − 54) / 144; an unassigned ticket counts to the period's end."""
    shares = read_all(db, county)
    assert shares["ding"]["fault_response"] == pytest.approx(114 / 144)
    assert shares["jia"]["fault_response"] == pytest.approx(114 / 144)
    assert shares["yi"]["fault_response"] == pytest.approx(96 / 144)  # only September's 72 h
    assert shares["wu"]["fault_response"] == pytest.approx((168 - 40) / 144)  # (36 + 72 + 12) / 3
    assert shares["v2"]["fault_response"] == 1.0  # 12 h
    assert shares["bing"]["fault_response"] == 1.0  # no tickets: full marks
    assert response_share(24) == 1.0 and response_share(168) == 0.0 and response_share(500) == 0.0
    assert response_share(96) == pytest.approx(0.5)


def test_certificate_valid_at_year_end_of_the_kind_the_post_needs(db: Database, county: County) -> None:
    """R11: on-duty for managers, appointment for tutors and technicians, valid on 31 December."""
    shares = read_all(db, county)
    assert shares["jia"]["certificate_valid"] == 1.0
    assert shares["yi"]["certificate_valid"] == 0.0  # lapsed on 31 October, still marked valid
    assert shares["bing"]["certificate_valid"] == 1.0
    assert shares["ding"]["certificate_valid"] == 0.0  # holds an on-duty, not an appointment certificate
    assert shares["wu"]["certificate_valid"] == 0.0  # revoked
    assert shares["v1"]["certificate_valid"] == pytest.approx(0.5)  # 王甲 yes, 李乙 no
    assert shares["v2"]["certificate_valid"] == 0.0  # no manager in post


def test_post_stability_is_the_share_of_the_year_in_post(db: Database, county: County) -> None:
    """R12: 李乙 from 1 July: 184 of 365 days; 上村 always had a manager, 下村 none in 2025."""
    shares = read_all(db, county)
    assert shares["jia"]["post_stability"] == 1.0
    assert shares["yi"]["post_stability"] == pytest.approx(184 / 365)
    assert shares["v1"]["post_stability"] == 1.0
    assert shares["v2"]["post_stability"] == 0.0


def test_score_year_writes_the_indicators_as_points_of_the_default_rubrics(db: Database, county: County) -> None:
    """R14 end to end: score_year evaluates the five people in post (not 陈己, who left in 2024) and both
    sites, and the automatic items carry max × share, rounded to 0.1, with their notes."""
    with db.session() as s:
        summary = run_to_end(scoring.score_year(s, YEAR, today=TODAY))
    assert summary.evaluated == 7 and summary.complete == 0
    with db.session() as s:
        rows = {r.name: r for r in scoring.evaluations(s, YEAR)}
        assert set(rows) == {"王甲", "李乙", "张丙", "赵丁", "刘戊", "上村", "下村"}
        assert rows["王甲"].target == "site_manager" and rows["王甲"].post == "村站点管理员"
        assert rows["刘戊"].target == "township_manager" and rows["张丙"].target == "tutor"
        assert rows["赵丁"].target == "technician" and rows["上村"].target == "site"
        assert rows["王甲"].township == "龙潭镇" and rows["王甲"].unit == "上村"
        got = {code: (points, note) for code, points, note in s.execute(
            select(RubricItem.code, EvaluationScore.points, EvaluationScore.note)
            .join(EvaluationScore, EvaluationScore.item_id == RubricItem.id)
            .where(EvaluationScore.evaluation_id == rows["王甲"].id)).tuples()}
        # A1 activities 25 × 3/12, A2 faults 20 × 114/144, A3 hours 15 × 10/24, A4 10 × 1/2, A5 certificate 10.
        assert {k: v[0] for k, v in got.items()} == {"A1": 6.3, "A2": 15.8, "A3": 6.3, "A4": 5.0, "A5": 10.0}
        assert "10 学时" in got["A3"][1] and "平均响应 54 小时" in got["A2"][1]
        assert rows["王甲"].total == 43.4  # the points as stored, weights equal to the maxima
        assert rows["王甲"].grade is None and not rows["王甲"].complete  # A6, A7 not entered yet
        left = s.scalar(select(Evaluation.id).where(Evaluation.person_id == county.ids["ji"]))
        assert left is None
