"""Certificates (R11): templates, the numbered register, frozen issues, print log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from ... import codes
from .base import UUID_LEN, Base, Synced, one_of

CERTIFICATE_KINDS = tuple(codes.CERTIFICATE_KIND)
CERTIFICATE_STATUSES = tuple(codes.CERTIFICATE_STATUS)


class CertificateTemplate(Synced, Base):
    """A printing layout; ``layout_json`` holds every element's position in mm, font and size."""

    __tablename__ = "certificate_template"
    __table_args__ = (
        one_of("kind", CERTIFICATE_KINDS, "kind"),
        one_of("stock", ("plain", "preprinted"), "stock"),
    )

    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(100))
    stock: Mapped[str] = mapped_column(String(12), default="plain")
    layout_json: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class CertificateAsset(Synced, Base):
    """An image a certificate printed (photo, seal), stored once by its SHA-256 and never changed,
    so a reprint uses the same picture after the person's photo or the office seal changed."""

    __tablename__ = "certificate_asset"
    __table_args__ = (Index("uq_certificate_asset_sha256", "sha256", unique=True),)

    sha256: Mapped[str] = mapped_column(String(64))
    mime_type: Mapped[str] = mapped_column(String(30), default="image/jpeg")
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CertificateSerial(Synced, Base):
    """The last serial used per kind and year: numbers have no gaps and are never reused (R11)."""

    __tablename__ = "certificate_serial"
    __table_args__ = (Index("uq_certificate_serial_kind_year", "kind", "year", unique=True),)

    kind: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)


class Certificate(Synced, Base):
    """One issued certificate. Its printed content is frozen at issue time:
    ``snapshot_json`` holds the data and ``pdf_sha256`` the hash of the rendered PDF."""

    __tablename__ = "certificate"
    __table_args__ = (
        one_of("kind", CERTIFICATE_KINDS, "kind"),
        one_of("status", CERTIFICATE_STATUSES, "status"),
        Index("uq_certificate_number", "number", unique=True),
    )

    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("person.id"), index=True)
    post_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("post.id"))
    enrolment_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("enrolment.id"))
    template_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("certificate_template.id"))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    term_start: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="valid")
    status_reason: Mapped[str | None] = mapped_column(String(200))
    status_changed_on: Mapped[dt.date | None] = mapped_column(Date)
    replaces_id: Mapped[str | None] = mapped_column(String(UUID_LEN), ForeignKey("certificate.id"))
    snapshot_json: Mapped[str | None] = mapped_column(Text)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    issued_by: Mapped[str | None] = mapped_column(String(50))


class CertificatePrint(Base):
    """Every print of a certificate: who, when, which printer or file. Local to one office."""

    __tablename__ = "certificate_print"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    certificate_id: Mapped[str] = mapped_column(String(UUID_LEN), ForeignKey("certificate.id"), index=True)
    printed_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    account: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(200))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
