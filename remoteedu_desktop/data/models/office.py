"""Local, non-travelling tables: this installation's office, its sync peers and
ledger, accounts, settings and the audit log. They use plain integer keys."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import OFFICE_CODE_LEN, UUID_LEN, Base, one_of


class LocalOffice(Base):
    """The one office this database belongs to (a single row, id 1).

    ``change_counter`` is the office's change counter: it only grows, and
    every flush that changes travelling rows takes the next value (see
    :mod:`remoteedu_desktop.data.stamping`).
    """

    __tablename__ = "local_office"
    __table_args__ = (one_of("level", ("county", "township"), "level", nullable=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str | None] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(OFFICE_CODE_LEN), default="")
    name: Mapped[str] = mapped_column(String(100), default="")
    unit_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    change_counter: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class SyncPeer(Base):
    """Another office this one exchanges bundles with, and its public keys (step 5)."""

    __tablename__ = "sync_peer"
    __table_args__ = (one_of("level", ("county", "township"), "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(OFFICE_CODE_LEN), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    signing_public_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    exchange_public_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_sent_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_received_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncLedger(Base):
    """Every bundle written or read: importing the same bundle twice is recognised here."""

    __tablename__ = "sync_ledger"
    __table_args__ = (
        one_of("direction", ("up", "down"), "direction"),
        one_of("status", ("written", "applied", "refused"), "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_id: Mapped[str] = mapped_column(String(UUID_LEN), unique=True)
    direction: Mapped[str] = mapped_column(String(4))
    source_office: Mapped[str] = mapped_column(String(OFFICE_CODE_LEN))
    target_office: Mapped[str] = mapped_column(String(OFFICE_CODE_LEN))
    sequence: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    previous_sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))
    counts_json: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class SyncConflict(Base):
    """A value that lost a sync merge (issue 6, item 7): kept for the clerk to see and settle side by side.

    One row per record and bundle. ``fields_json`` maps each field in conflict to ``[kept, other]`` (canonical
    sync JSON values): ``kept`` is what the database holds now (the owner's value), ``other`` the value that
    lost. ``kind`` says how it arose: ``edit`` (both sides changed the record), ``deleted_there`` (the other
    side deleted a record this office changed), ``deleted_here`` (this office deleted a record the other side
    changed)."""

    __tablename__ = "sync_conflict"
    __table_args__ = (
        one_of("kind", ("edit", "deleted_there", "deleted_here"), "kind"),
        one_of("winner", ("here", "there"), "winner"),
        one_of("resolution", ("kept", "took_other"), "resolution", nullable=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_id: Mapped[str] = mapped_column(String(UUID_LEN))
    peer_code: Mapped[str] = mapped_column(String(OFFICE_CODE_LEN), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(UUID_LEN))
    record_label: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(14), default="edit")
    winner: Mapped[str] = mapped_column(String(5))  # whose value the database kept: this office's or the peer's
    owner: Mapped[str] = mapped_column(String(100))  # who owns the record, for the clerk
    fields_json: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(50))
    resolution: Mapped[str | None] = mapped_column(String(10))


class Account(Base):
    """A login for shared PCs and servers (optional; step 9)."""

    __tablename__ = "account"
    __table_args__ = (one_of("role", ("clerk", "office_head", "county_admin"), "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(14), default="clerk")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AppSetting(Base):
    """Settings stored in the database (office-wide ones; per-PC ones live in a file)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
    schema_version: Mapped[int] = mapped_column(Integer, default=1)


AUDIT_ACCOUNT_LEN = 100
AUDIT_RECORD_ID_LEN = 200


class AuditLog(Base):
    """Who changed what, when: one row per changed field, or per inserted/removed row."""

    __tablename__ = "audit_log"
    __table_args__ = (
        one_of("action", ("insert", "update", "delete", "bulk_insert"), "action"),
        Index("ix_audit_log_record", "table_name", "record_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    account: Mapped[str] = mapped_column(String(AUDIT_ACCOUNT_LEN))
    office: Mapped[str] = mapped_column(String(OFFICE_CODE_LEN))
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(AUDIT_RECORD_ID_LEN))  # UUIDs, ids, settings keys
    action: Mapped[str] = mapped_column(String(12))
    field: Mapped[str | None] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
