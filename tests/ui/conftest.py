"""Fixtures shared by the UI tests: the app in Chinese, and a township office's database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from remoteedu_desktop import paths
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.services import offices
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.fonts import install_app_font


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    install_app_font(qapp)
    translators = []
    for qm in sorted((paths.resources_dir() / "i18n").glob("*_zh_CN.qm")):
        translator = QTranslator()
        assert translator.load(str(qm)), qm
        QCoreApplication.installTranslator(translator)
        translators.append(translator)
    yield
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


@pytest.fixture
def ctx(tmp_path: Path, chinese: None, sqlite_template: Path) -> Iterator[AppContext]:
    shutil.copyfile(sqlite_template, tmp_path / "t.sqlite3")  # a migrated database, copied (tests/conftest.py)
    db = open_database(f"sqlite:///{tmp_path / 't.sqlite3'}", account="clerk1")
    with db.session() as s:
        offices.init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
    context = AppContext(db)
    yield context
    db.dispose()
