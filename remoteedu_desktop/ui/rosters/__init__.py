"""Roster files: import an Excel roster (preview, then apply in one transaction) and export one.

Shared here: injectable file choosers and confirmation (tests bypass the real dialogs), and error text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ...errors import ValidationError

# (parent, title, suggested path or directory) → the chosen path, or None when cancelled.
PathFn = Callable[[QWidget, str, str], "str | None"]
# (parent, title, question) → yes?
ConfirmFn = Callable[[QWidget, str, str], bool]

XLSX_FILTER = "Excel (*.xlsx)"


def choose_open_path(parent: QWidget, title: str, start: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, start, XLSX_FILTER)
    return path or None


def choose_save_path(parent: QWidget, title: str, start: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, start, XLSX_FILTER)
    if not path:
        return None
    return path if path.lower().endswith(".xlsx") else path + ".xlsx"


def ask_confirmation(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def error_text(exc: BaseException) -> str:
    """A service refusal in its own Chinese words; anything else as a short message, never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Rosters", "The file could not be read or written: {0}").format(
            exc.strerror or str(exc))
    return QCoreApplication.translate("Rosters", "Unexpected error ({0}): {1}").format(type(exc).__name__, exc)
