"""What every ``remoteedu`` subcommand module shares: printing to stdout/stderr at once, and opening the
database with a Chinese message instead of a traceback."""

from __future__ import annotations

import sys

from . import paths
from .data.database import Database, open_database
from .errors import DatabaseError


def out(text: str) -> None:
    print(text, flush=True)


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def open_or_report() -> Database | None:
    """The data directory's database, or None after printing why it cannot be opened."""
    try:
        return open_database(paths.database_url())
    except DatabaseError as exc:
        err(f"错误：{exc}")
        return None
