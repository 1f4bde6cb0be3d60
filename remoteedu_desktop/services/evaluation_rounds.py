"""Yearly evaluation rounds (R14): open, configure, close and reopen one year's evaluation.

A round holds the year's grade scale (the 优秀/合格/基本合格/不合格 wording, or the 称职 wording of
``codes.GRADE_COMPETENT`` — the stored grade codes are the same), the grade thresholds, an optional
quota for the top grade, and one rubric per target. A closed round is final: nothing in it is
recomputed, and the scoring and rubric services refuse changes until it is reopened with a reason.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import AuditLog, Evaluation, EvaluationRound, Rubric, RubricItem
from ..data.stamping import local_office, os_account, utcnow
from ..errors import ValidationError
from .evaluation_rubrics import DEFAULT_ITEMS, ItemSpec, add_rubric

GRADE_SCALES: dict[str, str] = {"standard": "优秀/合格/基本合格/不合格", "competent": "优秀/称职/基本称职/不称职"}
DEFAULT_THRESHOLDS: dict[str, float] = {"excellent": 90.0, "pass": 75.0, "basic": 60.0}
THRESHOLD_KEYS = ("excellent", "pass", "basic")
FIRST_YEAR = 2000


@dataclass(frozen=True)
class RoundInfo:
    id: str
    year: int
    name: str
    grade_scale: str  #: "standard" | "competent"
    thresholds: dict[str, float]  #: keys excellent / pass / basic
    top_quota_pct: float | None
    status: str  #: "open" | "closed"
    evaluated: int


def thresholds_of(rnd: EvaluationRound) -> dict[str, float]:
    try:
        raw = json.loads(rnd.thresholds_json or "{}")
        return {k: float(raw[k]) for k in THRESHOLD_KEYS}
    except (ValueError, KeyError, TypeError):
        return dict(DEFAULT_THRESHOLDS)


def _info(rnd: EvaluationRound, evaluated: int) -> RoundInfo:
    return RoundInfo(id=rnd.id, year=rnd.year, name=rnd.name, grade_scale=rnd.grade_scale,
                     thresholds=thresholds_of(rnd), top_quota_pct=rnd.top_quota_pct, status=rnd.status,
                     evaluated=evaluated)


def _counts(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Evaluation.round_id, func.count()).where(Evaluation.deleted.is_(False))
                                .group_by(Evaluation.round_id)).tuples().all())


def rounds(session: Session) -> list[RoundInfo]:
    """Every round, newest year first."""
    counts = _counts(session)
    found = session.scalars(select(EvaluationRound).where(EvaluationRound.deleted.is_(False))
                            .order_by(EvaluationRound.year.desc()))
    return [_info(r, counts.get(r.id, 0)) for r in found]


def _round_model(session: Session, year: int) -> EvaluationRound | None:
    return session.scalars(select(EvaluationRound).where(EvaluationRound.year == year,
                                                         EvaluationRound.deleted.is_(False))).first()


def round_for_year(session: Session, year: int) -> RoundInfo | None:
    rnd = _round_model(session, year)
    if rnd is None:
        return None
    return round_info(session, rnd.id)


def get_round(session: Session, round_id: str) -> EvaluationRound:
    rnd = session.get(EvaluationRound, round_id)
    if rnd is None or rnd.deleted:
        raise ValidationError("找不到该年度考评", field="考评年度")
    return rnd


def round_info(session: Session, round_id: str) -> RoundInfo:
    rnd = get_round(session, round_id)
    evaluated = session.scalar(select(func.count()).select_from(Evaluation)
                               .where(Evaluation.round_id == rnd.id, Evaluation.deleted.is_(False))) or 0
    return _info(rnd, evaluated)


def require_open(rnd: EvaluationRound, action: str = "不重新计算") -> None:
    """Refuse any change to a closed round (R14: a closed year is never recomputed silently)."""
    if rnd.status == "closed":
        raise ValidationError(f"{rnd.year}年度考评已关闭，{action}", field="考评年度", rule="R14")


def _check_year(year: object, today: dt.date) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= today.year + 1:
        raise ValidationError(f"应在 {FIRST_YEAR} 到 {today.year + 1} 之间，实际为 {year}", field="考评年度")
    return year


def _check_scale(scale: object) -> str:
    if scale not in GRADE_SCALES:
        raise ValidationError(f"“{scale}”无效，应为 standard（合格）或 competent（称职）", field="等次用语")
    return str(scale)


def check_thresholds(thresholds: Mapping[str, Any]) -> dict[str, float]:
    """Thresholds as floats: 0 < 基本合格 < 合格 < 优秀 ≤ 100 (R14)."""
    out: dict[str, float] = {}
    for key in THRESHOLD_KEYS:
        label = codes.GRADE_STANDARD[key]
        value = thresholds.get(key) if isinstance(thresholds, Mapping) else None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValidationError(f"缺少“{label}”的分数线", field="等次分数线")
        if not 0 < value <= 100:
            raise ValidationError(f"“{label}”分数线应大于 0、不超过 100，实际为 {value:g}", field="等次分数线")
        out[key] = float(value)
    if not out["basic"] < out["pass"] < out["excellent"]:
        raise ValidationError(
            f"分数线应依次升高：基本合格 {out['basic']:g} < 合格 {out['pass']:g} < 优秀 {out['excellent']:g}",
            field="等次分数线")
    return out


def _check_quota(pct: object) -> float | None:
    if pct is None:
        return None
    if isinstance(pct, bool) or not isinstance(pct, int | float) or not math.isfinite(pct) or not 0 < pct <= 100:
        raise ValidationError(f"应大于 0、不超过 100，实际为 {pct}", field="优秀比例")
    return float(pct)


def _check_name(name: str | None, default: str) -> str:
    text = (name or "").strip() or default
    if len(text) > 100:
        raise ValidationError(f"最多 100 个字，实际 {len(text)} 个字", field="考评名称")
    return text


def _previous_items(session: Session, year: int) -> tuple[EvaluationRound | None, dict[str, tuple[ItemSpec, ...]]]:
    prev = session.scalars(select(EvaluationRound).where(EvaluationRound.year < year,
                                                         EvaluationRound.deleted.is_(False))
                           .order_by(EvaluationRound.year.desc())).first()
    if prev is None:
        return None, {}
    out: dict[str, tuple[ItemSpec, ...]] = {}
    for rub in session.scalars(select(Rubric).where(Rubric.round_id == prev.id, Rubric.deleted.is_(False))):
        items = session.scalars(select(RubricItem).where(RubricItem.rubric_id == rub.id,
                                                         RubricItem.deleted.is_(False))
                                .order_by(RubricItem.sort_order, RubricItem.code)).all()
        out[rub.target] = tuple(ItemSpec(i.code, i.title, i.kind, float(i.max_points), float(i.weight_pct),
                                         i.indicator) for i in items)
    return prev, out


def ensure_rubrics(session: Session, rnd: EvaluationRound) -> None:
    """Give the round a rubric for every target it lacks: the previous round's, else the built-in one."""
    have = set(session.scalars(select(Rubric.target).where(Rubric.round_id == rnd.id, Rubric.deleted.is_(False))))
    missing = [t for t in codes.EVALUATION_TARGET if t not in have]
    if not missing:
        return
    _prev, previous = _previous_items(session, rnd.year)
    for target in missing:
        label = codes.EVALUATION_TARGET[target]
        add_rubric(session, rnd.id, target, f"{rnd.year}年度{label}考评细则",
                   previous.get(target) or DEFAULT_ITEMS[target])


def open_round(session: Session, year: int, *, name: str | None = None, grade_scale: str = "standard",
               thresholds: dict[str, float] | None = None, top_quota_pct: float | None = None,
               today: dt.date | None = None) -> RoundInfo:
    """Open *year*'s evaluation with a rubric for every target (copied from the previous round, else the
    built-in defaults). Refused when the year already has a round."""
    today = today or dt.date.today()
    year = _check_year(year, today)
    existing = _round_model(session, year)
    if existing is not None:
        raise ValidationError(f"{year}年度已有考评“{existing.name}”", field="考评年度")
    scale = _check_scale(grade_scale)
    limits = check_thresholds(thresholds) if thresholds is not None else dict(DEFAULT_THRESHOLDS)
    quota = _check_quota(top_quota_pct)
    rnd = EvaluationRound(year=year, name=_check_name(name, f"{year}年度远程教育考评"), grade_scale=scale,
                          thresholds_json=json.dumps(limits), top_quota_pct=quota, status="open")
    session.add(rnd)
    session.flush()
    ensure_rubrics(session, rnd)
    return round_info(session, rnd.id)


_KEEP: Any = object()


def update_round(session: Session, round_id: str, *, name: str | None = None, grade_scale: str | None = None,
                 thresholds: dict[str, float] | None = None, top_quota_pct: float | None = _KEEP) -> RoundInfo:
    """Change the round's name, grade scale, thresholds or quota (``top_quota_pct=None`` removes the quota).

    Refused on a closed round. New thresholds or a new quota regrade the round at once.
    """
    rnd = get_round(session, round_id)
    require_open(rnd, "设置不能再修改")
    new_name = _check_name(name, rnd.name) if name is not None else rnd.name
    scale = _check_scale(grade_scale) if grade_scale is not None else rnd.grade_scale
    limits = check_thresholds(thresholds) if thresholds is not None else thresholds_of(rnd)
    quota = rnd.top_quota_pct if top_quota_pct is _KEEP else _check_quota(top_quota_pct)
    regrade = limits != thresholds_of(rnd) or quota != rnd.top_quota_pct
    rnd.name, rnd.grade_scale, rnd.top_quota_pct = new_name, scale, quota
    if limits != thresholds_of(rnd):
        rnd.thresholds_json = json.dumps(limits)
    session.flush()
    if regrade:
        from .evaluation_scoring import recompute_round  # scoring imports this module

        recompute_round(session, rnd.id)
    return round_info(session, rnd.id)


def close_round(session: Session, round_id: str) -> None:
    """Close the round: from now on nothing in it is recomputed or changed (R14)."""
    rnd = get_round(session, round_id)
    if rnd.status == "closed":
        raise ValidationError(f"{rnd.year}年度考评已经关闭", field="考评年度")
    rnd.status = "closed"
    session.flush()


def reopen_round(session: Session, round_id: str, *, reason: str) -> None:
    """Reopen a closed round; the reason is required and kept in the audit log (R14)."""
    rnd = get_round(session, round_id)
    if rnd.status != "closed":
        raise ValidationError(f"{rnd.year}年度考评没有关闭，无需重新开启", field="考评年度")
    text = (reason or "").strip()
    if not text:
        raise ValidationError("重新开启已关闭的年度考评须说明原因", field="原因", rule="R14")
    if len(text) > 200:
        raise ValidationError(f"最多 200 个字，实际 {len(text)} 个字", field="原因")
    rnd.status = "open"
    session.flush()
    office = local_office(session)
    session.add(AuditLog(at=utcnow(), account=str(session.info.get("account") or os_account()),
                         office=office.code if office is not None else "", table_name="evaluation_round",
                         record_id=rnd.id, action="update", field="reopen_reason", old_value=None, new_value=text))
    session.flush()
