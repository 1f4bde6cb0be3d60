"""Printing a certificate PDF through QPrinter (R11): same page count, each page at its own real size,
and the drawing at 1:1 (a mark 20 mm from the paper's top-left edge is still 20 mm from it)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from remoteedu_desktop.services.progress import run_to_end
from remoteedu_desktop.ui.cert_templates.qt_print import load_document, page_image, print_pdf

PT_PER_MM = 72 / 25.4


def two_page_pdf() -> bytes:
    """Page 1: A4 landscape with a filled 10 mm square at (20 mm, 30 mm) from the top-left;
    page 2: a 190 × 130 mm booklet page with a square at (5 mm, 5 mm)."""
    buf = io.BytesIO()
    c = Canvas(buf)
    c.setPageSize((297 * mm, 210 * mm))
    c.rect(20 * mm, (210 - 30 - 10) * mm, 10 * mm, 10 * mm, fill=1, stroke=0)
    c.showPage()
    c.setPageSize((190 * mm, 130 * mm))
    c.rect(5 * mm, (130 - 5 - 10) * mm, 10 * mm, 10 * mm, fill=1, stroke=0)
    c.showPage()
    c.save()
    return buf.getvalue()


def dark_box_mm(image: QImage, dpi: float) -> tuple[float, float]:
    """Top-left corner (mm) of the first dark pixel, scanning rows then columns."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    for y in range(gray.height()):
        for x in range(gray.width()):
            if gray.pixelColor(x, y).lightness() < 100:
                return x / dpi * 25.4, y / dpi * 25.4
    raise AssertionError("no dark pixel")


@pytest.mark.parametrize("resolution", [150, 300])
def test_print_pdf_keeps_page_count_size_and_position(qapp: QApplication, tmp_path: Path, resolution: int) -> None:
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(resolution)
    steps = []
    pages = run_to_end(print_pdf(two_page_pdf(), printer), lambda d, t, s: steps.append((d, t)))
    assert pages == 2
    assert steps == [(0, 2), (1, 2), (2, 2)]

    doc = load_document(out.read_bytes())
    assert doc.pageCount() == 2
    sizes = [doc.pagePointSize(i) for i in range(2)]
    assert sizes[0].width() == pytest.approx(297 * PT_PER_MM, abs=1.0)
    assert sizes[0].height() == pytest.approx(210 * PT_PER_MM, abs=1.0)
    assert sizes[1].width() == pytest.approx(190 * PT_PER_MM, abs=1.0)
    assert sizes[1].height() == pytest.approx(130 * PT_PER_MM, abs=1.0)

    dpi = 100.0
    first = page_image(doc, 0, dpi)
    second = page_image(doc, 1, dpi)
    first.save(str(tmp_path / "printed_p1.png"))
    x, y = dark_box_mm(first, dpi)
    assert x == pytest.approx(20, abs=0.5) and y == pytest.approx(30, abs=0.5)  # 1:1, not fit-to-page
    x, y = dark_box_mm(second, dpi)
    assert x == pytest.approx(5, abs=0.5) and y == pytest.approx(5, abs=0.5)


def test_closing_the_generator_aborts_and_ends_the_painter(qapp: QApplication, tmp_path: Path) -> None:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "cancelled.pdf"))
    printer.setResolution(72)
    gen = print_pdf(two_page_pdf(), printer)
    assert next(gen)[0] == 0
    assert next(gen)[0] == 1
    gen.close()  # the clerk pressed cancel after page 1
    assert not printer.paintingActive()


def test_a_damaged_pdf_is_refused_in_chinese(qapp: QApplication) -> None:
    from remoteedu_desktop.errors import ValidationError

    with pytest.raises(ValidationError, match="无法打开 PDF"):
        load_document(b"%PDF-1.4 not really")
