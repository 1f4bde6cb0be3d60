"""Backups with the online API, rotation, and restore that refuses a bad file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from remoteedu_desktop.data import backup
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import OrgUnit
from remoteedu_desktop.errors import ValidationError


def make_db(path: Path, name: str = "青山县") -> None:
    db = open_database(f"sqlite:///{path}")
    with db.session() as s:
        s.add(OrgUnit(kind="county", name=name, code="360499"))
    db.dispose()


def unit_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM org_unit")]


def test_backup_is_a_consistent_copy_while_open(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    db = open_database(f"sqlite:///{path}")
    with db.session() as s:
        s.add(OrgUnit(kind="county", name="青山县", code="360499"))
    target = db.backup("manual", tmp_path / "b")  # taken while the engine is open, data still in the WAL
    db.dispose()
    assert unit_names(target) == ["青山县"]
    info = backup.inspect_backup(target)
    assert info.units == 1 and info.label == "manual"


def test_rotation_keeps_newest(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    make_db(path)
    made = [backup.backup_file(path, tmp_path / "b", "daily", keep=3) for _ in range(5)]
    left = backup.list_backups(tmp_path / "b", "daily")
    assert left == made[-3:]
    backup.backup_file(path, tmp_path / "b", "manual", keep=3)
    assert len(backup.list_backups(tmp_path / "b", "daily")) == 3, "other labels are not rotated away"


def test_restore_replaces_and_keeps_the_replaced(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    make_db(path, "旧县")
    saved = backup.backup_file(path, tmp_path / "b", "manual")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE org_unit SET name = '新县'")
    info, kept = backup.restore_file(saved, path, tmp_path / "b")
    assert unit_names(path) == ["旧县"]
    assert kept is not None and unit_names(kept) == ["新县"]
    assert info.units == 1


def test_corrupt_backup_is_refused_and_nothing_replaced(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    make_db(path)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50 + b"garbage" * 500)
    with pytest.raises(ValidationError):
        backup.restore_file(bad, path, tmp_path / "b")
    assert unit_names(path) == ["青山县"]
    assert backup.list_backups(tmp_path / "b") == []


def test_foreign_database_is_refused_as_backup(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE x (y)")
    with pytest.raises(ValidationError, match="不是本程序"):
        backup.inspect_backup(other)
