"""The seven reports (issue 8 item 2) on a small fixed database, row by row against values worked out by hand.

The world (today 2026-06-30; office 龙潭镇 of 青山县):

    units    龙潭镇 → 杨家村 (village …201), 李家村 (village …202), 龙潭镇站 (township station …203)
    posts    王芳 杨家村 A (phone 13812345678), 李强 杨家村 B, 陈静 李家村 A, 周平 李家村 B ended 2025-12-31,
             赵敏 township manager at 龙潭镇, 孙老师 township tutor serving 杨家村 + 李家村,
             钱工 technician at 龙潭镇 serving 杨家村
    training 2026 P1 county, topics 1+2, sessions 3 h + 2 h: 王芳 both + 2 h self-study, passed;
                                                          李强 first only, failed
             2026 P2 township, topic 2, session 4 h: 陈静 present + 1 h self-study, not assessed
             2025 P0 (another year: left out)
    activity 2026 杨家村 专家讲座 30 p 2 h, 20 p 1.5 h; 李家村 专家讲座 10 p 1 h, 网上答疑 5 p 0.5 h; 2025 one more
    faults   T1 杨家村 03-01 08:00, 钱工 10:00 (2 h), resolved 16:00 (6 h): downtime 8 h
             T2 李家村 06-29 12:00, 钱工 16:00 (4 h), open → end of 06-30: downtime 36 h
             T3 杨家村 06-30 00:00, nobody assigned → 24 h
    certs    C2 聘任 孙老师 2023-01-01 → 2025-12-31 (expired today), C1 上岗 王芳 2025-03-01, C3 聘任 钱工 2026-02-01
             revoked
    eval     2025: 王芳 92.5 优秀 #1, 陈静 70 基本称职 #2, 李强 50 不称职 #3 unfit; award 2025年度优秀站点管理员 王芳
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import (
    Activity,
    Attendance,
    Award,
    AwardCampaign,
    Certificate,
    Enrolment,
    Evaluation,
    EvaluationRound,
    OrgUnit,
    Rubric,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import faults, people, posts, served_sites, units
from remoteedu_desktop.services.faults import FaultReport
from remoteedu_desktop.services.report_export import write_report
from remoteedu_desktop.services.report_model import REPORTS, ReportTable, report

TODAY = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 6, 30, 23, 0)
START = dt.date(2024, 1, 1)


@dataclass
class World:
    township: str
    yang: str
    li: str
    station: str
    wang: str
    li_qiang: str
    chen: str
    zhou: str
    zhao: str
    sun: str
    qian: str


def _plan(s: object, title: str, year: int, level: str, topics: int) -> TrainingPlan:
    plan = TrainingPlan(title=title, year=year, organizer_level=level, target_role="village_manager",
                        target_level="village", topics=topics, kind="regular", mode="lecture", planned_hours=8.0,
                        pass_mark=60.0)
    s.add(plan)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    return plan


def _session(s: object, plan: TrainingPlan, day: dt.date, hours: float) -> TrainingSession:
    ts = TrainingSession(plan_id=plan.id, date=day, hours=hours)
    s.add(ts)  # type: ignore[attr-defined]
    s.flush()  # type: ignore[attr-defined]
    return ts


@pytest.fixture
def world(db: Database, township_id: str, new_village: Callable[..., units.UnitInfo],
          new_person: Callable[..., people.PersonInfo]) -> World:
    yang = new_village("杨家村").id
    li = new_village("李家村").id
    with db.session() as s:
        station = units.add_unit(s, kind="township_station", name="龙潭镇站", parent_id=township_id,
                                 code="360499100203").id
        wang = new_person(s, "王芳", female=True, phone="13812345678", education="21", political_status="01").id
        li_qiang = new_person(s, "李强").id
        chen = new_person(s, "陈静", female=True).id
        zhou = new_person(s, "周平").id
        zhao = new_person(s, "赵敏", female=True).id
        sun = new_person(s, "孙老师").id
        qian = new_person(s, "钱工").id
        wang_post = posts.assign_post(s, person_id=wang, unit_id=yang, role="village_manager", slot="A",
                                      start_date=START, today=TODAY).id
        posts.assign_post(s, person_id=li_qiang, unit_id=yang, role="village_manager", slot="B", start_date=START,
                          today=TODAY)
        posts.assign_post(s, person_id=chen, unit_id=li, role="village_manager", slot="A", start_date=START,
                          today=TODAY)
        zhou_post = posts.assign_post(s, person_id=zhou, unit_id=li, role="village_manager", slot="B",
                                      start_date=START, today=TODAY).id
        posts.end_post(s, zhou_post, end_date=dt.date(2025, 12, 31), reason="外出务工", today=TODAY)
        posts.assign_post(s, person_id=zhao, unit_id=township_id, role="township_manager", start_date=START,
                          today=TODAY)
        sun_post = posts.assign_post(s, person_id=sun, unit_id=township_id, role="township_tutor",
                                     start_date=START, today=TODAY).id
        qian_post = posts.assign_post(s, person_id=qian, unit_id=township_id, role="technician", start_date=START,
                                      today=TODAY).id
        served_sites.set_served_sites(s, sun_post, [yang, li])
        served_sites.set_served_sites(s, qian_post, [yang])

        # Training (R6–R8).
        p1 = _plan(s, "2026年站点管理员培训", 2026, "county", 0b11)
        s1, s2 = _session(s, p1, dt.date(2026, 3, 1), 3.0), _session(s, p1, dt.date(2026, 3, 2), 2.0)
        p2 = _plan(s, "2026年乡镇平台培训", 2026, "township", 0b10)
        s3 = _session(s, p2, dt.date(2026, 4, 1), 4.0)
        p0 = _plan(s, "2025年培训", 2025, "county", 0b1)
        s0 = _session(s, p0, dt.date(2025, 4, 1), 6.0)
        s.add_all([
            Enrolment(plan_id=p1.id, person_id=wang, self_study_hours=2.0, score=88.0, passed=True),
            Enrolment(plan_id=p1.id, person_id=li_qiang, self_study_hours=0.0, score=40.0, passed=False),
            Enrolment(plan_id=p2.id, person_id=chen, self_study_hours=1.0),
            Enrolment(plan_id=p0.id, person_id=wang, self_study_hours=5.0, passed=True),
            Attendance(session_id=s1.id, person_id=wang, present=True, hours=3.0),
            Attendance(session_id=s2.id, person_id=wang, present=True, hours=2.0),
            Attendance(session_id=s1.id, person_id=li_qiang, present=True, hours=3.0),
            Attendance(session_id=s2.id, person_id=li_qiang, present=False, hours=0.0),
            Attendance(session_id=s3.id, person_id=chen, present=True, hours=4.0),
            Attendance(session_id=s0.id, person_id=wang, present=True, hours=6.0),
        ])

        # Activities (R13).
        for site, day, channel, people_count, hours in (
                (yang, dt.date(2026, 2, 1), "expert_lecture", 30, 2.0),
                (yang, dt.date(2026, 5, 1), "expert_lecture", 20, 1.5),
                (li, dt.date(2026, 3, 1), "expert_lecture", 10, 1.0),
                (li, dt.date(2026, 3, 9), "online_qa", 5, 0.5),
                (li, dt.date(2025, 12, 31), "online_qa", 99, 9.0)):
            s.add(Activity(site_id=site, date=day, channel=channel, title="活动", participants=people_count,
                           hours=hours))

        # Certificates (R11).
        def cert(number: str, kind: str, person: str, issued: dt.date, until: dt.date | None, name: str,
                 post: str, status: str = "valid", reason: str | None = None, post_id: str | None = None) -> None:
            s.add(Certificate(kind=kind, number=number, person_id=person, post_id=post_id, issue_date=issued,
                              valid_until=until, status=status, status_reason=reason,
                              snapshot_json=json.dumps({"values": {"name": name, "unit": "龙潭镇", "post": post}})))

        cert("SG0001", "on_duty", wang, dt.date(2025, 3, 1), None, "王芳", "A岗村站点管理员", post_id=wang_post)
        cert("PR0001", "appointment", sun, dt.date(2023, 1, 1), dt.date(2025, 12, 31), "孙老师", "乡镇教学辅导员",
             post_id=sun_post)
        cert("PR0002", "appointment", qian, dt.date(2026, 2, 1), dt.date(2028, 12, 31), "钱工", "技术服务员",
             status="revoked", reason="调离", post_id=qian_post)

        # The 2025 evaluation and its award (R14).
        rnd = EvaluationRound(year=2025, name="2025年度考评", grade_scale="competent")
        s.add(rnd)
        s.flush()
        rubric = Rubric(round_id=rnd.id, target="site_manager", name="站点管理员考评细则")
        s.add(rubric)
        s.flush()
        for person, site, total, grade, rank, unfit in ((li_qiang, yang, 50.0, "fail", 3, True),
                                                         (wang, yang, 92.5, "excellent", 1, False),
                                                         (chen, li, 70.0, "basic", 2, False)):
            s.add(Evaluation(round_id=rnd.id, rubric_id=rubric.id, person_id=person, unit_id=site, total=total,
                             grade=grade, rank_county=rank, rank_township=rank, unfit=unfit))
        campaign = AwardCampaign(year=2025, kind="excellent_manager", name="2025年度优秀站点管理员评选",
                                 status="closed")
        s.add(campaign)
        s.flush()
        s.add(Award(campaign_id=campaign.id, person_id=wang, title="2025年度优秀站点管理员",
                    awarded_on=dt.date(2026, 1, 10), document_no="龙远办〔2026〕1号"))

    # Faults (R9), through the service.
    def ticket(site: str, when: str, tech: str | None = None, assigned: str | None = None,
               resolved: str | None = None) -> None:
        with db.session() as s:
            tid = faults.report_fault(s, FaultReport(site_id=site, reported_at=dt.datetime.fromisoformat(when),
                                                     reported_by="站长", description="无信号"), now=NOW).id
            if tech and assigned:
                faults.assign_fault(s, tid, technician_id=tech, assigned_at=dt.datetime.fromisoformat(assigned),
                                    now=NOW)
            if resolved:
                faults.resolve_fault(s, tid, resolved_at=dt.datetime.fromisoformat(resolved), resolution="已修复",
                                     now=NOW)

    ticket(yang, "2026-03-01 08:00", qian, "2026-03-01 10:00", "2026-03-01 16:00")
    ticket(li, "2026-06-29 12:00", qian, "2026-06-29 16:00")
    ticket(yang, "2026-06-30 00:00")
    return World(township_id, yang, li, station, wang, li_qiang, chen, zhou, zhao, sun, qian)


def build(db: Database, key: str, **kwargs: object) -> ReportTable:
    with db.session() as s:
        return report(s, key, today=TODAY, prepared_by=" 李会计 ", **kwargs)  # type: ignore[arg-type]


def check_frame(t: ReportTable, key: str) -> None:
    """What every report carries: title, office, date, prepared by, one width per column, rows as wide."""
    assert t.key == key
    assert t.office_name == "龙潭镇"
    assert t.prepared_by == "李会计"
    assert t.made_on == TODAY
    assert len(t.widths) == len(t.headers)
    assert all(len(r) == len(t.headers) for r in t.rows)
    assert t.totals is None or len(t.totals) == len(t.headers)


def test_the_registry_names_seven_reports() -> None:
    assert list(REPORTS) == ["staffing", "roster", "certificates", "training", "activities", "faults", "evaluation"]
    assert all(spec.key == key and spec.title for key, spec in REPORTS.items())
    assert [k for k, spec in REPORTS.items() if spec.needs_year] == ["training", "activities", "faults", "evaluation"]


def test_staffing_lists_each_site_with_its_posts_and_flags_the_missing_ones(db: Database, world: World) -> None:
    t = build(db, "staffing")
    check_frame(t, "staffing")
    assert t.landscape
    assert t.params == "范围：龙潭镇；截至：2026-06-30"
    assert t.rows == (
        ("龙潭镇", "杨家村", "行政村站点", "王芳", "李强", "孙老师", "钱工", ""),
        ("龙潭镇", "李家村", "行政村站点", "陈静", "", "孙老师", "", "缺B岗（R3）"),  # 周平's post ended
        ("龙潭镇", "龙潭镇站", "乡镇站点", "赵敏", "—", "", "", "管理员不足2人（现有1人，R2）"),
        ("龙潭镇 小计", "站点 3 个", "", "在岗 2 人", "在岗 1 人", "1 人", "1 人", "缺岗站点 2 个"),
    )
    assert t.totals == ("合计", "站点 3 个", "", "在岗 2 人", "在岗 1 人", "1 人", "1 人", "缺岗站点 2 个")


def test_staffing_of_one_site(db: Database, world: World) -> None:
    t = build(db, "staffing", unit_id=world.li)
    assert [r[:2] for r in t.rows] == [("龙潭镇", "李家村"), ("龙潭镇 小计", "站点 1 个")]
    assert t.params.startswith("范围：李家村")


def test_roster_by_team_with_masked_phones(db: Database, world: World) -> None:
    t = build(db, "roster")
    check_frame(t, "roster")
    names = [(r[0], r[1], r[2]) for r in t.rows]
    assert names == [("站点管理员", 1, "赵敏"), ("站点管理员", 2, "王芳"), ("站点管理员", 3, "李强"),
                     ("站点管理员", 4, "陈静"), ("教学辅导员", 1, "孙老师"), ("技术服务员", 1, "钱工")]
    wang = t.rows[1]
    assert wang[3:] == ("女", "1980.05", "大学本科毕业", "中共党员", "龙潭镇 杨家村", "A岗村站点管理员（兼职）", "2024.01",
                        "138****5678")
    assert "13812345678" not in repr(t)
    assert t.totals is not None
    assert t.totals[:2] == ("合计", 6)
    assert t.totals[7] == "站点管理员 4 人；教学辅导员 1 人；技术服务员 1 人"


def test_certificate_register_oldest_first_with_todays_status(db: Database, world: World) -> None:
    t = build(db, "certificates")
    check_frame(t, "certificates")
    assert [r[:4] for r in t.rows] == [(1, "PR0001", "聘任证书", "孙老师"), (2, "SG0001", "上岗证书", "王芳"),
                                       (3, "PR0002", "聘任证书", "钱工")]
    assert [(r[6], r[7], r[8], r[9]) for r in t.rows] == [
        (dt.date(2023, 1, 1), dt.date(2025, 12, 31), "已过期", "聘期届满"),
        (dt.date(2025, 3, 1), "长期", "有效", ""),
        (dt.date(2026, 2, 1), dt.date(2028, 12, 31), "已吊销", "调离")]
    assert t.totals == ("合计", "3 本", "上岗证书 1 本，聘任证书 2 本", "", "", "", "", "",
                        "有效 1 本，已吊销 1 本，已过期 1 本", "")
    issued_2026 = build(db, "certificates", year=2026)
    assert [r[1] for r in issued_2026.rows] == ["PR0002"]
    assert issued_2026.params.startswith("发证年度：2026年；")


def test_training_by_level_and_topic(db: Database, world: World) -> None:
    t = build(db, "training", year=2026)
    check_frame(t, "training")
    assert t.params == "年度：2026年；范围：龙潭镇"
    rows = {(r[0], r[1]): r[2:] for r in t.rows}
    # plans, sessions, participants, person-hours, passed, failed, not assessed
    assert rows[("按组织层级", "县远程办")] == (1, 2, 2, 10.0, 1, 1, 0)  # 王芳 3+2+2, 李强 3
    assert rows[("按组织层级", "乡镇")] == (1, 1, 1, 5.0, 0, 0, 1)  # 陈静 4+1
    assert rows[("按组织层级", "电信公司")] == (0, 0, 0, 0.0, 0, 0, 0)
    assert rows[("按培训内容", "（1）远程教育指导意见")] == (1, 2, 2, 10.0, 1, 1, 0)
    assert rows[("按培训内容", "（2）平台知识")] == (2, 3, 3, 15.0, 1, 1, 1)
    assert rows[("按培训内容", "（3）系统安全")] == (0, 0, 0, 0.0, 0, 0, 0)
    assert len(t.rows) == 4 + 7
    assert t.totals == ("合计", "", 2, 3, 3, 15.0, 1, 1, 1)
    assert build(db, "training", year=2025).totals == ("合计", "", 1, 1, 1, 11.0, 1, 0, 0)


def test_activities_per_township_and_channel(db: Database, world: World) -> None:
    t = build(db, "activities", year=2026)
    check_frame(t, "activities")
    assert t.rows == (("龙潭镇", "专家讲座", 3, 60, 4.5, 2), ("龙潭镇", "网上答疑", 1, 5, 0.5, 1),
                      ("龙潭镇", "小计", 4, 65, 5.0, 2))
    assert t.totals == ("合计", "", 4, 65, 5.0, 2)
    assert build(db, "activities", year=2025).totals == ("合计", "", 1, 99, 9.0, 1)
    only_yang = build(db, "activities", year=2026, unit_id=world.yang)
    assert only_yang.totals == ("合计", "", 2, 50, 3.5, 1)


def test_faults_by_technician(db: Database, world: World) -> None:
    t = build(db, "faults", year=2026)
    check_frame(t, "faults")
    # 钱工: T1 (2 h response, 6 h repair, 8 h down) and T2 (4 h, open, 36 h to the end of the report day)
    assert t.rows == ((1, "钱工", "龙潭镇", 2, 1, 1, 3.0, 6.0, 44.0),)
    assert t.totals == ("合计", "1 人", "", 3, 1, 2, 3.0, 6.0, 68.0)  # T3 unassigned: 24 h
    assert any("另有 1 张工单尚未派给技术服务员" in n for n in t.notes)


def test_evaluation_results_in_rank_order_then_the_awards(db: Database, world: World) -> None:
    t = build(db, "evaluation", year=2025)
    check_frame(t, "evaluation")
    assert t.title == "2025年度考评结果及表彰情况表"
    assert "考评轮次：2025年度考评" in t.params
    assert [(r[0], r[1], r[3], r[6], r[7], r[8]) for r in t.rows] == [
        ("站点管理员", 1, "王芳", 92.5, "优秀", ""),
        ("站点管理员", 2, "陈静", 70.0, "基本称职", ""),
        ("站点管理员", 3, "李强", 50.0, "不称职", "不胜任，建议调整（R14）"),
        ("表彰：优秀站点管理员", None, "王芳", None, "2025年度优秀站点管理员", "文号：龙远办〔2026〕1号"),
    ]
    assert t.totals is not None
    assert (t.totals[3], t.totals[5], t.totals[8]) == ("考评对象 3 个", "表彰 1 个", "不胜任 1 个")
    assert t.notes == ("站点管理员 3 人：优秀 1，基本称职 1，不称职 1",)
    li_only = build(db, "evaluation", year=2025, unit_id=world.li)
    assert [r[3] for r in li_only.rows] == ["陈静"]  # 王芳's award is 杨家村's


def test_bad_input_is_refused_in_chinese(db: Database, world: World) -> None:
    with pytest.raises(ValidationError, match="没有名为“nope”的报表"):
        build(db, "nope")
    with pytest.raises(ValidationError, match="不是有效年度"):
        build(db, "training", year=1900)
    with pytest.raises(ValidationError, match="找不到单位"):
        build(db, "staffing", unit_id="no-such-unit")
    with pytest.raises(ValidationError) as exc:
        build(db, "evaluation", year=2024)  # no round that year
    assert "2024" in exc.value.text()


def test_the_yearly_reports_default_to_this_year(db: Database, world: World) -> None:
    t = build(db, "activities")
    assert t.params.startswith("年度：2026年")


def test_reports_read_in_bulk(db: Database, world: World) -> None:
    """A handful of queries per report, whatever the number of rows (no query per site or person)."""
    from sqlalchemy import event

    with db.session() as s:
        counts: dict[str, int] = {}
        engine = s.get_bind()
        for key in ("staffing", "roster", "training", "activities"):
            n = [0]

            def count(*_args: object, n: list[int] = n) -> None:
                n[0] += 1

            event.listen(engine, "before_cursor_execute", count)
            try:
                report(s, key, year=2026 if REPORTS[key].needs_year else None, today=TODAY)
            finally:
                event.remove(engine, "before_cursor_execute", count)
            counts[key] = n[0]
        assert s.scalar(select(OrgUnit.id).where(OrgUnit.id == world.yang))
    assert all(v <= 12 for v in counts.values()), counts


def test_every_report_writes_to_pdf_and_xlsx(db: Database, world: World, tmp_path: Path) -> None:
    """Each report of the small world goes through both writers: the PDF reads back with its title and
    "prepared by" line on every page, the workbook with its title and header."""
    for key, spec in REPORTS.items():
        t = build(db, key, year=2025 if key == "evaluation" else (2026 if spec.needs_year else None))
        pdf = write_report(t, tmp_path / f"{key}.pdf")
        text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                                 check=True).stdout)
        assert t.title in text and "制表人：李会计" in text and "第1页共1页" in text, key
        ws = load_workbook(write_report(t, tmp_path / f"{key}.xlsx")).active
        assert ws["A1"].value == t.title
        assert tuple(c.value for c in ws[3]) == t.headers
