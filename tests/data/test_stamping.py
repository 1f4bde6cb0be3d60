"""Sync stamps and the audit log are written for every change, in one place: on SQLite and, when a test server is
set, on PostgreSQL (issue 10 item 1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import Account, AuditLog, LocalOffice, OrgUnit, new_uuids


@pytest.fixture
def db(database_url: Callable[..., str]) -> Iterator[Database]:
    database = open_database(database_url("s.sqlite3"), account="clerk1")
    with database.session() as s:
        office = s.get(LocalOffice, 1)
        assert office is not None
        office.code, office.level, office.name = "360499100", "township", "龙潭镇"
    yield database
    database.dispose()


def test_new_rows_get_uuid_origin_and_counter(db: Database) -> None:
    with db.session() as s:
        unit = OrgUnit(kind="county", name="青山县", code="360499")
        s.add(unit)
    assert len(unit.id) == 36 and unit.id.count("-") == 4
    assert unit.origin == "360499100" and unit.changed_by == "360499100"
    first = unit.change_seq
    with db.session() as s:
        s.get(OrgUnit, unit.id).name = "青山县（改）"
    with db.session() as s:
        again = s.get(OrgUnit, unit.id)
        assert again.change_seq > first, "the per-office counter only grows"
        assert again.row_version == 2
        assert again.origin == "360499100"


def test_audit_log_has_who_what_old_and_new(db: Database) -> None:
    with db.session() as s:
        unit = OrgUnit(kind="county", name="青山县", code="360499")
        s.add(unit)
    with db.session() as s:
        s.get(OrgUnit, unit.id).name = "绿水县"
    with db.session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.record_id == unit.id).order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["insert", "update"]
    assert rows[0].account == "clerk1" and rows[0].office == "360499100" and rows[0].table_name == "org_unit"
    assert "青山县" in (rows[0].new_value or "")
    assert (rows[1].field, rows[1].old_value, rows[1].new_value) == ("name", "青山县", "绿水县")


def test_unchanged_assignment_writes_nothing(db: Database) -> None:
    with db.session() as s:
        unit = OrgUnit(kind="county", name="青山县", code="360499")
        s.add(unit)
    with db.session() as s:
        before = s.query(AuditLog).count()
        seq = s.get(LocalOffice, 1).change_counter
        s.get(OrgUnit, unit.id).name = "青山县"
    with db.session() as s:
        assert s.query(AuditLog).count() == before
        assert s.get(LocalOffice, 1).change_counter == seq


def test_hard_delete_of_travelling_row_is_refused(db: Database) -> None:
    with db.session() as s:
        unit = OrgUnit(kind="county", name="青山县", code="360499")
        s.add(unit)
    with pytest.raises(RuntimeError, match="tombstone"), db.session() as s:
        s.delete(s.get(OrgUnit, unit.id))
    with db.session() as s:
        assert s.get(OrgUnit, unit.id) is not None


def test_secret_columns_are_not_logged(db: Database) -> None:
    with db.session() as s:
        s.add(Account(username="li", display_name="李明", role="clerk", password_hash="argon2$secret"))
    with db.session() as s:
        logged = " ".join(r.new_value or "" for r in s.scalars(select(AuditLog)))
    assert "secret" not in logged


def test_concurrent_edit_is_detected_by_row_version(db: Database) -> None:
    with db.session() as s:
        unit = OrgUnit(kind="county", name="青山县", code="360499")
        s.add(unit)
    first, second = db.factory(), db.factory()
    try:
        a, b = first.get(OrgUnit, unit.id), second.get(OrgUnit, unit.id)
        a.name = "甲"
        first.commit()
        b.name = "乙"
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()


def test_bulk_uuids_are_unique_version_4() -> None:
    ids = new_uuids(10_000)
    assert len(set(ids)) == 10_000
    assert all(i[14] == "4" and i[19] in "89ab" for i in ids)
