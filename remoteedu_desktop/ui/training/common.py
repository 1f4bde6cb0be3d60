"""Small pieces shared by the training page and its dialogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QTime
from PySide6.QtWidgets import QFileDialog, QWidget

from ...errors import ValidationError

#: (parent, title, suggested file name) → the chosen path, or None when cancelled.
SavePathFn = Callable[[QWidget, str, str], str | None]

#: The levels a plan serves (training_plan.TARGET_LEVELS), in the order shown.
TARGET_LEVELS = ("county", "township", "village")

#: The level a role's staff work at: the editor proposes it when the target role changes (R6).
ROLE_LEVEL = {"township_manager": "township", "village_manager": "village", "enterprise_manager": "village",
              "county_tutor": "county", "township_tutor": "township", "technician": "township"}


def target_level_label(level: str) -> str:
    labels = {"county": QCoreApplication.translate("Training", "County level"),
              "township": QCoreApplication.translate("Training", "Township level"),
              "village": QCoreApplication.translate("Training", "Village level")}
    return labels.get(level, level)


def choose_save_path(parent: QWidget, title: str, suggested: str) -> str | None:
    """The real file chooser for a PDF."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested,
                                          QCoreApplication.translate("Training", "PDF files (*.pdf)"))
    return path or None


def error_text(exc: BaseException) -> str:
    """A service refusal in its own Chinese words; anything else short, never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Training", "The file could not be written: {0}").format(
            exc.strerror or str(exc))
    return QCoreApplication.translate("Training", "Unexpected error ({0}): {1}").format(type(exc).__name__, exc)


def to_qtime(value: dt.time) -> QTime:
    return QTime(value.hour, value.minute)


def to_time(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


def hours_label(hours: float) -> str:
    """3.0 → "3", 2.5 → "2.5"."""
    return f"{hours:g}"
