"""The conflict queue (issue 6, item 7): values that lost a sync merge, settled side by side by the clerk.

An import never drops a value silently: when two offices changed the same field, the owner's value is in the
database and the other one waits here (see :mod:`sync_import`). The clerk either keeps the current value, or,
where this office owns the field, takes the other value — a normal edit (stamped and audited) that travels in
the next bundle. A value this office does not own cannot be taken here: the owner has to change it, and the
message says who that is.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..data.models import SyncConflict
from ..data.stamping import next_change_seq, utcnow
from ..errors import ValidationError
from . import sync_rows

KIND_LABEL = {"edit": "双方修改了同一字段", "deleted_there": "对方删除了本机修改过的记录",
              "deleted_here": "本机删除了对方修改过的记录"}
FIELD_LABEL = {"deleted": "已删除", "name": "姓名/名称", "phone": "电话", "address": "地址", "title": "标题",
               "contact_person": "联系人", "contact_phone": "联系电话", "notes": "备注", "code": "代码"}


@dataclass(frozen=True)
class ConflictField:
    field: str
    label: str
    kept: str  #: shown value now in the database
    other: str  #: shown value that lost


@dataclass(frozen=True)
class ConflictRow:
    id: int
    at: dt.datetime
    peer_code: str
    table: str
    table_label: str
    record_id: str
    record_label: str
    kind: str
    kind_label: str
    winner: Literal["here", "there"]
    owner: str
    fields: tuple[ConflictField, ...]
    resolved: bool
    resolution: str | None
    can_take_other: bool  #: this office owns the record, so the other value may be taken here


def _show(value: Any) -> str:
    if value is None:
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, dict):
        return "<二进制数据>"
    return str(value)


def _row(c: SyncConflict) -> ConflictRow:
    from .sync_import import TABLE_LABEL

    raw = json.loads(c.fields_json)
    fields = tuple(ConflictField(f, FIELD_LABEL.get(f, f), _show(kept), _show(other))
                   for f, (kept, other) in sorted(raw.items()))
    winner: Literal["here", "there"] = "here" if c.winner == "here" else "there"
    return ConflictRow(c.id, c.at, c.peer_code, c.table_name, TABLE_LABEL.get(c.table_name, c.table_name),
                       c.record_id, c.record_label, c.kind, KIND_LABEL.get(c.kind, c.kind), winner, c.owner, fields,
                       c.resolved_at is not None, c.resolution, winner == "here")


def conflicts(session: Session, *, open_only: bool = True) -> list[ConflictRow]:
    """The queue, newest first (open ones only by default)."""
    stmt = select(SyncConflict).order_by(SyncConflict.at.desc(), SyncConflict.id.desc())
    if open_only:
        stmt = stmt.where(SyncConflict.resolved_at.is_(None))
    return [_row(c) for c in session.scalars(stmt)]


def open_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SyncConflict)
                          .where(SyncConflict.resolved_at.is_(None))) or 0


def resolve(session: Session, conflict_id: int, choice: Literal["keep", "take_other"]) -> None:
    """Settle one conflict: keep the current value, or take the other one (only for a record this office owns;
    written as this office's own edit, so it travels in the next bundle)."""
    c = session.get(SyncConflict, conflict_id)
    where = "同步冲突"
    if c is None:
        raise ValidationError("没有这条冲突记录", field="冲突", where=where)
    if c.resolved_at is not None:
        raise ValidationError(f"这条冲突已于 {c.resolved_at:%Y-%m-%d %H:%M} 处理过", field="冲突", where=where)
    if choice == "take_other":
        if c.winner != "here":
            raise ValidationError(f"该记录由{c.owner}维护，本机不能改用另一值；如需修改，请联系{c.owner}",
                                  field=c.table_name, where=where)
        t = sync_rows.table(c.table_name)
        values = {f: sync_rows.decode_value(c.table_name, f, other)
                  for f, (_kept, other) in json.loads(c.fields_json).items()}
        if session.execute(select(t.c.id).where(t.c.id == c.record_id)).first() is None:
            raise ValidationError("记录已不存在", field=c.table_name, where=where)
        _write_as_edit(session, t.name, c.record_id, values)
    c.resolved_at = utcnow()
    c.resolved_by = str(session.info.get("account") or "")[:50]
    c.resolution = "took_other" if choice == "take_other" else "kept"
    session.flush()


def _write_as_edit(session: Session, table_name: str, record_id: str, values: dict[str, Any]) -> None:
    """Write *values* into the record as this office's edit: stamped for the next bundle and audited per field."""
    from ..data.models import AuditLog

    t = sync_rows.table(table_name)
    conn = session.connection()
    old = conn.execute(select(t).where(t.c.id == record_id)).mappings().one()
    office, seq = next_change_seq(session)
    now = utcnow()
    conn.execute(update(t).where(t.c.id == record_id).values(
        **values, changed_by=office, change_seq=seq, row_version=t.c.row_version + 1, updated_at=now))
    account = str(session.info.get("account") or "")[:50]
    for f, v in values.items():
        if old[f] != v:
            session.add(AuditLog(at=now, account=account, office=office, table_name=table_name, record_id=record_id,
                                 action="update", field=f, old_value=_show(old[f]), new_value=_show(v)))
    session.flush()
