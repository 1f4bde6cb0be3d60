"""Shared fixtures. Qt runs offscreen; every database is a real SQLite file in tmp_path, and, when
``REMOTEEDU_TEST_PG_URL`` names a PostgreSQL server, also a fresh PostgreSQL database (``database_url``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from pg_server import BACKENDS, BACKENDS_WITH_PG8000, PgServer, server_url  # noqa: E402  (tests/ is on sys.path: rootdir conftest)

from remoteedu_desktop import paths  # noqa: E402
from remoteedu_desktop.data.database import open_database  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test touches the real data directory."""
    home = tmp_path / "home"
    monkeypatch.setenv("REMOTEEDU_HOME", str(home))
    monkeypatch.delenv("REMOTEEDU_DATABASE_URL", raising=False)
    paths.set_home(None)
    yield home
    paths.set_home(None)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    url = server_url()
    if url is None:
        yield None
        return
    server = PgServer(url)
    yield server
    server.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per test process; tests get a copy (about 0.2 s saved per test)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_database(f"sqlite:///{path}", account="template").dispose()
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module", params=BACKENDS)
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                        sqlite_template: Path, pg_server: PgServer | None) -> Iterator[str]:
    """A database migrated to head on each backend under test, built once per test module (for modules whose
    tests only read it, or write in a session they roll back)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("module") / "module.sqlite3"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    assert pg_server is not None
    url = pg_server.create()
    yield url
    pg_server.drop(url)


DatabaseUrl = Callable[..., str]


@pytest.fixture
def database_url(backend: str, tmp_path: Path, pg_server: PgServer | None,
                 sqlite_template: Path) -> Iterator[DatabaseUrl]:
    """``database_url(file)``: the URL of a new database on this test's backend: the SQLite *file* (relative
    to tmp_path), or a fresh PostgreSQL database migrated to head (``empty=True``: one with no tables)."""
    made: list[str] = []

    def make(file: str = "t.sqlite3", *, empty: bool = False) -> str:
        if backend == "sqlite":
            path = tmp_path / file
            path.parent.mkdir(parents=True, exist_ok=True)
            if not empty:
                shutil.copyfile(sqlite_template, path)
            return f"sqlite:///{path}"
        assert pg_server is not None
        url = pg_server.create(empty=empty)
        if backend == "pg8000":  # the pure-Python driver the Windows bundle carries (data/engine.py)
            url = url.replace("postgresql+psycopg://", "postgresql+pg8000://")
        made.append(url)
        return url

    yield make
    if pg_server is not None:
        for url in made:
            pg_server.drop(url)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran on each database backend (issue 10: PostgreSQL as well as SQLite)."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []):
        for name in BACKENDS_WITH_PG8000:
            if f"[{name}" in report.nodeid or f"-{name}]" in report.nodeid or f"-{name}-" in report.nodeid:
                counts[name] = counts.get(name, 0) + 1
    if counts:
        shown = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
        terminalreporter.write_line(f"database tests passed per backend: {shown}")
    if server_url() is None:
        terminalreporter.write_line("PostgreSQL tests not run: REMOTEEDU_TEST_PG_URL is not set (scripts/test.sh sets it)")
