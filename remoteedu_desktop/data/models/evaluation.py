"""The yearly evaluation (R14): rounds, rubrics and items, evaluations and item scores."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ... import codes
from .base import UUID_LEN, Base, Synced, one_of

EVALUATION_TARGETS = tuple(codes.EVALUATION_TARGET)
ITEM_KINDS = ("score", "deduction", "bonus")


class EvaluationRound(Synced, Base):
    """One year's evaluation; once closed, nothing in it is recomputed silently."""

    __tablename__ = "evaluation_round"
    __table_args__ = (
        one_of("status", ("open", "closed"), "status"),
        one_of("grade_scale", ("standard", "competent"), "grade_scale"),
    )

    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(100))
    grade_scale: Mapped[str] = mapped_column(String(10), default="standard")
    # Grade thresholds, e.g. {"excellent": 90, "pass": 75, "basic": 60}.
    thresholds_json: Mapped[str] = mapped_column(Text, default='{"excellent": 90, "pass": 75, "basic": 60}')
    top_quota_pct: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="open")


class Rubric(Synced, Base):
    """A scoring template for one target (a role, or sites for the model-site award)."""

    __tablename__ = "rubric"
    __table_args__ = (one_of("target", EVALUATION_TARGETS, "target"),)

    round_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("evaluation_round.id"), index=True)
    target: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)


class RubricItem(Synced, Base):
    """One item: maximum points, weight in percent, and an automatic indicator where the data gives it."""

    __tablename__ = "rubric_item"
    __table_args__ = (one_of("kind", ITEM_KINDS, "kind"),)

    rubric_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("rubric.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default="score")
    max_points: Mapped[float] = mapped_column(Float)
    weight_pct: Mapped[float] = mapped_column(Float)
    indicator: Mapped[str | None] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Evaluation(Synced, Base):
    """One person's (or one site's) evaluation in a round."""

    __tablename__ = "evaluation"
    __table_args__ = (
        Index("uq_evaluation_round_person", "round_id", "person_id", unique=True),
        Index("uq_evaluation_round_site", "round_id", "site_id", unique=True),
    )

    round_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("evaluation_round.id"))
    rubric_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("rubric.id"))
    person_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("person.id"), index=True)
    site_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"))
    unit_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"))
    total: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(12))
    rank_township: Mapped[int | None] = mapped_column(Integer)
    rank_county: Mapped[int | None] = mapped_column(Integer)
    unfit: Mapped[bool] = mapped_column(Boolean, default=False)  # R14: flag for adjustment
    self_summary: Mapped[str | None] = mapped_column(Text)
    opinion: Mapped[str | None] = mapped_column(Text)


class EvaluationScore(Synced, Base):
    """Points for one rubric item in one evaluation."""

    __tablename__ = "evaluation_score"
    __table_args__ = (Index("uq_evaluation_score", "evaluation_id", "item_id", unique=True),)

    evaluation_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("evaluation.id"))
    item_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("rubric_item.id"))
    points: Mapped[float] = mapped_column(Float)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(String(200))
