"""Opening a database: integrity check, backup, migrate to head, the local office row.

This is the one way the CLI, the GUI and the tests open a database, so the
start-up promises hold everywhere: a damaged SQLite file is refused with a
clear Chinese message; a database older than the program is backed up
(online backup API, rotated) and migrated; a newer one is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from .. import paths
from ..errors import DatabaseError
from . import backup, migrate, stamping
from .engine import check_sqlite_file, make_engine
from .models import LocalOffice
from .session import make_session_factory, session_scope

#: Key in ``session.info``: True when ``account`` is a verified login (services/accounts.py), not the OS user.
LOGGED_IN = "logged_in"
# The CLI's ``--user`` login: databases this process opens afterwards use that account (see set_process_login).
_process_login: str | None = None


def set_process_login(username: str | None) -> None:
    """After the CLI verified ``--user``, audit every database this process opens under *username*."""
    global _process_login
    _process_login = username


class Database:
    """An open database: its engine, a session factory and, for SQLite, the file."""

    def __init__(self, engine: Engine, factory: sessionmaker[Session], backup_dir: Path) -> None:
        self.engine = engine
        self.factory = factory
        self.backup_dir = backup_dir

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if self.engine.dialect.name != "sqlite":
            return None
        name = self.engine.url.database
        return Path(name) if name and name != ":memory:" else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.factory) as session:
            yield session

    def backup(self, label: str = "manual", dest_dir: Path | None = None,
               keep: int | None = backup.DEFAULT_KEEP) -> Path:
        if self.path is None:
            raise DatabaseError("服务器数据库请用 pg_dump 备份；本命令只备份本机数据库文件。")
        return backup.backup_file(self.path, dest_dir or self.backup_dir, label, keep=keep)

    @property
    def account(self) -> str:
        """The name the audit log records for changes made through this database's sessions."""
        return str(self.factory.kw.get("info", {}).get("account") or "")

    @property
    def logged_in(self) -> bool:
        """Whether :attr:`account` is a verified login (``use_account``), not the computer's user name."""
        return bool(self.factory.kw.get("info", {}).get(LOGGED_IN))

    def use_account(self, username: str | None) -> None:
        """After a login (services.accounts.login), audit new sessions under *username*; None: the OS user."""
        self.factory.configure(info={"account": username or stamping.os_account(), LOGGED_IN: username is not None})

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def open_database(url: str | None = None, *, backup_dir: Path | None = None, account: str | None = None,
                  migrate_to_head: bool = True) -> Database:
    """Open (creating or migrating as needed) the database at *url* (default: the data directory's file)."""
    url = url or paths.database_url()
    file = _sqlite_file(url)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
    backups = backup_dir or (file.parent / "backups" if file is not None else paths.backup_dir())
    existed = file is not None and file.exists() and file.stat().st_size > 0
    if existed and file is not None:
        revision, tables = check_sqlite_file(file)  # read-only: a refused file stays untouched
        if revision is not None and revision not in migrate.known_revisions():
            raise DatabaseError(f"数据库版本（{revision}）比本程序新，请升级程序后再打开。数据库未被修改。")
        if revision is None and tables - {"alembic_version"}:
            raise DatabaseError("这个文件不是本程序的数据库（缺少版本信息），未作任何修改。")
    engine = make_engine(url)
    try:
        current = migrate.current_revision(engine)
        if current is not None and current not in migrate.known_revisions():
            raise DatabaseError(f"数据库版本（{current}）比本程序新，请升级程序后再打开。数据库未被修改。")
        if current != migrate.head_revision() and migrate_to_head:
            if existed and file is not None:
                backup.backup_file(file, backups, "pre_migrate")
            migrate.upgrade_to_head(engine)
        factory = make_session_factory(engine, account=account)
        with session_scope(factory) as session:
            if session.get(LocalOffice, 1) is None:
                session.add(LocalOffice(id=1, level=None, code="", name="", change_counter=0))
    except BaseException:
        engine.dispose()
        raise
    database = Database(engine, factory, backups)
    if account is None and _process_login is not None:
        database.use_account(_process_login)
    return database
