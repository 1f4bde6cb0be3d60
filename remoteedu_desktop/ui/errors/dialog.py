"""The unexpected-error message and the hooks that raise it (see the package docstring)."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, QSettings, QtMsgType, Signal, qInstallMessageHandler, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ... import paths
from ...services import diagnostics, settings_schema

log = logging.getLogger(__name__)

#: (parent, title, suggested file name) → the chosen path, or None when cancelled.
SavePathFn = Callable[[QWidget, str, str], str | None]
RunDialogFn = Callable[[QDialog], int]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def choose_zip_path(parent: QWidget, title: str, suggested: str) -> str | None:
    filter_ = QApplication.translate("Errors", "Zip archives (*.zip)")
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), filter_)
    return path or None


def exec_dialog(dialog: QDialog) -> int:
    return dialog.exec()


def qsettings_dump() -> dict[str, Any]:
    """This PC's QSettings (language, window layout, …); binary values are shown only by their size."""
    settings = QSettings()
    return {key: settings.value(key) for key in settings.allKeys()}


def save_diagnostics(path: Path, ctx: Any | None) -> diagnostics.DiagnosticsInfo:
    """Write the diagnostic zip: logs, versions (with Qt's), QSettings and program settings, row counts."""
    extra = {"Qt": qVersion(), "PySide6 (module)": pyside_version}
    dump: dict[str, Any] = {"qsettings": qsettings_dump()}
    if ctx is None:
        return diagnostics.write_diagnostics(path, None, data_dir=paths.data_dir(), settings=dump,
                                             extra_versions=extra)
    with ctx.session() as session:
        try:
            dump["program"] = settings_schema.load_settings(session)
        except Exception:  # the zip is wanted most when things are broken: keep going without them
            log.exception("diagnostics: settings could not be read")
        return diagnostics.write_diagnostics(path, session, data_dir=paths.data_dir(), settings=dump,
                                             extra_versions=extra)


class ErrorDialog(QDialog):
    """"The program hit an unexpected error" — no traceback — and a button to save the diagnostic zip."""

    def __init__(self, ctx: Any | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choose_save_path: SavePathFn = choose_zip_path
        self.saved_path: Path | None = None
        self.setWindowTitle(self.tr("Unexpected error"))
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        self.message = QLabel(self.tr(
            "The program hit an unexpected error; it has been recorded in the log.\n\n"
            "What you saved before is safe. If the error comes back, save a diagnostic package and send it "
            "to the county office or to technical support: it holds the log, the program's versions and "
            "settings, and no personal data."), self)
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(380)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)
        self.outcome.setVisible(False)
        self.save_button = QPushButton(self.tr("Save diagnostic package…"), self)
        self.save_button.clicked.connect(self.save_package)
        self.close_button = QPushButton(self.tr("Close"), self)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)

    def save_package(self) -> Path | None:
        chosen = self.choose_save_path(self, self.tr("Save diagnostic package"), diagnostics.default_file_name())
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".zip":
            path = path.with_name(path.name + ".zip")
        try:
            save_diagnostics(path, self.ctx)
        except Exception as exc:
            log.exception("diagnostics: could not be written to %s", path)
            self._show(self.tr("The diagnostic package could not be saved: {0}").format(
                getattr(exc, "strerror", None) or type(exc).__name__), error=True)
            return None
        self.saved_path = path
        log.info("diagnostics: saved to %s", path)
        self._show(self.tr("Diagnostic package saved: {0}").format(str(path)), error=False)
        return path

    def _show(self, text: str, *, error: bool) -> None:
        self.outcome.setStyleSheet("color: #c62828;" if error else "color: #2e7d32;")
        self.outcome.setText(text)
        self.outcome.setVisible(True)


class ErrorReporter(QObject):
    """Logs every unexpected exception and shows :class:`ErrorDialog` for it, on the GUI thread."""

    _from_thread = Signal()

    def __init__(self, ctx: Any | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.make_dialog: Callable[[], ErrorDialog] = lambda: ErrorDialog(self.ctx, QApplication.activeWindow())
        self.shown = 0
        self._showing = False
        self._from_thread.connect(self.show_dialog)  # queued to the GUI thread when emitted elsewhere
        self._previous: dict[str, Any] = {}

    def install(self) -> None:
        self._previous = {"sys": sys.excepthook, "threading": threading.excepthook}
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        self._previous["qt"] = qInstallMessageHandler(qt_message_handler)

    def uninstall(self) -> None:
        if not self._previous:
            return
        sys.excepthook = self._previous["sys"]
        threading.excepthook = self._previous["threading"]
        qInstallMessageHandler(self._previous.get("qt"))
        self._previous = {}

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("Unexpected error", exc_info=(exc_type, exc, tb))
        if threading.current_thread() is threading.main_thread():
            self.show_dialog()
        else:
            self._from_thread.emit()

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        log.error("Unexpected error in thread %s", getattr(args.thread, "name", "?"),
                  exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback))
        self._from_thread.emit()

    def show_dialog(self) -> None:
        """One message at a time: errors raised while it is open are logged only."""
        if self._showing or QGuiApplication.instance() is None:
            return
        self._showing = True
        try:
            dialog = self.make_dialog()
            self.shown += 1
            self.run_dialog(dialog)
        finally:
            self._showing = False


def qt_message_handler(mode: QtMsgType, context: Any, message: str) -> None:
    """Qt's own messages go to the log: critical and fatal as errors, warnings as warnings."""
    where = f" ({context.file}:{context.line})" if context is not None and context.file else ""
    if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        logging.getLogger("qt").error("%s%s", message, where)
    elif mode == QtMsgType.QtWarningMsg:
        logging.getLogger("qt").warning("%s%s", message, where)
    else:
        logging.getLogger("qt").debug("%s%s", message, where)


def install_error_handlers(ctx: Any | None = None) -> ErrorReporter:
    """Install the hooks once at start; keep the returned reporter (set ``reporter.ctx`` when the DB opens)."""
    reporter = ErrorReporter(ctx, QApplication.instance())
    reporter.install()
    return reporter
