"""Which fields this office changed that a peer may not know yet (issue 6, item 7: telling an edit from a stale copy).

A row travels whole, so a field that differs between two offices is either an edit or a stale copy of an older
value. The audit log tells them apart: this office's edits of a record are its audit rows, and an edit is news to
the peer when it was made after the last bundle the peer acknowledged was written ("unacknowledged"). Both sides
use it:

- the exporter puts, for each row it sends, the fields it changed since then in the bundle's ``edited_fields``
  table, so the receiver raises a conflict only for fields the sender really edited and quietly keeps its own
  value (as owner) where the sender merely held an older copy;
- the importer asks the same of its own rows before an owner's value replaces one of its fields: a field it
  changed that the sender could not know goes to the conflict queue.

Rows changed through a bulk path (audited per table, not per record) have no per-field answer (None): then
every differing field counts as edited, which may queue a conflict too many but never loses a value.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..data.models import AuditLog, SyncLedger
from . import sync_export

Edits = dict[str, frozenset[str] | None]  #: record id → fields edited (None: unknown, count them all)


def unacknowledged_since(session: Session, own_code: str, peer_code: str) -> dt.datetime | None:
    """When this office wrote the last bundle to *peer_code* that the peer has acknowledged (None: none yet, so
    every edit is unacknowledged)."""
    acked = sync_export.acknowledged(session, peer_code)
    if acked <= 0:
        return None
    best: dt.datetime | None = None
    for at, message in session.execute(select(SyncLedger.at, SyncLedger.message).where(
            SyncLedger.source_office == own_code, SyncLedger.target_office == peer_code,
            SyncLedger.status == "written")):
        try:
            up_to = int(json.loads(message or "{}").get("up_to_seq", 0))
        except (ValueError, TypeError, AttributeError):
            continue
        if up_to <= acked and (best is None or at > best):
            best = at
    return best


def local_edits(conn: Connection, table_name: str, ids: Iterable[str] | None, *, own_code: str,
                since: dt.datetime | None) -> Edits:
    """Records of *table_name* (only *ids*, or all) that this office edited after *since*, with the fields."""
    a = AuditLog.__table__
    stmt = select(a.c.record_id, a.c.action, a.c.field).where(
        a.c.table_name == table_name, a.c.office == own_code, a.c.record_id.is_not(None),
        a.c.account.not_like("同步:%"))
    if since is not None:
        stmt = stmt.where(a.c.at > since)
    wanted = None if ids is None else set(ids)
    out: dict[str, set[str] | None] = {}
    for record_id, action, fld in conn.execute(stmt):
        if wanted is not None and record_id not in wanted:
            continue
        if action == "insert" or fld is None:
            out[record_id] = None
        elif record_id not in out or out[record_id] is not None:
            out.setdefault(record_id, set()).add(fld)  # type: ignore[union-attr]
    return {k: (None if v is None else frozenset(v)) for k, v in out.items()}


def edited_rows(session: Session, tables: Mapping[str, list[dict[str, Any]]], *, own_code: str,
                peer_code: str) -> list[dict[str, Any]]:
    """The bundle's ``edited_fields`` rows: for each row sent whose edits the audit log knows, the fields this
    office changed since the peer's last acknowledgement (``fields`` null: created here or unknown)."""
    since = unacknowledged_since(session, own_code, peer_code)
    conn = session.connection()
    out: list[dict[str, Any]] = []
    for name, rows in tables.items():
        if not rows or name in sync_export.META_TABLES:
            continue
        edits = local_edits(conn, name, (r["id"] for r in rows), own_code=own_code, since=since)
        for record_id, fields in sorted(edits.items()):
            out.append({"id": f"{name}/{record_id}", "fields": None if fields is None else sorted(fields)})
    return out


def parse_edited(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], frozenset[str] | None]:
    """The ``edited_fields`` table of a bundle: (table, record id) → fields (None: every field)."""
    out: dict[tuple[str, str], frozenset[str] | None] = {}
    for row in rows:
        key, fields = row.get("id"), row.get("fields")
        if not isinstance(key, str) or "/" not in key or not (
                fields is None or (isinstance(fields, list) and all(isinstance(f, str) for f in fields))):
            raise ValueError("edited_fields")
        table_name, record_id = key.split("/", 1)
        out[(table_name, record_id)] = None if fields is None else frozenset(fields)
    return out
