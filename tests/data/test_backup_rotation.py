"""Rotation of the backup folder (issue 9 item 3): 30 daily + 12 monthly + the newest N of every other label.

Backups are dated by their names (and a hand-renamed file by its modification time), so no test sleeps.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from remoteedu_desktop.data import backup


def touch(folder: Path, when: dt.datetime, label: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / backup.backup_name(when, label)
    path.write_bytes(b"x")
    return path


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(n) for n in range((last - first).days + 1)]


def test_daily_keeps_30_newest_and_the_last_of_each_of_12_months(tmp_path: Path) -> None:
    for day in days(dt.date(2025, 1, 1), dt.date(2026, 3, 31)):
        touch(tmp_path, dt.datetime.combine(day, dt.time(8, 30)), "daily")
    deleted = backup.rotate_all(tmp_path)
    left = {backup.backup_taken(p).date() for p in backup.list_backups(tmp_path, "daily")}
    newest_30 = set(days(dt.date(2026, 3, 2), dt.date(2026, 3, 31)))
    month_ends = {dt.date(2026, 2, 28), dt.date(2026, 1, 31)} | {
        dt.date(2025, m + 1, 1) - dt.timedelta(1) for m in range(4, 12)} | {dt.date(2025, 12, 31)}
    assert left == newest_30 | month_ends
    assert len(left) == 30 + 11  # March's last day is among the newest 30
    assert dt.date(2025, 3, 31) not in left, "a 13th month is not kept"
    assert len(deleted) == 455 - 41
    assert not any(p.exists() for p in deleted)


def test_monthly_keeps_the_newest_of_a_month_not_the_first(tmp_path: Path) -> None:
    early = touch(tmp_path, dt.datetime(2025, 6, 2, 9), "daily")
    late = touch(tmp_path, dt.datetime(2025, 6, 20, 9), "daily")
    backup.rotate_all(tmp_path, keep_daily=0)
    assert not early.exists() and late.exists()


def test_labelled_backups_keep_n_each_and_manual_usb_damaged_are_never_deleted(tmp_path: Path) -> None:
    start = dt.datetime(2026, 1, 1, 10)
    pre_import = [touch(tmp_path, start + dt.timedelta(hours=n), "pre_import") for n in range(14)]
    pre_restore = [touch(tmp_path, start + dt.timedelta(hours=n), "pre_restore") for n in range(3)]
    manual = [touch(tmp_path, start + dt.timedelta(days=n), "manual") for n in range(25)]
    damaged = touch(tmp_path, start, "damaged")
    foreign = tmp_path / "my copy.sqlite3"
    foreign.write_bytes(b"x")
    backup.rotate_all(tmp_path, keep_labelled=10)
    assert backup.list_backups(tmp_path, "pre_import") == pre_import[-10:]
    assert backup.list_backups(tmp_path, "pre_restore") == pre_restore
    assert backup.list_backups(tmp_path, "manual") == manual
    assert damaged.exists() and foreign.exists()


def test_rotation_removes_the_checksum_beside_a_deleted_backup(tmp_path: Path) -> None:
    old = touch(tmp_path, dt.datetime(2026, 1, 1), "pre_import")
    sidecar = backup.write_checksum(old, "0" * 64)
    touch(tmp_path, dt.datetime(2026, 1, 2), "pre_import")
    backup.rotate_all(tmp_path, keep_labelled=1)
    assert not old.exists() and not sidecar.exists()


def test_a_renamed_file_is_dated_by_its_modification_time(tmp_path: Path) -> None:
    path = tmp_path / "from the county.sqlite3"
    path.write_bytes(b"x")
    when = dt.datetime(2024, 5, 6, 7, 8, 9)
    os.utime(path, (when.timestamp(), when.timestamp()))
    assert backup.backup_taken(path) == when
    named = touch(tmp_path, dt.datetime(2026, 2, 3, 4, 5, 6, 7), "daily")
    assert backup.backup_taken(named) == dt.datetime(2026, 2, 3, 4, 5, 6, 7)


def test_empty_or_missing_folder_rotates_nothing(tmp_path: Path) -> None:
    assert backup.rotate_all(tmp_path / "none") == []
    assert backup.rotate_all(tmp_path) == []
