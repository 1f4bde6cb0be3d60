"""Issue 10 item 1: the CLI, the reports and every page of the program run against the database that
``REMOTEEDU_DATABASE_URL`` names — a PostgreSQL server as well as the SQLite file.

Each test runs on SQLite and, when a test server is set (scripts/test.sh starts one), on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pg_server import BACKENDS_WITH_PG8000
from pytestqt.qtbot import QtBot

from remoteedu_desktop import cli, selftest
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.ui.context import AppContext


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(params=BACKENDS_WITH_PG8000)
def backend(request: pytest.FixtureRequest) -> str:
    """SQLite, PostgreSQL through psycopg, and PostgreSQL through pg8000 (the Windows bundle's driver)."""
    return str(request.param)


@pytest.fixture
def demo_url(database_url: Callable[..., str], monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> str:
    """A small demo county built by ``remoteedu demo`` on the database of REMOTEEDU_DATABASE_URL."""
    url = database_url("server/demo.sqlite3")
    monkeypatch.setenv("REMOTEEDU_DATABASE_URL", url)
    code, out, err = run(capsys, "demo", "--townships", "2", "--sites", "3", "--today", "2026-06-30")
    assert code == 0, err
    assert "演示数据库已生成" in out
    return url


def test_cli_reports_and_pages_on_the_named_database(demo_url: str, capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path, backend: str, qtbot: QtBot) -> None:
    code, out, err = run(capsys, "check", "--today", "2026-06-30")
    assert code == 0, err
    assert "完整性检查：通过" in out
    assert ("sqlite" if backend == "sqlite" else "postgresql") in out

    pdf = tmp_path / "staffing.pdf"
    code, out, err = run(capsys, "report", "staffing", "--out", str(pdf))
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    xlsx = tmp_path / "roster.xlsx"
    code, out, err = run(capsys, "report", "roster", "--out", str(xlsx))
    assert code == 0, err
    assert xlsx.stat().st_size > 0

    code, out, err = run(capsys, "backup")
    if backend != "sqlite":  # a server is backed up with its own tools, and the clerk is told so
        assert code != 0 and "pg_dump" in err + out
    else:
        assert code == 0, err
    every_page_opens(demo_url, qtbot, tmp_path)


def every_page_opens(demo_url: str, qtbot: QtBot, tmp_path: Path) -> None:
    """Each page of the main window shows the demo county, no page errors (the self-test's watch)."""
    from remoteedu_desktop.ui.main_window import MainWindow
    from remoteedu_desktop.ui.pages import PAGES
    from remoteedu_desktop.ui.placeholder import PlaceholderPage

    state = selftest._State(folder=tmp_path)
    state.db = open_database(demo_url, account="clerk1")
    try:
        state.ctx = AppContext(state.db)
        with selftest._watched(state):
            window = MainWindow(state.ctx)
            qtbot.addWidget(window)
            window.show()
            assert len(window.tree.unit_ids()) >= 3  # the county, its two townships and their sites
            for spec in PAGES:
                page = window.show_page(spec.key)
                qtbot.wait(10)
                assert not isinstance(page, PlaceholderPage), spec.key
            window.select_unit(window.tree.unit_ids()[-1])
            qtbot.wait(10)
            window.close()
        assert state.slot_errors == []
    finally:
        state.db.dispose()
