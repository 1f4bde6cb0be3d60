"""Posts (R2–R5, R12): who holds which post at which unit, with full history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import codes
from .base import UUID_LEN, Base, Synced, one_of
from .org import OrgUnit
from .people import Person

ROLES = tuple(codes.ROLE)
SLOTS = tuple(codes.SLOT)
TENURES = tuple(codes.TENURE)

_OPEN_SLOT = "end_date IS NULL AND slot IS NOT NULL AND deleted = false"


class Post(Synced, Base):
    """One post held by one person at one unit, from start to end.

    R12: history is never overwritten; ending a post closes it (end date and
    reason) and a change opens a new post. R3: a village site has one open
    post A and one open post B, never the same person on both — the two
    partial unique indexes below make the database refuse a second holder of
    a slot and one person on both slots, whatever code writes.
    """

    __tablename__ = "post"
    __table_args__ = (
        one_of("role", ROLES, "role"),
        one_of("slot", SLOTS, "slot", nullable=True),
        one_of("tenure", TENURES, "tenure"),
        Index("uq_post_open_slot", "unit_id", "slot", unique=True,
              sqlite_where=text(_OPEN_SLOT), postgresql_where=text(_OPEN_SLOT)),
        Index("uq_post_open_person_slot", "unit_id", "person_id", unique=True,
              sqlite_where=text(_OPEN_SLOT), postgresql_where=text(_OPEN_SLOT)),
        Index("ix_post_unit_role", "unit_id", "role"),
    )

    person_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("person.id"), index=True)
    unit_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"))
    role: Mapped[str] = mapped_column(String(20))
    slot: Mapped[str | None] = mapped_column(String(1))
    tenure: Mapped[str] = mapped_column(String(10), default="part_time")
    start_date: Mapped[dt.date] = mapped_column(Date)
    start_reason: Mapped[str | None] = mapped_column(String(200))
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship()
    unit: Mapped[OrgUnit] = relationship()


class PostServedSite(Synced, Base):
    """A tutor's or technician's post serving a site (R4, R5, R9)."""

    __tablename__ = "post_served_site"
    __table_args__ = (Index("uq_post_served_site", "post_id", "site_id", unique=True),)

    post_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("post.id"))
    site_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"), index=True)
