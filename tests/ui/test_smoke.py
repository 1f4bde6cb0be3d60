"""Smoke test: the main window on a small demo database; every page is visited, with and without a
unit selected in the org tree, and refreshed. Any exception in a slot fails the test (pytest-qt)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from remoteedu_desktop import paths
from remoteedu_desktop.ui.context import AppContext, opened
from remoteedu_desktop.ui.main_window import MainWindow
from remoteedu_desktop.ui.pages import PAGES
from remoteedu_desktop.ui.worker import Job

HAVE_DEMO = importlib.util.find_spec("remoteedu_desktop.services.demo") is not None


@pytest.fixture(autouse=True)
def zh_cn(qapp: QApplication) -> Iterator[None]:
    """Every area's Chinese translation, as the clerk sees the program."""
    translators = []
    for qm in sorted((paths.resources_dir() / "i18n").glob("*_zh_CN.qm")):
        translator = QTranslator()
        assert translator.load(str(qm)), qm
        qapp.installTranslator(translator)
        translators.append(translator)
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


def build(ctx: AppContext, use_demo: bool) -> None:
    """Two townships with three village sites each: the demo, or plain units (no people)."""
    with ctx.session() as session:
        if use_demo:
            from remoteedu_desktop.services import demo

            for _progress in demo.demo_steps(session, townships=2, sites=3, seed=1):
                pass
            return
        from remoteedu_desktop.services import offices, units

        county = offices.init_office(session, level="county", code="360499", name="青山县")
        for t, name in enumerate(("龙潭镇", "石门乡")):
            code = f"360499{100 + t}"
            township = units.add_unit(session, kind="township", name=name, parent_id=county.unit_id, code=code)
            for v in range(3):
                units.add_unit(session, kind="village", name=f"{name}第{v + 1}村", parent_id=township.id,
                               code=f"{code}{200 + v}")


@pytest.fixture(params=[pytest.param(True, id="demo", marks=pytest.mark.skipif(not HAVE_DEMO, reason="no demo")),
                        pytest.param(False, id="units-only")])
def demo_ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AppContext]:
    with opened(f"sqlite:///{tmp_path / 'demo.sqlite3'}") as ctx:
        build(ctx, request.param)
        yield ctx


def test_every_page_opens_on_demo_data(qtbot: QtBot, demo_ctx: AppContext) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.office is not None and window.office.initialized

    tree_ids = window.tree.unit_ids()
    townships = [u for u in tree_ids if window.tree.item_text(u).endswith(("镇", "乡"))]
    assert len(townships) == 2
    site = next(u for u in tree_ids if u not in townships and "县" not in window.tree.item_text(u))

    for spec in PAGES:
        page = window.show_page(spec.key)
        qtbot.wait(1)
        assert window.stack.currentWidget() is page and page.isVisible(), spec.key
        for unit in (townships[0], site, None):
            window.select_unit(unit)
            qtbot.wait(1)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()
        window.refresh_action.trigger()
        assert not window.grab().isNull()
    assert window.stack.count() == len(PAGES)
