"""The bulk write path: many rows validated first, then written in one statement per table.

Used by imports (Excel rosters, sync bundles) and the scale benchmark. Rows
are checked before anything is written; the caller's transaction makes the
whole batch land or none of it. Each batch takes one value of the office's
change counter and writes one audit row (``bulk_insert``) per table.

On SQLite the rows go straight to the driver's ``executemany`` with the
INSERT compiled from the model's table, in the session's own transaction;
the ORM's unit of work (11× slower than bare, measured) and Core's per-row
parameter processing (1.5×) are skipped. Values are given in the storage
format SQLAlchemy itself uses on SQLite (ISO dates, 0/1 booleans), so the
ORM reads them back unchanged. On PostgreSQL the rows go in one COPY and
updates in one UPDATE … FROM (:mod:`services.server_rows`, issue 10 item 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Attendance, AuditLog, OrgUnit, Person, Post, new_uuids
from ..data.models.base import Base
from ..data.models.office import AUDIT_ACCOUNT_LEN
from ..data.stamping import audit_bulk_insert, next_change_seq, os_account, utcnow
from ..errors import ValidationError
from . import server_rows
from ._common import clean_phone, clean_text
from .id_number import mask_id_number, parse_id_number
from .pinyin import initials
from .posts import ROLE_UNIT_KINDS

_STAMP_KEYS = ("id", "origin", "changed_by", "change_seq", "deleted", "row_version", "updated_at")


@dataclass(frozen=True)
class BulkResult:
    table: str
    count: int
    ids: list[str]


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def insert_rows(session: Session, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                *, note: str = "") -> BulkResult:
    """Stamp and insert *rows* (tuples in the order of *columns*) into a travelling table."""
    if not rows:
        return BulkResult(table.name, 0, [])
    office, seq = next_change_seq(session)
    ids = new_uuids(len(rows))
    now = utcnow()
    all_columns = list(_STAMP_KEYS) + list(columns)
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        stamp = (office, office, seq, 0, 1, now.isoformat(" "))
        # only the columns whose storage differs (booleans, dates) are converted, not every value of every row
        convert = [n for n, c in enumerate(columns) if table.c[c].type.python_type in (bool, dt.date, dt.datetime)]
        if convert:
            def stored(row: Sequence[Any]) -> tuple[Any, ...]:
                out = list(row)
                for n in convert:
                    out[n] = _sqlite_value(out[n])
                return tuple(out)

            data: Iterable[tuple[Any, ...]] = ((rid, *stamp, *stored(row)) for rid, row in zip(ids, rows, strict=True))
        else:
            data = ((rid, *stamp, *row) for rid, row in zip(ids, rows, strict=True))
        sql = (f"INSERT INTO {table.name} ({', '.join(all_columns)}) "
               f"VALUES ({', '.join('?' * len(all_columns))})")
        conn.connection.driver_connection.executemany(sql, data)  # type: ignore[union-attr]
    else:  # a server: one COPY (issue 10 item 1)
        server_stamp = (office, office, seq, False, 1, now)
        server_rows.insert_many(conn, table, all_columns,
                                ((rid, *server_stamp, *row) for rid, row in zip(ids, rows, strict=True)))
    audit_bulk_insert(session, table.name, len(rows), office=office, note=note)
    return BulkResult(table.name, len(rows), ids)


PERSON_COLUMNS = ("name", "name_initials", "gender", "id_number", "birth_date", "ethnicity", "political_status",
                  "education", "phone", "employer", "job_title", "source_category")


def add_people(session: Session, people: Sequence[dict[str, Any]], *, where: str = "",
               today: dt.date | None = None) -> BulkResult:
    """Validate and insert many people; refuse the whole batch on the first bad row, naming it.

    Each dict has ``name`` and ``id_number`` and optionally the other
    :data:`PERSON_COLUMNS`; birth date and gender come from the ID number.
    """
    today = today or dt.date.today()
    existing = dict(session.execute(select(Person.id_number, Person.name)).tuples().all())
    seen: dict[str, int] = {}
    rows = []
    for n, data in enumerate(people, start=1):
        at = f"{where}第 {n} 行" if where else f"第 {n} 行"
        name = (data.get("name") or "").strip()
        try:
            # The same field checks as people.add_person, so a bulk row can later be edited.
            name = clean_text(name, field="姓名", required=True, max_len=50) or ""
            if any(c.isdigit() for c in name):
                raise ValidationError(f"“{name}”含有数字", field="姓名")
            phone = clean_phone(data.get("phone"))
        except ValidationError as exc:
            raise ValidationError(exc.message, field=exc.field, where=at) from exc
        try:
            info = parse_id_number(data.get("id_number") or "", today=today)
        except ValidationError as exc:
            raise ValidationError(exc.message, field=exc.field, where=at) from exc
        if info.number in existing:
            raise ValidationError(f"{mask_id_number(info.number)} 已登记为“{existing[info.number]}”的身份证号码",
                                  field="身份证号码", where=at)
        if info.number in seen:
            raise ValidationError(f"与第 {seen[info.number]} 行的身份证号码重复", field="身份证号码", where=at)
        seen[info.number] = n
        for key, table, label in (("ethnicity", codes.ETHNICITY, "民族"),
                                  ("political_status", codes.POLITICAL_STATUS, "政治面貌"),
                                  ("education", codes.EDUCATION, "学历"),
                                  ("source_category", codes.SOURCE_CATEGORY, "人员来源")):
            value = data.get(key)
            if value and value not in table:
                raise ValidationError(f"“{value}”不是有效的{label}代码", field=label, where=at)
        rows.append((name, initials(name), info.gender, info.number, info.birth_date, data.get("ethnicity"),
                     data.get("political_status"), data.get("education"), phone,
                     data.get("employer"), data.get("job_title"), data.get("source_category")))
    return insert_rows(session, Person.__table__, PERSON_COLUMNS, rows, note="人员")


POST_COLUMNS = ("person_id", "unit_id", "role", "slot", "tenure", "start_date", "start_reason")


def assign_posts(session: Session, posts: Sequence[dict[str, Any]], *, where: str = "") -> BulkResult:
    """Open many posts at once, with the rules of :func:`posts.assign_post` checked for the whole batch (R3)."""
    kinds = dict(session.execute(select(OrgUnit.id, OrgUnit.kind).where(OrgUnit.active.is_(True))).tuples().all())
    taken: dict[tuple[str, str], str] = {
        (u, s): p for u, s, p in session.execute(
            select(Post.unit_id, Post.slot, Post.person_id).where(
                Post.end_date.is_(None), Post.slot.is_not(None), Post.deleted.is_(False))).tuples()}
    rows = []
    for n, data in enumerate(posts, start=1):
        at = f"{where}第 {n} 行" if where else f"第 {n} 行"
        role, unit_id, slot = data.get("role"), data.get("unit_id"), data.get("slot")
        if role not in ROLE_UNIT_KINDS:
            raise ValidationError(f"“{role}”不是有效的职务类别", field="职务类别", where=at)
        kind = kinds.get(unit_id)  # type: ignore[arg-type]
        if kind not in ROLE_UNIT_KINDS[role]:
            raise ValidationError(f"{codes.label(codes.ROLE, role)}不能在该单位任职", field="任职单位",
                                  where=at, rule="R3")
        if (role == "village_manager") != (slot in ("A", "B")):
            raise ValidationError("村站点管理员须且只有其须指定 A岗 或 B岗", field="岗位", where=at, rule="R3")
        if slot:
            if (unit_id, slot) in taken:
                raise ValidationError(f"该站点{slot}岗已有人在岗", field="岗位", where=at, rule="R3")
            other = "B" if slot == "A" else "A"
            if taken.get((unit_id, other)) == data["person_id"]:
                raise ValidationError("同一人不能同时担任A岗和B岗", field="岗位", where=at, rule="R3")
            taken[(unit_id, slot)] = data["person_id"]
        rows.append((data["person_id"], unit_id, role, slot, data.get("tenure", "part_time"),
                     data["start_date"], data.get("start_reason") or "新任"))
    return insert_rows(session, Post.__table__, POST_COLUMNS, rows, note="岗位")


ATTENDANCE_COLUMNS = ("session_id", "person_id", "present", "hours")


def record_attendance(session: Session, rows: Sequence[tuple[str, str, bool, float]]) -> BulkResult:
    """Insert attendance rows (session id, person id, present, hours credited) (R8).

    Hours must lie between 0 and 24; a person appears once per session (the
    database's unique index refuses a repeat and the whole batch rolls back).
    """
    for n, (_sid, _pid, present, hours) in enumerate(rows, start=1):
        if not 0 <= hours <= 24 or (not present and hours):
            raise ValidationError(f"学时 {hours} 无效", field="学时", where=f"第 {n} 行", rule="R8")
    return insert_rows(session, Attendance.__table__, ATTENDANCE_COLUMNS, rows, note="考勤")


# --- the fast, still stamped and audited, update path ----------------------------------------------

_ISO_TYPES = (dt.date, dt.time, dt.datetime)


def _audit_text(value: Any) -> str | None:
    """A value as the audit log shows it (the format of stamping's own entries)."""
    if value is None:
        return None
    if isinstance(value, _ISO_TYPES):
        return value.isoformat()
    return str(value)


_AUDIT_COLUMNS = ("at", "account", "office", "table_name", "record_id", "action", "field", "old_value", "new_value")


def _expire_loaded(session: Session, model: type[Base], ids: Iterable[str]) -> None:
    """Loaded ORM objects of rows changed behind the ORM's back would hold a stale row_version (and the
    next ORM flush of them would fail as a concurrent edit): expire them so they reload."""
    wanted = set(ids)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model) and getattr(obj, "id", None) in wanted:
            session.expire(obj)


def write_updates(session: Session, model: type[Base], columns: Sequence[str],
                  rows: Sequence[tuple[str, Sequence[Any], Sequence[Any]]]) -> int:
    """Update many rows of a travelling table in one ``executemany``: *rows* are (id, old values,
    new values), values in the order of *columns*. Rows whose values do not change are skipped.

    Each written row is stamped like an ORM flush would (row_version + 1, the office's next change_seq,
    changed_by, updated_at) and every changed field gets its audit row (old → new). Returns the count
    of rows written.
    """
    changed = [(rid, old, new) for rid, old, new in rows if tuple(old) != tuple(new)]
    if not changed:
        return 0
    session.flush()  # pending ORM changes land first, so that ours are the last word
    table = model.__table__  # type: ignore[attr-defined]
    table_name = str(table.name)  # a plain str: the driver handles SQLAlchemy's quoted_name per row
    office, seq = next_change_seq(session)
    now = utcnow()
    account = str(session.info.get("account") or os_account())[:AUDIT_ACCOUNT_LEN]  # as stamping's own rows
    audit = [(now, account, office, table_name, rid, "update", c, _audit_text(o), _audit_text(n))
             for rid, old, new in changed
             for c, o, n in zip(columns, old, new, strict=True) if o != n]
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        # As bulk.insert_rows: the driver's executemany in the session's own transaction, values in the
        # storage format SQLAlchemy uses on SQLite (Core's per-row processing doubled the time).
        sets = ", ".join(f"{c} = ?" for c in columns)
        raw = conn.connection.driver_connection
        raw.executemany(  # type: ignore[union-attr]
            f"UPDATE {table.name} SET {sets}, row_version = row_version + 1, change_seq = ?, changed_by = ?, "
            "updated_at = ? WHERE id = ?",
            [(*[_sqlite_value(v) for v in new], seq, office, now.isoformat(" "), rid) for rid, _old, new in changed])
        raw.executemany(  # type: ignore[union-attr]
            f"INSERT INTO {AuditLog.__tablename__} ({', '.join(_AUDIT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_AUDIT_COLUMNS))})",
            [(now.isoformat(" "), *row[1:]) for row in audit])
    else:  # a server: one UPDATE … FROM and one COPY (issue 10 item 1)
        server_rows.update_many(conn, table, columns, [(rid, *new) for rid, _old, new in changed],
                                also={"row_version": table.c.row_version + 1, "change_seq": seq,
                                      "changed_by": office, "updated_at": now})
        server_rows.insert_many(conn, AuditLog.__table__, _AUDIT_COLUMNS, audit)
    _expire_loaded(session, model, (rid for rid, _o, _n in changed))
    return len(changed)
