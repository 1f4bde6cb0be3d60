"""The Reports page (issue 8, item 2): pick a report, set its parameters, preview it, save it.

Left, the reports of :data:`~remoteedu_desktop.services.report_model.REPORTS`; right, the parameters (the
year for the yearly reports, the unit selected in the org tree on the left of the main window, the
"prepared by" name, remembered in QSettings), the preview of the built table, and "Save PDF…" / "Save
Excel…". Building and writing run in the worker (``ui/worker.py``) behind a progress dialog: a county's
roster has thousands of rows. Saving writes the table that is shown when its parameters still hold,
and builds it first otherwise.

The save-as dialog is a hook (``choose_save_path``), as on the evaluation and certificates pages, so that
tests never enter a modal loop; ``settings`` may be replaced by a QSettings file of the test's own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Generator
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...printing.report_pdf import report_pdf_steps
from ...services.progress import Progress
from ...services.report_export import write_report_xlsx
from ...services.report_model import MIN_YEAR, REPORTS, ReportSpec, ReportTable, report, scope
from ...sync.safe_write import write_file_safely
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..worker import Job, run_with_progress
from .table_model import ReportTableModel

SavePathFn = Callable[[QWidget, str, str, str], str | None]  # parent, title, suggested name, filter
PREPARED_BY_KEY = "reports/prepared_by"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
OK_STYLE = "color: #1b5e20;"
ERROR_STYLE = "color: #b3261e;"
STALE_STYLE = "color: #8a6d00;"


def choose_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> str | None:
    """The real save-as dialog."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return path or None


def file_name(text: str) -> str:
    """*text* made safe as a Windows file name."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "report"


def error_text(exc: BaseException) -> str:
    """A refusal in the service's Chinese words; a file error short; never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    if isinstance(exc, OSError):
        return QCoreApplication.translate("ReportsPage", "The file could not be written: {0}").format(
            exc.strerror or str(exc))
    return QCoreApplication.translate("ReportsPage", "Unexpected error ({0}): {1}").format(type(exc).__name__, exc)


class ReportsPage(RefreshingWidget):
    """Every report of the office: parameters, preview, PDF and .xlsx."""

    refresh_areas: ClassVar[frozenset[str]] = frozenset({
        "units", "people", "posts", "training", "certificates", "activities", "equipment", "faults",
        "evaluation", "awards", "sync"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today: dt.date = dt.date.today()
        self.choose_save_path: SavePathFn = choose_save_path
        self.settings: QSettings | None = None  # None: the application's own QSettings
        self.unit_id: str | None = None
        self.unit_name = ""
        self.table: ReportTable | None = None
        self.table_params: tuple[object, ...] | None = None  # the parameters self.table was built with
        self.job: Job | None = None
        self.last_written: Path | None = None

        self.list = QListWidget(self)
        for spec in REPORTS.values():
            item = QListWidgetItem(spec.title)
            item.setData(KEY_ROLE, spec.key)
            self.list.addItem(item)
        self.list.setMinimumWidth(200)

        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(MIN_YEAR, self.today.year + 1)
        self.year_spin.setValue(self.today.year)
        self.year_spin.setSuffix(self.tr(" (year)"))
        self.year_spin.setMaximumWidth(160)
        self.unit_label = QLabel(self)
        self.unit_label.setToolTip(self.tr("Select a township or site in the tree on the left to limit the "
                                           "report to it"))
        self.prepared_edit = QLineEdit(self)
        self.prepared_edit.setPlaceholderText(self.tr("the name printed after 制表人"))
        self.prepared_edit.setMaxLength(50)
        self.prepared_edit.editingFinished.connect(self._remember_prepared_by)
        form = QFormLayout()
        form.addRow(self.tr("Year"), self.year_spin)
        form.addRow(self.tr("Scope"), self.unit_label)
        form.addRow(self.tr("Prepared by"), self.prepared_edit)

        self.build_button = QPushButton(self.tr("Preview"), self)
        self.pdf_button = QPushButton(self.tr("Save PDF…"), self)
        self.xlsx_button = QPushButton(self.tr("Save Excel…"), self)
        self.build_button.clicked.connect(lambda _checked=False: self.build())
        self.pdf_button.clicked.connect(lambda _checked=False: self.save(".pdf"))
        self.xlsx_button.clicked.connect(lambda _checked=False: self.save(".xlsx"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.build_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.xlsx_button)

        self.title_label = QLabel(self)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title_label.setFont(font)
        self.params_label = QLabel(self)
        self.params_label.setWordWrap(True)
        self.model = ReportTableModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setVisible(False)

        right = QWidget(self)
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(form)
        box.addLayout(buttons)
        box.addWidget(self.status)
        box.addWidget(self.title_label)
        box.addWidget(self.params_label)
        box.addWidget(self.view, 1)
        box.addWidget(self.notes_label)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.list.currentItemChanged.connect(lambda _cur, _prev: self._report_changed())
        self.year_spin.valueChanged.connect(lambda _value: self._params_changed())
        self.prepared_edit.setText(str(self._settings().value(PREPARED_BY_KEY, "") or ""))
        self._show_unit()
        self.list.setCurrentRow(0)
        ctx.changed.connect(self._on_data_changed)

    # -- parameters --------------------------------------------------------------------------------

    def _settings(self) -> QSettings:
        return self.settings if self.settings is not None else QSettings()

    def set_settings(self, settings: QSettings) -> None:
        """Use *settings* (tests: a file of their own) and read the remembered name from it."""
        self.settings = settings
        self.prepared_edit.setText(str(settings.value(PREPARED_BY_KEY, "") or ""))

    def _remember_prepared_by(self) -> None:
        self._settings().setValue(PREPARED_BY_KEY, self.prepared_edit.text().strip())

    def spec(self) -> ReportSpec | None:
        item = self.list.currentItem()
        return REPORTS.get(str(item.data(KEY_ROLE))) if item is not None else None

    def select_report(self, key: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(KEY_ROLE) == key:
                self.list.setCurrentRow(row)
                return
        raise KeyError(key)

    def select_unit(self, unit_id: str | None) -> None:
        """The org tree's selection: the report covers that unit and everything under it."""
        self.unit_id = unit_id
        self._show_unit()
        self._params_changed()

    def _show_unit(self) -> None:
        name = ""
        if self.unit_id is not None:
            try:
                with self.ctx.session() as session:
                    name = scope(session, self.unit_id).name
            except ValidationError:  # the unit is gone: the whole office
                self.unit_id = None
        if self.unit_id is None:
            self.unit_name = ""
            self.unit_label.setText(self.tr("The whole office"))
        else:
            self.unit_name = name
            self.unit_label.setText(name)

    def params(self) -> tuple[object, ...]:
        """What a build depends on: report, year (yearly reports only), unit, prepared by, date."""
        spec = self.spec()
        year = self.year_spin.value() if spec is not None and spec.needs_year else None
        return (spec.key if spec else None, year, self.unit_id if spec is None or spec.needs_unit else None,
                self.prepared_edit.text().strip(), self.today)

    def _report_changed(self) -> None:
        spec = self.spec()
        self.year_spin.setEnabled(spec is not None and spec.needs_year)
        self.unit_label.setEnabled(spec is not None and spec.needs_unit)
        self._params_changed()

    def _params_changed(self) -> None:
        """The preview no longer matches: say so (it is rebuilt on "Preview" or before a save)."""
        if self.table is not None and self.table_params != self.params():
            self.status.setStyleSheet(STALE_STYLE)
            self.status.setText(self.tr("The parameters changed: press Preview to see the report for them."))
            self.status.setVisible(True)

    def refresh(self) -> None:
        """The data changed: the preview is out of date; it is rebuilt on request, not behind the clerk's back."""
        self._stale = False
        self._show_unit()
        if self.table is not None:
            self.table_params = None
            self._params_changed()

    # -- building and saving -------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _work(self, params: tuple[object, ...]) -> Callable[[], Generator[Progress, None, ReportTable]]:
        key, year, unit_id, prepared_by, today = params
        ctx = self.ctx
        gathering = self.tr("Gathering the report's data…")

        def work() -> Generator[Progress, None, ReportTable]:
            yield 0, 0, gathering
            with ctx.session() as session:
                return report(session, str(key), year=year, unit_id=unit_id,  # type: ignore[arg-type]
                              today=today, prepared_by=str(prepared_by))  # type: ignore[arg-type]

        return work

    def show_table(self, table: ReportTable | None, params: tuple[object, ...] | None = None) -> None:
        self.table = table
        self.table_params = params
        self.model.set_table(table)
        if table is None:
            self.title_label.clear()
            self.params_label.clear()
            self.notes_label.clear()
            return
        self.title_label.setText(table.title)
        made = table.made_on.isoformat()
        line = "；".join(x for x in (table.office_name, table.params, f"制表日期：{made}") if x)
        self.params_label.setText(line)
        self.notes_label.setText("\n".join(table.notes))
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            if self.view.columnWidth(column) > 320:
                self.view.setColumnWidth(column, 320)

    def build(self) -> Job | None:
        """Build the selected report in the worker and preview it."""
        if self.spec() is None:
            return None
        params = self.params()
        rows_text = self.tr("{0}: {1} rows")

        def done(result: object) -> None:
            if isinstance(result, ReportTable):
                self.show_table(result, params)
                self._say(rows_text.format(result.title, len(result.rows)))

        def failed(exc: Exception) -> None:
            self._say(self.tr("The report could not be built. {0}").format(error_text(exc)), error=True)

        self.job = run_with_progress(self, self.tr("Building the report"), self._work(params), on_done=done,
                                     on_error=failed)
        return self.job

    def save(self, suffix: str) -> Job | None:
        """Save the report as PDF (``.pdf``) or workbook (``.xlsx``) through the save-as hook, in the worker."""
        spec = self.spec()
        if spec is None:
            return None
        self._remember_prepared_by()
        params = self.params()
        parts = [spec.title, self.unit_name, str(params[1]) if params[1] is not None else ""]
        suggested = file_name("_".join(p for p in parts if p)) + suffix
        if suffix == ".pdf":
            title, file_filter = self.tr("Save the report as PDF"), self.tr("PDF files (*.pdf)")
        else:
            title, file_filter = self.tr("Save the report as Excel"), self.tr("Excel workbooks (*.xlsx)")
        chosen = self.choose_save_path(self, title, suggested, file_filter)
        if not chosen:
            return None
        path = Path(chosen if chosen.lower().endswith(suffix) else chosen + suffix)
        shown = self.table if self.table is not None and self.table_params == params else None
        build = self._work(params)
        writing = self.tr("Writing {0}…").format(path.name)

        def work() -> Generator[Progress, None, ReportTable]:
            table = shown if shown is not None else (yield from build())
            yield 0, 0, writing
            if suffix == ".pdf":
                data = yield from report_pdf_steps(table)
                path.parent.mkdir(parents=True, exist_ok=True)
                write_file_safely(path, data, overwrite=True)
            else:
                write_report_xlsx(table, path)
            return table

        def done(result: object) -> None:
            if isinstance(result, ReportTable):
                if shown is None:
                    self.show_table(result, params)
                self.last_written = path
                self._say(self.tr("{0} saved to {1}").format(result.title, path))

        def failed(exc: Exception) -> None:
            self._say(self.tr("Nothing was written. {0}").format(error_text(exc)), error=True)

        self.job = run_with_progress(self, title, work, on_done=done, on_error=failed)
        return self.job
