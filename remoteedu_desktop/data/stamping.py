"""One place where every change is stamped for sync and written to the audit log.

A ``before_flush`` listener on the session factory:

- takes the next value of this office's change counter (it only grows) once
  per flush that changes travelling rows, and stamps each new or changed row
  with ``changed_by`` (the office code) and ``change_seq`` (that value);
- gives new rows their UUID and ``origin`` office;
- refuses hard deletes of travelling rows (R1: deactivate or tombstone, never
  silently delete — a hard delete could not travel to the other office);
- writes the audit log: who, when, table, record, field, old → new.

Bulk write paths that bypass the ORM call :func:`next_change_seq` and
:func:`audit_bulk_insert` themselves.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from .models.base import Base, Synced, new_uuid
from .models.office import AUDIT_ACCOUNT_LEN, AuditLog, LocalOffice

# Columns that only the stamping itself changes; auditing them would be noise.
_STAMP_COLUMNS = frozenset({"changed_by", "change_seq", "row_version", "updated_at"})
# Never written to the audit log in clear.
_SECRET_COLUMNS = frozenset({"password_hash"})
# Tables that are themselves logs, or the counter.
_UNAUDITED = (AuditLog, LocalOffice)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def os_account() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some Windows service accounts
        return "unknown"


def install(factory: sessionmaker[Session]) -> None:
    from sqlalchemy import event

    event.listen(factory, "before_flush", _before_flush)


def next_change_seq(session: Session) -> tuple[str, int]:
    """Take the next value of this office's change counter; return (office code, value)."""
    table = LocalOffice.__table__
    conn = session.connection()
    row = conn.execute(
        table.update().where(table.c.id == 1).values(change_counter=table.c.change_counter + 1)
        .returning(table.c.code, table.c.change_counter)
    ).first()
    if row is None:
        conn.execute(table.insert().values(id=1, code="", name="", change_counter=1))
        return "", 1
    return row[0], int(row[1])


def _fmt(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if key in _SECRET_COLUMNS:
        return "***"
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} 字节>"
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    return str(value)


def _snapshot(obj: Base) -> str:
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _STAMP_COLUMNS:
            continue
        value = _fmt(attr.key, getattr(obj, attr.key))
        if value is not None:
            values[attr.key] = value
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def _record_id(obj: Base) -> str | None:
    ident = inspect(obj).identity
    if ident:
        return str(ident[0])
    value = getattr(obj, "id", None)
    return None if value is None else str(value)


def _before_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    if session.info.get("sync_import"):
        return  # rows applied from a bundle keep the stamps of the office that changed them
    new = [o for o in session.new if not isinstance(o, _UNAUDITED)]
    dirty = [o for o in session.dirty
             if not isinstance(o, _UNAUDITED) and session.is_modified(o, include_collections=False)]
    deleted = [o for o in session.deleted if not isinstance(o, _UNAUDITED)]
    if not (new or dirty or deleted):
        return
    for obj in deleted:
        if isinstance(obj, Synced):
            raise RuntimeError(
                f"{type(obj).__name__} rows travel between offices: set deleted=True (a tombstone) "
                "or deactivate them instead of deleting (R1)"
            )

    office, seq = next_change_seq(session)
    now = utcnow()
    account = str(session.info.get("account") or os_account())[:AUDIT_ACCOUNT_LEN]
    entries: list[AuditLog] = []

    def log(obj: Base, action: str, field: str | None = None, old: str | None = None,
            new_value: str | None = None) -> None:
        entries.append(AuditLog(at=now, account=account, office=office, table_name=obj.__tablename__,
                                record_id=_record_id(obj), action=action, field=field,
                                old_value=old, new_value=new_value))

    for obj in new:
        if isinstance(obj, Synced):
            if obj.id is None:
                obj.id = new_uuid()
            if not obj.origin:
                obj.origin = office
            obj.changed_by = office
            obj.change_seq = seq
            obj.updated_at = now
        log(obj, "insert", new_value=_snapshot(obj))

    for obj in dirty:
        state = inspect(obj)
        changes = []
        for attr in state.mapper.column_attrs:
            if attr.key in _STAMP_COLUMNS:
                continue
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new_val = hist.added[0] if hist.added else None
            if old == new_val:
                continue
            changes.append((attr.key, _fmt(attr.key, old), _fmt(attr.key, new_val)))
        if not changes:
            continue
        if isinstance(obj, Synced):
            obj.changed_by = office
            obj.change_seq = seq
            obj.updated_at = now
        for key, old, new_val in changes:
            log(obj, "update", key, old, new_val)

    for obj in deleted:
        log(obj, "delete", old=_snapshot(obj))

    session.add_all(entries)


def audit_bulk_insert(session: Session, table_name: str, count: int, *, office: str, note: str = "") -> None:
    """One audit row for a bulk insert of *count* rows (the rows themselves carry their stamps)."""
    session.add(AuditLog(at=utcnow(), account=str(session.info.get("account") or os_account())[:AUDIT_ACCOUNT_LEN],
                         office=office, table_name=table_name, record_id=None, action="bulk_insert",
                         field=None, old_value=None, new_value=f"{count} 行 {note}".strip()))


def local_office(session: Session) -> LocalOffice | None:
    return session.scalar(select(LocalOffice).where(LocalOffice.id == 1))
