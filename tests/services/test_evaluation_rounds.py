"""Yearly evaluation rounds and their rubrics (R14): opening with default or copied rubrics, settings and
their checks, closing and reopening with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from remoteedu_desktop import codes
from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import AuditLog, RubricItem
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import evaluation_rounds as rounds
from remoteedu_desktop.services import evaluation_rubrics as rubrics
from remoteedu_desktop.services import offices
from remoteedu_desktop.services.evaluation_rubrics import DEFAULT_ITEMS, ItemSpec

TODAY = dt.date(2026, 6, 30)  #: the conftest's fixed day


def test_open_round_with_default_rubrics_for_every_target(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        info = rounds.open_round(s, 2025, today=TODAY)
        assert (info.year, info.name, info.grade_scale, info.status, info.evaluated) == (
            2025, "2025年度远程教育考评", "standard", "open", 0)
        assert info.thresholds == {"excellent": 90.0, "pass": 75.0, "basic": 60.0} and info.top_quota_pct is None
        found = rubrics.rubrics(s, info.id)
        assert [r.target for r in found] == list(codes.EVALUATION_TARGET)
        tutor = found[2]
        assert tutor.name == "2025年度教学辅导员考评细则" and tutor.target_label == "教学辅导员" and tutor.version == 1
        assert [(i.code, i.title, i.kind, i.max_points, i.weight_pct, i.indicator) for i in tutor.items] == [
            (d.code, d.title, d.kind, d.max_points, d.weight_pct, d.indicator) for d in DEFAULT_ITEMS["tutor"]]
        assert rubrics.rubric(s, tutor.id) == tutor
        assert rounds.round_for_year(s, 2025) == info and rounds.round_for_year(s, 2024) is None


def test_a_year_has_one_round(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        rounds.open_round(s, 2025, name="2025年度考评", today=TODAY)
        with pytest.raises(ValidationError, match="2025年度已有考评“2025年度考评”"):
            rounds.open_round(s, 2025, today=TODAY)


def test_next_round_copies_the_previous_rubrics(db: Database, office: offices.OfficeInfo) -> None:
    items = (ItemSpec("X1", "工作实绩", "score", 50.0, 100.0, "activity_count"),
             ItemSpec("X2", "安全事故", "deduction", 10.0, 0.0, None))
    with db.session() as s:
        first = rounds.open_round(s, 2024, today=TODAY)
        tech = next(r for r in rubrics.rubrics(s, first.id) if r.target == "technician")
        rubrics.save_rubric(s, tech.id, items, name="技术服务员细则")
        second = rounds.open_round(s, 2025, grade_scale="competent", top_quota_pct=15, today=TODAY,
                                   thresholds={"excellent": 85, "pass": 70, "basic": 55})
        assert [r.year for r in rounds.rounds(s)] == [2025, 2024]  # newest first
        assert second.grade_scale == "competent" and second.top_quota_pct == 15.0
        assert second.thresholds == {"excellent": 85.0, "pass": 70.0, "basic": 55.0}
        copied = next(r for r in rubrics.rubrics(s, second.id) if r.target == "technician")
        assert copied.name == "2025年度技术服务员考评细则" and copied.version == 1
        assert [(i.code, i.max_points, i.indicator) for i in copied.items] == [("X1", 50.0, "activity_count"),
                                                                             ("X2", 10.0, None)]
        assert copied.items[0].id != rubrics.rubric(s, tech.id).items[0].id  # new rows, not shared
        site = next(r for r in rubrics.rubrics(s, second.id) if r.target == "site")
        assert len(site.items) == len(DEFAULT_ITEMS["site"])


@pytest.mark.parametrize(("kwargs", "field", "says"), [
    ({"year": 1999}, "考评年度", "应在 2000 到 2027 之间"),
    ({"year": 2028}, "考评年度", "应在 2000 到 2027 之间"),
    ({"grade_scale": "stars"}, "等次用语", "“stars”无效"),
    ({"thresholds": {"excellent": 90, "pass": 95, "basic": 60}}, "等次分数线", "分数线应依次升高"),
    ({"thresholds": {"excellent": 90, "pass": 75}}, "等次分数线", "缺少“基本合格”的分数线"),
    ({"thresholds": {"excellent": 120, "pass": 75, "basic": 60}}, "等次分数线", "“优秀”分数线应大于 0、不超过 100"),
    ({"top_quota_pct": 0}, "优秀比例", "应大于 0、不超过 100"),
    ({"top_quota_pct": 101}, "优秀比例", "应大于 0、不超过 100"),
    ({"name": "名" * 101}, "考评名称", "最多 100 个字"),
])
def test_round_settings_are_checked(db: Database, office: offices.OfficeInfo, refused: Callable[..., None],
                                    state: Callable[[], dict[str, int]], kwargs: dict[str, object], field: str,
                                    says: str) -> None:
    before = state()
    args: dict[str, object] = {"year": 2025, **kwargs}
    year = args.pop("year")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        rounds.open_round(s, year, today=TODAY, **args)  # type: ignore[arg-type]
    refused(exc.value, field=field, says=says)
    assert state() == before


def test_update_round_changes_settings(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        info = rounds.open_round(s, 2025, top_quota_pct=20, today=TODAY)
        info = rounds.update_round(s, info.id, name="2025年度考评（修订）", grade_scale="competent")
        assert info.name == "2025年度考评（修订）" and info.grade_scale == "competent" and info.top_quota_pct == 20.0
        info = rounds.update_round(s, info.id, top_quota_pct=None)
        assert info.top_quota_pct is None
        with pytest.raises(ValidationError, match="分数线应依次升高"):
            rounds.update_round(s, info.id, thresholds={"excellent": 60, "pass": 60, "basic": 60})


def test_close_and_reopen_with_a_reason(db: Database, office: offices.OfficeInfo,
                                        refused: Callable[..., None]) -> None:
    """R14: a closed year is final; reopening needs a reason, which the audit log keeps."""
    with db.session() as s:
        info = rounds.open_round(s, 2025, today=TODAY)
        with pytest.raises(ValidationError, match="没有关闭"):
            rounds.reopen_round(s, info.id, reason="更正")
        rounds.close_round(s, info.id)
        with pytest.raises(ValidationError, match="已经关闭"):
            rounds.close_round(s, info.id)
        tutor = next(r for r in rubrics.rubrics(s, info.id) if r.target == "tutor")
        with pytest.raises(ValidationError, match="2025年度考评已关闭，考评细则不能再修改"):
            rubrics.save_rubric(s, tutor.id, DEFAULT_ITEMS["tutor"][:1])
        with pytest.raises(ValidationError) as exc:
            rounds.reopen_round(s, info.id, reason="  ")
        refused(exc.value, field="原因", rule="R14", says="须说明原因")
        assert rounds.round_info(s, info.id).status == "closed"
        rounds.reopen_round(s, info.id, reason="乡镇上报材料有误，更正后重新计算")
        assert rounds.round_info(s, info.id).status == "open"
    with db.session() as s:
        kept = s.scalars(select(AuditLog.new_value).where(AuditLog.record_id == info.id,
                                                          AuditLog.field == "reopen_reason")).all()
        assert kept == ["乡镇上报材料有误，更正后重新计算"]


def test_save_rubric_refuses_bad_items_and_writes_nothing(db: Database, office: offices.OfficeInfo,
                                                          refused: Callable[..., None],
                                                          state: Callable[[], dict[str, int]]) -> None:
    with db.session() as s:
        info = rounds.open_round(s, 2025, today=TODAY)
        site = next(r for r in rubrics.rubrics(s, info.id) if r.target == "site")
    before = state()
    bad = (ItemSpec("S1", "阵地建设", "score", 10.0, 70.0, None),)
    with db.session() as s, pytest.raises(ValidationError) as exc:
        rubrics.save_rubric(s, site.id, bad)
    refused(exc.value, field="考评细则", rule="R14", says="评分项权重合计应为 100%，现为 70%")
    assert exc.value.where == "2025年度站点考评细则"
    assert state() == before


def test_save_rubric_keeps_items_by_code_and_bumps_the_version(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        info = rounds.open_round(s, 2025, today=TODAY)
        site = next(r for r in rubrics.rubrics(s, info.id) if r.target == "site")
        kept = site.items[0]
        items = [ItemSpec(kept.code, "学习活动开展（修订）", "score", kept.max_points, 100.0, kept.indicator),
                 ItemSpec("N1", "新增加分", "bonus", 3.0, 0.0, None)]
        saved = rubrics.save_rubric(s, site.id, items, name="站点考评细则（修订）")
        assert saved.version == 2 and saved.name == "站点考评细则（修订）"
        assert [i.code for i in saved.items] == [kept.code, "N1"] and saved.items[0].id == kept.id
        assert saved.items[0].title == "学习活动开展（修订）" and saved.items[0].sort_order == 0
        gone = s.scalars(select(RubricItem.code).where(RubricItem.rubric_id == site.id,
                                                       RubricItem.deleted.is_(True))).all()
        assert sorted(gone) == sorted(i.code for i in site.items[1:])  # tombstoned, not deleted
        with pytest.raises(ValidationError, match="找不到该考评细则"):
            rubrics.rubric(s, "nope")
