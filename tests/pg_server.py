"""Throwaway PostgreSQL databases for the tests (issue 10 item 1).

When ``REMOTEEDU_TEST_PG_URL`` names a server (``scripts/postgres.sh`` starts one on loopback), the data,
service and sync tests that take the ``database_url`` fixture run twice: on a SQLite file and on a fresh
PostgreSQL database. Each test gets its own database, copied from a template that ``open_database`` migrated
once per test process (``CREATE DATABASE … TEMPLATE``: about 30 ms instead of a migration per test).
"""

from __future__ import annotations

import itertools
import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from remoteedu_desktop.data.database import open_database

PG_URL_ENV = "REMOTEEDU_TEST_PG_URL"


def server_url() -> str | None:
    return os.environ.get(PG_URL_ENV) or None


#: The database backends the ``database_url`` tests run on (issue 10 item 1).
BACKENDS = ["sqlite", "postgresql"] if server_url() else ["sqlite"]
#: Modules that also run on PostgreSQL through pg8000 (the bundle's driver) override ``backend`` with these.
BACKENDS_WITH_PG8000 = [*BACKENDS, "pg8000"] if server_url() else BACKENDS


class PgServer:
    """Creates databases on the test server; drops every one it made."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
        tag = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.prefix = f"re_{tag}".lower()
        self.counter = itertools.count(1)
        self.template: str | None = None
        self.made: list[str] = []

    def url_of(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def _template(self) -> str:
        if self.template is None:
            name = f"{self.prefix}_tpl"
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            self.made.append(name)
            open_database(self.url_of(name), account="template").dispose()
            self.template = name
        return self.template

    def create(self, *, empty: bool = False) -> str:
        """A new database: migrated to head (copied from the template), or *empty*."""
        name = f"{self.prefix}_{next(self.counter)}"
        source = "" if empty else f' TEMPLATE "{self._template()}"'
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{source} STRATEGY FILE_COPY'))
        self.made.append(name)
        return self.url_of(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.made:
            self.made.remove(name)

    def close(self) -> None:
        for name in list(self.made):
            self.drop(self.url_of(name))
        self.admin.dispose()
