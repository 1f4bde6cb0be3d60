"""Backups of the SQLite file with the online backup API, rotated; restore with checks.

The online backup API copies a consistent snapshot even while the program
has the database open in WAL mode, which a plain file copy does not.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..errors import DatabaseError, ValidationError

_NAME = re.compile(r"^remoteedu-(\d{8}-\d{6}-\d{6})(?:-(\d+))?-([a-z0-9_]+)\.sqlite3$")
DEFAULT_KEEP = 10


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    label: str
    taken: dt.datetime
    revision: str | None
    office: str
    people: int
    units: int


def backup_file(db_path: Path, dest_dir: Path, label: str = "manual", *, keep: int | None = DEFAULT_KEEP) -> Path:
    """Copy *db_path* into *dest_dir* as ``remoteedu-<time>-<label>.sqlite3``; keep the newest *keep* of that label."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = dest_dir / f"remoteedu-{stamp}-{label}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = dest_dir / f"remoteedu-{stamp}-{n}-{label}.sqlite3"
    with closing(sqlite3.connect(db_path)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    if keep is not None:
        rotate(dest_dir, label, keep)
    return target


def list_backups(dest_dir: Path, label: str | None = None) -> list[Path]:
    """Backups in *dest_dir* (optionally of one label), oldest first."""
    if not dest_dir.is_dir():
        return []
    found = []
    for path in dest_dir.iterdir():
        m = _NAME.match(path.name)
        if m and (label is None or m.group(3) == label):
            found.append((m.group(1), int(m.group(2) or 1), path))
    return [p for _, _, p in sorted(found)]


def rotate(dest_dir: Path, label: str, keep: int) -> list[Path]:
    """Delete all but the newest *keep* backups of *label*; return what was deleted."""
    backups = list_backups(dest_dir, label)
    doomed = backups[:-keep] if keep > 0 else backups
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def inspect_backup(path: Path) -> BackupInfo:
    """Open a backup read-only and say what it holds; refuse anything that is not a sound database of ours."""
    if not path.is_file():
        raise ValidationError(f"找不到备份文件 {path}", field="备份文件")
    try:
        with closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)) as conn:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                raise ValidationError(f"备份文件已损坏（{'；'.join(result[:3])}），不能用于恢复", field="备份文件",
                                      where=str(path))
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"alembic_version", "local_office", "person", "org_unit"} <= tables:
                raise ValidationError("这不是本程序的数据库备份", field="备份文件", where=str(path))
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            office = conn.execute("SELECT name FROM local_office WHERE id = 1").fetchone()
            people = conn.execute("SELECT count(*) FROM person WHERE deleted = 0").fetchone()[0]
            units = conn.execute("SELECT count(*) FROM org_unit WHERE deleted = 0").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ValidationError(f"无法读取备份文件：{exc}", field="备份文件", where=str(path)) from exc
    m = _NAME.match(path.name)
    taken = (dt.datetime.strptime(m.group(1)[:15], "%Y%m%d-%H%M%S") if m
             else dt.datetime.fromtimestamp(path.stat().st_mtime))
    return BackupInfo(path=path, label=m.group(3) if m else "external", taken=taken,
                      revision=revision[0] if revision else None, office=office[0] if office else "",
                      people=int(people), units=int(units))


def restore_file(backup: Path, db_path: Path, dest_dir: Path) -> tuple[BackupInfo, Path | None]:
    """Replace the database at *db_path* with *backup*.

    The backup is checked first; the replaced database is itself kept as a
    ``pre_restore`` backup. Returns what was restored and where the old one went.
    """
    info = inspect_backup(backup)
    kept: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        try:
            kept = backup_file(db_path, dest_dir, "pre_restore")
        except sqlite3.DatabaseError:
            # The current file is damaged (the usual reason to restore): keep its bytes as they are.
            kept = dest_dir / f"remoteedu-{dt.datetime.now():%Y%m%d-%H%M%S}-damaged.sqlite3"
            kept.write_bytes(db_path.read_bytes())
            for suffix in ("-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            db_path.unlink()
    try:
        with closing(sqlite3.connect(backup)) as src, closing(sqlite3.connect(db_path)) as dst:
            src.backup(dst)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"恢复失败：{exc}。原数据库已保存在 {kept}") from exc
    return info, kept
