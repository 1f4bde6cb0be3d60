"""Tiered training (R6–R8): plans, sessions, enrolments, attendance, assessment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from ... import codes
from .base import UUID_LEN, Base, Synced, one_of

ORGANIZER_LEVELS = tuple(codes.ORGANIZER_LEVEL)
TARGET_LEVELS = ("county", "township", "village")
TRAINING_KINDS = tuple(codes.TRAINING_KIND)
TRAINING_MODES = tuple(codes.TRAINING_MODE)


class TrainingPlan(Synced, Base):
    """A training organized by one level for one kind of staff (R6).

    ``topics`` is a bit mask over the seven topics of R7 (topic n is bit n-1);
    see :func:`remoteedu_desktop.codes.topics_to_mask`.
    """

    __tablename__ = "training_plan"
    __table_args__ = (
        one_of("organizer_level", ORGANIZER_LEVELS, "organizer_level"),
        one_of("target_level", TARGET_LEVELS, "target_level"),
        one_of("kind", TRAINING_KINDS, "kind"),
        one_of("mode", TRAINING_MODES, "mode"),
    )

    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, index=True)
    organizer_level: Mapped[str] = mapped_column(String(12))
    organizer_unit_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"))
    organizer_department: Mapped[str | None] = mapped_column(String(100))
    target_role: Mapped[str] = mapped_column(String(20))
    target_level: Mapped[str] = mapped_column(String(10))
    topics: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))
    mode: Mapped[str] = mapped_column(String(12))
    planned_hours: Mapped[float] = mapped_column(Float, default=0.0)
    pass_mark: Mapped[float] = mapped_column(Float, default=60.0)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class TrainingSession(Synced, Base):
    """One sitting of a plan; the instructor is a tutor from the archive or a named outsider."""

    __tablename__ = "training_session"

    plan_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("training_plan.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    place: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    instructor_person_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("person.id"))
    instructor_name: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)


class Enrolment(Synced, Base):
    """A person enrolled in a plan, with self-study hours and the assessment result (R8)."""

    __tablename__ = "enrolment"
    __table_args__ = (Index("uq_enrolment_plan_person", "plan_id", "person_id", unique=True),)

    plan_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("training_plan.id"))
    person_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("person.id"), index=True)
    self_study_hours: Mapped[float] = mapped_column(Float, default=0.0)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class Attendance(Synced, Base):
    """Whether a person attended one session, and the hours credited."""

    __tablename__ = "attendance"
    __table_args__ = (Index("uq_attendance_session_person", "session_id", "person_id", unique=True),)

    session_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("training_session.id"))
    person_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("person.id"), index=True)
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str | None] = mapped_column(String(200))
