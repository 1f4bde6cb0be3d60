"""Rubrics of a yearly evaluation round (R14): items with maximum points, weights, deductions and bonus
points, and the automatic indicator an item is filled from.

A rubric belongs to one round and one target (``codes.EVALUATION_TARGET``). Its *score* items carry
weights in percent that sum to 100 (R14); *deduction* and *bonus* items carry no weight, their points
are subtracted or added as they are (see ``evaluation_scoring`` for the whole rule).

Saving a rubric keeps the items by code: an item whose code stays keeps its id and its scores; a
removed code is tombstoned with its scores; a new code is added. The version goes up by one. When
evaluations of the rubric already have scores, the save asks first (:class:`ConfirmationNeeded`) and,
once confirmed, recomputes the round: automatic items are read again, the manual points of an item
whose maximum changed are rescaled to the new maximum (the same share of it), and totals, grades,
quota and ranks follow. A closed round refuses every change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Evaluation as EvaluationModel
from ..data.models import EvaluationRound, EvaluationScore, Rubric, RubricItem
from ..errors import ValidationError
from .bulk import write_updates
from .evaluation_indicators import INDICATORS

ITEM_KINDS: dict[str, str] = {"score": "评分项", "deduction": "扣分项", "bonus": "加分项"}
#: The largest maximum an item may have: more is a typing slip.
MAX_ITEM_POINTS = 1000.0
MAX_CODE_LEN = 20
MAX_TITLE_LEN = 200


@dataclass(frozen=True)
class ItemSpec:
    code: str
    title: str
    kind: str  #: "score" | "deduction" | "bonus"
    max_points: float
    weight_pct: float  #: score items only; 0 for deductions and bonus points
    indicator: str | None = None  #: a key of ``evaluation_indicators.INDICATORS``, or None (entered by hand)


@dataclass(frozen=True)
class ItemInfo:
    id: str
    code: str
    title: str
    kind: str
    max_points: float
    weight_pct: float
    indicator: str | None
    sort_order: int


@dataclass(frozen=True)
class RubricInfo:
    id: str
    round_id: str
    target: str
    target_label: str
    name: str
    version: int
    items: tuple[ItemInfo, ...]


def _s(code: str, title: str, points: float, indicator: str | None = None) -> ItemSpec:
    return ItemSpec(code, title, "score", points, points, indicator)


def _d(code: str, title: str, points: float) -> ItemSpec:
    return ItemSpec(code, title, "deduction", points, 0.0, None)


def _b(code: str, title: str, points: float) -> ItemSpec:
    return ItemSpec(code, title, "bonus", points, 0.0, None)


#: The built-in rubrics of a first round (R14); later rounds copy the previous year's.
DEFAULT_ITEMS: dict[str, tuple[ItemSpec, ...]] = {
    "site_manager": (
        _s("A1", "组织开展远程教育学习活动", 25, "activity_count"),
        _s("A2", "站点设备管理与安全运行", 20, "fault_response"),
        _s("A3", "参加培训学时", 15, "training_hours"),
        _s("A4", "参加培训考核", 10, "assessment_passed"),
        _s("A5", "持证上岗", 10, "certificate_valid"),
        _s("A6", "学用台账和资料管理", 10),
        _s("A7", "党员群众满意度", 10),
        _d("D1", "发生安全责任事故", 20),
        _d("D2", "台账资料弄虚作假", 10),
        _b("B1", "受到县级以上表彰", 5),
    ),
    "township_manager": (
        _s("A1", "组织指导全乡镇站点学习活动", 25, "activity_count"),
        _s("A2", "站点设备运行与维护管理", 15, "fault_response"),
        _s("A3", "参加培训和考核", 15, "training_hours"),
        _s("A4", "持证上岗", 10, "certificate_valid"),
        _s("A5", "在岗稳定", 10, "post_stability"),
        _s("A6", "督促检查和台账资料管理", 15),
        _s("A7", "站点管理员队伍建设", 10),
        _d("D1", "发生安全责任事故", 20),
        _d("D2", "信息报送不及时、不准确", 5),
        _b("B1", "受到县级以上表彰", 5),
    ),
    "tutor": (
        _s("A1", "辅导活动次数", 30, "activity_count"),
        _s("A2", "培训学时", 15, "training_hours"),
        _s("A3", "培训考核", 10, "assessment_passed"),
        _s("A4", "持证（聘任证书）", 10, "certificate_valid"),
        _s("A5", "在岗稳定", 10, "post_stability"),
        _s("A6", "辅导质量和群众评价", 25),
        _d("D1", "无故缺席辅导活动", 10),
        _b("B1", "辅导成果受到县级以上表彰", 5),
    ),
    "technician": (
        _s("A1", "故障响应时间", 30, "fault_response"),
        _s("A2", "设备完好率", 20),
        _s("A3", "参加培训和考核", 15, "training_hours"),
        _s("A4", "持证（聘任证书）", 10, "certificate_valid"),
        _s("A5", "在岗稳定", 10, "post_stability"),
        _s("A6", "服务态度和站点满意度", 15),
        _d("D1", "维护不及时造成停播", 10),
        _d("D2", "发生安全责任事故", 20),
        _b("B1", "受到县级以上表彰", 5),
    ),
    "site": (
        _s("A1", "学习活动开展", 30, "activity_count"),
        _s("A2", "设备运行和故障处理", 20, "fault_response"),
        _s("A3", "管理员持证上岗", 10, "certificate_valid"),
        _s("A4", "管理员队伍稳定", 10, "post_stability"),
        _s("A5", "阵地建设和制度上墙", 15),
        _s("A6", "学用结合成效", 15),
        _d("D1", "发生安全责任事故", 20),
        _b("B1", "受到县级以上表彰", 5),
    ),
}


class ConfirmationNeeded(ValidationError):
    """Saving would recompute existing evaluations; call again with ``confirmed=True``."""

    def __init__(self, message: str, *, affected: int) -> None:
        super().__init__(message, field="考评细则", rule="R14")
        self.affected = affected


def _item_info(item: RubricItem) -> ItemInfo:
    return ItemInfo(id=item.id, code=item.code, title=item.title, kind=item.kind,
                    max_points=float(item.max_points), weight_pct=float(item.weight_pct),
                    indicator=item.indicator, sort_order=item.sort_order)


def _live_items(session: Session, rubric_ids: Sequence[str]) -> dict[str, list[RubricItem]]:
    out: dict[str, list[RubricItem]] = {rid: [] for rid in rubric_ids}
    if not rubric_ids:
        return out
    for item in session.scalars(select(RubricItem).where(RubricItem.rubric_id.in_(list(rubric_ids)),
                                                         RubricItem.deleted.is_(False))
                                .order_by(RubricItem.sort_order, RubricItem.code)):
        out[item.rubric_id].append(item)
    return out


def _info(rub: Rubric, items: Sequence[RubricItem]) -> RubricInfo:
    return RubricInfo(id=rub.id, round_id=rub.round_id or "", target=rub.target,
                      target_label=codes.label(codes.EVALUATION_TARGET, rub.target), name=rub.name,
                      version=rub.version, items=tuple(_item_info(i) for i in items))


_TARGET_ORDER = {t: k for k, t in enumerate(codes.EVALUATION_TARGET)}


def rubrics(session: Session, round_id: str) -> list[RubricInfo]:
    """The round's rubrics, in the order of ``codes.EVALUATION_TARGET``."""
    found = list(session.scalars(select(Rubric).where(Rubric.round_id == round_id, Rubric.deleted.is_(False))))
    found.sort(key=lambda r: _TARGET_ORDER.get(r.target, 99))
    items = _live_items(session, [r.id for r in found])
    return [_info(r, items[r.id]) for r in found]


def get_rubric(session: Session, rubric_id: str) -> Rubric:
    rub = session.get(Rubric, rubric_id)
    if rub is None or rub.deleted:
        raise ValidationError("找不到该考评细则", field="考评细则")
    return rub


def rubric(session: Session, rubric_id: str) -> RubricInfo:
    rub = get_rubric(session, rubric_id)
    return _info(rub, _live_items(session, [rub.id])[rub.id])


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def item_problems(items: Sequence[ItemSpec]) -> list[str]:
    """What is wrong with *items*, in Chinese, one line per problem; empty when they can be saved (R14)."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    weight_sum = 0.0
    score_items = 0
    for n, item in enumerate(items, start=1):
        code = (item.code or "").strip()
        at = f"第 {n} 项" + (f"（{code}）" if code else "")
        if not code:
            problems.append(f"{at}：编号不能为空")
        elif len(code) > MAX_CODE_LEN:
            problems.append(f"{at}：编号最多 {MAX_CODE_LEN} 个字符")
        elif code in seen:
            problems.append(f"{at}：编号与第 {seen[code]} 项重复")
        else:
            seen[code] = n
        title = (item.title or "").strip()
        if not title:
            problems.append(f"{at}：考评内容不能为空")
        elif len(title) > MAX_TITLE_LEN:
            problems.append(f"{at}：考评内容最多 {MAX_TITLE_LEN} 个字")
        if item.kind not in ITEM_KINDS:
            problems.append(f"{at}：类别“{item.kind}”无效，应为评分项、扣分项或加分项")
            continue
        points = _number(item.max_points)
        if points is None or not 0 < points <= MAX_ITEM_POINTS:
            problems.append(f"{at}：分值应大于 0、不超过 {MAX_ITEM_POINTS:g}")
        weight = _number(item.weight_pct)
        if item.kind == "score":
            score_items += 1
            if weight is None or not 0 < weight <= 100:
                problems.append(f"{at}：权重应大于 0、不超过 100%")
            else:
                weight_sum += weight
        elif weight is None or weight != 0:
            problems.append(f"{at}：{ITEM_KINDS[item.kind]}不计权重，权重应为 0")
        if item.indicator:  # "" is no indicator, as None
            if item.indicator not in INDICATORS:
                problems.append(f"{at}：自动指标“{item.indicator}”无效")
            elif item.kind != "score":
                problems.append(f"{at}：{ITEM_KINDS[item.kind]}须手工录入，不能设自动指标")
    if not score_items:
        problems.append("至少需要一个评分项")
    elif abs(weight_sum - 100.0) > 0.01:
        problems.append(f"评分项权重合计应为 100%，现为 {round(weight_sum, 2):g}%")
    return problems


def check_items(items: Sequence[ItemSpec], *, where: str = "") -> None:
    problems = item_problems(items)
    if problems:
        raise ValidationError("；".join(problems), field="考评细则", rule="R14", where=where or None)


def add_rubric(session: Session, round_id: str, target: str, name: str, items: Sequence[ItemSpec]) -> Rubric:
    """A new rubric of *round_id* for *target* with *items* (already checked)."""
    rub = Rubric(round_id=round_id, target=target, name=name, version=1)
    session.add(rub)
    session.flush()
    for k, spec in enumerate(_clean(s) for s in items):
        session.add(RubricItem(rubric_id=rub.id, code=spec.code, title=spec.title, kind=spec.kind,
                               max_points=spec.max_points, weight_pct=spec.weight_pct, indicator=spec.indicator,
                               sort_order=k))
    session.flush()
    return rub


def _spec_of(item: RubricItem) -> ItemSpec:
    return ItemSpec(item.code, item.title, item.kind, float(item.max_points), float(item.weight_pct), item.indicator)


def _clean(spec: ItemSpec) -> ItemSpec:
    return ItemSpec(spec.code.strip(), spec.title.strip(), spec.kind, float(spec.max_points),
                    float(spec.weight_pct), spec.indicator or None)


def scored_evaluations(session: Session, rubric_id: str) -> int:
    """Evaluations of the rubric that have at least one score."""
    return session.scalar(
        select(func.count(func.distinct(EvaluationModel.id)))
        .join(EvaluationScore, EvaluationScore.evaluation_id == EvaluationModel.id)
        .where(EvaluationModel.rubric_id == rubric_id, EvaluationModel.deleted.is_(False),
               EvaluationScore.deleted.is_(False))) or 0


def save_rubric(session: Session, rubric_id: str, items: Sequence[ItemSpec], *, name: str | None = None,
                confirmed: bool = False) -> RubricInfo:
    """Replace the rubric's items (kept by code) and name; version + 1 (R14).

    Refused when the round is closed or the items have problems (:func:`item_problems`). When evaluations
    of the rubric have scores and *confirmed* is false, :class:`ConfirmationNeeded` says how many would be
    recomputed and nothing is written; when confirmed, the round is recomputed after the save.
    """
    rub = get_rubric(session, rubric_id)
    rnd = session.get(EvaluationRound, rub.round_id) if rub.round_id else None
    label = codes.label(codes.EVALUATION_TARGET, rub.target)
    where = f"{rnd.year}年度{label}考评细则" if rnd else f"{label}考评细则"
    if rnd is not None and rnd.status == "closed":
        raise ValidationError(f"{rnd.year}年度考评已关闭，考评细则不能再修改", field="考评细则", rule="R14")
    check_items(items, where=where)
    new_name = (name or "").strip() or rub.name
    if len(new_name) > 100:
        raise ValidationError("最多 100 个字", field="细则名称", where=where)
    wanted = [_clean(s) for s in items]
    current = _live_items(session, [rub.id])[rub.id]
    if [_spec_of(i) for i in current] == wanted and new_name == rub.name:
        return rubric(session, rub.id)  # nothing changed: no new version, nothing recomputed
    affected = scored_evaluations(session, rub.id)
    if affected and not confirmed:
        raise ConfirmationNeeded(
            f"{where}已有 {affected} 份考评打了分，保存后将重新计算这些考评的得分、等次和排名，是否继续？",
            affected=affected)

    # Every item row ever made for this rubric, tombstones included: a code that comes back revives its row
    # (the scores' unique index is per item id, so reviving keeps one row per code).
    by_code = {i.code: i for i in session.scalars(select(RubricItem).where(RubricItem.rubric_id == rub.id))}
    rescale: dict[str, float] = {}  # item id → new max / old max, for manual points
    dropped: list[str] = []  # item ids whose scores go (item removed, or its indicator changed)
    for k, spec in enumerate(wanted):
        item = by_code.get(spec.code)
        if item is None:
            session.add(RubricItem(rubric_id=rub.id, code=spec.code, title=spec.title, kind=spec.kind,
                                   max_points=spec.max_points, weight_pct=spec.weight_pct,
                                   indicator=spec.indicator, sort_order=k))
            continue
        if item.deleted:
            dropped.append(item.id)  # old scores of a revived code do not come back
            item.deleted = False
        elif item.indicator != spec.indicator:
            dropped.append(item.id)
        elif float(item.max_points) != spec.max_points:
            rescale[item.id] = spec.max_points / float(item.max_points)
        item.title, item.kind, item.max_points = spec.title, spec.kind, spec.max_points
        item.weight_pct, item.indicator, item.sort_order = spec.weight_pct, spec.indicator, k
    keep = {s.code for s in wanted}
    for code, item in by_code.items():
        if code not in keep and not item.deleted:
            item.deleted = True
            dropped.append(item.id)
    rub.name = new_name
    rub.version = (rub.version or 1) + 1
    session.flush()
    _adjust_scores(session, rub.id, rescale, dropped)
    if rnd is not None and affected:
        from .evaluation_scoring import recompute_round  # scoring imports this module

        recompute_round(session, rnd.id, refill_rubric_id=rub.id)
    return rubric(session, rub.id)


def _adjust_scores(session: Session, rubric_id: str, rescale: dict[str, float], dropped: list[str]) -> None:
    """Rescale manual points of items whose maximum changed; tombstone the scores of dropped items."""
    if not rescale and not dropped:
        return
    ids = list(rescale) + dropped
    rows = session.execute(
        select(EvaluationScore.id, EvaluationScore.item_id, EvaluationScore.points, EvaluationScore.automatic)
        .join(EvaluationModel, EvaluationModel.id == EvaluationScore.evaluation_id)
        .where(EvaluationModel.rubric_id == rubric_id, EvaluationScore.item_id.in_(ids),
               EvaluationScore.deleted.is_(False))).tuples().all()
    updates: list[tuple[str, tuple[object, ...], tuple[object, ...]]] = []
    for sid, item_id, points, automatic in rows:
        if item_id in rescale and not automatic:
            updates.append((sid, (points, False), (round(float(points) * rescale[item_id], 1), False)))
        elif item_id in dropped:
            updates.append((sid, (points, False), (points, True)))
    write_updates(session, EvaluationScore, ("points", "deleted"), updates)
