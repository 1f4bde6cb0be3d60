"""Hooks and small helpers shared by the Sync page and its dialogs (issue 6).

File and folder choosers are plain functions with the shape of the hooks the page and dialogs hold
(``choose_open_file``, ``choose_folder``, ``choose_save_path``, ``run_dialog``), so tests replace them and
never enter a modal loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QWidget

from ...errors import ValidationError

#: (parent, title, name filter) → the chosen file, or None when cancelled.
OpenFileFn = Callable[[QWidget, str, str], str | None]
#: (parent, title) → the chosen folder, or None when cancelled.
FolderFn = Callable[[QWidget, str], str | None]
#: (parent, title, suggested file name) → the chosen path, or None when cancelled.
SavePathFn = Callable[[QWidget, str, str], str | None]
RunDialogFn = Callable[[QDialog], int]

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"
HINT_STYLE = "color: #666666;"


def choose_open_file(parent: QWidget, title: str, name_filter: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", name_filter)
    return path or None


def choose_folder(parent: QWidget, title: str) -> str | None:
    return QFileDialog.getExistingDirectory(parent, title) or None


def choose_save_path(parent: QWidget, title: str, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, QCoreApplication.translate("Sync", "Text files (*.txt)"))
    return path or None


def exec_dialog(dialog: QDialog) -> int:
    return dialog.exec()


def error_text(exc: BaseException) -> str:
    """A service refusal in its own Chinese words; anything else short, never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Sync", "The file {0} could not be read or written: {1}").format(
            exc.filename or "", exc.strerror or str(exc))
    return QCoreApplication.translate("Sync", "Unexpected error ({0}): {1}").format(type(exc).__name__, exc)


def show_message(label: QLabel, text: str, *, error: bool = False) -> None:
    """An outcome under a view: red for a refusal, green otherwise; hidden when empty."""
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
    label.setText(text)
    label.setVisible(bool(text))


def local_time(value: dt.datetime | None) -> str:
    """A ledger time (naive UTC) in the computer's local time, to the minute; empty for None."""
    if value is None:
        return ""
    return value.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
