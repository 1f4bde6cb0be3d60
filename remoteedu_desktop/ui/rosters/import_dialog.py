"""Import a staff roster (花名册) from Excel: choose the file, preview every row, then import.

Reading and previewing run on the worker (:func:`..worker.run_with_progress`); the preview grid shows
each row's verdict (新增/更新/无变化/错误) with the reason or the changes. Import runs
:func:`services.staff_import.apply_import` in ONE ``ctx.session()`` transaction behind a progress
dialog: cancel closes the generator and the session rolls back, so nothing is written.

File choosers are injectable (``ask_open_path``, ``ask_save_path``) so tests bypass QFileDialog.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services.backups import backup_before
from ...services.id_number import mask_id_number
from ...services.staff_import import (
    ImportPreview,
    ImportRow,
    ImportSummary,
    apply_import,
    preview_roster,
    read_roster,
    write_row_report,
)
from ..context import AppContext
from ..worker import Cancelled, Job, Progress, run_with_progress
from . import PathFn, choose_open_path, choose_save_path, error_text

AnyIndex = QModelIndex | QPersistentModelIndex

STATUS_COLOR = {"new": "#e2efda", "update": "#fff2cc", "unchanged": None, "error": "#f8cbad"}
STATUS_TEXT_COLOR = {"new": "#2e7d32", "update": "#8a6d00", "unchanged": "#666666", "error": "#c62828"}
ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"


class PreviewModel(QAbstractTableModel):
    """The preview's rows: sheet, row, status, name, masked ID number, reason or changes."""

    SHEET, ROW, STATUS, NAME, ID, DETAIL = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ImportRow] = []
        self.headers = [self.tr("Sheet"), self.tr("Row"), self.tr("Status"), self.tr("Name"),
                        self.tr("ID number"), self.tr("Reason / changes")]

    def set_rows(self, rows: list[ImportRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's name
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def text(self, row: ImportRow, column: int) -> str:
        if column == self.SHEET:
            return row.sheet
        if column == self.ROW:
            return str(row.row)
        if column == self.STATUS:
            return row.status_label
        if column == self.NAME:
            return row.name
        if column == self.ID:
            # a refused row shows the number as typed, so the clerk can find and fix it
            return row.id_number if row.status == "error" else mask_id_number(row.id_number)
        return row.description()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DETAIL:
            return row.description()
        if role == Qt.ItemDataRole.BackgroundRole and (color := STATUS_COLOR[row.status]):
            return QBrush(QColor(color))
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS:
            return QBrush(QColor(STATUS_TEXT_COLOR[row.status]))
        if role == Qt.ItemDataRole.FontRole and column == self.STATUS:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == self.ROW:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None


class RosterImportDialog(QDialog):
    """Choose an .xlsx roster, check every row, then import the good ones in one transaction."""

    previewed = Signal()  # a preview is shown
    imported = Signal(object)  # the ImportSummary written
    progressed = Signal(int, int, str)  # each import step (emitted from the worker)

    def __init__(self, ctx: AppContext, path: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ask_open_path: PathFn = choose_open_path
        self.ask_save_path: PathFn = choose_save_path
        self.today = dt.date.today()
        self.preview: ImportPreview | None = None
        self.result: ImportSummary | None = None
        self.job: Job | None = None
        self._cancel = threading.Event()
        self.setWindowTitle(self.tr("Import roster"))
        self.resize(1100, 650)

        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("Choose an Excel roster (.xlsx)"))
        self.choose_button = QPushButton(self.tr("Choose file…"), self)
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel(self.tr("Roster file:"), self))
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)

        self.summary_label = QLabel(self)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #666666;")
        self.notes_label.hide()

        self.model = PreviewModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in ((PreviewModel.SHEET, 90), (PreviewModel.ROW, 50), (PreviewModel.STATUS, 64),
                              (PreviewModel.NAME, 80), (PreviewModel.ID, 170)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(PreviewModel.DETAIL, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        self.skip_errors = QCheckBox(self.tr("Skip rows with errors (import only the valid rows)"), self)
        self.skip_errors.toggled.connect(self._update_buttons)
        self.report_button = QPushButton(self.tr("Save row report…"), self)
        self.report_button.clicked.connect(self.save_report)
        self.import_button = QPushButton(self.tr("Import"), self)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_errors)
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self._update_buttons()
        if path:
            self.load(path)

    # --- state ------------------------------------------------------------------------------------

    def can_import(self) -> bool:
        preview = self.preview
        if preview is None or self.result is not None:
            return False
        if not any(r.status in ("new", "update") for r in preview.rows):
            return False
        return not preview.has_errors or self.skip_errors.isChecked()

    def _update_buttons(self) -> None:
        has_errors = self.preview is not None and self.preview.has_errors
        self.skip_errors.setEnabled(has_errors and self.result is None)
        self.report_button.setEnabled(self.preview is not None)
        self.import_button.setEnabled(self.can_import())
        if self.preview is not None and self.result is None:
            if has_errors and not self.skip_errors.isChecked():
                self.import_button.setToolTip(self.tr("Correct the rows with errors, or skip them"))
            elif not self.can_import():
                self.import_button.setToolTip(self.tr("Nothing to import: every row matches the database"))
            else:
                self.import_button.setToolTip("")

    def _show_message(self, text: str, *, error: bool) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message_label.show()

    # --- reading and preview --------------------------------------------------------------------

    def choose_file(self) -> None:
        start = str(Path(self.path_edit.text()).parent) if self.path_edit.text() else ""
        path = self.ask_open_path(self, self.tr("Choose a roster to import"), start)
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Read and check *path* on the worker; the preview appears when done."""
        self.path_edit.setText(path)
        self.preview = None
        self.result = None
        self.model.set_rows([])
        self.summary_label.setText("")
        self.notes_label.hide()
        self.message_label.hide()
        self.skip_errors.setChecked(False)
        self._update_buttons()
        reading = self.tr("Reading {0}…").format(Path(path).name)
        checking = self.tr("Checking rows against the database…")
        ctx, today = self.ctx, self.today

        def work() -> Generator[Progress, None, ImportPreview]:
            yield 0, 2, reading
            roster = read_roster(path)
            yield 1, 2, checking
            with ctx.session() as session:
                preview = preview_roster(session, roster, today=today)
            yield 2, 2, checking
            return preview

        self.job = run_with_progress(self, self.tr("Reading roster"), work,
                                     on_done=self._on_previewed, on_error=self._on_read_failed)

    def _on_previewed(self, preview: object) -> None:
        assert isinstance(preview, ImportPreview)
        self.preview = preview
        self.model.set_rows(preview.rows)
        self.summary_label.setText(preview.summary.text())
        if preview.notes:
            shown = preview.notes[:5]
            more = len(preview.notes) - len(shown)
            text = "\n".join(shown) + (("\n" + self.tr("… and {0} more notes in the row report").format(more))
                                       if more > 0 else "")
            self.notes_label.setText(text)
            self.notes_label.show()
        if not preview.rows:
            self._show_message(self.tr("No staff rows were found in this file."), error=True)
        elif preview.has_errors:
            self._show_message(self.tr("{0} rows have errors (red). Correct them in Excel and choose the file "
                                       "again, or tick “skip rows with errors”.").format(len(preview.errors)),
                               error=True)
        self._update_buttons()
        self.table.setFocus()
        self.previewed.emit()

    def _on_read_failed(self, exc: Exception) -> None:
        self.summary_label.setText("")
        self._show_message(error_text(exc), error=True)
        self._update_buttons()

    # --- report ---------------------------------------------------------------------------------

    def save_report(self) -> None:
        preview = self.preview
        if preview is None:
            return
        suggested = str(preview.file.with_name(f"{preview.file.stem}_导入报告.xlsx"))
        path = self.ask_save_path(self, self.tr("Save row report"), suggested)
        if not path:
            return
        try:
            written = write_row_report(preview, path)
        except Exception as exc:  # noqa: BLE001 - shown to the clerk in Chinese
            self._show_message(error_text(exc), error=True)
            return
        self._show_message(self.tr("Row report saved: {0}").format(written), error=False)

    # --- import ---------------------------------------------------------------------------------

    def cancel_import(self) -> None:
        """Stop a running import; the transaction rolls back and nothing is written."""
        self._cancel.set()
        if self.job is not None:
            self.job.cancel()

    def _watched(self, steps: Generator[Progress, None, ImportSummary]) -> Generator[Progress, None, ImportSummary]:
        """*steps*, stopping with Cancelled as soon as :meth:`cancel_import` was called."""
        try:
            while True:
                if self._cancel.is_set():
                    raise Cancelled()
                try:
                    step = next(steps)
                except StopIteration as stop:
                    return stop.value
                self.progressed.emit(*step)
                yield step
        finally:
            steps.close()  # apply_import rolls back what it wrote if it did not finish

    def start_import(self) -> None:
        preview = self.preview
        if preview is None or not self.can_import():
            return
        skip = self.skip_errors.isChecked()
        ctx, today = self.ctx, self.today
        self._cancel.clear()

        def work() -> Generator[Progress, None, ImportSummary]:
            backup_before(ctx.db, "staff_import")  # issue 9 item 3: a backup before every bulk change
            with ctx.session() as session:  # ONE transaction: commits only if every row was written
                return (yield from self._watched(apply_import(session, preview, today=today, skip_errors=skip)))

        self.import_button.setEnabled(False)
        self.message_label.hide()
        self.job = run_with_progress(self, self.tr("Importing roster"), work, on_done=self._on_imported,
                                     on_error=self._on_import_failed, on_cancel=self._on_import_cancelled)

    def _on_imported(self, summary: object) -> None:
        assert isinstance(summary, ImportSummary)
        self.result = summary
        self.ctx.notify("people")
        self.ctx.notify("posts")
        self._show_message(self.tr("Imported: {0} people added, {1} updated; {2} unchanged, {3} rows skipped.")
                           .format(summary.new, summary.update, summary.unchanged, summary.error), error=False)
        self.close_button.setText(self.tr("Done"))
        self._update_buttons()
        self.imported.emit(summary)

    def _on_import_cancelled(self) -> None:
        self._show_message(self.tr("Import cancelled: nothing was written."), error=True)
        self._update_buttons()

    def _on_import_failed(self, exc: Exception) -> None:
        if isinstance(exc, Cancelled):
            self._on_import_cancelled()
            return
        self._show_message(self.tr("Nothing was imported. {0}").format(error_text(exc)), error=True)
        self._update_buttons()
