"""Printer calibration (R11, issue 5 § 5): a profile per printer of this PC, measured on a calibration page.

The clerk prints the calibration page (a mm grid with crosshairs at known positions), measures with a
ruler where the top-left crosshair landed and how far apart the crosshairs are, and the program
computes the correction (:func:`printer_profiles.from_measurements`); the offsets and scales can also
be typed directly. Profiles are kept per PC (``printer_profiles.json`` in the data directory).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...printing.certificate_render import CROSS_MARGIN_MM, calibration_page_pdf
from ...services import printer_profiles
from ...services.printer_profiles import MAX_OFFSET_MM, MAX_SCALE, MIN_SCALE, PrinterProfile
from ..worker import Job, run_with_progress
from . import SavePathFn, choose_save_path, error_text
from .qt_print import print_pdf

ERROR_STYLE = "color: #c0392b;"
OK_STYLE = "color: #2e7d32;"
HINT_STYLE = "color: #555;"
DEFAULT_PRINTER_NAME = "默认打印机"
#: Calibration page sizes: A4 landscape (plain-paper certificates) and a booklet's inner page.
PAGE_SIZES = ((297.0, 210.0), (190.0, 130.0))
ExecPrintDialogFn = Callable[[QPrinter, QWidget], bool]


def exec_print_dialog(printer: QPrinter, parent: QWidget) -> bool:
    """The real print dialog (the clerk may change printer, copies…); True when they pressed Print."""
    dialog = QPrintDialog(printer, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def _spin(parent: QWidget, minimum: float, maximum: float, decimals: int, step: float, suffix: str = "",
          value: float = 0.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(parent)
    spin.setRange(minimum, maximum)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    spin.setValue(value)
    return spin


class PrintersView(QWidget):
    """Choose a printer, see and change its correction, print or save the calibration page."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exec_print_dialog: ExecPrintDialogFn = exec_print_dialog
        self.choose_save_path: SavePathFn = choose_save_path
        self.last_job: Job | None = None
        self.printed_pages = 0

        self.printer_combo = QComboBox(self)
        self.printer_combo.setEditable(True)
        self.printer_combo.setMinimumWidth(260)
        self.page_combo = QComboBox(self)
        self.page_combo.addItem(self.tr("A4 landscape, 297 × 210 mm (plain paper)"), PAGE_SIZES[0])
        self.page_combo.addItem(self.tr("Booklet inner page, 190 × 130 mm"), PAGE_SIZES[1])
        self.dx_spin = _spin(self, -MAX_OFFSET_MM, MAX_OFFSET_MM, 2, 0.1, " mm")
        self.dy_spin = _spin(self, -MAX_OFFSET_MM, MAX_OFFSET_MM, 2, 0.1, " mm")
        self.sx_spin = _spin(self, MIN_SCALE, MAX_SCALE, 4, 0.001, value=1.0)
        self.sy_spin = _spin(self, MIN_SCALE, MAX_SCALE, 4, 0.001, value=1.0)

        self.left_spin = _spin(self, 0, 100, 1, 0.5, " mm", CROSS_MARGIN_MM)
        self.top_spin = _spin(self, 0, 100, 1, 0.5, " mm", CROSS_MARGIN_MM)
        self.across_spin = _spin(self, 0, 600, 1, 0.5, " mm")
        self.down_spin = _spin(self, 0, 600, 1, 0.5, " mm")
        self.across_spin.setSpecialValueText(self.tr("not measured"))
        self.down_spin.setSpecialValueText(self.tr("not measured"))
        self.compute_button = QPushButton(self.tr("Compute the correction"), self)

        self.print_button = QPushButton(self.tr("Print calibration page…"), self)
        self.save_pdf_button = QPushButton(self.tr("Save calibration page as PDF…"), self)
        self.save_button = QPushButton(self.tr("Save profile"), self)
        self.delete_button = QPushButton(self.tr("Delete profile"), self)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("Printer"), self.tr("x offset"), self.tr("y offset"),
                                              self.tr("x scale"), self.tr("y scale")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.instructions = QLabel(self.tr(
            "How to calibrate a printer:\n"
            "1. Choose the printer and the paper, set all corrections to zero and print the calibration page "
            "at actual size (no “fit to page”).\n"
            "2. With a ruler, measure the centre of the top-left crosshair (drawn 20 mm from the left and top "
            "edges): its distance from the paper's left edge and from its top edge.\n"
            "3. Measure the distance between the centres of the two top crosshairs (left–right) and of the two "
            "left crosshairs (top–bottom); leave them empty if you have no long ruler.\n"
            "4. Enter the measurements, press “Compute the correction”, then “Save profile”.\n"
            "5. Print the page again: every crosshair should now sit on its printed coordinates within 0.5 mm."),
            self)
        self.instructions.setWordWrap(True)
        self.instructions.setStyleSheet(HINT_STYLE)

        self._build()
        self.printer_combo.currentTextChanged.connect(self._printer_chosen)
        self.table.itemSelectionChanged.connect(self._table_selected)
        self.compute_button.clicked.connect(self.compute)
        self.print_button.clicked.connect(self.print_calibration_page)
        self.save_pdf_button.clicked.connect(self.save_calibration_pdf)
        self.save_button.clicked.connect(self.save_profile)
        self.delete_button.clicked.connect(self.delete_profile)
        self.page_combo.currentIndexChanged.connect(self._update_nominal)
        self.refresh()
        self._update_nominal()

    def _build(self) -> None:
        choose = QFormLayout()
        choose.addRow(self.tr("Printer"), self.printer_combo)
        choose.addRow(self.tr("Paper"), self.page_combo)

        correction = QGroupBox(self.tr("Correction"), self)
        form = QFormLayout(correction)
        form.addRow(self.tr("x offset (right +)"), self.dx_spin)
        form.addRow(self.tr("y offset (down +)"), self.dy_spin)
        form.addRow(self.tr("x scale"), self.sx_spin)
        form.addRow(self.tr("y scale"), self.sy_spin)

        measured = QGroupBox(self.tr("Measured on the printed calibration page"), self)
        mform = QFormLayout(measured)
        mform.addRow(self.tr("Top-left crosshair from the left edge"), self.left_spin)
        mform.addRow(self.tr("Top-left crosshair from the top edge"), self.top_spin)
        self.across_label = QLabel(self)
        self.down_label = QLabel(self)
        mform.addRow(self.across_label, self.across_spin)
        mform.addRow(self.down_label, self.down_spin)
        mform.addRow("", self.compute_button)

        boxes = QHBoxLayout()
        boxes.addWidget(correction)
        boxes.addWidget(measured)
        actions = QHBoxLayout()
        for button in (self.print_button, self.save_pdf_button, self.save_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addLayout(boxes)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.instructions)
        layout.addWidget(QLabel(self.tr("Saved profiles on this computer"), self))
        layout.addWidget(self.table, 1)

    # --- state --------------------------------------------------------------------------------------
    def page_size(self) -> tuple[float, float]:
        w, h = self.page_combo.currentData()
        return float(w), float(h)

    def _update_nominal(self) -> None:
        w, h = self.page_size()
        self.across_label.setText(self.tr("Between the top crosshairs (drawn {0} mm apart)").format(
            f"{w - 2 * CROSS_MARGIN_MM:g}"))
        self.down_label.setText(self.tr("Between the left crosshairs (drawn {0} mm apart)").format(
            f"{h - 2 * CROSS_MARGIN_MM:g}"))

    def printer_name(self) -> str:
        return self.printer_combo.currentText().strip()

    def set_printer_name(self, name: str) -> None:
        index = self.printer_combo.findText(name)
        if index >= 0:
            self.printer_combo.setCurrentIndex(index)
        else:
            self.printer_combo.setEditText(name)
        self._printer_chosen(name)

    def refresh(self) -> None:
        """Reload the installed printers and the saved profiles."""
        current = self.printer_name()
        try:
            profiles = printer_profiles.load_profiles()
        except ValidationError as exc:
            profiles = {}
            self.show_message(exc.text(), error=True)
        names = list(QPrinterInfo.availablePrinterNames())
        names += [n for n in sorted(profiles) if n not in names]
        if not names:
            names = [DEFAULT_PRINTER_NAME]
        self.printer_combo.blockSignals(True)
        self.printer_combo.clear()
        self.printer_combo.addItems(names)
        default = QPrinterInfo.defaultPrinterName()
        self.printer_combo.setEditText(current or default or names[0])
        self.printer_combo.blockSignals(False)
        self.table.setRowCount(len(profiles))
        for row, name in enumerate(sorted(profiles)):
            p = profiles[name]
            for column, value in enumerate((name, f"{p.dx_mm:+.2f} mm", f"{p.dy_mm:+.2f} mm", f"{p.sx:.4f}",
                                            f"{p.sy:.4f}")):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self._printer_chosen(self.printer_name())

    def _printer_chosen(self, name: str) -> None:
        name = name.strip()
        if not name:
            return
        try:
            profile = printer_profiles.profile_for(name)
        except ValidationError as exc:
            self.show_message(exc.text(), error=True)
            return
        self.show_profile(profile)

    def _table_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            item = self.table.item(rows[0].row(), 0)
            if item is not None:
                self.set_printer_name(item.text())

    def show_profile(self, profile: PrinterProfile) -> None:
        self.dx_spin.setValue(profile.dx_mm)
        self.dy_spin.setValue(profile.dy_mm)
        self.sx_spin.setValue(profile.sx)
        self.sy_spin.setValue(profile.sy)

    def profile(self) -> PrinterProfile:
        """The profile in the fields (ValidationError in Chinese when the printer name is empty)."""
        return PrinterProfile(self.printer_name(), dx_mm=round(self.dx_spin.value(), 2),
                              dy_mm=round(self.dy_spin.value(), 2), sx=round(self.sx_spin.value(), 4),
                              sy=round(self.sy_spin.value(), 4))

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)

    # --- actions ------------------------------------------------------------------------------------
    def compute(self) -> PrinterProfile | None:
        """The correction from the measurements on a page printed with the correction now in the fields."""
        w, h = self.page_size()
        try:
            fixed = printer_profiles.from_measurements(
                self.profile(), width_mm=w, height_mm=h, left_mm=self.left_spin.value(),
                top_mm=self.top_spin.value(), across_mm=self.across_spin.value() or None,
                down_mm=self.down_spin.value() or None, margin_mm=CROSS_MARGIN_MM)
        except ValidationError as exc:
            self.show_message(exc.text(), error=True)
            return None
        self.show_profile(fixed)
        self.left_spin.setValue(CROSS_MARGIN_MM)
        self.top_spin.setValue(CROSS_MARGIN_MM)
        self.across_spin.setValue(0)
        self.down_spin.setValue(0)
        self.show_message(self.tr("Correction computed. Save the profile, then print the calibration page again "
                                  "to check it."))
        return fixed

    def save_profile(self) -> bool:
        try:
            profile = self.profile()
            printer_profiles.save_profile(profile)
        except ValidationError as exc:
            self.show_message(exc.text(), error=True)
            return False
        except OSError as exc:
            self.show_message(error_text(exc), error=True)
            return False
        self.refresh()
        self.set_printer_name(profile.printer)
        self.show_message(self.tr("Profile of “{0}” saved on this computer.").format(profile.printer))
        return True

    def delete_profile(self) -> bool:
        name = self.printer_name()
        try:
            deleted = printer_profiles.delete_profile(name)
        except (ValidationError, OSError) as exc:
            self.show_message(error_text(exc), error=True)
            return False
        self.refresh()
        self.set_printer_name(name)
        if deleted:
            self.show_message(self.tr("Profile of “{0}” deleted; it prints without correction.").format(name))
        else:
            self.show_message(self.tr("“{0}” has no saved profile.").format(name), error=True)
        return bool(deleted)

    def calibration_pdf(self) -> bytes:
        w, h = self.page_size()
        return calibration_page_pdf(w, h, self.profile().calibration)

    def save_calibration_pdf(self) -> Path | None:
        try:
            pdf = self.calibration_pdf()
        except ValidationError as exc:
            self.show_message(exc.text(), error=True)
            return None
        chosen = self.choose_save_path(self, self.tr("Save calibration page as PDF"),
                                       self.tr("calibration page.pdf"))
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            path.write_bytes(pdf)
        except OSError as exc:
            self.show_message(error_text(exc), error=True)
            return None
        self.show_message(self.tr("Saved {0}. Print it at actual size (100 %).").format(path))
        return path

    def print_calibration_page(self) -> Job | None:
        """The calibration page, with the correction in the fields, through the print dialog."""
        try:
            pdf = self.calibration_pdf()
        except ValidationError as exc:
            self.show_message(exc.text(), error=True)
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        name = self.printer_name()
        if name in QPrinterInfo.availablePrinterNames():
            printer.setPrinterName(name)
        printer.setDocName(self.tr("Calibration page"))
        if not self.exec_print_dialog(printer, self):
            return None
        self._printer = printer  # kept alive while the job runs

        def done(pages: object) -> None:
            self.printed_pages = int(pages) if isinstance(pages, int) else 0
            self.show_message(self.tr("Calibration page sent to “{0}”. Measure it with a ruler.").format(
                printer.printerName() or printer.outputFileName() or name))

        def failed(exc: Exception) -> None:
            self.show_message(error_text(exc), error=True)

        self.last_job = run_with_progress(self, self.tr("Printing the calibration page"),
                                          lambda: print_pdf(pdf, printer), on_done=done, on_error=failed)
        return self.last_job


__all__ = ["DEFAULT_PRINTER_NAME", "PrintersView", "exec_print_dialog"]
