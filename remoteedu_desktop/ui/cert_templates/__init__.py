"""Certificate templates and printers (R11, issue 5 §§ 4, 5, 8).

- :mod:`.templates_view` — :class:`TemplatesView`, the templates per kind (new, edit, duplicate, default, scan).
- :mod:`.template_editor` — :class:`TemplateEditorDialog`, drag or type every element's box in mm, live preview.
- :mod:`.layout_scene` — the page as a QGraphicsScene in mm with draggable element boxes.
- :mod:`.printers_view` — :class:`PrintersView`, per-printer calibration profiles and the calibration page.
- :mod:`.qt_print` — :func:`print_pdf`, a PDF onto a QPrinter at 1:1 size, page by page with progress.

File choosers, questions and message boxes go through attributes of the views (``choose_open_path``,
``choose_save_path``, ``confirm``, ``inform``, ``exec_print_dialog``, ``run_dialog``) so tests drive them
without a modal loop.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ...errors import ValidationError

OpenPathFn = Callable[[QWidget, str, str], str | None]  #: (parent, title, filter) → path
SavePathFn = Callable[[QWidget, str, str], str | None]  #: (parent, title, suggested name) → path
InformFn = Callable[[QWidget, str, str], None]  #: (parent, title, text)



def choose_open_path(parent: QWidget, title: str, name_filter: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", name_filter)
    return path or None


def choose_save_path(parent: QWidget, title: str, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested,
                                          QCoreApplication.translate("CertTemplates", "PDF files (*.pdf)"))
    return path or None


def inform(parent: QWidget, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def error_text(exc: BaseException) -> str:
    """A refusal in its own Chinese words; anything else short, never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    if isinstance(exc, OSError):
        return QCoreApplication.translate("CertTemplates", "The file could not be read or written: {0}").format(
            exc.strerror or str(exc))
    return QCoreApplication.translate("CertTemplates", "Unexpected error ({0}): {1}").format(
        type(exc).__name__, exc)


__all__ = ["InformFn", "OpenPathFn", "SavePathFn", "choose_open_path", "choose_save_path", "error_text",
           "inform"]


def __getattr__(name: str) -> object:  # TemplatesView, PrintersView without importing Qt pages eagerly
    if name == "TemplatesView":
        from .templates_view import TemplatesView

        return TemplatesView
    if name == "PrintersView":
        from .printers_view import PrintersView

        return PrintersView
    raise AttributeError(name)
