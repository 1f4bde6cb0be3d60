"""Declarative base and the columns every travelling row carries.

Rows that travel between offices in sync bundles (step 5) never use
autoincrement ids: they carry a UUID primary key, the office that created them
(``origin``), the office and per-office counter of their last change
(``changed_by``, ``change_seq`` — the counter only grows), a soft-delete
tombstone (``deleted``) and a row version used to detect concurrent edits.
Stamping happens in one place, :mod:`remoteedu_desktop.data.stamping`.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterable

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, Integer, MetaData, String, false, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UUID_LEN = 36
OFFICE_CODE_LEN = 12


def new_uuid() -> str:
    return str(uuid.uuid4())


def new_uuids(count: int) -> list[str]:
    """*count* random (version 4) UUIDs from one read of the OS's random source.

    Bulk paths use this: one ``os.urandom`` call instead of one per row.
    """
    raw = bytearray(os.urandom(16 * count))
    out: list[str] = []
    append = out.append
    for i in range(0, 16 * count, 16):
        raw[i + 6] = (raw[i + 6] & 0x0F) | 0x40
        raw[i + 8] = (raw[i + 8] & 0x3F) | 0x80
        h = raw[i:i + 16].hex()
        append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, values: Iterable[str], name: str, *, nullable: bool = False) -> CheckConstraint:
    """A CHECK that *column* holds one of *values* (codes live in :mod:`remoteedu_desktop.codes`)."""
    allowed = ", ".join(f"'{v}'" for v in values)
    expr = f"{column} IN ({allowed})"
    if nullable:
        expr = f"{column} IS NULL OR {expr}"
    return CheckConstraint(expr, name=name)


class Synced:
    """Mixin for every row that travels in sync bundles."""

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    origin: Mapped[str] = mapped_column(String(OFFICE_CODE_LEN), default="")
    changed_by: Mapped[str] = mapped_column(String(OFFICE_CODE_LEN), default="")
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805 - declarative directive
        return {"version_id_col": cls.row_version}


SYNC_COLUMNS = ("id", "origin", "changed_by", "change_seq", "deleted", "row_version", "updated_at")
