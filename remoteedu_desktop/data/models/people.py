"""People: the archive (R10) of managers, tutors and technicians."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import UUID_LEN, Base, Synced, one_of


class Person(Synced, Base):
    """One member of the three backbone teams.

    Personal data (ID number, phone, photo) is shown masked in lists, never
    carried unencrypted on a USB stick, and every change is audited.
    """

    __tablename__ = "person"
    __table_args__ = (
        one_of("gender", ("1", "2"), "gender"),
        Index("uq_person_id_number", "id_number", unique=True),
        Index("ix_person_name", "name"),
    )

    name: Mapped[str] = mapped_column(String(50))
    # Pinyin initials for search-as-you-type (step 2 fills it).
    name_initials: Mapped[str | None] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(1))  # GB/T 2261.1
    id_number: Mapped[str] = mapped_column(String(18))  # GB 11643, normalized to 18 characters
    birth_date: Mapped[dt.date] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(2))  # GB/T 3304
    political_status: Mapped[str | None] = mapped_column(String(2))  # GB/T 4762
    education: Mapped[str | None] = mapped_column(String(2))  # GB/T 4658
    phone: Mapped[str | None] = mapped_column(String(30))
    employer: Mapped[str | None] = mapped_column(String(100))
    job_title: Mapped[str | None] = mapped_column(String(100))
    source_category: Mapped[str | None] = mapped_column(String(30))  # R3–R5 source lists
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    left_reason: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class PersonPhoto(Synced, Base):
    """The 1-inch photo, kept apart so that lists of people never load image bytes."""

    __tablename__ = "person_photo"

    person_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("person.id"), unique=True)
    mime_type: Mapped[str] = mapped_column(String(30), default="image/jpeg")
    image: Mapped[bytes] = mapped_column(LargeBinary)
