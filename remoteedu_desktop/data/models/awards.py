"""Award campaigns (R14): model site, excellent manager, tutor, technician."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ... import codes
from .base import UUID_LEN, Base, Synced, one_of

AWARD_KINDS = tuple(codes.AWARD_KIND)


class AwardCampaign(Synced, Base):
    __tablename__ = "award_campaign"
    __table_args__ = (
        one_of("kind", AWARD_KINDS, "kind"),
        one_of("status", ("open", "closed"), "status"),
    )

    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(100))
    quota: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")


class Nomination(Synced, Base):
    """A nominee (a person, or a site for the model-site award) with an approval state."""

    __tablename__ = "nomination"
    __table_args__ = (
        one_of("status", ("proposed", "approved", "rejected"), "status"),
        one_of("source", ("ranking", "manual"), "source"),
    )

    campaign_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("award_campaign.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("person.id"))
    site_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"))
    source: Mapped[str] = mapped_column(String(10), default="manual")
    eligibility_note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    decided_on: Mapped[dt.date | None] = mapped_column(Date)


class Award(Synced, Base):
    """An award written into a person's (or a site's) archive (R10)."""

    __tablename__ = "award"

    campaign_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("award_campaign.id"))
    person_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("person.id"), index=True)
    site_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"))
    title: Mapped[str] = mapped_column(String(200))
    awarded_on: Mapped[dt.date] = mapped_column(Date)
    document_no: Mapped[str | None] = mapped_column(String(100))
