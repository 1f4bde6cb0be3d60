"""Printing and saving issued certificates (R11), shared by the register and the preview dialog.

Printing: the clerk chooses a printer (QPrintDialog, injectable); the printer's calibration profile
(``services.printer_profiles``) is applied while rendering the batch (``batch_pdf(calibration=…)``), then
the pages are painted onto the QPrinter at its resolution (``ui.cert_templates.qt_print.print_pdf``); only
when that finished is every certificate's print logged with the printer's name (or the output file).

Saving: one certificate is saved as its frozen bytes (the SHA-256 checked by ``frozen_pdf``), several as
one batch PDF; the file is written atomically and the prints are logged with the file's path.

Both run through ``run_with_progress``: cancel stops between pages, nothing is logged.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from ...errors import ValidationError
from ...services import certificate_print
from ...services.progress import Progress
from ..context import AppContext
from ..worker import Job, run_with_progress
from .common import printer_target, with_suffix, write_atomically

MessageFn = Callable[[str, bool], None]  #: (text, is_error)


def _optional(module: str, name: str) -> Any:
    """A function of a module written alongside this page (printer profiles, Qt printing); a clear
    refusal while it is not in this build."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ModuleNotFoundError, AttributeError) as exc:
        raise ValidationError(QCoreApplication.translate(
            "Certificates", "Printing is not available in this version ({0}).").format(module)) from exc


def frozen_or_batch(ctx: AppContext, cert_ids: Sequence[str], *,
                    calibration: Any = None) -> Generator[Progress, None, bytes]:
    """One certificate's frozen bytes, or the batch of several in one PDF."""
    ids = list(cert_ids)
    with ctx.session() as session:
        if len(ids) == 1 and calibration is None:
            yield 0, 1, QCoreApplication.translate("Certificates", "Preparing the PDF…")
            return certificate_print.frozen_pdf(session, ids[0])
        return (yield from certificate_print.batch_pdf(session, ids, calibration=calibration))


def start_save(parent: QWidget, ctx: AppContext, cert_ids: Sequence[str], chosen: str, *,
               on_message: MessageFn, on_saved: Callable[[Path], None] | None = None) -> Job:
    """Save *cert_ids* into the PDF file *chosen* and log it as a print to that file."""
    path = with_suffix(chosen, ".pdf")
    ids = list(cert_ids)
    title = QCoreApplication.translate("Certificates", "Save certificates as PDF")

    def work() -> Generator[Progress, None, Path]:
        data = yield from frozen_or_batch(ctx, ids)
        write_atomically(path, data)
        with ctx.session() as session:
            certificate_print.log_prints(session, ids, target=str(path))
        return path

    def done(_result: object) -> None:
        on_message(QCoreApplication.translate("Certificates", "{0} certificates saved to {1}").format(
            len(ids), path), False)
        ctx.notify("certificates")
        if on_saved is not None:
            on_saved(path)

    return run_with_progress(parent, title, work, on_done=done, on_error=_failed(on_message),
                             on_cancel=_cancelled(on_message))


def start_print(parent: QWidget, ctx: AppContext, cert_ids: Sequence[str], printer: QPrinter, *,
                on_message: MessageFn, on_printed: Callable[[int], None] | None = None) -> Job:
    """Print *cert_ids* on *printer* with its calibration profile, then log the prints."""
    profile_for = _optional("remoteedu_desktop.services.printer_profiles", "profile_for")
    print_pdf = _optional("remoteedu_desktop.ui.cert_templates.qt_print", "print_pdf")
    name = printer.printerName()
    target = printer_target(printer)
    calibration = profile_for(name).calibration if name else None
    ids = list(cert_ids)
    title = QCoreApplication.translate("Certificates", "Print certificates")

    def work() -> Generator[Progress, None, int]:
        with ctx.session() as session:
            pdf = yield from certificate_print.batch_pdf(session, ids, calibration=calibration)
        pages: int = yield from print_pdf(pdf, printer)
        with ctx.session() as session:
            certificate_print.log_prints(session, ids, target=target)
        return pages

    def done(result: object) -> None:
        on_message(QCoreApplication.translate("Certificates", "{0} certificates sent to {1}.").format(
            len(ids), target), False)
        ctx.notify("certificates")
        if on_printed is not None:
            on_printed(int(result) if isinstance(result, int) else len(ids))

    return run_with_progress(parent, title, work, on_done=done, on_error=_failed(on_message),
                             on_cancel=_cancelled(on_message))


def _failed(on_message: MessageFn) -> Callable[[Exception], None]:
    from .common import error_text

    def failed(exc: Exception) -> None:
        on_message(QCoreApplication.translate("Certificates", "Nothing was printed. {0}").format(error_text(exc)),
                   True)

    return failed


def _cancelled(on_message: MessageFn) -> Callable[[], None]:
    def cancelled() -> None:
        on_message(QCoreApplication.translate("Certificates", "Cancelled: nothing was printed or logged."), True)

    return cancelled
