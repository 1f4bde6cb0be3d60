"""Scoring the yearly evaluation (R14) on a real database: who is evaluated, manual scores with
deductions and bonus points, grades, the top-grade quota with a tie at the cut, ranks within township and
county, the unfit flag, closed years that refuse everything, and a rubric change that asks before it
recomputes.

Two townships: 龙潭镇 with five villages (managers 一…五) and 石门乡 with two (六, 七). The site-manager
rubric is one manual item M1 (100 points, weight 100 %), a deduction D1 and a bonus B1, so that totals
are exactly what the test types in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Activity, AuditLog, Evaluation, EvaluationScore, RubricItem
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import evaluation_rounds as rounds
from remoteedu_desktop.services import evaluation_rubrics as rubrics
from remoteedu_desktop.services import evaluation_scoring as scoring
from remoteedu_desktop.services import people, posts, units
from remoteedu_desktop.services.evaluation_rubrics import ConfirmationNeeded, ItemSpec
from remoteedu_desktop.services.progress import run_to_end

TODAY = dt.date(2026, 6, 30)  #: the conftest's fixed day
YEAR = 2025
MANUAL = (ItemSpec("M1", "工作实绩", "score", 100.0, 100.0, None),
          ItemSpec("D1", "发生安全责任事故", "deduction", 10.0, 0.0, None),
          ItemSpec("B1", "受到县级以上表彰", "bonus", 5.0, 0.0, None))
NAMES = ("一", "二", "三", "四", "五", "六", "七")


@dataclass
class World:
    round_id: str
    township: str
    shimen: str
    ids: dict[str, str]  #: name → person id
    evaluation: dict[str, str]  #: name → evaluation id
    items: dict[str, str]  #: site-manager item code → item id
    rubric_id: str


def build(db: Database, township_id: str, new_person: Callable[..., people.PersonInfo],
          *, quota: float | None = None) -> World:
    with db.session() as s:
        county = units.get_unit(s, township_id).parent_id
        shimen = units.add_unit(s, kind="township", name="石门乡", parent_id=county, code="360499101").id
        villages = [units.add_unit(s, kind="village", name=f"{n}村", parent_id=township_id if k < 5 else shimen,
                                   code=f"{'360499100' if k < 5 else '360499101'}{201 + k:03d}").id
                    for k, n in enumerate(NAMES)]
        ids = {}
        for name, village in zip(NAMES, villages, strict=True):
            ids[name] = new_person(s, f"管理员{name}").id
            posts.assign_post(s, person_id=ids[name], unit_id=village, role="village_manager", slot="A",
                              start_date=dt.date(2020, 1, 1), today=TODAY)
        info = rounds.open_round(s, YEAR, top_quota_pct=quota, today=TODAY)
        rub = next(r for r in rubrics.rubrics(s, info.id) if r.target == "site_manager")
        saved = rubrics.save_rubric(s, rub.id, MANUAL)
        run_to_end(scoring.score_year(s, YEAR, today=TODAY))
        evs = {r.name.removeprefix("管理员"): r.id for r in scoring.evaluations(s, YEAR, target="site_manager")}
        return World(info.id, township_id, shimen, ids, evs, {i.code: i.id for i in saved.items}, saved.id)


@pytest.fixture
def world(db: Database, township_id: str, new_person: Callable[..., people.PersonInfo]) -> World:
    return build(db, township_id, new_person)


def enter(db: Database, w: World, **points: tuple[float | None, ...]) -> None:
    """name=(M1, D1, B1) points; None clears."""
    changes: dict[tuple[str, str], float | None] = {}
    for name, values in points.items():
        for code, value in zip(("M1", "D1", "B1"), values, strict=False):
            changes[(w.evaluation[name], w.items[code])] = value
    with db.session() as s:
        scoring.save_scores(s, changes)


def results(db: Database) -> dict[str, scoring.EvaluationRow]:
    with db.session() as s:
        return {r.name.removeprefix("管理员"): r for r in scoring.evaluations(s, YEAR, target="site_manager")}


TOTALS = {"一": (95.0, None, 3.0), "二": (95.0,), "三": (95.0,), "四": (80.0,), "五": (60.0, 10.0),
          "六": (92.0,), "七": (91.0,)}


def test_score_year_evaluates_everyone_in_post_and_every_site(db: Database, world: World,
                                                              state: Callable[[], dict[str, int]]) -> None:
    before = state()
    with db.session() as s:
        rows = scoring.evaluations(s, YEAR)
        assert sorted(r.target for r in rows) == ["site"] * 7 + ["site_manager"] * 7
        assert {r.township for r in rows} == {"龙潭镇", "石门乡"}
        info = rounds.round_for_year(s, YEAR)
        assert info is not None and info.evaluated == 14 and info.status == "open"
        # Running it again creates nothing new.
        again = run_to_end(scoring.score_year(s, YEAR, today=TODAY))
        assert again.evaluated == 14
    assert state() == before  # nothing changed, so nothing written: no change counter taken, no audit rows


def test_totals_with_deduction_and_bonus_grades_and_ranks(db: Database, world: World) -> None:
    """R14: 一 95 + 3 bonus = 98; 五 60 − 10 = 50 不合格 and flagged; ranks 1, 2, 2, 4 in the township."""
    enter(db, world, **TOTALS)
    r = results(db)
    assert {n: r[n].total for n in NAMES} == {"一": 98.0, "二": 95.0, "三": 95.0, "四": 80.0, "五": 50.0,
                                              "六": 92.0, "七": 91.0}
    assert {n: r[n].grade for n in NAMES} == {"一": "excellent", "二": "excellent", "三": "excellent",
                                              "四": "pass", "五": "fail", "六": "excellent", "七": "excellent"}
    assert r["四"].grade_label == "合格" and r["五"].grade_label == "不合格"
    assert all(r[n].complete for n in NAMES)
    assert {n: r[n].rank_township for n in NAMES} == {"一": 1, "二": 2, "三": 2, "四": 4, "五": 5, "六": 1, "七": 2}
    assert {n: r[n].rank_county for n in NAMES} == {"一": 1, "二": 2, "三": 2, "四": 6, "五": 7, "六": 4, "七": 5}
    assert [n for n in NAMES if r[n].unfit] == ["五"]  # R14: flagged for adjustment
    # Sorted by county rank.
    order = [row.name for row in results(db).values()]
    assert order[0] == "管理员一" and set(order[1:3]) == {"管理员二", "管理员三"} and order[-1] == "管理员五"


def test_quota_per_township_with_a_tie_at_the_cut(db: Database, world: World) -> None:
    """R14: 40 % of 5 = 2 places in 龙潭镇; 二 and 三 tie for 2nd → both 合格; 石门乡 floor(0.8) → 1 place."""
    enter(db, world, **TOTALS)
    with db.session() as s:
        info = rounds.update_round(s, world.round_id, top_quota_pct=40.0)
        assert info.top_quota_pct == 40.0
    r = results(db)
    assert {n: r[n].grade for n in NAMES} == {"一": "excellent", "二": "pass", "三": "pass", "四": "pass",
                                              "五": "fail", "六": "excellent", "七": "pass"}
    assert r["七"].rank_township == 2  # the quota changes grades, not ranks
    with db.session() as s:
        rounds.update_round(s, world.round_id, top_quota_pct=None, grade_scale="competent")
    r = results(db)
    assert r["二"].grade == "excellent" and r["四"].grade_label == "称职" and r["五"].grade_label == "不称职"


def test_thresholds_regrade_the_round(db: Database, world: World) -> None:
    enter(db, world, **TOTALS)
    with db.session() as s:
        rounds.update_round(s, world.round_id, thresholds={"excellent": 96, "pass": 85, "basic": 70})
    r = results(db)
    assert [r[n].grade for n in NAMES] == ["excellent", "pass", "pass", "basic", "fail", "pass", "pass"]


def test_unfit_set_by_hand_stays_and_clears_when_a_fail_is_corrected(db: Database, world: World) -> None:
    enter(db, world, **TOTALS)
    with db.session() as s:
        scoring.set_unfit(s, world.evaluation["四"], True)
    enter(db, world, 七=(90.0,))  # any recompute
    r = results(db)
    assert r["四"].unfit and r["五"].unfit
    enter(db, world, 五=(70.0, None))  # 70, deduction removed: 基本合格
    r = results(db)
    assert r["五"].grade == "basic" and not r["五"].unfit
    assert r["四"].unfit


def test_incomplete_evaluations_get_no_grade_nor_rank(db: Database, world: World) -> None:
    enter(db, world, 一=(None, 5.0))  # only a deduction: the manual score item is missing
    r = results(db)
    assert r["一"].total == 0.0 and not r["一"].complete and r["一"].grade is None and r["一"].rank_county is None
    assert r["二"].total is None and r["二"].grade_label == ""


def test_save_scores_refuses_out_of_range_and_automatic_items_naming_who_and_what(
        db: Database, world: World, state: Callable[[], dict[str, int]]) -> None:
    before = state()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        scoring.save_scores(s, {(world.evaluation["一"], world.items["M1"]): 90.0,
                                (world.evaluation["二"], world.items["B1"]): 6.0})
    assert exc.value.field == "得分" and exc.value.rule == "R14"
    assert "管理员二（二村）的“B1 受到县级以上表彰”：6 分超出 0–5 分" in exc.value.message
    with db.session() as s, pytest.raises(ValidationError, match="不是数字"):
        scoring.save_scores(s, {(world.evaluation["一"], world.items["M1"]): float("nan")})
    with db.session() as s, pytest.raises(ValidationError, match="超出"):
        scoring.save_scores(s, {(world.evaluation["一"], world.items["D1"]): -1.0})
    with db.session() as s:
        site = next(r for r in scoring.evaluations(s, YEAR, target="site"))
        items, _rows = scoring.score_grid(s, world.round_id, "site")
        auto = next(i for i in items if i.automatic)
        with pytest.raises(ValidationError, match="由数据自动计算，不能手工录入"):
            scoring.save_scores(s, {(site.id, auto.id): 1.0})
        with pytest.raises(ValidationError, match="考评细则中没有该项目"):
            scoring.save_scores(s, {(site.id, world.items["M1"]): 1.0})
    assert state() == before


def test_score_grid_shows_items_points_and_automatic_flags(db: Database, world: World) -> None:
    enter(db, world, 一=(95.0, None, 3.0))
    with db.session() as s:
        items, rows = scoring.score_grid(s, world.round_id, "site_manager", unit_id=world.township)
        assert [i.code for i in items] == ["M1", "D1", "B1"] and not any(i.automatic for i in items)
        assert [r.name for r in rows] == [f"管理员{n}" for n in "一二三四五"]  # 龙潭镇 only
        first = rows[0]
        assert first.points == {world.items["M1"]: 95.0, world.items["D1"]: None, world.items["B1"]: 3.0}
        assert first.total == 98.0 and first.grade_label == "优秀"
        site_items, site_rows = scoring.score_grid(s, world.round_id, "site")
        assert any(i.automatic for i in site_items) and len(site_rows) == 7
        assert all(site_rows[0].automatic[i.id] == i.automatic for i in site_items)


def test_clearing_a_score_tombstones_it_and_entering_again_revives_it(db: Database, world: World) -> None:
    enter(db, world, 一=(95.0,))
    enter(db, world, 一=(None,))
    with db.session() as s:
        rows = s.execute(select(EvaluationScore.points, EvaluationScore.deleted)
                         .where(EvaluationScore.evaluation_id == world.evaluation["一"])).tuples().all()
        assert rows == [(95.0, True)]
    assert results(db)["一"].total is None
    enter(db, world, 一=(88.0,))
    assert results(db)["一"].total == 88.0


def test_set_texts(db: Database, world: World) -> None:
    with db.session() as s:
        scoring.set_texts(s, world.evaluation["一"], self_summary="  全年组织学习12次。 ", opinion="同意")
        scoring.set_texts(s, world.evaluation["一"], opinion="")
    with db.session() as s:
        ev = s.get(Evaluation, world.evaluation["一"])
        assert ev is not None and ev.self_summary == "全年组织学习12次。" and ev.opinion is None
        with pytest.raises(ValidationError, match="最多 5000 个字"):
            scoring.set_texts(s, ev.id, opinion="字" * 5001)


def test_closed_year_refuses_every_recomputation(db: Database, world: World,
                                                 state: Callable[[], dict[str, int]]) -> None:
    """R14: a closed year is never recomputed: scoring, scores, rubrics, settings and flags refuse."""
    enter(db, world, **TOTALS)
    with db.session() as s:
        rounds.close_round(s, world.round_id)
    before = state()
    attempts: list[Callable[..., object]] = [
        lambda s: run_to_end(scoring.score_year(s, YEAR, today=TODAY)),
        lambda s: scoring.save_scores(s, {(world.evaluation["一"], world.items["M1"]): 10.0}),
        lambda s: rubrics.save_rubric(s, world.rubric_id, MANUAL[:1], confirmed=True),
        lambda s: rounds.update_round(s, world.round_id, top_quota_pct=10.0),
        lambda s: scoring.set_unfit(s, world.evaluation["一"], True),
        lambda s: scoring.recompute_round(s, world.round_id),
    ]
    for attempt in attempts:
        with db.session() as s, pytest.raises(ValidationError) as exc:
            attempt(s)
        assert "2025年度考评已关闭" in exc.value.message
    with db.session() as s, pytest.raises(ValidationError, match="2025年度考评已关闭，不重新计算"):
        scoring.score_year(s, YEAR, today=TODAY)  # refused at once, before the first step
    assert state() == before
    assert results(db)["一"].total == 98.0


def test_rubric_change_asks_then_recomputes(db: Database, world: World,
                                             state: Callable[[], dict[str, int]]) -> None:
    """R14: changing a rubric after scores exist asks first (nothing written), then recomputes."""
    enter(db, world, **TOTALS)
    changed = (ItemSpec("M1", "工作实绩", "score", 100.0, 60.0, None),
               ItemSpec("M2", "群众满意度", "score", 20.0, 40.0, None)) + MANUAL[1:]
    before = state()
    with db.session() as s, pytest.raises(ConfirmationNeeded) as exc:
        rubrics.save_rubric(s, world.rubric_id, changed)
    assert exc.value.affected == 7 and "7 份考评" in exc.value.message
    assert state() == before
    with db.session() as s:
        # Saving the same items again is no change: no question, no new version.
        assert rubrics.save_rubric(s, world.rubric_id, MANUAL).version == 2
        saved = rubrics.save_rubric(s, world.rubric_id, changed, confirmed=True)
        assert saved.version == 3 and [i.code for i in saved.items] == ["M1", "M2", "D1", "B1"]
        m2 = saved.items[1].id
    r = results(db)
    assert r["一"].total == 60.0 and not r["一"].complete and r["一"].grade is None  # 95 × 60 % + 3
    enter(db, world, 一=(95.0,))
    with db.session() as s:
        scoring.save_scores(s, {(world.evaluation["一"], m2): 20.0})
    r = results(db)
    assert r["一"].total == 100.0 and r["一"].complete and r["一"].grade == "excellent"


def test_rubric_change_rescales_manual_points_and_drops_removed_items(db: Database, world: World) -> None:
    enter(db, world, 一=(95.0, 2.0, 3.0))
    halved = (ItemSpec("M1", "工作实绩", "score", 50.0, 100.0, None), MANUAL[2])  # D1 removed, M1 max 100 → 50
    with db.session() as s:
        rubrics.save_rubric(s, world.rubric_id, halved, confirmed=True)
    r = results(db)
    assert r["一"].total == 98.0  # 47.5 of 50 is still 95 %, plus the bonus; the deduction has gone
    with db.session() as s:
        points = dict(s.execute(select(EvaluationScore.item_id, EvaluationScore.points)
                                .where(EvaluationScore.evaluation_id == world.evaluation["一"],
                                       EvaluationScore.deleted.is_(False))).tuples().all())
        assert points == {world.items["M1"]: 47.5, world.items["B1"]: 3.0}
        with pytest.raises(ValidationError, match="权重合计应为 100%"):
            rubrics.save_rubric(s, world.rubric_id, (ItemSpec("M1", "工作实绩", "score", 50.0, 90.0, None),),
                                confirmed=True)


def test_unit_scope_creates_only_that_subtree(db: Database, township_id: str,
                                              new_person: Callable[..., people.PersonInfo]) -> None:
    with db.session() as s:
        county = units.get_unit(s, township_id).parent_id
        shimen = units.add_unit(s, kind="township", name="石门乡", parent_id=county, code="360499101").id
        here = units.add_unit(s, kind="village", name="本村", parent_id=township_id, code="360499100201").id
        there = units.add_unit(s, kind="village", name="彼村", parent_id=shimen, code="360499101201").id
        for name, unit in (("甲", here), ("乙", there)):
            pid = new_person(s, name).id
            posts.assign_post(s, person_id=pid, unit_id=unit, role="village_manager", slot="A",
                              start_date=dt.date(2024, 1, 1), today=TODAY)
        summary = run_to_end(scoring.score_year(s, YEAR, unit_id=shimen, today=TODAY))
        assert summary.evaluated == 2
        assert {r.name for r in scoring.evaluations(s, YEAR)} == {"乙", "彼村"}
        assert {r.name for r in scoring.evaluations(s, YEAR, unit_id=township_id)} == set()


def test_a_person_with_several_roles_is_evaluated_once_as_the_first_target(
        db: Database, township_id: str, new_person: Callable[..., people.PersonInfo]) -> None:
    """One evaluation per person and round: a village manager who is also a tutor is a site manager."""
    with db.session() as s:
        village = units.add_unit(s, kind="village", name="本村", parent_id=township_id, code="360499100201").id
        pid = new_person(s, "双岗").id
        posts.assign_post(s, person_id=pid, unit_id=village, role="village_manager", slot="A",
                          start_date=dt.date(2024, 1, 1), today=TODAY)
        posts.assign_post(s, person_id=pid, unit_id=township_id, role="township_tutor",
                          start_date=dt.date(2024, 1, 1), today=TODAY)
        old = new_person(s, "已离任").id
        gone = posts.assign_post(s, person_id=old, unit_id=township_id, role="technician",
                                 start_date=dt.date(2020, 1, 1), today=TODAY)
        posts.end_post(s, gone.id, end_date=dt.date(2025, 3, 31), reason="调离", today=TODAY)
        run_to_end(scoring.score_year(s, YEAR, today=TODAY))
        rows = {r.name: r for r in scoring.evaluations(s, YEAR)}
        assert rows["双岗"].target == "site_manager" and rows["双岗"].unit == "本村"
        assert rows["已离任"].target == "technician" and rows["已离任"].post == "技术服务员"  # served in 2025
        assert rows["已离任"].township == "龙潭镇"


def test_score_year_refuses_a_year_not_begun(db: Database, office: object) -> None:
    with db.session() as s, pytest.raises(ValidationError, match="2027年度尚未开始"):
        scoring.score_year(s, 2027, today=TODAY)


def test_evaluation_texts_reads_what_set_texts_stored(db: Database, world: World) -> None:
    """The form's texts of one evaluation (R14): none at first, then what was set; unknown id refused."""
    eid = world.evaluation["一"]
    with db.session() as s:
        assert scoring.evaluation_texts(s, eid) == (None, None)
        scoring.set_texts(s, eid, self_summary="全年组织学习12次。", opinion="同意")
    with db.session() as s:
        assert scoring.evaluation_texts(s, eid) == ("全年组织学习12次。", "同意")
        assert scoring.evaluation_texts(s, world.evaluation["二"]) == (None, None)
        with pytest.raises(ValidationError, match="找不到该考评记录"):
            scoring.evaluation_texts(s, "no-such-evaluation")


def test_names_in_the_grid_and_the_list_go_by_pinyin(db: Database, township_id: str,
                                                    new_person: Callable[..., people.PersonInfo]) -> None:
    """张三 and 李四 manage the same village: by code point 张 (U+5F20) comes first, by pinyin 李 (li)
    before 张 (zhang) — the grid and the (unranked) list follow pinyin, as the training grid does."""
    with db.session() as s:
        village = units.add_unit(s, kind="village", name="同村", parent_id=township_id, code="360499100301").id
        for name, slot in (("张三", "A"), ("李四", "B")):
            pid = new_person(s, name).id
            posts.assign_post(s, person_id=pid, unit_id=village, role="village_manager", slot=slot,
                              start_date=dt.date(2020, 1, 1), today=TODAY)
        info = rounds.open_round(s, YEAR, today=TODAY)
        run_to_end(scoring.score_year(s, YEAR, today=TODAY))
        assert "张三" < "李四"  # code point order, the one not wanted
        _items, grid = scoring.score_grid(s, info.id, "site_manager")
        assert [r.name for r in grid] == ["李四", "张三"]
        listed = scoring.evaluations(s, YEAR, target="site_manager")
        assert all(r.rank_county is None for r in listed)  # manual items empty: no rank, order by place and name
        assert [r.name for r in listed] == ["李四", "张三"]


def test_scoring_again_writes_only_the_automatic_scores_that_changed(db: Database, world: World) -> None:
    """R14 with sync: a new activity of 一村 changes its site's activity score only; that row is written
    with a new change_seq (so it travels) and an audit entry, every other score row keeps its stamp."""
    with db.session() as s:
        site = next(r for r in scoring.evaluations(s, YEAR, target="site") if r.name == "一村")
        before = dict(s.execute(select(EvaluationScore.id, EvaluationScore.change_seq)
                                .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
                                .where(Evaluation.round_id == world.round_id)).tuples().all())
        a1 = s.execute(select(EvaluationScore.id, EvaluationScore.points)
                       .join(RubricItem, RubricItem.id == EvaluationScore.item_id)
                       .where(EvaluationScore.evaluation_id == site.id, RubricItem.code == "A1")).tuples().one()
        assert a1[1] == 0.0
        s.add(Activity(site_id=site.site_id, date=dt.date(YEAR, 5, 4), channel="group_study", title="集中学习",
                       participants=12, hours=2.0))
    with db.session() as s:
        run_to_end(scoring.score_year(s, YEAR, today=TODAY))
    with db.session() as s:
        after = dict(s.execute(select(EvaluationScore.id, EvaluationScore.change_seq)
                               .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
                               .where(Evaluation.round_id == world.round_id)).tuples().all())
        assert set(after) == set(before)
        changed = {sid for sid in after if after[sid] != before[sid]}
        assert changed == {a1[0]} and after[a1[0]] > max(before.values())
        points, note = s.execute(select(EvaluationScore.points, EvaluationScore.note)
                                 .where(EvaluationScore.id == a1[0])).tuples().one()
        assert points == 2.5 and "1 次" in (note or "")  # 30 points × 1/12, rounded to 0.1
        fields = set(s.scalars(select(AuditLog.field).where(AuditLog.record_id == a1[0],
                                                            AuditLog.action == "update")))
        assert fields == {"points", "note"}
