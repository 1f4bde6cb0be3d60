"""Preview of issued certificates in the program (R11): the frozen PDF shown with QtPdf, then printed or
saved from here.

One certificate shows its frozen bytes (``frozen_pdf`` refuses when they no longer match the SHA-256
stored at issue); several show the batch PDF, built in the worker with progress and cancel. The PDF is
loaded from a QBuffer that lives as long as the dialog (QPdfDocument reads from it while painting).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...services.progress import Progress
from ..context import AppContext
from ..worker import Job, run_with_progress
from .common import (
    HINT_STYLE,
    ChoosePrinterFn,
    SavePathFn,
    choose_pdf_path,
    choose_printer,
    error_text,
    show_message,
)
from .output import frozen_or_batch, start_print, start_save


class PreviewDialog(QDialog):
    """The frozen PDF of *cert_ids* (one or many), with Print… and Save as PDF…."""

    def __init__(self, ctx: AppContext, cert_ids: Sequence[str], parent: QWidget | None = None, *,
                 title: str = "", suggested_name: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cert_ids = list(cert_ids)
        self.choose_save_path: SavePathFn = choose_pdf_path
        self.choose_printer: ChoosePrinterFn = choose_printer
        self.pdf: bytes | None = None
        self.job: Job | None = None
        self.saved_path: Path | None = None
        self.printed = 0
        self._suggested = suggested_name or self.tr("Certificates.pdf")
        self.setWindowTitle(title or self.tr("Certificate preview"))

        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setPageSpacing(12)
        self.info = QLabel(self)
        self.info.setStyleSheet(HINT_STYLE)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.fit_button = QPushButton(self.tr("Fit page"), self)
        self.width_button = QPushButton(self.tr("Fit width"), self)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.save_button = QPushButton(self.tr("Save as PDF…"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        for button in (self.fit_button, self.width_button, self.print_button, self.save_button,
                       self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.fit_button.clicked.connect(lambda _checked=False: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.width_button.clicked.connect(
            lambda _checked=False: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.print_button.clicked.connect(lambda _checked=False: self.print_())
        self.save_button.clicked.connect(lambda _checked=False: self.save_pdf())
        self.close_button.clicked.connect(self.reject)
        self.resize(1000, 760)
        self._set_loaded(False)
        self.load()

    # -- loading -----------------------------------------------------------------------------------

    def load(self) -> Job | None:
        if not self.cert_ids:
            self._say(self.tr("No certificate selected."), error=True)
            return None
        ctx, ids = self.ctx, self.cert_ids

        def work() -> Generator[Progress, None, bytes]:
            return (yield from frozen_or_batch(ctx, ids))

        def failed(exc: Exception) -> None:
            self._say(self.tr("The certificate cannot be shown. {0}").format(error_text(exc)), error=True)

        def cancelled() -> None:
            self._say(self.tr("Cancelled."), error=True)

        self.job = run_with_progress(self, self.tr("Preparing the preview"), work, on_done=self.show_pdf,
                                     on_error=failed, on_cancel=cancelled)
        return self.job

    def done(self, result: int) -> None:
        """Closing stops a batch still being rendered (nothing is printed, logged or saved)."""
        if self.job is not None and not self.job.is_cancelled:
            self.job.cancel()
        super().done(result)

    def show_pdf(self, data: object) -> None:
        if not isinstance(data, bytes):
            return
        self.pdf = data
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        ok = self.document.status() == QPdfDocument.Status.Ready
        if not ok:
            self._say(self.tr("The PDF could not be read ({0}).").format(self.document.error().name), error=True)
        self.info.setText(self.tr("{0} certificates, {1} pages").format(len(self.cert_ids),
                                                                        self.document.pageCount()))
        self._set_loaded(ok)

    def page_count(self) -> int:
        return self.document.pageCount()

    def _set_loaded(self, loaded: bool) -> None:
        for button in (self.print_button, self.save_button, self.fit_button, self.width_button):
            button.setEnabled(loaded)

    # -- output ------------------------------------------------------------------------------------

    def print_(self) -> Job | None:
        printer = self.choose_printer(self)
        if printer is None:
            return None
        try:
            self.job = start_print(self, self.ctx, self.cert_ids, printer, on_message=self._say,
                                   on_printed=self._printed)
        except Exception as exc:  # printing not in this build: said plainly
            self._say(error_text(exc), error=True)
            return None
        return self.job

    def _printed(self, pages: int) -> None:
        self.printed = pages

    def save_pdf(self) -> Job | None:
        chosen = self.choose_save_path(self, self.tr("Save certificates as PDF"), self._suggested)
        if not chosen:
            return None
        self.job = start_save(self, self.ctx, self.cert_ids, chosen, on_message=self._say,
                              on_saved=self._saved)
        return self.job

    def _saved(self, path: Path) -> None:
        self.saved_path = path

    def _say(self, text: str, error: bool = False) -> None:
        show_message(self.message, text, error=error)
