"""Backups of the SQLite file with the online backup API, rotated; restore with checks.

The online backup API copies a consistent snapshot even while the program
has the database open in WAL mode, which a plain file copy does not.

A backup's name says when it was taken and why:
``remoteedu-YYYYMMDD-HHMMSS-ffffff[-n]-<label>.sqlite3``. Labels: ``daily``
(first start of each day), ``pre_import``, ``pre_restore``, ``pre_migrate``,
``pre_staff_import``, ``pre_cert_issue``, ``pre_scoring`` (before bulk
changes), ``manual`` (the clerk asked for it), ``usb`` (a copy on a stick),
``damaged`` (the bytes of a database that could not be read, kept as they are).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..errors import DatabaseError, ValidationError

_NAME = re.compile(r"^remoteedu-(\d{8}-\d{6}-\d{6})(?:-(\d+))?-([a-z0-9_]+)\.sqlite3$")
DEFAULT_KEEP = 10
#: Issue 9 item 3: the rotation kept by :func:`rotate_all`.
KEEP_DAILY = 30
KEEP_MONTHLY = 12
#: Never deleted automatically: the clerk asked for these, or they are the only trace of a damaged file.
NEVER_ROTATED = frozenset({"manual", "damaged", "usb"})
CHECKSUM_SUFFIX = ".sha256"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, read before anything is replaced."""

    path: Path
    label: str
    taken: dt.datetime
    revision: str | None
    office: str
    people: int
    units: int
    office_code: str = ""
    office_level: str | None = None
    sites: int = 0
    certificates: int = 0
    trainings: int = 0
    activities: int = 0
    size: int = 0
    checksum_ok: bool | None = None  # None: no .sha256 file beside it


def backup_name(taken: dt.datetime, label: str, n: int = 1) -> str:
    stamp = taken.strftime("%Y%m%d-%H%M%S-%f")
    return f"remoteedu-{stamp}-{label}.sqlite3" if n == 1 else f"remoteedu-{stamp}-{n}-{label}.sqlite3"


def parse_name(path: Path) -> tuple[dt.datetime, str] | None:
    """(when taken, label) from a backup's name; None for a file not named by this program."""
    m = _NAME.match(path.name)
    if not m:
        return None
    return dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S-%f"), m.group(3)


def backup_taken(path: Path) -> dt.datetime:
    """When a backup was taken: from its name, else the file's modification time (a file renamed by hand)."""
    parsed = parse_name(path)
    return parsed[0] if parsed else dt.datetime.fromtimestamp(path.stat().st_mtime)


def _free_target(dest_dir: Path, taken: dt.datetime, label: str) -> Path:
    n = 1
    target = dest_dir / backup_name(taken, label)
    while target.exists():
        n += 1
        target = dest_dir / backup_name(taken, label, n)
    return target


def copy_database(db_path: Path, target: Path) -> None:
    """A consistent copy of *db_path* (WAL included) as one self-contained file at *target*."""
    with closing(sqlite3.connect(db_path)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it


def backup_file(db_path: Path, dest_dir: Path, label: str = "manual", *, keep: int | None = DEFAULT_KEEP,
                now: dt.datetime | None = None) -> Path:
    """Copy *db_path* into *dest_dir* as ``remoteedu-<time>-<label>.sqlite3``; keep the newest *keep* of that label."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = _free_target(dest_dir, now or dt.datetime.now(), label)
    # Written under a name list_backups ignores, renamed when complete: a process killed half way (issue 10
    # item 3) leaves no truncated file that would be offered for restore.
    partial = target.with_name(target.name + ".partial")
    try:
        copy_database(db_path, partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
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


def _delete(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
        Path(str(path) + CHECKSUM_SUFFIX).unlink(missing_ok=True)


def rotate(dest_dir: Path, label: str, keep: int) -> list[Path]:
    """Delete all but the newest *keep* backups of *label*; return what was deleted."""
    backups = list_backups(dest_dir, label)
    doomed = backups[:-keep] if keep > 0 else backups
    _delete(doomed)
    return doomed


def daily_to_keep(daily: list[Path], keep_daily: int = KEEP_DAILY, keep_monthly: int = KEEP_MONTHLY) -> set[Path]:
    """The newest *keep_daily* daily backups, and the newest one of each of the *keep_monthly* newest months.

    Months count only when they hold a backup, so a PC left unused for half a year still keeps a
    year of month ends rather than nothing.
    """
    newest_first = sorted(daily, key=backup_taken, reverse=True)
    keep = set(newest_first[:keep_daily])
    months: set[tuple[int, int]] = set()
    for path in newest_first:
        taken = backup_taken(path)
        month = (taken.year, taken.month)
        if month in months:
            continue
        if len(months) >= keep_monthly:
            break
        months.add(month)
        keep.add(path)
    return keep


def rotate_all(dest_dir: Path, *, keep_daily: int = KEEP_DAILY, keep_monthly: int = KEEP_MONTHLY,
               keep_labelled: int = DEFAULT_KEEP) -> list[Path]:
    """Issue 9 item 3: 30 daily + 12 monthly (the newest daily of each month) + the newest *keep_labelled*
    of every other label (pre_import, pre_restore …). Manual, USB and damaged-file copies are never deleted,
    nor files this program did not name. Returns what was deleted, oldest first."""
    doomed: list[Path] = []
    labels = {parsed[1] for p in list_backups(dest_dir) if (parsed := parse_name(p))}
    for label in sorted(labels - NEVER_ROTATED):
        backups = list_backups(dest_dir, label)
        if label == "daily":
            keep = daily_to_keep(backups, keep_daily, keep_monthly)
            doomed += [p for p in backups if p not in keep]
        else:
            doomed += backups[:-keep_labelled] if keep_labelled > 0 else backups
    doomed.sort(key=backup_taken)
    _delete(doomed)
    return doomed


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksum(path: Path, sha256: str) -> Path:
    """``<file>.sha256`` beside *path* in ``sha256sum`` format (``certutil -hashfile`` shows the same hash)."""
    sidecar = Path(str(path) + CHECKSUM_SUFFIX)
    sidecar.write_text(f"{sha256} *{path.name}\n", encoding="ascii")
    return sidecar


def read_checksum(path: Path) -> str | None:
    sidecar = Path(str(path) + CHECKSUM_SUFFIX)
    if not sidecar.is_file():
        return None
    text = sidecar.read_text(encoding="ascii", errors="replace").strip()
    return text.split()[0].lower() if text else ""


def _has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


def _count(conn: sqlite3.Connection, tables: set[str], table: str, where: str = "") -> int:
    """Live rows of *table*; 0 when an older backup has no such table yet."""
    if table not in tables:
        return 0
    clauses = [where] if where else []
    if _has_column(conn, table, "deleted"):
        clauses.append("deleted = 0")
    sql = f"SELECT count(*) FROM {table}" + (f" WHERE {' AND '.join(clauses)}" if clauses else "")
    return int(conn.execute(sql).fetchone()[0])


def _known_revisions() -> set[str]:
    from . import migrate  # alembic is slow to import; only needed here

    return migrate.known_revisions()


def inspect_backup(path: Path) -> BackupInfo:
    """Open a backup read-only and say what it holds; refuse anything that is not a sound database of ours."""
    if not path.is_file():
        raise ValidationError(f"找不到备份文件 {path}", field="备份文件")
    size = path.stat().st_size
    if size == 0:
        raise ValidationError("备份文件是空的（0 字节），不能用于恢复", field="备份文件", where=str(path))
    with path.open("rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            raise ValidationError("这不是数据库文件（也许已损坏或不是本程序的备份），不能用于恢复",
                                  field="备份文件", where=str(path))
    expected = read_checksum(path)
    checksum_ok = None if expected is None else expected == file_sha256(path)
    if checksum_ok is False:
        raise ValidationError("备份文件与它的校验值（.sha256）不符，复制时可能出错或已损坏，不能用于恢复",
                              field="备份文件", where=str(path))
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
            office = conn.execute("SELECT name, code, level FROM local_office WHERE id = 1").fetchone()
            people = _count(conn, tables, "person")
            units = _count(conn, tables, "org_unit")
            sites = _count(conn, tables, "org_unit", "kind IN ('village', 'enterprise', 'township_station')")
            certificates = _count(conn, tables, "certificate")
            trainings = _count(conn, tables, "training_session")
            activities = _count(conn, tables, "activity")
    except sqlite3.DatabaseError as exc:
        # sqlite3's own words are English ("file is not a database"); the clerk gets the Chinese reason
        raise ValidationError("备份文件已损坏，无法读取，不能用于恢复", field="备份文件", where=str(path)) from exc
    if revision is not None and revision[0] not in _known_revisions():
        raise ValidationError(f"这个备份来自更新版本的程序（数据库版本 {revision[0]}），请先升级程序再恢复",
                              field="备份文件", where=str(path))
    parsed = parse_name(path)
    return BackupInfo(path=path, label=parsed[1] if parsed else "external", taken=backup_taken(path),
                      revision=revision[0] if revision else None, office=office[0] or "" if office else "",
                      people=people, units=units, office_code=(office[1] or "") if office else "",
                      office_level=office[2] if office else None, sites=sites, certificates=certificates,
                      trainings=trainings, activities=activities, size=size, checksum_ok=checksum_ok)


def _remove_journal(db_path: Path) -> None:
    """A -wal or -shm left beside a replaced file would be replayed into the new one: remove them."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)


def restore_file(backup: Path, db_path: Path, dest_dir: Path) -> tuple[BackupInfo, Path | None]:
    """Replace the database at *db_path* with *backup*.

    The backup is checked first (and nothing changes if it is refused); the replaced database is itself
    kept as a ``pre_restore`` backup, or, when it cannot even be read, its bytes as a ``damaged`` copy.
    The restored copy is written beside the database, checked, and then swapped in, so a failure half way
    leaves the current database as it was. Nobody may have *db_path* open (dispose the engine first).
    Returns what was restored and where the old database went.
    """
    info = inspect_backup(backup)
    if db_path.exists() and db_path.resolve() == backup.resolve():
        raise ValidationError("不能用正在使用的数据库文件本身来恢复", field="备份文件", where=str(backup))
    kept: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        try:
            kept = backup_file(db_path, dest_dir, "pre_restore")
        except sqlite3.DatabaseError:
            # The current file is damaged (the usual reason to restore): keep its bytes as they are.
            dest_dir.mkdir(parents=True, exist_ok=True)
            kept = _free_target(dest_dir, dt.datetime.now(), "damaged")
            kept.write_bytes(db_path.read_bytes())
    incoming = db_path.with_name(db_path.name + ".restoring")
    incoming.unlink(missing_ok=True)
    try:
        copy_database(backup, incoming)
        with closing(sqlite3.connect(incoming)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("恢复的副本未通过完整性检查")
        _remove_journal(db_path)
        os.replace(incoming, db_path)
    except (sqlite3.DatabaseError, OSError) as exc:
        incoming.unlink(missing_ok=True)
        raise DatabaseError(f"恢复失败：{exc}。当前数据库未被替换" + (f"，另存在 {kept}" if kept else "")) from exc
    return info, kept
