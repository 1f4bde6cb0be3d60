"""The set-based write paths of the bulk services on a server (services/server_rows.py, issue 10 item 1): many
rows in one COPY, many updates in one UPDATE … FROM, refusals raised as SQLAlchemy's own exceptions and nothing
written. Each test runs on SQLite (Core's executemany, the fallback) and, when a test server is set, PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import AuditLog, OrgUnit, Person
from remoteedu_desktop.services import bulk, offices, server_rows

TODAY = dt.date(2026, 6, 30)
MANY = server_rows.SET_BASED_FROM + 50  # past the threshold: the temporary table path on PostgreSQL


def _people(make_id: Callable[..., str], n: int) -> list[dict[str, str]]:
    return [{"name": f"张{chr(0x4E00 + k)}", "id_number": make_id(dt.date(1970, 1, 1) + dt.timedelta(days=k), 1 + 2 * k)}
            for k in range(n)]


def test_many_people_in_and_updated_with_stamps_and_audit(db: Database, office: offices.OfficeInfo,
                                                          make_id: Callable[..., str]) -> None:
    with db.session() as s:
        ids = bulk.add_people(s, _people(make_id, MANY), today=TODAY).ids
    with db.session() as s:
        rows = {p.id: p for p in s.scalars(select(Person))}
        assert len(rows) == MANY and set(rows) == set(ids)
        first = rows[ids[0]]
        assert (first.birth_date, first.deleted, first.row_version, first.origin) == (
            dt.date(1970, 1, 1), False, 1, office.code)
        seq_before = first.change_seq
        many = [(pid, (rows[pid].phone, rows[pid].employer), (f"1380000{k:04d}", "石门村村委会"))
                for k, pid in enumerate(ids)]
        few = many[:3]
        assert bulk.write_updates(s, Person, ("phone", "employer"), many) == MANY
        # a second batch in the same transaction (another temporary table on a server) and a small one
        assert bulk.write_updates(s, Person, ("phone", "employer"),
                                  [(pid, new, ("13900000000", None)) for pid, _old, new in few]) == 3
    with db.session() as s:
        people = {p.id: p for p in s.scalars(select(Person))}
        k = 7
        assert (people[ids[k]].phone, people[ids[k]].employer, people[ids[k]].row_version) == (
            f"1380000{k:04d}", "石门村村委会", 2)
        assert people[ids[k]].change_seq > seq_before and people[ids[k]].changed_by == office.code
        assert (people[ids[0]].phone, people[ids[0]].employer, people[ids[0]].row_version) == ("13900000000", None, 3)
        updates = s.scalars(select(AuditLog).where(AuditLog.action == "update")).all()
        assert len(updates) == 2 * MANY + 3 * 2
        assert {(a.field, a.old_value, a.new_value) for a in updates if a.record_id == ids[k]} == {
            ("phone", None, f"1380000{k:04d}"), ("employer", None, "石门村村委会")}


def test_a_duplicate_in_a_copy_is_an_integrity_error_and_writes_nothing(db: Database, office: offices.OfficeInfo,
                                                                        make_id: Callable[..., str]) -> None:
    with db.session() as s:
        [existing] = bulk.add_people(s, _people(make_id, 1), today=TODAY).ids
    table = Person.__table__
    now = dt.datetime(2026, 6, 30, 8)
    columns = ["id", "origin", "changed_by", "change_seq", "deleted", "row_version", "updated_at", "name", "gender",
               "id_number", "birth_date"]
    rows = [(f"new-{k}", "x", "x", 1, False, 1, now, "李四", "1", make_id(dt.date(1990, 1, 1), 101 + 2 * k),
             dt.date(1990, 1, 1)) for k in range(MANY)]
    rows.append((existing, *rows[0][1:]))
    with pytest.raises(IntegrityError), db.session() as s:
        server_rows.insert_many(s.connection(), table, columns, rows)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 1


def test_a_value_too_long_is_refused_by_a_server(db: Database, office: offices.OfficeInfo) -> None:
    """PostgreSQL enforces VARCHAR widths (a DataError, nothing written); SQLite stores the longer text."""
    table = OrgUnit.__table__
    columns = ["id", "origin", "changed_by", "change_seq", "deleted", "row_version", "updated_at", "kind", "name",
               "active", "sort_order"]
    now = dt.datetime(2026, 6, 30, 8)
    rows = [(f"u{k}", "x", "x", 1, False, 1, now, "village", f"村{k}", True, k) for k in range(MANY)]
    rows[-1] = (*rows[-1][:8], "村" * 300, True, 0)
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(OrgUnit))
    if db.path is not None:
        with db.session() as s:
            assert server_rows.insert_many(s.connection(), table, columns, rows) == MANY
        return
    with pytest.raises(DataError), db.session() as s:
        server_rows.insert_many(s.connection(), table, columns, rows)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(OrgUnit)) == before


def test_updates_inside_a_rolled_back_savepoint_leave_nothing(db: Database, office: offices.OfficeInfo,
                                                              make_id: Callable[..., str]) -> None:
    with db.session() as s:
        ids = bulk.add_people(s, _people(make_id, MANY), today=TODAY).ids
    with db.session() as s:
        nested = s.begin_nested()
        server_rows.update_many(s.connection(), Person.__table__, ["phone"], [(pid, "13700000000") for pid in ids])
        assert s.scalar(select(func.count()).select_from(Person).where(Person.phone == "13700000000")) == MANY
        nested.rollback()
        assert s.scalar(select(func.count()).select_from(Person).where(Person.phone.is_not(None))) == 0
        # the transaction goes on after the rolled back savepoint (PostgreSQL would refuse an aborted one)
        server_rows.update_many(s.connection(), Person.__table__, ["phone"], [(ids[0], "13600000000")])
    with db.session() as s:
        assert s.scalar(select(Person.phone).where(Person.id == ids[0])) == "13600000000"
        assert s.scalar(select(func.count()).select_from(Person).where(Person.phone.is_not(None))) == 1
