"""Small pieces shared by the certificates page and its dialogs (R11).

File choosers and the print dialog are plain functions with the shape of the hooks that pages and dialogs
hold (``choose_save_path``, ``choose_printer``…), so tests replace them and never enter a modal loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QWidget

from ... import codes
from ...errors import ValidationError
from ...sync.safe_write import write_file_safely

#: (parent, title, suggested file name) → the chosen path, or None when cancelled.
SavePathFn = Callable[[QWidget, str, str], str | None]
#: (parent) → a QPrinter set up by the clerk, or None when cancelled.
ChoosePrinterFn = Callable[[QWidget], QPrinter | None]

ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: #666666;"
OK_STYLE = "color: #2e7d32;"
VALID_COLOUR = "#2e7d32"
WARN_COLOUR = "#b26a00"
FAIL_COLOUR = "#c62828"
MUTED_COLOUR = "#888888"


def show_message(label: QLabel, text: str, *, error: bool = False) -> None:
    """A one-line outcome under a view: red for a refusal, green otherwise; hidden when empty."""
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
    label.setText(text)
    label.setVisible(bool(text))


def kind_label(kind: str) -> str:
    return codes.CERTIFICATE_KIND.get(kind, kind)


def date_text(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def error_text(exc: BaseException) -> str:
    """A service refusal in its own Chinese words; anything else short, never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Certificates", "The file could not be written: {0}").format(exc.strerror or str(exc))
    return QCoreApplication.translate("Certificates", "Unexpected error ({0}): {1}").format(type(exc).__name__, exc)


def choose_pdf_path(parent: QWidget, title: str, suggested: str) -> str | None:
    """The real file chooser for a PDF."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, QCoreApplication.translate("Certificates", "PDF files (*.pdf)"))
    return path or None


def choose_xlsx_path(parent: QWidget, title: str, suggested: str) -> str | None:
    """The real file chooser for an Excel workbook."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, QCoreApplication.translate("Certificates", "Excel workbooks (*.xlsx)"))
    return path or None


def choose_printer(parent: QWidget) -> QPrinter | None:
    """The real print dialog, at the printer's own resolution (the certificate is rasterised at it)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("Certificates", "Print certificates"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def with_suffix(path: str, suffix: str) -> Path:
    """*path* ending in *suffix* (".pdf", ".xlsx"), added when the clerk left it out."""
    return Path(path if path.lower().endswith(suffix) else path + suffix)


def write_atomically(path: Path, data: bytes) -> None:
    """*data* written safely over *path* (temporary file, fsync, rename, read back): a crash or a full
    disk never leaves half a PDF under the clerk's file name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_safely(path, data, overwrite=True)


def printer_target(printer: QPrinter) -> str:
    """What the print log records: the output file when printing to a file, else the printer's name."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return printer.outputFileName()
    return printer.printerName() or QCoreApplication.translate("Certificates", "default printer")
