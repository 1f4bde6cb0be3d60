"""Award campaigns (R14): one per year and kind, nominations seeded from the evaluation ranking with the
eligibility checks (valid certificate at year end — R11 —, no 不合格 grade, not unfit, still in post), the
quota on approvals, closing writes each award into the archive (R10) and refuses every later change.

The evaluation of 2025 is written straight into the Evaluation table (as the scoring service leaves it):
totals, grades, ranks and unfit flags, so these tests do not depend on the scoring rules.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import (
    Award,
    Certificate,
    Evaluation,
    EvaluationRound,
    Nomination,
    Rubric,
)
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import award_export, awards, people, person_views, posts, units
from remoteedu_desktop.services.progress import run_to_end

YEAR = 2025
YEAR_END = dt.date(YEAR, 12, 31)
TODAY = dt.date(2026, 6, 30)
ON = dt.date(2026, 1, 20)
DOC = "青远教字〔2026〕1号"
_numbers = itertools.count(1)


@dataclass
class World:
    township_id: str
    villages: dict[str, str]  #: name → site id
    ids: dict[str, str]  #: short name → person id
    round_id: str
    rubrics: dict[str, str]  #: target → rubric id


def certificate(s: Session, person_id: str, kind: str = "on_duty", *, issued: dt.date = dt.date(2024, 6, 1),
                until: dt.date | None = dt.date(2027, 5, 31), status: str = "valid",
                changed: dt.date | None = None) -> None:
    s.add(Certificate(kind=kind, number=f"3604992024{next(_numbers):04d}", person_id=person_id, issue_date=issued,
                      valid_until=until, status=status, status_changed_on=changed))
    s.flush()


def evaluate(s: Session, w: World, target: str, total: float, *, person: str | None = None, site: str | None = None,
             grade: str = "pass", rank: int | None = None, unfit: bool = False) -> None:
    s.add(Evaluation(round_id=w.round_id, rubric_id=w.rubrics[target],
                     person_id=w.ids[person] if person else None, site_id=w.villages[site] if site else None,
                     unit_id=w.township_id, total=total, grade=grade, rank_county=rank, unfit=unfit))
    s.flush()


def build(db: Database, township_id: str, new_person: Callable[..., people.PersonInfo]) -> World:
    with db.session() as s:
        villages = {}
        for n, name in enumerate(("杨家村", "李家村", "王家村", "赵家村"), start=201):
            villages[name] = units.add_unit(s, kind="village", name=name, parent_id=township_id,
                                            code=f"360499100{n}").id
        ids = {key: new_person(s, name).id for key, name in (
            ("best", "王喆"), ("second", "李四"), ("third", "赵六"), ("fourth", "钱七"), ("nocert", "孙八"),
            ("fail", "周九"), ("unfit", "吴十"), ("gone", "郑一"), ("township", "冯二"), ("tutor", "陈玥"),
            ("tech", "褚三"), ("expired", "卫四"))}
        start = dt.date(2024, 3, 1)

        def post(key: str, unit: str, role: str, slot: str | None = None) -> str:
            return posts.assign_post(s, person_id=ids[key], unit_id=unit, role=role, slot=slot, start_date=start,
                                     today=TODAY).id

        post("best", villages["杨家村"], "village_manager", "A")
        post("second", villages["杨家村"], "village_manager", "B")
        post("third", villages["李家村"], "village_manager", "A")
        post("fourth", villages["李家村"], "village_manager", "B")
        post("nocert", villages["王家村"], "village_manager", "A")
        post("fail", villages["王家村"], "village_manager", "B")
        post("unfit", villages["赵家村"], "village_manager", "A")
        post("expired", villages["赵家村"], "village_manager", "B")
        gone = post("gone", township_id, "township_tutor")
        post("township", township_id, "township_manager")
        post("tutor", township_id, "township_tutor")
        post("tech", township_id, "technician")
        posts.end_post(s, gone, end_date=dt.date(2026, 3, 31), reason="工作调动", today=TODAY)
        for key in ("best", "second", "third", "fourth", "fail", "unfit", "township"):
            certificate(s, ids[key])
        certificate(s, ids["expired"], until=dt.date(2025, 10, 31))
        for key in ("tutor", "tech", "gone"):
            certificate(s, ids[key], "appointment")
        rnd = EvaluationRound(year=YEAR, name=f"{YEAR}年度考评", grade_scale="standard", status="closed")
        s.add(rnd)
        s.flush()
        rubrics = {}
        for target in ("site_manager", "township_manager", "tutor", "technician", "site"):
            rubric = Rubric(round_id=rnd.id, target=target, name=target, version=1)
            s.add(rubric)
            s.flush()
            rubrics[target] = rubric.id
        w = World(township_id, villages, ids, rnd.id, rubrics)
        evaluate(s, w, "site_manager", 95.0, person="best", grade="excellent", rank=1)
        evaluate(s, w, "site_manager", 88.0, person="third", grade="pass", rank=3)
        evaluate(s, w, "site_manager", 91.5, person="second", grade="excellent", rank=2)
        evaluate(s, w, "site_manager", 80.0, person="fourth", grade="pass", rank=5)
        evaluate(s, w, "site_manager", 90.0, person="nocert", grade="pass", rank=4)
        evaluate(s, w, "site_manager", 55.0, person="fail", grade="fail", rank=8, unfit=True)
        evaluate(s, w, "site_manager", 78.0, person="unfit", grade="pass", rank=6, unfit=True)
        evaluate(s, w, "site_manager", 77.0, person="expired", grade="pass", rank=7)
        evaluate(s, w, "township_manager", 89.0, person="township", grade="pass", rank=1)
        evaluate(s, w, "tutor", 93.0, person="gone", grade="excellent", rank=1)
        evaluate(s, w, "tutor", 86.0, person="tutor", grade="pass", rank=2)
        evaluate(s, w, "technician", 84.0, person="tech", grade="pass", rank=1)
        evaluate(s, w, "site", 96.0, site="杨家村", grade="excellent", rank=1)
        evaluate(s, w, "site", 92.0, site="王家村", grade="excellent", rank=2)
        evaluate(s, w, "site", 70.0, site="赵家村", grade="basic", rank=3)
        return w


@pytest.fixture
def world(db: Database, township_id: str, new_person: Callable[..., people.PersonInfo]) -> World:
    return build(db, township_id, new_person)


def refusal(exc: pytest.ExceptionInfo[ValidationError], says: str) -> str:
    assert says in exc.value.message, exc.value.message
    return exc.value.text()


def by_name(rows: list[awards.NominationRow]) -> dict[str, awards.NominationRow]:
    return {r.name: r for r in rows}


# --- campaigns ------------------------------------------------------------------------------------

def test_one_campaign_per_year_and_kind(db: Database, world: World, state: Callable[[], dict[str, int]]) -> None:
    """R14: a campaign per year and award kind; the default name says both."""
    with db.session() as s:
        info = awards.open_campaign(s, YEAR, "excellent_manager", quota=2)
        awards.open_campaign(s, YEAR, "excellent_tutor")
        awards.open_campaign(s, YEAR + 1, "excellent_manager", name="2026年度评优")
    assert info.name == "2025年度优秀站点管理员评选"
    assert (info.kind_label, info.quota, info.status, info.status_label) == ("优秀站点管理员", 2, "open", "评选中")
    before = state()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        awards.open_campaign(s, YEAR, "excellent_manager")
    assert "规则 R14" in refusal(exc, "2025年度已有“优秀站点管理员”评选")
    for kind, quota, says in (("best_clerk", None, "不是有效的奖项代码"), ("excellent_tutor", 0, "名额应为 1 到")):
        with db.session() as s, pytest.raises(ValidationError) as exc:
            awards.open_campaign(s, YEAR + 2, kind, quota=quota)
        refusal(exc, says)
    assert state() == before
    with db.session() as s:
        listed = awards.campaigns(s)
        assert [(c.year, c.kind) for c in listed] == [(2026, "excellent_manager"), (2025, "excellent_manager"),
                                                      (2025, "excellent_tutor")]
        assert [c.name for c in awards.campaigns(s, YEAR + 1)] == ["2026年度评优"]


# --- seeding and eligibility ------------------------------------------------------------------------

def test_seeding_follows_the_ranking_up_to_twice_the_quota(db: Database, world: World) -> None:
    """R14: nominees in ranking order (village and township managers together for the manager award), 2 × quota."""
    with db.session() as s:
        c = awards.open_campaign(s, YEAR, "excellent_manager", quota=3)
        new = awards.seed_from_ranking(s, c.id, today=TODAY)
        assert [r.name for r in new] == ["王喆", "李四", "孙八", "冯二", "赵六", "钱七"]
        assert all(r.source == "ranking" and r.status == "proposed" for r in new)
        again = awards.seed_from_ranking(s, c.id, today=TODAY)  # nobody twice
        assert again == []
        rows = awards.nominations(s, c.id)
        assert [r.name for r in rows] == ["王喆", "李四", "孙八", "冯二", "赵六", "钱七"]
        best = rows[0]
        assert (best.total, best.grade_label, best.rank_county, best.post) == (95.0, "优秀", 1, "村站点管理员")
        assert best.unit == "龙潭镇杨家村站点" and best.township == "龙潭镇"
        assert best.eligible and best.note == "2025年度考评 95 分（优秀），全县第 1 名；2025年末持有效上岗证书"
        township = by_name(rows)["冯二"]
        assert township.post == "乡镇站点管理员" and township.eligible


def test_without_a_quota_everyone_graded_excellent_is_seeded(db: Database, world: World) -> None:
    with db.session() as s:
        c = awards.open_campaign(s, YEAR, "excellent_manager")
        assert [r.name for r in awards.seed_from_ranking(s, c.id, today=TODAY)] == ["王喆", "李四"]
        technicians = awards.open_campaign(s, YEAR, "excellent_technician")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        awards.seed_from_ranking(s, technicians.id, today=TODAY)  # nobody graded 优秀
    refusal(exc, "2025年度考评没有评为优秀的对象；请为“2025年度优秀技术服务员评选”设定名额")


def test_ineligible_nominees_are_listed_with_the_reason(db: Database, world: World) -> None:
    """R11/R14: no valid on-duty certificate at year end, 不合格, unfit, or no longer in post: listed, marked."""
    with db.session() as s:
        c = awards.open_campaign(s, YEAR, "excellent_manager", quota=10)
        rows = by_name(awards.seed_from_ranking(s, c.id, today=TODAY))
    assert len(rows) == 9
    assert not rows["孙八"].eligible
    assert rows["孙八"].note == "不符合条件：2025年末无有效上岗证书"
    assert not rows["周九"].eligible
    assert "2025年度考评等次为不合格" in rows["周九"].note
    assert "考评中被标记为不能胜任、需调整" in rows["周九"].note
    assert rows["吴十"].note == "不符合条件：考评中被标记为不能胜任、需调整"
    assert rows["卫四"].note == "不符合条件：2025年末无有效上岗证书"  # expired on 2025-10-31
    assert all(rows[n].eligible for n in ("王喆", "李四", "赵六", "钱七", "冯二"))


def test_tutors_need_an_appointment_certificate_and_to_be_still_in_post(db: Database, world: World) -> None:
    """R11: tutors and technicians hold the appointment certificate; R14: someone who left the post is not awarded."""
    with db.session() as s:
        c = awards.open_campaign(s, YEAR, "excellent_tutor", quota=1)
        rows = awards.seed_from_ranking(s, c.id, today=TODAY)
    assert [r.name for r in rows] == ["郑一", "陈玥"]
    assert rows[0].note == "不符合条件：现已不在教学辅导员岗位"
    assert rows[1].eligible and "2025年末持有效聘任证书" in rows[1].note


def test_a_certificate_revoked_after_year_end_still_counts(db: Database, world: World) -> None:
    """R11: what matters is the certificate's state on 31 December of the year."""
    with db.session() as s:
        certificate(s, world.ids["nocert"], status="revoked", changed=dt.date(2026, 2, 1))
        assert awards.check_eligibility(s, YEAR, "excellent_manager", person_id=world.ids["nocert"],
                                        today=TODAY).eligible
        certificate(s, world.ids["tech"], status="revoked", changed=dt.date(2025, 11, 1))
    with db.session() as s:
        s.execute(Certificate.__table__.update().where(Certificate.person_id == world.ids["tech"],
                                                       Certificate.status == "valid").values(status="replaced",
                                                                                            status_changed_on=ON))
        assert awards.check_eligibility(s, YEAR, "excellent_technician", person_id=world.ids["tech"],
                                        today=TODAY).eligible
        late = awards.check_eligibility(s, YEAR, "excellent_manager", person_id=world.ids["unfit"], today=TODAY)
        assert not late.eligible


def test_an_ungraded_evaluation_is_not_enough(db: Database, world: World) -> None:
    """R14: the award rests on a finished evaluation: a total without a grade yet is not eligible."""
    with db.session() as s:
        s.execute(Evaluation.__table__.update().where(Evaluation.person_id == world.ids["best"])
                  .values(grade=None, rank_county=None))
        check = awards.check_eligibility(s, YEAR, "excellent_manager", person_id=world.ids["best"], today=TODAY)
    assert check == awards.Eligibility(False, "不符合条件：2025年度考评尚未评定等次")


def test_model_sites_need_their_managers_certified(db: Database, world: World) -> None:
    """R11/R14: a model site's managers at year end all hold a valid on-duty certificate."""
    with db.session() as s:
        c = awards.open_campaign(s, YEAR, "model_site", quota=1)
        rows = awards.seed_from_ranking(s, c.id, today=TODAY)
    assert [r.name for r in rows] == ["龙潭镇杨家村站点", "龙潭镇王家村站点"]
    assert rows[0].eligible and rows[0].post == "站点" and "站点管理员均持有效上岗证书" in rows[0].note
    assert rows[1].note == "不符合条件：站点管理员孙八2025年末无有效上岗证书"


def test_seeding_needs_the_year_evaluated(db: Database, world: World, state: Callable[[], dict[str, int]]) -> None:
    with db.session() as s:
        c = awards.open_campaign(s, YEAR + 1, "excellent_technician", quota=1)
    before = state()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        awards.seed_from_ranking(s, c.id, today=TODAY)
    refusal(exc, "2026年度没有技术服务员的考评结果")
    assert state() == before


# --- manual nominations and decisions ------------------------------------------------------------

def test_manual_nominations_get_the_same_checks(db: Database, world: World) -> None:
    with db.session() as s:
        c = awards.open_campaign(s, YEAR, "excellent_technician", quota=1)
        row = awards.add_nomination(s, c.id, person_id=world.ids["tech"], today=TODAY)
        assert (row.source, row.source_label, row.eligible) == ("manual", "人工推荐", True)
        odd = awards.add_nomination(s, c.id, person_id=world.ids["best"], today=TODAY)
        assert not odd.eligible
        assert "现已不在技术服务员岗位" in odd.note and "无2025年度考评结果" in odd.note
    for kwargs, says in (({"person_id": world.ids["tech"]}, "褚三已在“2025年度优秀技术服务员评选”的提名名单中"),
                         ({"site_id": world.villages["杨家村"]}, "只能推荐人员")):
        with db.session() as s, pytest.raises(ValidationError) as exc:
            awards.add_nomination(s, c.id, today=TODAY, **kwargs)  # type: ignore[arg-type]
        refusal(exc, says)


def test_approval_is_refused_for_the_ineligible_and_beyond_the_quota(
        db: Database, world: World, state: Callable[[], dict[str, int]]) -> None:
    """R14: an ineligible nominee cannot be approved; approved ≤ quota; a rejection frees the place."""
    with db.session() as s:
        c = awards.open_campaign(s, YEAR, "excellent_manager", quota=2)
        rows = by_name(awards.seed_from_ranking(s, c.id, today=TODAY))
        first = awards.decide(s, rows["王喆"].id, True, on=ON, note="党委会研究同意")
        assert (first.status, first.status_label, first.decided_on) == ("approved", "已批准", ON)
        assert first.note.endswith("\n审批意见：党委会研究同意") and first.eligible
        awards.decide(s, rows["李四"].id, True, on=ON, today=TODAY)
    before = state()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        awards.decide(s, rows["冯二"].id, True, on=ON, today=TODAY)
    assert "规则 R14" in refusal(exc, "名额 2 名已满（已批准 2 名），不能再批准冯二")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        awards.decide(s, rows["孙八"].id, True, on=ON, today=TODAY)
    refusal(exc, "孙八不符合条件：2025年末无有效上岗证书，不能批准")
    assert state() == before
    with db.session() as s:
        rejected = awards.decide(s, rows["李四"].id, False, on=ON, note="名额调整")
        assert (rejected.status_label, rejected.note.split("\n")[-1]) == ("未批准", "审批意见：名额调整")
        assert awards.decide(s, rows["冯二"].id, True, on=ON, today=TODAY).status == "approved"
        info = awards.campaign(s, c.id)
        assert (info.nominated, info.approved, info.awarded) == (4, 2, 0)
        with pytest.raises(ValidationError, match="名额不能少于 2"):
            awards.update_campaign(s, c.id, quota=1)


# --- closing ---------------------------------------------------------------------------------------

def _approved_campaign(db: Database, world: World) -> str:
    with db.session() as s:
        c = awards.open_campaign(s, YEAR, "excellent_manager", quota=2)
        rows = by_name(awards.seed_from_ranking(s, c.id, today=TODAY))
        awards.decide(s, rows["王喆"].id, True, on=ON, today=TODAY)
        awards.decide(s, rows["冯二"].id, True, on=ON, today=TODAY)
        awards.decide(s, rows["李四"].id, False, on=ON)
        return c.id


def test_closing_writes_the_awards_into_the_archive(db: Database, world: World) -> None:
    """R10/R14: one Award per approved nominee, titled "<year>年度<award>", with the document number."""
    cid = _approved_campaign(db, world)
    with db.session() as s:
        written = awards.close_campaign(s, cid, document_no=f"  {DOC} ", awarded_on=ON)
    assert [(a.name, a.title, a.award, a.document_no, a.awarded_on, a.unit, a.post) for a in written] == [
        ("王喆", "2025年度优秀站点管理员", "优秀站点管理员", DOC, ON, "龙潭镇杨家村站点", "村站点管理员"),
        ("冯二", "2025年度优秀站点管理员", "优秀站点管理员", DOC, ON, "龙潭镇", "乡镇站点管理员"),
    ]
    with db.session() as s:
        info = awards.campaign(s, cid)
        assert (info.status, info.status_label, info.awarded, info.closed) == ("closed", "已结束", 2, True)
        history = person_views.person_history(s, world.ids["best"])
        assert [(a.title, a.document_no) for a in history.awards] == [("2025年度优秀站点管理员", DOC)]
        assert person_views.person_history(s, world.ids["second"]).awards == []
        assert [a.name for a in awards.awards(s, person_id=world.ids["township"])] == ["冯二"]


def test_a_closed_campaign_refuses_every_change(db: Database, world: World,
                                                state: Callable[[], dict[str, int]]) -> None:
    """R14: after closing, nothing about the campaign changes."""
    cid = _approved_campaign(db, world)
    with db.session() as s:
        awards.close_campaign(s, cid, document_no=DOC, awarded_on=ON)
        nomination = next(r for r in awards.nominations(s, cid) if r.name == "孙八")
    before = state()
    attempts: list[Callable[[Session], object]] = [
        lambda s: awards.seed_from_ranking(s, cid, today=TODAY),
        lambda s: awards.add_nomination(s, cid, person_id=world.ids["tech"], today=TODAY),
        lambda s: awards.decide(s, nomination.id, True, on=ON, today=TODAY),
        lambda s: awards.decide(s, nomination.id, False, on=ON),
        lambda s: awards.close_campaign(s, cid, document_no="又一号", awarded_on=ON),
        lambda s: awards.update_campaign(s, cid, quota=5),
        lambda s: awards.withdraw(s, nomination.id),
    ]
    for attempt in attempts:
        with db.session() as s, pytest.raises(ValidationError) as exc:
            attempt(s)
        assert "规则 R14" in refusal(exc, "“2025年度优秀站点管理员评选”已结束，不能再修改")
    assert state() == before


def test_closing_needs_a_document_number_and_an_approval(db: Database, world: World,
                                                         state: Callable[[], dict[str, int]]) -> None:
    with db.session() as s:
        empty = awards.open_campaign(s, YEAR, "excellent_tutor", quota=1).id
    cid = _approved_campaign(db, world)
    before = state()
    for campaign_id, doc, on, says in ((cid, "  ", ON, "不能为空"), (cid, DOC, dt.date(2024, 12, 31), "不能早于2025年1月1日"),
                                       (empty, DOC, ON, "没有已批准的提名，不能结束")):
        with db.session() as s, pytest.raises(ValidationError) as exc:
            awards.close_campaign(s, campaign_id, document_no=doc, awarded_on=on)
        refusal(exc, says)
    assert state() == before
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Award)) == 0
        assert s.scalar(select(func.count()).select_from(Nomination).where(Nomination.status == "approved")) == 2


# --- printing data and the export ------------------------------------------------------------------

def test_certificates_and_list_follow_the_approvals(db: Database, world: World) -> None:
    cid = _approved_campaign(db, world)
    with db.session() as s:
        draft = awards.award_list(s, cid)
        assert not draft.final and draft.document_no == "" and [r.name for r in draft.rows] == ["王喆", "冯二"]
        awards.close_campaign(s, cid, document_no=DOC, awarded_on=ON)
        sheets = awards.honour_certificates(s, cid)
        final = awards.award_list(s, cid)
        pdf = run_to_end(awards.honour_certificates_pdf(s, cid))
    assert [(c.name, c.addressee, c.date, c.is_site) for c in sheets] == [
        ("王喆", "王喆 同志：", ON, False), ("冯二", "冯二 同志：", ON, False)]
    assert sheets[0].citation == ("在2025年度农村党员干部现代远程教育工作中成绩突出，被评为优秀站点管理员。"
                                  "特发此证，以资鼓励。")
    assert sheets[0].issuer == "龙潭镇"  # the certificate settings' issuer: this office by default
    assert final.final and final.document_no == DOC and final.title == "2025年度优秀站点管理员表彰名单"
    assert [(r.name, r.unit, r.post, r.award) for r in final.rows][1] == ("冯二", "龙潭镇", "乡镇站点管理员",
                                                                          "优秀站点管理员")
    assert pdf.startswith(b"%PDF-")


def test_export_writes_the_list_and_the_nominations(db: Database, world: World, tmp_path: Path) -> None:
    cid = _approved_campaign(db, world)
    target = tmp_path / "表彰.xlsx"
    with db.session() as s:
        awards.close_campaign(s, cid, document_no=DOC, awarded_on=ON)
        assert award_export.export_campaign(s, cid, target) == 2
    wb = load_workbook(target)
    ws = wb[award_export.LIST_SHEET]
    assert ws["A1"].value == "2025年度优秀站点管理员表彰名单"
    assert DOC in ws["A2"].value
    assert [c.value for c in ws[3]] == list(award_export.LIST_HEADER)
    assert [c.value for c in ws[4]] == [1, "王喆", "龙潭镇杨家村站点", "村站点管理员", "优秀站点管理员"]
    assert ws.max_row == 5
    wn = wb[award_export.NOMINATION_SHEET]
    rows = [[c.value for c in r] for r in wn.iter_rows(min_row=4)]
    assert len(rows) == 4
    assert rows[0][1:4] == ["王喆", "龙潭镇杨家村站点", "村站点管理员"]
    assert rows[0][5:9] == [95, "优秀", 1, "符合"] and rows[0][10] == "已批准"
    sun = next(r for r in rows if r[1] == "孙八")
    assert sun[8] == "不符合" and sun[9] == "不符合条件：2025年末无有效上岗证书" and sun[10] == "待审批"


def test_export_refuses_a_file_it_cannot_write(db: Database, world: World, tmp_path: Path) -> None:
    cid = _approved_campaign(db, world)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        award_export.export_campaign(s, cid, blocker / "out.xlsx")
    refusal(exc, "无法写入")
