"""Opening a database: pragmas, integrity check, backup before migration, refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from remoteedu_desktop.data import backup, migrate
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import LocalOffice
from remoteedu_desktop.errors import DatabaseError


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_new_database_is_migrated_and_has_office_row(tmp_path: Path) -> None:
    db = open_database(url(tmp_path / "a.sqlite3"))
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    with db.session() as s:
        office = s.get(LocalOffice, 1)
        assert office is not None and office.level is None and office.change_counter == 0
    db.dispose()
    assert not list((tmp_path / "backups").glob("*.sqlite3")), "a new database needs no backup"


def test_every_connection_has_foreign_keys_and_wal(tmp_path: Path) -> None:
    db = open_database(url(tmp_path / "a.sqlite3"))
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    db.dispose()


def test_corrupt_file_is_refused_with_chinese_message(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    db = open_database(url(path))
    with db.session() as s:
        s.execute(text("CREATE TABLE filler (x TEXT)"))
        s.execute(text("INSERT INTO filler VALUES (:x)"), [{"x": "填充" * 200} for _ in range(300)])
    db.engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 12)):  # scribble over interior pages
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError) as err:
        open_database(url(path))
    assert "备份" in str(err.value)


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    path.write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(DatabaseError, match="无法打开或已损坏"):
        open_database(url(path))


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE something (x)")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="不是本程序的数据库"):
        open_database(url(path))
    assert path.read_bytes() == before


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    open_database(url(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(DatabaseError, match="比本程序新"):
        open_database(url(path))


def test_older_database_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    open_database(url(path)).dispose()
    # Pretend the file is at the base of the chain with an empty schema version: downgrade to base.
    from alembic import command

    from remoteedu_desktop.data.engine import make_engine
    engine = make_engine(url(path))
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "base")
    engine.dispose()
    with sqlite3.connect(path) as conn:  # an "old" database: has a version table but no revision row
        conn.execute("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL)")
    db = open_database(url(path))
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    db.dispose()
    found = backup.list_backups(tmp_path / "backups", "pre_migrate")
    assert len(found) == 1
