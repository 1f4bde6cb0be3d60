"""Printing a certificate PDF through a QPrinter (R11, issue 5 § 8), at 1:1 physical size.

The PDF already carries the printer's calibration (``render_pdf(calibration=…)``); this module only
gets it onto paper without any further scaling: each page is rasterised with QtPdf at the printer's
resolution (at most 600 dpi) and painted at its real size in mm with its top-left corner on the
paper's top-left corner (full-page mode, no margins, never "fit to page"). The printer's page size
and orientation follow each PDF page, so an A4-landscape certificate and a 190 × 130 mm booklet
page both come out at their own size.

Also: :func:`load_document` (a QPdfDocument over bytes, for previews) and :func:`page_image`.
"""

from __future__ import annotations

from collections.abc import Generator

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QObject,
    QRectF,
    QSize,
    QSizeF,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from ...errors import ValidationError
from ...services.progress import Progress

MAX_DPI = 600
POINTS_PER_INCH = 72.0


class PdfDocument(QPdfDocument):
    """A QPdfDocument that owns the buffer it reads from (QtPdf reads the device lazily)."""

    def __init__(self, pdf: bytes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.load(self._buffer)


def load_document(pdf: bytes, parent: QObject | None = None) -> PdfDocument:
    """The PDF *pdf* opened with QtPdf; ValidationError (Chinese) when it cannot be read."""
    doc = PdfDocument(pdf, parent)
    if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() <= 0:
        error = doc.error()
        doc.deleteLater()
        raise ValidationError(f"无法打开 PDF（{error.name if hasattr(error, 'name') else error}）", field="PDF")
    return doc


def page_image(doc: QPdfDocument, index: int, dpi: float, *, white: bool = True) -> QImage:
    """Page *index* rasterised at *dpi*; on white (QtPdf leaves the paper transparent) unless ``white=False``."""
    size = doc.pagePointSize(index)
    px = QSize(max(1, round(size.width() / POINTS_PER_INCH * dpi)),
               max(1, round(size.height() / POINTS_PER_INCH * dpi)))
    image = doc.render(index, px)
    if not white:
        return image
    out = QImage(px, QImage.Format.Format_RGB32)
    out.fill(0xFFFFFF)
    painter = QPainter(out)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


def page_layout_for(points: QSizeF) -> QPageLayout:
    """A zero-margin page layout of exactly *points* (a standard size such as A4 when it matches,
    so that the printer driver picks the right tray), landscape when wider than high."""
    w, h = points.width(), points.height()
    portrait = QSizeF(min(w, h), max(w, h))
    page_size = QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait
    return QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)



def print_pdf(pdf: bytes, printer: QPrinter) -> Generator[Progress, None, int]:
    """Print every page of *pdf* on *printer* at 1:1 size; yields ``(done, total, text)`` per page and
    returns the number of pages printed. Closing the generator (cancel) aborts the print job."""
    doc = load_document(pdf)
    total = doc.pageCount()
    painter = QPainter()
    finished = False
    try:
        printer.setFullPage(True)
        if not printer.setPageLayout(page_layout_for(doc.pagePointSize(0))):
            raise ValidationError(f"打印机“{printer.printerName() or printer.outputFileName()}”不支持该纸张尺寸",
                                  field="纸张")
        yield 0, total, QCoreApplication.translate("QtPrint", "Preparing the printer…")
        if not painter.begin(printer):
            raise ValidationError(f"无法开始打印（打印机“{printer.printerName() or printer.outputFileName()}”）",
                                  field="打印机")
        for index in range(total):
            points = doc.pagePointSize(index)
            if index > 0:
                printer.setPageLayout(page_layout_for(points))
                printer.newPage()
            device_dpi = float(printer.resolution())
            image = page_image(doc, index, min(device_dpi, MAX_DPI))
            # full-page mode: the painter's origin is the paper's top-left, one unit = one device dot
            target = QRectF(0, 0, points.width() / POINTS_PER_INCH * device_dpi,
                            points.height() / POINTS_PER_INCH * device_dpi)
            painter.drawImage(target, image)
            text = QCoreApplication.translate("QtPrint", "Printing page {0} of {1}").format(index + 1, total)
            yield index + 1, total, text
        finished = True
        return total
    finally:
        if painter.isActive():
            if not finished:
                printer.abort()
            painter.end()
        doc.deleteLater()


__all__ = ["MAX_DPI", "PdfDocument", "load_document", "page_image", "page_layout_for", "print_pdf"]
