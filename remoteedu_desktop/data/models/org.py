"""Org units (R1): county → townships → sites."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ... import codes
from .base import UUID_LEN, Base, Synced, one_of

UNIT_KINDS = tuple(codes.UNIT_KIND)


class OrgUnit(Synced, Base):
    """A county, a township, or a site (village / enterprise / township station).

    R1: every unit keeps a stable statistical code where known (county 6,
    township 9, village 12 digits) and is deactivated, never silently deleted.
    """

    __tablename__ = "org_unit"
    __table_args__ = (
        one_of("kind", UNIT_KINDS, "kind"),
        Index("uq_org_unit_code", "code", unique=True),
    )

    parent_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("org_unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    address: Mapped[str | None] = mapped_column(String(200))
    contact_person: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    notes: Mapped[str | None] = mapped_column(Text)

    parent: Mapped[OrgUnit | None] = relationship(remote_side="OrgUnit.id", back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent")
