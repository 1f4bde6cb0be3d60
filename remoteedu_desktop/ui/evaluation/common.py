"""Small pieces shared by the evaluation page's tabs (R14).

Questions, file choosers and the year prompt are plain functions with the shape of the hooks the page and
its tabs hold (``confirm``, ``ask_unsaved``, ``ask_text``, ``ask_year``, ``choose_save_path``), so tests
replace them and never enter a modal loop.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from types import ModuleType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget

from ... import codes
from ...errors import ValidationError

#: (parent, title, text) → True when the clerk answers Yes.
ConfirmFn = Callable[[QWidget, str, str], bool]
#: (parent, title, text) → "save", "discard" or "cancel".
AskUnsavedFn = Callable[[QWidget, str, str], str]
#: (parent, title, label) → the text typed, or None when cancelled.
AskTextFn = Callable[[QWidget, str, str], str | None]
#: (parent, title, label, proposed year) → the year chosen, or None when cancelled.
AskYearFn = Callable[[QWidget, str, str, int], int | None]
#: (parent, title, suggested file name, filter) → the chosen path, or None when cancelled.
SavePathFn = Callable[[QWidget, str, str, str], str | None]

ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: #666666;"
OK_STYLE = "color: #2e7d32;"
EDITED_COLOUR = "#fff3bf"  #: a cell changed and not yet saved
INVALID_COLOUR = "#ffd6d6"  #: a value the save will refuse
AUTOMATIC_COLOUR = "#ececec"  #: a cell filled from the data (read-only)
AUTOMATIC_TEXT = "#555555"
FAIL_COLOUR = "#c62828"
EXCELLENT_COLOUR = "#2e7d32"
MUTED_COLOUR = "#888888"

#: The item kinds of a rubric, in the order offered.
ITEM_KINDS = ("score", "deduction", "bonus")
GRADES = ("excellent", "pass", "basic", "fail")


def kind_label(kind: str) -> str:
    labels = {"score": QCoreApplication.translate("Evaluation", "score"),
              "deduction": QCoreApplication.translate("Evaluation", "deduction"),
              "bonus": QCoreApplication.translate("Evaluation", "bonus")}
    return labels.get(kind, kind)


def grade_scale_label(scale: str) -> str:
    """The scale's four levels as the clerk reads them: 优秀/合格/基本合格/不合格 or 优秀/称职/…"""
    names = codes.GRADE_COMPETENT if scale == "competent" else codes.GRADE_STANDARD
    return " / ".join(names[g] for g in GRADES)


def grade_name(grade: str | None, scale: str) -> str:
    if not grade:
        return ""
    names = codes.GRADE_COMPETENT if scale == "competent" else codes.GRADE_STANDARD
    return names.get(grade, grade)


def number_text(value: float | None) -> str:
    """3.0 → "3", 2.5 → "2.5", None → ""."""
    return "" if value is None else f"{value:g}"


def show_message(label: QLabel, text: str, *, error: bool = False) -> None:
    """A one-line outcome: red for a refusal, green otherwise; hidden when empty."""
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
    label.setText(text)
    label.setVisible(bool(text))


def error_text(exc: BaseException) -> str:
    """A service refusal in its own Chinese words; anything else short, never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Evaluation", "The file could not be written: {0}").format(
            exc.strerror or str(exc))
    return QCoreApplication.translate("Evaluation", "Unexpected error ({0}): {1}").format(type(exc).__name__, exc)


def file_name(text: str) -> str:
    """*text* made safe as a file name on Windows."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "evaluation"


def optional_module(name: str) -> ModuleType | None:
    """The module *name*, or None while it (or a package above it) is not in this build; an error inside
    an existing module is a bug and propagates."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing and (name == missing or name.startswith(missing + ".")):
            return None
        raise


# -- the real questions (tests replace them) --------------------------------------------------------------

def ask_confirmation(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_unsaved(parent: QWidget, title: str, text: str) -> str:
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


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, "")
    return text if ok else None


def ask_year(parent: QWidget, title: str, label: str, proposed: int) -> int | None:
    year, ok = QInputDialog.getInt(parent, title, label, proposed, 2000, 2100, 1)
    return year if ok else None


def choose_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return path or None
