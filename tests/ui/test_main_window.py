"""The plain main window opens on a real database and shows the office and counts in Chinese."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from pytestqt.qtbot import QtBot

from remoteedu_desktop import paths
from remoteedu_desktop.cli import main as cli
from remoteedu_desktop.ui.app import load_state, main
from remoteedu_desktop.ui.fonts import install_app_font
from remoteedu_desktop.ui.main_window import MainWindow


def test_main_window_shows_office(qtbot: QtBot, tmp_path: Path) -> None:
    home = tmp_path / "h"
    assert cli(["--home", str(home), "init", "--level", "township", "--code", "360499100", "--name", "龙潭镇"]) == 0
    paths.set_home(home)
    window = MainWindow(load_state())
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "远程教育骨干队伍管理"
    assert "龙潭镇" in window.office_label.text()
    assert "[R2]" in window.warnings_label.text()
    assert str(home) in " ".join(w.text() for w in window.statusBar().findChildren(type(window.office_label)))


def test_bundled_font_covers_demo_names(qapp) -> None:  # type: ignore[no-untyped-def]
    family = install_app_font(qapp)
    assert family is not None
    from PySide6.QtGui import QFont, QFontMetrics

    metrics = QFontMetrics(QFont(family))
    for ch in "远程教育骨干队伍管理喆堃玥昇珺婧燚":
        assert metrics.inFontUcs4(ord(ch)), ch
    assert family in QFontDatabase.families()


def test_screenshot_entry(tmp_path: Path) -> None:
    shot = tmp_path / "main.png"
    assert main(["--home", str(tmp_path / "h"), "--screenshot", str(shot)]) == 0
    assert shot.stat().st_size > 1000
