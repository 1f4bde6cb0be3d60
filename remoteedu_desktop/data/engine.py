"""Engines for the embedded SQLite file (default) or a PostgreSQL server.

Every SQLite connection gets foreign keys on, WAL, and a busy timeout; the
same code runs on ``postgresql+psycopg://…`` URLs.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from ..errors import DatabaseError

CACHE_KIB = -65536  # negative: KiB, i.e. 64 MiB


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 64 MiB page cache instead of 2 MiB: random UUID keys touch many index pages.
        cursor.execute(f"PRAGMA cache_size={CACHE_KIB}")
    finally:
        cursor.close()


#: On a server, a clerk waits at most this long for another clerk's transaction (an import, a batch) to
#: release a row, then gets a clear "busy, try again" message (data/session.py) instead of a frozen wait.
PG_LOCK_TIMEOUT_MS = 20000


def _available_pg_driver(url: str) -> str:
    """``postgresql+psycopg://`` with pg8000 in its place where psycopg is not installed.

    The Windows bundle carries pg8000 (pure Python, 0.5 MB) rather than psycopg's binary build (12 MB with its
    own libpq and OpenSSL), which would push the program past its size goal; the URL clerks type stays the same.
    """
    if not url.startswith(("postgresql://", "postgresql+psycopg://")):
        return url
    try:
        import psycopg  # noqa: F401
    except ImportError:
        try:
            import pg8000  # noqa: F401
        except ImportError:
            return url  # SQLAlchemy names the missing driver
        return "postgresql+pg8000://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("postgresql"):
        url = _available_pg_driver(url)
        connect_args = dict(kwargs.pop("connect_args", {}))
        if url.startswith("postgresql+pg8000"):
            connect_args["startup_params"] = {**connect_args.get("startup_params", {}),
                                              "lock_timeout": str(PG_LOCK_TIMEOUT_MS)}
        else:
            options = connect_args.get("options", "")
            connect_args["options"] = f"{options} -c lock_timeout={PG_LOCK_TIMEOUT_MS}".strip()
        kwargs["connect_args"] = connect_args
        kwargs.setdefault("pool_pre_ping", True)  # a server restarted overnight: reconnect, don't fail
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def check_sqlite_file(path: Path) -> tuple[str | None, set[str]]:
    """Check an existing SQLite file without changing a byte of it.

    Returns (Alembic revision or None, table names); raises DatabaseError with
    a clear Chinese message when the file is damaged or not a database.
    """
    try:
        with closing(sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)) as conn:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if rows != ["ok"]:
                detail = "；".join(rows[:5])
                raise DatabaseError(f"数据库完整性检查未通过：{detail}。请从备份恢复（remoteedu restore 备份文件）。")
            fk_problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if fk_problems:
                tables = sorted({r[0] for r in fk_problems})
                raise DatabaseError(f"数据库中有 {len(fk_problems)} 条记录引用了不存在的记录"
                                    f"（表：{'、'.join(tables)}）。请从备份恢复。")
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = None
            if "alembic_version" in names:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:  # not a database at all, or unreadable
        raise DatabaseError(f"数据库文件无法打开或已损坏：{exc}。请从备份恢复（remoteedu restore 备份文件）。") from exc
    return revision, names
