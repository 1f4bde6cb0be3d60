"""Small pieces shared by the enrolment dialogs and the coverage view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ...errors import ValidationError

#: (parent, title, text) → the answer: "save", "discard" or "cancel" (injectable: tests never block).
AskUnsavedFn = Callable[[QWidget, str, str], str]

ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: #666666;"
OK_STYLE = "color: #2e7d32;"
EDITED_COLOUR = "#fff3bf"  #: a cell changed and not yet saved
INVALID_COLOUR = "#ffd6d6"  #: a value the save will refuse
PASSED_COLOUR = "#2e7d32"
FAILED_COLOUR = "#c62828"
MUTED_COLOUR = "#888888"


def ask_unsaved(parent: QWidget, title: str, text: str) -> str:
    """The real question on closing with unsaved changes: Save / Discard / Cancel."""
    buttons = (QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
               | QMessageBox.StandardButton.Cancel)
    box = QMessageBox(QMessageBox.Icon.Question, title, text, buttons, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def error_text(exc: BaseException) -> str:
    """A service refusal in its own Chinese words; anything else short, never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    return QCoreApplication.translate("Enrolment", "Unexpected error ({0}): {1}").format(type(exc).__name__, exc)


def number_text(value: float | None) -> str:
    """3.0 → "3", 2.5 → "2.5", None → ""."""
    return "" if value is None else f"{value:g}"
