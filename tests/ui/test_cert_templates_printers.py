"""The printers view (R11): a typed printer name offscreen, measurements → correction → saved profile,
the calibration page printed through the (injected) print dialog at 1:1, and saved as a PDF."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import printer_profiles
from remoteedu_desktop.ui.cert_templates.printers_view import DEFAULT_PRINTER_NAME, PrintersView
from remoteedu_desktop.ui.cert_templates.qt_print import load_document
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.worker import Job

SHOTS = os.environ.get("REMOTEEDU_SHOTS")  #: a folder to copy the screenshots to, for a look


@pytest.fixture
def view(qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> PrintersView:
    monkeypatch.setattr(Job, "inline", True)
    widget = PrintersView(ctx)
    qtbot.addWidget(widget)
    widget.resize(980, 720)
    widget.show()
    return widget


def shot(widget: QWidget, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    assert widget.grab().save(str(path))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SHOTS) / name)


def test_measure_compute_save_and_reload_a_profile(view: PrintersView, tmp_path: Path) -> None:
    assert view.printer_name() == DEFAULT_PRINTER_NAME  # no printer offscreen: a name to type over
    view.set_printer_name("办公室激光打印机")
    # the page printed with no correction: the top-left crosshair (20, 20) landed at (21.5, 19.0) and the
    # top crosshairs are 258 mm apart instead of 257
    view.left_spin.setValue(21.5)
    view.top_spin.setValue(19.0)
    view.across_spin.setValue(258.0)
    fixed = view.compute()
    assert fixed is not None
    r = 258 / 257
    assert view.sx_spin.value() == pytest.approx(1 / r, abs=1e-4)
    assert view.dx_spin.value() == pytest.approx(-(21.5 - r * 20) / r, abs=0.01)
    assert view.dy_spin.value() == pytest.approx(1.0) and view.sy_spin.value() == 1.0
    assert view.save_profile()
    saved = printer_profiles.profile_for("办公室激光打印机")
    assert saved.dy_mm == 1.0 and saved.sx == pytest.approx(1 / r, abs=1e-4)
    assert view.table.rowCount() == 1 and view.table.item(0, 0).text() == "办公室激光打印机"
    shot(view, tmp_path, "printers_view.png")

    view.set_printer_name("另一台")
    assert view.dx_spin.value() == 0.0  # never calibrated: no correction
    view.table.selectRow(0)
    assert view.printer_name() == "办公室激光打印机" and view.dy_spin.value() == 1.0
    assert view.delete_profile()
    assert printer_profiles.load_profiles() == {}
    assert "已删除" in view.message.text() or "deleted" in view.message.text()


def test_a_damaged_profiles_file_is_shown_not_crashed(qtbot: QtBot, ctx: AppContext) -> None:
    printer_profiles.profiles_path().write_text("{oops", encoding="utf-8")
    widget = PrintersView(ctx)
    qtbot.addWidget(widget)
    assert "打印机校准文件已损坏" in widget.message.text()
    assert not widget.save_profile()  # refused, the file is left for the clerk to look at
    assert printer_profiles.profiles_path().read_text(encoding="utf-8") == "{oops"


def test_print_the_calibration_page_through_the_print_dialog(view: PrintersView, tmp_path: Path) -> None:
    out = tmp_path / "calibration_printed.pdf"
    seen: list[QPrinter] = []

    def fake_dialog(printer: QPrinter, parent: QWidget) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(150)
        seen.append(printer)
        return True

    view.exec_print_dialog = fake_dialog
    view.page_combo.setCurrentIndex(1)  # booklet inner page 190 × 130
    view.dx_spin.setValue(1.0)
    assert view.print_calibration_page() is not None
    assert view.printed_pages == 1, view.message.text()
    doc = load_document(out.read_bytes())
    assert doc.pageCount() == 1
    size = doc.pagePointSize(0)
    assert size.width() == pytest.approx(190 / 25.4 * 72, abs=1) and size.height() == pytest.approx(130 / 25.4 * 72, abs=1)

    view.exec_print_dialog = lambda printer, parent: False  # cancelled in the dialog: nothing printed
    view.printed_pages = 0
    assert view.print_calibration_page() is None and view.printed_pages == 0


def test_save_the_calibration_page_as_pdf(view: PrintersView, tmp_path: Path) -> None:
    view.choose_save_path = lambda parent, title, suggested: str(tmp_path / "校准页")
    path = view.save_calibration_pdf()
    assert path == tmp_path / "校准页.pdf" and path.read_bytes().startswith(b"%PDF")
    doc = load_document(path.read_bytes())
    assert doc.pagePointSize(0).width() == pytest.approx(297 / 25.4 * 72, abs=1)
