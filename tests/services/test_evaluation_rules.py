"""The arithmetic of the yearly evaluation (R14), without a database: totals with deductions and bonus
points, weights, grade thresholds on both scales, the top-grade quota and competition ranks."""

from __future__ import annotations

import pytest

from remoteedu_desktop import codes
from remoteedu_desktop.services.evaluation_rubrics import DEFAULT_ITEMS, ItemSpec, item_problems
from remoteedu_desktop.services.evaluation_scoring import (
    _Item,
    competition_ranks,
    grade_for,
    grade_label,
    quota_keep,
    total_of,
)

LIMITS = {"excellent": 90.0, "pass": 75.0, "basic": 60.0}

ITEMS = [
    _Item("a", "A1", "活动", "score", 20.0, 40.0, "activity_count"),  # 20 points worth 40 %
    _Item("b", "A2", "台账", "score", 10.0, 60.0, None),  # 10 points worth 60 %
    _Item("d", "D1", "安全事故", "deduction", 20.0, 0.0, None),
    _Item("x", "B1", "表彰", "bonus", 5.0, 0.0, None),
]


def test_total_weights_score_items_and_adds_bonus_minus_deductions() -> None:
    """R14: Σ points / max × weight + bonus − deductions, rounded to 0.1."""
    assert total_of(ITEMS, {"a": 15.0, "b": 7.0}) == pytest.approx(15 / 20 * 40 + 7 / 10 * 60)  # 30 + 42
    assert total_of(ITEMS, {"a": 15.0, "b": 7.0, "x": 3.0}) == 75.0
    assert total_of(ITEMS, {"a": 15.0, "b": 7.0, "x": 3.0, "d": 10.0}) == 65.0
    assert total_of(ITEMS, {"a": 13.0, "b": 6.67}) == 66.0  # 26 + 40.02 → 66.0
    assert total_of(ITEMS, {"a": 1.0}) == 2.0  # missing items count 0
    assert total_of(ITEMS, {}) is None


def test_total_is_floored_at_zero() -> None:
    assert total_of(ITEMS, {"a": 2.0, "b": 1.0, "d": 20.0}) == 0.0  # 4 + 6 − 20


def test_thresholds_are_at_least_and_the_two_scales_share_codes() -> None:
    """R14: ≥ 90 优秀, ≥ 75 合格/称职, ≥ 60 基本合格/基本称职, else 不合格/不称职."""
    assert [grade_for(t, LIMITS) for t in (100, 90, 89.9, 75, 74.9, 60, 59.9, 0)] == [
        "excellent", "excellent", "pass", "pass", "basic", "basic", "fail", "fail"]
    assert grade_for(80, {"excellent": 95, "pass": 80, "basic": 50}) == "pass"
    assert [grade_label(g, "standard") for g in ("excellent", "pass", "basic", "fail")] == [
        "优秀", "合格", "基本合格", "不合格"]
    assert [grade_label(g, "competent") for g in ("excellent", "pass", "basic", "fail")] == [
        "优秀", "称职", "基本称职", "不称职"]
    assert grade_label("pass", "competent") == codes.GRADE_COMPETENT["pass"]
    assert grade_label(None, "standard") == ""


def test_competition_ranking_shares_ranks_and_skips() -> None:
    assert competition_ranks([("a", 80.0), ("b", 95.0), ("c", 80.0), ("d", 70.0)]) == {
        "b": 1, "a": 2, "c": 2, "d": 4}
    assert competition_ranks([]) == {}


def test_quota_keeps_the_best_up_to_floor_of_the_share() -> None:
    """R14: at most floor(20 % × 10) = 2 of the group keep 优秀."""
    above = [("a", 99.0), ("b", 95.0), ("c", 92.0), ("d", 90.0)]
    assert quota_keep(above, 10, 20.0) == {"a", "b"}
    assert quota_keep(above, 10, 50.0) == {"a", "b", "c", "d"}  # 5 places for 4
    assert quota_keep([], 10, 20.0) == set()


def test_quota_gives_at_least_one_when_anyone_qualifies() -> None:
    assert quota_keep([("a", 91.0), ("b", 93.0)], 3, 20.0) == {"b"}  # floor(0.6) = 0 → 1


def test_quota_drops_a_tie_that_straddles_the_cut() -> None:
    """Equal totals are treated alike: 2 places, and 2nd and 3rd are tied → only the 1st keeps 优秀."""
    assert quota_keep([("a", 99.0), ("b", 95.0), ("c", 95.0)], 10, 20.0) == {"a"}
    # A tie that fits entirely stays.
    assert quota_keep([("a", 95.0), ("b", 95.0), ("c", 91.0)], 10, 20.0) == {"a", "b"}


def test_quota_tied_best_all_keep_when_nobody_would_be_left() -> None:
    """'At least one' wins over 'at most': 1 place, the two best tied → both keep 优秀."""
    assert quota_keep([("a", 95.0), ("b", 95.0), ("c", 91.0)], 5, 20.0) == {"a", "b"}


def test_default_rubrics_are_valid_and_cover_every_target() -> None:
    """R14: every built-in rubric has score weights summing to 100, deductions and a bonus."""
    assert set(DEFAULT_ITEMS) == set(codes.EVALUATION_TARGET)
    for target, items in DEFAULT_ITEMS.items():
        assert item_problems(items) == [], target
        assert sum(i.weight_pct for i in items if i.kind == "score") == 100
        assert {i.kind for i in items} == {"score", "deduction", "bonus"}
        assert any(i.indicator for i in items) and any(i.indicator is None and i.kind == "score" for i in items)


def _spec(code: str, weight: float, kind: str = "score", **kw: object) -> ItemSpec:
    data: dict[str, object] = {"code": code, "title": f"项目{code}", "kind": kind, "max_points": 10.0,
                               "weight_pct": weight, "indicator": None}
    data.update(kw)
    return ItemSpec(**data)  # type: ignore[arg-type]


def test_item_problems_weights_must_sum_to_100() -> None:
    ok = [_spec("A1", 60), _spec("A2", 40), _spec("D1", 0, "deduction"), _spec("B1", 0, "bonus")]
    assert item_problems(ok) == []
    problems = item_problems([_spec("A1", 60), _spec("A2", 30)])
    assert problems == ["评分项权重合计应为 100%，现为 90%"]
    assert item_problems([_spec("A1", 60.004), _spec("A2", 39.996)]) == []
    assert item_problems([_spec("A1", 100, indicator="")]) == []  # no indicator, as None


def test_item_problems_name_each_bad_item() -> None:
    problems = item_problems([
        _spec("A1", 100), _spec("A1", 0, "bonus"), _spec("", 0, "deduction"), _spec("B2", 5, "bonus"),
        _spec("A3", 0, "score", max_points=0.0), _spec("A4", 0, "deduction", indicator="activity_count"),
        _spec("A5", 0, "penalty"), _spec("A6", 0, "deduction", title=" "), _spec("A7", 0, "deduction",
                                                                                   indicator="nonsense"),
    ])
    text = "\n".join(problems)
    assert "第 2 项（A1）：编号与第 1 项重复" in text
    assert "第 3 项：编号不能为空" in text
    assert "第 4 项（B2）：加分项不计权重，权重应为 0" in text
    assert "第 5 项（A3）：分值应大于 0" in text and "第 5 项（A3）：权重应大于 0" in text
    assert "第 6 项（A4）：扣分项须手工录入，不能设自动指标" in text
    assert "第 7 项（A5）：类别“penalty”无效" in text
    assert "第 8 项（A6）：考评内容不能为空" in text
    assert "第 9 项（A7）：自动指标“nonsense”无效" in text
    assert "权重合计应为 100%，现为 100%" not in text


def test_item_problems_need_a_score_item() -> None:
    assert item_problems([_spec("D1", 0, "deduction")]) == ["至少需要一个评分项"]
    assert item_problems([]) == ["至少需要一个评分项"]
