"""Teaching activities (R13) and site equipment with fault tickets (R9)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ... import codes
from .base import UUID_LEN, Base, Synced, one_of

FAULT_STATUSES = tuple(codes.FAULT_STATUS)


class Activity(Synced, Base):
    """A teaching activity a site logged, through one of the service channels of R13."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_site_date", "site_id", "date"),)

    site_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    participants: Mapped[int] = mapped_column(Integer, default=0)
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    notes: Mapped[str | None] = mapped_column(Text)


class ActivityTutor(Synced, Base):
    """A tutor who led or supported an activity."""

    __tablename__ = "activity_tutor"
    __table_args__ = (Index("uq_activity_tutor", "activity_id", "person_id", unique=True),)

    activity_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("activity.id"))
    person_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("person.id"), index=True)


class Equipment(Synced, Base):
    """One piece of receiving or teaching equipment at a site (R9)."""

    __tablename__ = "equipment"

    site_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    model: Mapped[str | None] = mapped_column(String(100))
    serial_no: Mapped[str | None] = mapped_column(String(100))
    supplier: Mapped[str | None] = mapped_column(String(100))
    installed_on: Mapped[dt.date | None] = mapped_column(Date)
    in_service: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(Text)


class FaultTicket(Synced, Base):
    """A fault reported at a site, assigned to a technician, resolved (R9)."""

    __tablename__ = "fault_ticket"
    __table_args__ = (one_of("status", FAULT_STATUSES, "status"),)

    site_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"), index=True)
    equipment_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("equipment.id"))
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reported_by: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text)
    technician_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("person.id"), index=True)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
