"""Unexpected errors (issue 9, item 4): a Chinese message without a traceback, logged, with a diagnostic zip."""

from __future__ import annotations

import logging
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QtMsgType, qCritical
from PySide6.QtWidgets import QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from remoteedu_desktop import logs, paths
from remoteedu_desktop.services import people
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.errors import ErrorDialog, ErrorReporter, install_error_handlers
from remoteedu_desktop.ui.errors.dialog import qt_message_handler

SHOTS = Path("/tmp/step8/R")
SECRET = "不该出现的内部细节"


@pytest.fixture
def logged() -> Iterator[Path]:
    level = logging.getLogger().level
    yield logs.setup_logging(paths.data_dir())
    logs.shutdown_logging()
    logging.getLogger().setLevel(level)


@pytest.fixture
def shown() -> list[ErrorDialog]:
    return []


@pytest.fixture
def reporter(qtbot: QtBot, ctx: AppContext, logged: Path, shown: list[ErrorDialog]) -> Iterator[ErrorReporter]:
    """The hooks installed as main() does, with a run_dialog that shows the message instead of a modal loop."""
    reporter = install_error_handlers(ctx)

    def run(dialog: QDialog) -> int:
        assert isinstance(dialog, ErrorDialog)
        qtbot.addWidget(dialog)
        dialog.show()
        shown.append(dialog)
        return 0

    reporter.run_dialog = run
    yield reporter
    reporter.uninstall()


def _visible_text(dialog: ErrorDialog) -> str:
    widgets = [*dialog.findChildren(QLabel), *dialog.findChildren(QPushButton)]
    return "\n".join(w.text() for w in widgets if w.isVisibleTo(dialog)) + "\n" + dialog.windowTitle()


@pytest.mark.qt_no_exception_capture
def test_error_in_a_slot_shows_the_message_without_a_traceback(qtbot: QtBot, reporter: ErrorReporter,
                                                               shown: list[ErrorDialog], logged: Path,
                                                               tmp_path: Path) -> None:
    button = QPushButton("go")
    qtbot.addWidget(button)

    def broken() -> None:
        raise RuntimeError(SECRET)

    button.clicked.connect(broken)
    button.click()
    assert len(shown) == 1 and reporter.shown == 1
    dialog = shown[0]
    text = _visible_text(dialog)
    assert dialog.windowTitle() == "意外错误"
    assert dialog.message.text().startswith("程序遇到意外错误，已记录")
    assert "保存诊断包…" in text
    for technical in ("Traceback", "RuntimeError", SECRET, "broken", ".py"):
        assert technical not in text
    logs.shutdown_logging()
    log_text = logged.read_text(encoding="utf-8")
    assert "Traceback" in log_text and f"RuntimeError: {SECRET}" in log_text and "in broken" in log_text
    dialog.resize(520, 220)
    qtbot.wait(10)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(tmp_path / "error.png"))
    dialog.grab().save(str(SHOTS / "error_dialog.png"))


def test_save_button_writes_the_zip(qtbot: QtBot, ctx: AppContext, logged: Path, tmp_path: Path) -> None:
    with ctx.session() as s:
        person = people.add_person(s, people.PersonInput(name="司马相如", id_number="36049919800517001X",
                                                         phone="13812345678"))
    logging.getLogger("remoteedu_desktop.test").error("boom for 司马相如")
    dialog = ErrorDialog(ctx)
    qtbot.addWidget(dialog)
    asked: list[str] = []

    def choose(_parent: object, _title: str, suggested: str) -> str:
        asked.append(suggested)
        return str(tmp_path / "diag")  # no suffix: .zip is added

    dialog.choose_save_path = choose
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].startswith("remoteedu-diagnostics-") and asked[0].endswith(".zip")
    zip_path = tmp_path / "diag.zip"
    assert dialog.saved_path == zip_path and zip_path.is_file()
    assert str(zip_path) in dialog.outcome.text() and dialog.outcome.isVisibleTo(dialog)
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        bodies = [archive.read(n).decode("utf-8") for n in names]
    assert {"info.json", "settings.json", "logs/remoteedu.log"} <= set(names)
    assert '"Qt"' in bodies[names.index("info.json")] and '"program"' in bodies[names.index("settings.json")]
    for body in bodies:
        assert person.name not in body and "36049919800517001X" not in body and "13812345678" not in body


def test_cancelled_save_writes_nothing(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dialog = ErrorDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.choose_save_path = lambda *_: None
    assert dialog.save_package() is None
    assert dialog.saved_path is None and not dialog.outcome.isVisibleTo(dialog)


def test_error_in_a_thread_is_logged_and_shown_on_the_gui_thread(qtbot: QtBot, reporter: ErrorReporter,
                                                                 shown: list[ErrorDialog], logged: Path) -> None:
    def work() -> None:
        raise ValueError("from a worker")

    thread = threading.Thread(target=work, name="worker-1")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown) == 1)
    logs.shutdown_logging()
    text = logged.read_text(encoding="utf-8")
    assert "Unexpected error in thread worker-1" in text and "ValueError: from a worker" in text


def test_one_message_at_a_time(qtbot: QtBot, reporter: ErrorReporter, shown: list[ErrorDialog]) -> None:
    """An error raised while the message is open (e.g. by a repaint) is logged only, not stacked."""
    opened: list[int] = []

    def run(dialog: QDialog) -> int:
        qtbot.addWidget(dialog)
        opened.append(1)
        reporter.excepthook(RuntimeError, RuntimeError("again"), None)  # while the first is open
        return 0

    reporter.run_dialog = run
    reporter.excepthook(RuntimeError, RuntimeError("first"), None)
    assert opened == [1] and reporter.shown == 1


def test_qt_critical_messages_go_to_the_log(qtbot: QtBot, logged: Path) -> None:
    qt_message_handler(QtMsgType.QtCriticalMsg, None, "QPainter broke")
    qt_message_handler(QtMsgType.QtWarningMsg, None, "a warning")
    logs.shutdown_logging()
    text = logged.read_text(encoding="utf-8")
    assert "ERROR qt [MainThread] QPainter broke" in text and "WARNING qt [MainThread] a warning" in text


def test_installed_handler_receives_qcritical(qtbot: QtBot, reporter: ErrorReporter, logged: Path) -> None:
    qCritical("critical from Qt")
    logs.shutdown_logging()
    assert "ERROR qt [MainThread] critical from Qt" in logged.read_text(encoding="utf-8")


