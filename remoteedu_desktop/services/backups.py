"""Backups the clerk relies on (issue 9 item 3): one a day, one before every bulk change, a verified copy on a
USB stick, and a restore that shows what a backup holds before it replaces anything.

- :func:`daily_backup_if_due` — called once at start: the first start of a day takes a ``daily`` backup and
  rotates the folder (30 daily + 12 monthly + the newest 10 of every other label, :func:`rotate_all`).
- :func:`backup_before` — before an import, a restore, a migration or a bulk change (staff import, certificate
  batch issue, sync import, evaluation scoring); a backup that cannot be written stops the change.
- :func:`backup_to` / :func:`backup_to_steps` — "back up to USB": SQLite's online backup API into a temporary
  file on the stick, ``integrity_check`` on the copy, its SHA-256 written beside it and read back.
- :func:`inspect_backup` then :func:`restore_steps` — "restore from backup": refused with a Chinese reason when
  the file is corrupt or not ours; the replaced database is kept as a ``pre_restore`` backup; the restored one
  is reopened (and migrated when older, with its own ``pre_migrate`` backup).

Backups are plain files, so this works on a Database (its SQLite file), not on a Session.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..data import backup as files
from ..data.backup import BackupInfo, inspect_backup, list_backups, rotate_all
from ..data.database import Database, open_database
from ..errors import DatabaseError, ValidationError
from .progress import Progress, run_to_end

__all__ = [
    "BULK_LABELS", "BackupInfo", "RestoreOutcome", "UsbBackup", "backup_before", "backup_to", "backup_to_steps",
    "daily_backup_if_due", "inspect_backup", "list_backups", "restore_steps", "rotate_all",
]

log = logging.getLogger(__name__)

#: The labels of the backups taken before a bulk change, by what the clerk is about to do.
BULK_LABELS = {
    "sync_import": "pre_import",
    "staff_import": "pre_staff_import",
    "certificate_issue": "pre_cert_issue",
    "evaluation_scoring": "pre_scoring",
    "restore": "pre_restore",
    "migration": "pre_migrate",
}
SERVER_DATABASE = "服务器数据库请用数据库自己的工具（pg_dump）备份和恢复；这里只处理本机的数据库文件。"


@dataclass(frozen=True)
class UsbBackup:
    """A verified copy on a stick: where, its SHA-256 (also in ``<file>.sha256``), size and what it holds."""

    path: Path
    sha256: str
    size: int
    info: BackupInfo


@dataclass(frozen=True)
class RestoreOutcome:
    """What was restored, where the replaced database was kept, and the reopened database to use from now on."""

    info: BackupInfo
    kept: Path | None
    database: Database


def daily_backup_if_due(db: Database, *, now: dt.datetime | None = None) -> Path | None:
    """At start: the first start of each day backs the database up (label ``daily``) and rotates the folder.

    Returns the new backup, or None when today's exists already, the database is a server or not created
    yet, or the backup could not be written (logged: a full disk must not stop the program from starting).
    """
    path = db.path
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return None
    now = now or dt.datetime.now()
    if any(files.backup_taken(p).date() == now.date() for p in list_backups(db.backup_dir, "daily")):
        return None
    try:
        made = files.backup_file(path, db.backup_dir, "daily", keep=None, now=now)
        deleted = rotate_all(db.backup_dir)
    except (OSError, sqlite3.Error) as exc:
        log.warning("daily backup failed: %s", exc)
        return None
    log.info("daily backup %s; rotated away %d", made.name, len(deleted))
    return made


def backup_before(db: Database, what: str) -> Path | None:
    """The backup before a bulk change *what* (a key of :data:`BULK_LABELS`); None for a server database.

    Raises ValidationError when it cannot be written, so the caller does not start the change unprotected.
    """
    if db.path is None:
        return None
    label = BULK_LABELS.get(what, what)
    try:
        return db.backup(label=label)
    except (OSError, sqlite3.Error) as exc:
        raise ValidationError(f"开始之前的备份没有写成（{exc}），为保护数据，本次操作没有进行。请检查磁盘空间后重试",
                              field="备份") from exc


def usb_file_name(now: dt.datetime) -> str:
    """ASCII, so every stick and every Windows takes it; the restore dialog reads the date back from it."""
    return files.backup_name(now, "usb")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    except OSError:  # some file systems (and Windows on a read-only handle) refuse: the read-back still checks
        pass
    finally:
        os.close(fd)


def backup_to_steps(db: Database, folder: Path | str, *,
                    now: dt.datetime | None = None) -> Generator[Progress, None, UsbBackup]:
    """Back up to *folder* (a USB stick), yielding progress; returns the verified copy."""
    if db.path is None:
        raise ValidationError(SERVER_DATABASE, field="备份")
    folder = Path(folder)
    if not str(folder).strip() or not folder.is_dir():
        raise ValidationError(f"文件夹不存在：{folder}", field="备份位置")
    source = db.path
    needed = source.stat().st_size + sum(Path(str(source) + s).stat().st_size
                                         for s in ("-wal",) if Path(str(source) + s).exists())
    free = shutil.disk_usage(folder).free
    if free < needed * 1.1 + (1 << 20):
        raise ValidationError(f"空间不足：备份约需 {needed / 1e6:.1f} MB，这里只剩 {free / 1e6:.1f} MB",
                              field="备份位置", where=str(folder))
    now = now or dt.datetime.now()
    target = folder / usb_file_name(now)
    n = 1
    while target.exists():
        n += 1
        target = folder / files.backup_name(now, "usb", n)
    partial = target.with_name(target.name + ".partial")
    total = 4
    try:
        yield 0, total, "正在复制数据库…"
        partial.unlink(missing_ok=True)
        try:
            files.copy_database(source, partial)
        except sqlite3.Error as exc:
            raise ValidationError(f"复制失败：{exc}", field="备份位置", where=str(folder)) from exc
        _fsync(partial)
        yield 1, total, "正在检查副本…"
        with closing(sqlite3.connect(f"file:{partial.as_posix()}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise ValidationError(f"写到这里的副本未通过完整性检查（{result}），U 盘可能有问题，请换一个再试",
                                  field="备份位置", where=str(folder))
        yield 2, total, "正在计算校验值…"
        sha256 = files.file_sha256(partial)
        files.write_checksum(target, sha256)  # first: a copy under the final name always has its .sha256
        os.replace(partial, target)
        yield 3, total, "正在读回核对…"
        if files.file_sha256(target) != sha256:
            raise ValidationError("读回的副本与写入的不一致，U 盘可能有问题，请换一个再试",
                                  field="备份位置", where=str(folder))
        info = inspect_backup(target)
    finally:
        partial.unlink(missing_ok=True)
    return UsbBackup(path=target, sha256=sha256, size=target.stat().st_size, info=info)


def backup_to(db: Database, folder: Path | str) -> Path:
    """Back up to *folder* (a USB stick): a verified copy, its SHA-256 in ``<file>.sha256`` beside it."""
    return run_to_end(backup_to_steps(db, folder)).path


def restore_steps(db: Database, backup: Path | str) -> Generator[Progress, None, RestoreOutcome]:
    """Replace *db*'s file with *backup* (checked first), keep the replaced one, reopen; yields progress.

    *db* is disposed; use ``outcome.database`` afterwards. Nothing is replaced when the backup is refused.
    If the restored database cannot be opened, the replaced one is put back and DatabaseError says so.
    """
    if db.path is None:
        raise ValidationError(SERVER_DATABASE, field="恢复")
    path, backup = db.path, Path(backup)
    total = 3
    yield 0, total, "正在检查备份文件…"
    inspect_backup(backup)  # refuses a corrupt or foreign file before anything is touched
    yield 1, total, "正在保存当前数据库并恢复…"
    # From here to the end there is no yield: a cancel cannot leave a half-restored database.
    db.dispose()
    info, kept = files.restore_file(backup, path, db.backup_dir)
    try:
        reopened = open_database(f"sqlite:///{path.as_posix()}", backup_dir=db.backup_dir)
    except (DatabaseError, sqlite3.Error, OSError) as exc:
        if kept is not None and files.parse_name(kept) and files.parse_name(kept)[1] == "pre_restore":
            files.restore_file(kept, path, db.backup_dir)
            raise DatabaseError(f"恢复的数据库无法打开（{exc}），已换回原来的数据库") from exc
        raise DatabaseError(f"恢复的数据库无法打开（{exc}）；原来的数据库保存在 {kept}") from exc
    if db.logged_in:  # issue 10 item 5: the login carries over to the reopened database
        reopened.use_account(db.account)
    return RestoreOutcome(info=info, kept=kept, database=reopened)
