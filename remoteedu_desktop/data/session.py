"""Session scope: the caller owns the transaction; services only use the Session they are given."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ..errors import ConcurrentEditError
from . import stamping

STALE_MESSAGE = "这条记录刚被其他用户（或另一个窗口）修改过，您的修改未保存。请重新打开该记录，核对后再改。"
BUSY_MESSAGE = "数据库正忙：其他用户正在修改相同的数据（例如正在导入或批量发证）。您的修改未保存，请稍后重试。"
# PostgreSQL SQLSTATEs of a lost race: serialization failure, deadlock, lock wait timed out.
_BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def concurrent_edit(exc: BaseException) -> ConcurrentEditError | None:
    """The clerk's message for an error that means "someone else got there first", or None."""
    if isinstance(exc, StaleDataError):
        return ConcurrentEditError(STALE_MESSAGE, field="并发修改")
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        details = exc.orig.args[0] if exc.orig is not None and exc.orig.args else None
        if code is None and isinstance(details, dict):  # pg8000 gives the server's fields as a dict
            code = details.get("C")
        if code in _BUSY_SQLSTATES or "database is locked" in str(exc.orig):
            return ConcurrentEditError(BUSY_MESSAGE, field="并发修改")
    return None


def make_session_factory(engine: Engine, *, account: str | None = None) -> sessionmaker[Session]:
    factory = sessionmaker(bind=engine, expire_on_commit=False, info={"account": account or stamping.os_account()})
    stamping.install(factory)
    return factory


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block ends, roll back when it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException as exc:
        session.rollback()
        mapped = concurrent_edit(exc)
        if mapped is not None:  # issue 10 item 1: a clear message, never a trace
            raise mapped from exc
        raise
    finally:
        session.close()
