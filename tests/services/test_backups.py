"""Backups the clerk relies on (issue 9 items 3 and 7): daily once a day, rotation, a verified copy on a stick,
restore refusing a corrupt or foreign file, keeping the replaced database and showing the counts first.

Backups are SQLite files, so these tests run on SQLite; only the server case runs on PostgreSQL too (issue 10)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from remoteedu_desktop.data import backup as files
from remoteedu_desktop.data import migrate
from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import OrgUnit
from remoteedu_desktop.errors import DatabaseError, ValidationError
from remoteedu_desktop.services import backups, offices
from remoteedu_desktop.services.demo import generate_demo
from remoteedu_desktop.services.progress import run_to_end

NOON = dt.datetime(2026, 3, 10, 12, 0)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'live.sqlite3'}", backup_dir=tmp_path / "backups")
    with database.session() as s:
        offices.init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
    yield database
    database.dispose()


def unit_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM org_unit")}


def add_unit(db: Database, name: str, code: str) -> None:
    with db.session() as s:
        parent = s.query(OrgUnit).filter_by(kind="township").one()
        s.add(OrgUnit(kind="village", name=name, code=code, parent_id=parent.id))


# --- daily ----------------------------------------------------------------------------------------------

def test_daily_backup_once_per_day(db: Database) -> None:
    first = backups.daily_backup_if_due(db, now=NOON)
    assert first is not None and first.exists()
    assert files.parse_name(first) == (NOON, "daily")
    assert backups.daily_backup_if_due(db, now=NOON + dt.timedelta(hours=5)) is None, "second start same day"
    next_day = backups.daily_backup_if_due(db, now=NOON + dt.timedelta(days=1))
    assert next_day is not None and next_day != first
    assert len(files.list_backups(db.backup_dir, "daily")) == 2


def test_daily_backup_holds_the_data_and_rotates_the_folder(db: Database) -> None:
    start = dt.datetime(2025, 1, 1, 8)
    for n in range(40):  # forty weekly old daily backups (Jan-Sep 2025), and a pile of old imports
        files.backup_file(db.path, db.backup_dir, "daily", keep=None, now=start + dt.timedelta(weeks=n))
    for n in range(12):
        files.backup_file(db.path, db.backup_dir, "pre_import", keep=None, now=start + dt.timedelta(hours=n))
    add_unit(db, "石门村", "360499100201")
    made = backups.daily_backup_if_due(db, now=NOON)
    assert made is not None and "石门村" in unit_names(made)
    daily = files.list_backups(db.backup_dir, "daily")
    assert len(daily) == 30 + 2, "30 newest, plus the newest of January and February 2025"
    assert daily[-1] == made
    assert len(files.list_backups(db.backup_dir, "pre_import")) == files.DEFAULT_KEEP


def test_daily_backup_of_a_fresh_or_server_database_is_skipped(database_url: Callable[..., str],
                                                               tmp_path: Path) -> None:
    """A SQLite file not written yet, or a server database (PostgreSQL when a test server is set, issue 10):
    no daily backup; on a server the bulk changes go ahead without one and USB backup and restore are refused."""
    database = open_database(database_url("fresh.sqlite3"), backup_dir=tmp_path / "backups")
    try:
        if database.path is not None:
            database.dispose()
            database.path.write_bytes(b"")
        assert backups.daily_backup_if_due(database, now=NOON) is None
        if database.path is None:
            assert backups.backup_before(database, "staff_import") is None
            with pytest.raises(ValidationError, match="pg_dump"):
                backups.backup_to(database, tmp_path)
            with pytest.raises(ValidationError, match="pg_dump"):
                run_to_end(backups.restore_steps(database, tmp_path / "any.sqlite3"))
        assert not (tmp_path / "backups").exists()
    finally:
        database.dispose()


def test_daily_backup_failure_does_not_stop_the_start(db: Database) -> None:
    db.backup_dir.parent.mkdir(parents=True, exist_ok=True)
    blocked = db.backup_dir.parent / "blocked"
    blocked.write_text("a file where the folder should be")
    db.backup_dir = blocked
    assert backups.daily_backup_if_due(db, now=NOON) is None


# --- before a bulk change -------------------------------------------------------------------------------

def test_backup_before_a_bulk_change_is_labelled(db: Database) -> None:
    made = backups.backup_before(db, "staff_import")
    assert made is not None and files.parse_name(made)[1] == "pre_staff_import"
    assert files.parse_name(backups.backup_before(db, "certificate_issue"))[1] == "pre_cert_issue"
    assert files.parse_name(backups.backup_before(db, "evaluation_scoring"))[1] == "pre_scoring"


def test_backup_before_that_cannot_be_written_refuses_the_change(db: Database, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("x")
    db.backup_dir = blocked
    with pytest.raises(ValidationError, match="没有进行"):
        backups.backup_before(db, "staff_import")


# --- back up to USB -------------------------------------------------------------------------------------

def test_backup_to_a_stick_is_verified_with_a_checksum(db: Database, tmp_path: Path) -> None:
    add_unit(db, "石门村", "360499100201")  # still in the WAL: the online backup must include it
    stick = tmp_path / "E"
    stick.mkdir()
    steps: list[str] = []
    result = run_to_end(backups.backup_to_steps(db, stick, now=NOON), lambda d, t, text: steps.append(text))
    assert result.path.parent == stick and result.path.name.isascii()
    assert "石门村" in unit_names(result.path)
    assert result.sha256 == files.file_sha256(result.path)
    sidecar = Path(str(result.path) + ".sha256").read_text(encoding="ascii")
    assert sidecar == f"{result.sha256} *{result.path.name}\n"
    assert result.info.checksum_ok is True and result.info.office == "龙潭镇"
    assert [p.name for p in stick.iterdir() if p.suffix == ".partial"] == []
    assert len(steps) == 4
    assert backups.backup_to(db, stick) != result.path


def test_backup_to_a_missing_folder_is_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="文件夹不存在"):
        backups.backup_to(db, tmp_path / "no stick")


def test_a_copy_changed_on_the_stick_is_refused_by_its_checksum(db: Database, tmp_path: Path) -> None:
    made = backups.backup_to(db, tmp_path)
    with sqlite3.connect(made) as conn:  # still a sound database, but not the bytes that were written
        conn.execute("UPDATE local_office SET name = '别的镇'")
    with pytest.raises(ValidationError, match="校验值"):
        backups.inspect_backup(made)


# --- inspect and restore --------------------------------------------------------------------------------

def test_inspect_shows_date_office_revision_and_counts(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with database.session() as s:
        generate_demo(s, townships=1, sites=2)
    database.dispose()
    made = files.backup_file(database.path, tmp_path / "b", "manual", now=dt.datetime(2026, 1, 2, 3, 4, 5))
    info = backups.inspect_backup(made)
    assert info.taken == dt.datetime(2026, 1, 2, 3, 4, 5) and info.label == "manual"
    assert (info.office, info.office_level, info.revision) == ("青山县", "county", migrate.head_revision())
    # the demo's own summary: 4 sites, 20 people, 18 certificates, 38 training sessions, 11 activities
    assert (info.sites, info.people, info.certificates, info.trainings, info.activities) == (4, 20, 18, 38, 11)
    assert info.units == 6 and info.size == made.stat().st_size


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "空的"),
    (b"PK\x03\x04 this is a zip file" * 20, "不是数据库文件"),
    (b"SQLite format 3\x00" + b"\x00" * 50 + b"garbage" * 500, "损坏"),
])
def test_corrupt_backup_is_refused_with_a_chinese_reason_and_nothing_replaced(
        db: Database, tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    add_unit(db, "石门村", "360499100201")
    with pytest.raises(ValidationError, match=reason):
        run_to_end(backups.restore_steps(db, bad))
    assert files.list_backups(db.backup_dir, "pre_restore") == []
    assert "石门村" in unit_names(db.path)
    with db.session() as s:  # still open and in use: nothing was disposed or replaced
        assert s.query(OrgUnit).filter_by(name="石门村").count() == 1


def test_truncated_backup_is_refused(db: Database, tmp_path: Path) -> None:
    good = db.backup("manual")
    cut = tmp_path / "cut.sqlite3"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ValidationError, match="损坏"):
        backups.inspect_backup(cut)


def test_foreign_database_and_newer_program_are_refused(tmp_path: Path, db: Database) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE x (y)")
    with pytest.raises(ValidationError, match="不是本程序"):
        backups.inspect_backup(other)
    newer = db.backup("manual")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(ValidationError, match="更新版本"):
        backups.inspect_backup(newer)


def test_restore_replaces_keeps_the_replaced_and_reopens(db: Database) -> None:
    add_unit(db, "石门村", "360499100201")
    saved = db.backup("manual")
    add_unit(db, "后来村", "360499100202")  # made after the backup: lost by the restore, kept in pre_restore
    outcome = run_to_end(backups.restore_steps(db, saved))
    try:
        with outcome.database.session() as s:
            names = {u.name for u in s.query(OrgUnit)}
        assert "石门村" in names and "后来村" not in names
        assert outcome.kept is not None and files.parse_name(outcome.kept)[1] == "pre_restore"
        assert "后来村" in unit_names(outcome.kept)
        assert outcome.info.office == "龙潭镇"
        add_unit(outcome.database, "新村", "360499100203")  # the reopened database takes writes
    finally:
        outcome.database.dispose()
    assert "新村" in unit_names(db.path)
    assert not Path(str(db.path) + ".restoring").exists()


def test_restore_of_a_damaged_current_database_keeps_its_bytes(db: Database, tmp_path: Path) -> None:
    saved = db.backup("manual")
    db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(db.path) + suffix).unlink(missing_ok=True)
    db.path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    damaged_bytes = db.path.read_bytes()
    outcome = run_to_end(backups.restore_steps(db, saved))
    outcome.database.dispose()
    assert outcome.kept is not None and files.parse_name(outcome.kept)[1] == "damaged"
    assert outcome.kept.read_bytes() == damaged_bytes
    assert "龙潭镇" in unit_names(db.path)


def test_restore_cancelled_before_replacing_changes_nothing(db: Database) -> None:
    saved = db.backup("manual")
    add_unit(db, "后来村", "360499100202")
    steps = backups.restore_steps(db, saved)
    next(steps)
    next(steps)  # the last yield before the replace
    steps.close()
    assert "后来村" in unit_names(db.path)
    assert files.list_backups(db.backup_dir, "pre_restore") == []


def test_restore_of_the_live_file_itself_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="正在使用"):
        files.restore_file(db.path, db.path, db.backup_dir)


def test_restore_that_cannot_be_opened_puts_the_old_database_back(db: Database, monkeypatch) -> None:
    saved = db.backup("manual")
    add_unit(db, "后来村", "360499100202")

    def refuse(*_a, **_k):
        raise DatabaseError("迁移失败")

    monkeypatch.setattr(backups, "open_database", refuse)
    with pytest.raises(DatabaseError, match="换回"):
        run_to_end(backups.restore_steps(db, saved))
    assert "后来村" in unit_names(db.path)
