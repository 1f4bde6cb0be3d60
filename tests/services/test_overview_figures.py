"""The overview figures (services/overview_figures.py) against values counted by hand on a small fixed
county: two active townships and an inactive one, four villages (one inactive), an enterprise site.

The hand count, today = 2026-06-30 (see :func:`county`):

- sites_staffed (R3): active villages V1 (A+B), V2 (A only; its B post ended), V3 (A+B) → 2 / 3;
  龙潭镇 1/2, 石门乡 1/1. R2: 龙潭镇 2 township managers, 石门乡 only 1.
- managers_certified (R11): managers m1 m2 a1 b1 a2 e1 (龙潭镇), m3 a3 b3 (石门乡) = 9; valid on-duty
  certificate today: m1 (no end), a1 (ends in 30 days), a3, b3 (renewed; old one replaced) → 4 / 9;
  m2 revoked, b1 past its end, a2 issued after today, e1 and m3 none. 龙潭镇 2/6, 石门乡 2/3.
- pre_job_coverage (R8): people on posts: the 9 managers + tut1 (龙潭镇) + tec1 (county) = 11; passed a
  pre-job training: m1 a1 a3 → 3 / 11; b1 failed, m3 not assessed. 龙潭镇 2/7, 石门乡 1/3.
- training_hours (R6–R8), 2026 plans only: lecture m1 4+3, a1 4 (absent from S2), a3 4; self-study m1 2
  (assessed in April), a3 1.5 (plan ends in June) → 18.5; 2025 plan, deleted session, the person who
  left are left out. 龙潭镇 13, 石门乡 5.5. Months: Mar 12, Apr 2, May 3, Jun 1.5.
- activities (R13), 2026: V1 in Jan and Mar, V3 in Mar → 3 (2025 and deleted ones left out).
- open_faults (R9): F1 V1 age 0, F2 V2 age 5, F5 E1 age 10, F3 V3 age 60; F4 resolved → 4.
- expiring (R11): a1's on-duty certificate (+30 days), tut1's appointment (+60, the last day counted);
  tec1's (+61) is later → 2, both 龙潭镇.
- evaluation_progress (R14), round 2026: Ev1 complete, Ev2 one manual item missing, Ev3 one score
  deleted, Ev4 complete (automatic item scored too); one deleted evaluation → 2 / 4; 1/2 each township.

The county is built once per backend: a SQLite file and, when a test server is set, a PostgreSQL database
(issue 10 item 1): the figures must be the same on both.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

import pytest
from sqlalchemy.orm import Session

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import (
    Activity,
    Attendance,
    Certificate,
    Enrolment,
    Evaluation,
    EvaluationRound,
    EvaluationScore,
    FaultTicket,
    OrgUnit,
    Person,
    Post,
    Rubric,
    RubricItem,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import offices
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.overview_figures import FIGURE_KEYS, behind, overview

D = dt.date
TODAY = dt.date(2026, 6, 30)
T = TypeVar("T")
START = D(2020, 1, 1)
ISSUED = D(2025, 1, 1)


def make_id_number(birth: dt.date, seq: int) -> str:
    first17 = f"360499{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


@dataclass(frozen=True)
class County:
    db: Database
    county: str
    t1: str
    t2: str
    t3: str
    ids: dict[str, str]


class _Maker:
    def __init__(self, s: Session) -> None:
        self.s = s
        self.seq = itertools.count(1)
        self.ids: dict[str, str] = {}
        self.cert_no = itertools.count(1)

    def add(self, row: T) -> T:
        self.s.add(row)
        self.s.flush()
        return row

    def unit(self, key: str, kind: str, name: str, parent: str, *, active: bool = True, sort: int = 0) -> str:
        u = self.add(OrgUnit(kind=kind, name=name, parent_id=parent, active=active, sort_order=sort))
        self.ids[key] = u.id
        return u.id

    def person(self, key: str, name: str, *, left: dt.date | None = None) -> str:
        n = next(self.seq)
        p = self.add(Person(name=name, gender="1", id_number=make_id_number(D(1980, 1, 1), n * 2 + 1),
                            birth_date=D(1980, 1, 1), left_on=left))
        self.ids[key] = p.id
        return p.id

    def post(self, person: str, unit: str, role: str, slot: str | None = None, *,
             start: dt.date = START, end: dt.date | None = None) -> None:
        self.add(Post(person_id=self.ids[person], unit_id=self.ids[unit], role=role, slot=slot, start_date=start,
                      end_date=end, end_reason="换届" if end else None))

    def cert(self, person: str, kind: str, *, issued: dt.date = ISSUED, until: dt.date | None = None,
             status: str = "valid") -> None:
        self.add(Certificate(kind=kind, number=f"NO{next(self.cert_no):04d}", person_id=self.ids[person],
                             issue_date=issued, valid_until=until, status=status))


@pytest.fixture(scope="module")
def county(module_database_url: str) -> Iterator[County]:
    """Built once per backend: every test here only reads."""
    db = open_database(module_database_url, account="clerk1")
    with db.session() as s:
        info = offices.init_office(s, level="county", code="360499", name="青山县")
        assert info.unit_id is not None
        m = _Maker(s)
        m.ids["county"] = info.unit_id
        t1 = m.unit("t1", "township", "龙潭镇", info.unit_id, sort=1)
        t2 = m.unit("t2", "township", "石门乡", info.unit_id, sort=2)
        t3 = m.unit("t3", "township", "旧乡", info.unit_id, active=False, sort=3)
        m.unit("v1", "village", "杨家村", t1)
        m.unit("v2", "village", "胡家村", t1)
        m.unit("e1", "enterprise", "红星厂", t1)
        m.unit("v3", "village", "水口村", t2)
        m.unit("v4", "village", "废村", t2, active=False)
        m.unit("v5", "village", "旧村", t3)

        for key, name in (("m1", "王一"), ("m2", "王二"), ("a1", "李一"), ("b1", "李二"), ("a2", "李三"),
                          ("e1p", "赵一"), ("tut1", "钱一"), ("m3", "孙一"), ("a3", "周一"), ("b3", "周二"),
                          ("tec1", "吴一"), ("old", "郑一")):
            m.person(key, name)
        m.person("gone", "冯一", left=D(2026, 1, 1))
        m.post("m1", "t1", "township_manager")
        m.post("m2", "t1", "township_manager")
        m.post("a1", "v1", "village_manager", "A")
        m.post("b1", "v1", "village_manager", "B")
        m.post("a2", "v2", "village_manager", "A")
        m.post("old", "v2", "village_manager", "B", end=D(2025, 12, 31))
        m.post("e1p", "e1", "enterprise_manager")
        m.post("tut1", "t1", "township_tutor")
        m.post("m3", "t2", "township_manager")
        m.post("a3", "v3", "village_manager", "A")
        m.post("b3", "v3", "village_manager", "B")
        m.post("tec1", "county", "technician")
        m.post("gone", "v1", "township_tutor")  # left the teams: not counted as a person on a post

        # R11 certificates
        m.cert("m1", "on_duty")
        m.cert("m2", "on_duty", status="revoked")
        m.cert("a1", "on_duty", until=TODAY + dt.timedelta(days=30))
        m.cert("b1", "on_duty", until=D(2026, 6, 29))
        m.cert("a2", "on_duty", issued=D(2026, 7, 5))
        m.cert("a3", "on_duty", until=D(2028, 1, 1))
        m.cert("b3", "on_duty", until=D(2026, 1, 1), status="replaced")
        m.cert("b3", "on_duty", issued=D(2026, 1, 1), until=D(2029, 1, 1))
        m.cert("tut1", "appointment", until=TODAY + dt.timedelta(days=60))
        m.cert("tec1", "appointment", until=TODAY + dt.timedelta(days=61))

        # R6–R8 training
        def plan(year: int, kind: str, end: dt.date | None = None) -> str:
            p = m.add(TrainingPlan(title=f"{year}{kind}", year=year, organizer_level="county", target_role="village_manager",
                                   target_level="village", kind=kind, mode="lecture", end_date=end))
            return p.id

        def enrol(plan_id: str, who: str, *, passed: bool | None = None, score: float | None = None,
                  study: float = 0.0, assessed: dt.date | None = None) -> None:
            m.add(Enrolment(plan_id=plan_id, person_id=m.ids[who], passed=passed, score=score,
                            self_study_hours=study, assessed_on=assessed))

        def session_(plan_id: str, day: dt.date, hours: float, *, deleted: bool = False) -> str:
            t = m.add(TrainingSession(plan_id=plan_id, date=day, hours=hours, deleted=deleted))
            return t.id

        def attend(session_id: str, who: str, hours: float, present: bool = True) -> None:
            m.add(Attendance(session_id=session_id, person_id=m.ids[who], hours=hours, present=present))

        p0 = plan(2025, "pre_job")
        enrol(p0, "m1", passed=True, score=80)
        enrol(p0, "a1", passed=True, score=75)
        enrol(p0, "b1", passed=False, score=40)
        enrol(p0, "a3", passed=True, score=90)
        enrol(p0, "m3")
        p1 = plan(2026, "regular", end=D(2026, 6, 1))
        s1, s2 = session_(p1, D(2026, 3, 10), 4), session_(p1, D(2026, 5, 20), 3)
        s3 = session_(p1, D(2026, 5, 21), 3, deleted=True)
        attend(s1, "m1", 4)
        attend(s2, "m1", 3)
        attend(s1, "a1", 4)
        attend(s2, "a1", 3, present=False)
        attend(s1, "a3", 4)
        attend(s3, "a3", 3)
        attend(s1, "gone", 4)
        enrol(p1, "m1", study=2, assessed=D(2026, 4, 15))
        enrol(p1, "a3", study=1.5)
        enrol(p1, "gone", study=6)
        p2 = plan(2025, "regular")
        attend(session_(p2, D(2025, 3, 1), 5), "m1", 5)

        # R13 activities
        for site, day, n, deleted in (("v1", D(2026, 1, 5), 20, False), ("v1", D(2026, 3, 1), 10, False),
                                      ("v3", D(2026, 3, 15), 5, False), ("v1", D(2025, 12, 31), 7, False),
                                      ("v3", D(2026, 2, 1), 9, True)):
            m.add(Activity(site_id=m.ids[site], date=day, channel="expert_lecture", title=f"讲座{day}",
                           participants=n, hours=2, deleted=deleted))

        # R9 faults
        for key, site, at, status in (("f1", "v1", dt.datetime(2026, 6, 30, 8), "open"),
                                      ("f2", "v2", dt.datetime(2026, 6, 25, 10), "assigned"),
                                      ("f3", "v3", dt.datetime(2026, 5, 1, 9), "open"),
                                      ("f4", "v3", dt.datetime(2026, 6, 1, 9), "resolved"),
                                      ("f5", "e1", dt.datetime(2026, 6, 20, 12), "open")):
            assigned = at + dt.timedelta(hours=1) if status in ("assigned", "resolved") else None
            m.add(FaultTicket(site_id=m.ids[site], reported_at=at, description=f"故障{key}", status=status,
                              technician_id=m.ids["tec1"] if assigned else None, assigned_at=assigned,
                              resolved_at=at + dt.timedelta(days=1) if status == "resolved" else None))

        # R14 evaluation: I1, I2 manual score items, I3 automatic, I4 a deduction (blank = none)
        def evaluate(year: int, who: str, unit: str, scored: tuple[int, ...], *, gone: tuple[int, ...] = (),
                     deleted: bool = False) -> None:
            rnd, rub, items = rounds[year]
            ev = m.add(Evaluation(round_id=rnd, rubric_id=rub, person_id=m.ids[who], unit_id=m.ids[unit],
                                  deleted=deleted))
            for i in scored:
                m.add(EvaluationScore(evaluation_id=ev.id, item_id=items[i], points=8, deleted=i in gone))

        rounds: dict[int, tuple[str, str, list[str]]] = {}
        for year in (2025, 2026):
            rnd = m.add(EvaluationRound(year=year, name=f"{year}年度考评"))
            rub = m.add(Rubric(round_id=rnd.id, target="site_manager", name="站点管理员"))
            rounds[year] = (rnd.id, rub.id, [
                m.add(RubricItem(rubric_id=rub.id, code=c, title=c, kind=k, max_points=10, weight_pct=w,
                                 indicator=ind, sort_order=n)).id
                for n, (c, k, w, ind) in enumerate((("I1", "score", 40, None), ("I2", "score", 40, None),
                                                    ("I3", "score", 20, "training_hours"),
                                                    ("I4", "deduction", 0, None)))])
        evaluate(2025, "a1", "v1", ())
        evaluate(2026, "a1", "v1", (0, 1))
        evaluate(2026, "b1", "v1", (0,))
        evaluate(2026, "a3", "v3", (0, 1), gone=(1,))
        evaluate(2026, "b3", "v3", (0, 1, 2))
        evaluate(2026, "a2", "v2", (0, 1), deleted=True)
        ids = dict(m.ids)
    yield County(db, info.unit_id, t1, t2, t3, ids)
    db.dispose()


def _vt(figures: dict) -> dict[str, tuple[float, float | None]]:  # type: ignore[type-arg]
    return {k: (f.value, f.total) for k, f in figures.items()}


COUNTY_VALUES = {
    "sites_staffed": (2, 3), "managers_certified": (4, 9), "pre_job_coverage": (3, 11),
    "training_hours": (18.5, None), "activities": (3, None), "open_faults": (4, None), "expiring": (2, None),
    "evaluation_progress": (2, 4),
}
T1_VALUES = {
    "sites_staffed": (1, 2), "managers_certified": (2, 6), "pre_job_coverage": (2, 7),
    "training_hours": (13, None), "activities": (2, None), "open_faults": (3, None), "expiring": (2, None),
    "evaluation_progress": (1, 2),
}
T2_VALUES = {
    "sites_staffed": (1, 1), "managers_certified": (2, 3), "pre_job_coverage": (1, 3),
    "training_hours": (5.5, None), "activities": (1, None), "open_faults": (1, None), "expiring": (0, None),
    "evaluation_progress": (1, 2),
}


def test_county_figures_by_hand(county: County) -> None:
    with county.db.session() as s:
        o = overview(s, today=TODAY)  # the office's own scope: the county
    assert (o.scope_id, o.scope_name, o.year) == (county.county, "青山县", 2026)
    assert tuple(o.figures) == FIGURE_KEYS
    assert _vt(o.figures) == COUNTY_VALUES
    assert o.activities_per_month == tuple((m, {1: 1, 3: 2}.get(m, 0)) for m in range(1, 13))
    assert o.training_hours_per_month == tuple((m, {3: 12.0, 4: 2.0, 5: 3.0, 6: 1.5}.get(m, 0.0))
                                               for m in range(1, 13))
    assert o.fault_ages == (("3 天以内", 1), ("4–7 天", 1), ("8–30 天", 1), ("30 天以上", 1))
    f = o.figures
    assert f["sites_staffed"].detail == "3 个村站点中 2 个 A、B 岗齐全；2 个乡镇中 1 个乡镇站点管理员不少于 2 人"
    assert f["managers_certified"].detail == "9 名站点管理员中 4 名持有效上岗证书（44%）"
    assert f["pre_job_coverage"].detail == "11 名在岗人员中 3 名通过岗前培训（27%）"
    assert f["training_hours"].unit == "小时"
    assert "共 18.5 学时（集中 15、自学 3.5）" in f["training_hours"].detail
    assert f["activities"].detail == "今年 3 次，35 人次参加，2 个站点开展"
    assert f["open_faults"].detail == "4 件未修复，最久 60 天，超过 30 天 1 件"
    assert f["expiring"].detail == "60 天内到期：聘任证书 1 份，上岗证书 1 份"
    assert f["evaluation_progress"].detail == "2026年度考评：4 份考评中 2 份已评完（50%）"


def test_county_per_township_in_tree_order(county: County) -> None:
    with county.db.session() as s:
        o = overview(s, unit_id=county.county, today=TODAY)
    assert [(t.unit_id, t.name) for t in o.per_township] == [(county.t1, "龙潭镇"), (county.t2, "石门乡")]
    assert _vt(o.per_township[0].figures) == T1_VALUES
    assert _vt(o.per_township[1].figures) == T2_VALUES


def test_township_scope_has_its_own_figures_and_no_split(county: County) -> None:
    with county.db.session() as s:
        o = overview(s, unit_id=county.t1, today=TODAY)
    assert (o.scope_id, o.scope_name, o.per_township) == (county.t1, "龙潭镇", ())
    assert _vt(o.figures) == T1_VALUES
    assert o.activities_per_month[0] == (1, 1) and o.activities_per_month[2] == (3, 1)
    assert o.fault_ages == (("3 天以内", 1), ("4–7 天", 1), ("8–30 天", 1), ("30 天以上", 0))
    assert o.training_hours_per_month[2:4] == ((3, 8.0), (4, 2.0))


def test_another_day_moves_the_figures(county: County) -> None:
    """On 2026-07-06 a2's certificate is in force, tec1's appointment ends within 60 days, faults are older."""
    with county.db.session() as s:
        o = overview(s, today=D(2026, 7, 6))
    assert o.figures["managers_certified"].value == 5
    assert o.fault_ages == (("3 天以内", 0), ("4–7 天", 1), ("8–30 天", 2), ("30 天以上", 1))
    assert o.figures["expiring"].value == 3  # a1's (+24 days), tut1's (+54) and now tec1's (+55)
    with county.db.session() as s:
        nothing = overview(s, today=D(2027, 6, 30))
    assert nothing.figures["evaluation_progress"].detail == "今年尚未开始年度考评"
    assert nothing.figures["training_hours"].value == 0
    assert nothing.figures["activities"].value == 0


def _rows(county: County, key: str, unit_id: str | None = None) -> tuple[str, tuple[tuple[str, ...], ...]]:
    with county.db.session() as s:
        b = behind(s, key, unit_id=unit_id, today=TODAY)
    assert all(len(r) == len(b.headers) for r in b.rows)
    return b.page, b.rows


def test_behind_sites(county: County) -> None:
    assert _rows(county, "sites_staffed") == ("sites", (
        ("石门乡", "乡镇站点", "乡镇站点管理员 1 人，至少应有 2 人", "R2"),
        ("龙潭镇 / 胡家村", "行政村站点", "B岗空缺", "R3"),
    ))
    assert _rows(county, "sites_staffed", county.t2)[1] == (("石门乡", "乡镇站点", "乡镇站点管理员 1 人，至少应有 2 人", "R2"),)


def test_behind_certificates(county: County) -> None:
    page, rows = _rows(county, "managers_certified")
    assert page == "certificates"
    by_name = {r[0]: r for r in rows}
    assert set(by_name) == {"王二", "李二", "李三", "赵一", "孙一"}
    assert by_name["王二"][1:] == ("龙潭镇", "乡镇站点管理员", "NO0002 已吊销")
    assert by_name["李二"][1:] == ("龙潭镇 / 杨家村", "村站点管理员 B岗", "NO0004 已过期")
    assert by_name["李三"][3] == "NO0005 2026-07-05 起有效"
    assert by_name["赵一"][3] == by_name["孙一"][3] == "无上岗证书"


def test_behind_pre_job(county: County) -> None:
    page, rows = _rows(county, "pre_job_coverage")
    assert page == "training"
    state = {r[0]: r[3] for r in rows}
    assert len(rows) == 8
    assert state["李二"] == "岗前培训考核未通过"
    assert state["孙一"] == "岗前培训未考核"
    assert state["吴一"] == state["王二"] == "未参加岗前培训"
    assert "王一" not in state and "冯一" not in state


def test_behind_training_hours(county: County) -> None:
    page, rows = _rows(county, "training_hours")
    assert page == "training"
    assert len(rows) == 11
    assert rows[0] == ("王一", "龙潭镇", "乡镇站点管理员", "7", "2", "9")
    assert rows[1] == ("周一", "石门乡 / 水口村", "村站点管理员 A岗", "4", "1.5", "5.5")
    assert rows[2][0] == "李一" and rows[2][5] == "4"
    assert all(r[5] == "0" for r in rows[3:])


def test_behind_activities_faults_expiring_evaluation(county: County) -> None:
    page, rows = _rows(county, "activities")
    assert page == "activities"
    assert [(r[0], r[1], r[4]) for r in rows] == [("2026-03-15", "石门乡 / 水口村", "5"),
                                                 ("2026-03-01", "龙潭镇 / 杨家村", "10"),
                                                 ("2026-01-05", "龙潭镇 / 杨家村", "20")]
    page, rows = _rows(county, "open_faults")
    assert page == "activities"
    assert [(r[2], r[4]) for r in rows] == [("故障f3", "60"), ("故障f5", "10"), ("故障f2", "5"), ("故障f1", "0")]
    assert [r[2] for r in _rows(county, "open_faults", county.t2)[1]] == ["故障f3"]
    page, rows = _rows(county, "expiring")
    assert page == "certificates"
    assert [(r[0], r[3], r[5], r[6]) for r in rows] == [("李一", "上岗证书", "2026-07-30", "30"),
                                                       ("钱一", "聘任证书", "2026-08-29", "60")]
    page, rows = _rows(county, "evaluation_progress")
    assert page == "evaluation"
    assert [(r[0], r[1]) for r in rows] == [("周一", "石门乡 / 水口村"), ("李二", "龙潭镇 / 杨家村")]


def test_behind_every_key_and_refusals(county: County) -> None:
    with county.db.session() as s:
        for key in FIGURE_KEYS:
            b = behind(s, key, unit_id=county.t1, today=TODAY)
            assert b.title.startswith("龙潭镇 · ")
        with pytest.raises(ValidationError):
            behind(s, "nonsense", today=TODAY)
        with pytest.raises(ValidationError):
            overview(s, unit_id="no-such-unit", today=TODAY)


def test_township_office_on_an_empty_database(db: Database, township_id: str) -> None:
    """A township office sees its own township by default; nothing yet means zeros, not errors."""
    with db.session() as s:
        o = overview(s, today=TODAY)
        assert (o.scope_id, o.scope_name, o.per_township) == (township_id, "龙潭镇", ())
        assert _vt(o.figures) == {
            "sites_staffed": (0, 0), "managers_certified": (0, 0), "pre_job_coverage": (0, 0),
            "training_hours": (0, None), "activities": (0, None), "open_faults": (0, None), "expiring": (0, None),
            "evaluation_progress": (0, 0)}
        assert o.figures["managers_certified"].detail == "0 名站点管理员中 0 名持有效上岗证书（—）"
        assert o.fault_ages == (("3 天以内", 0), ("4–7 天", 0), ("8–30 天", 0), ("30 天以上", 0))
        assert behind(s, "sites_staffed", today=TODAY).rows == (
            ("龙潭镇", "乡镇站点", "乡镇站点管理员 0 人，至少应有 2 人", "R2"),)
        assert all(behind(s, key, today=TODAY).rows == () for key in FIGURE_KEYS[1:])
