"""Training coverage of a unit (R8, R10, R11): who has had pre-job training, the hours of the year, and
who still lacks what the on-duty certificate needs.

Everyone with an open post at the unit or below it is one row; the summary line counts them. The table
sorts on any column, and "only those lacking something" leaves the rest out. The view reloads when
training, posts, people or certificates change (while hidden it only remembers to).
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import offices, training_views
from ...services.training_views import CoverageRow, CoverageSummary
from ..context import AppContext
from ..refreshing import RefreshingWidget
from .common import ERROR_STYLE, FAILED_COLOUR, MUTED_COLOUR, PASSED_COLOUR, error_text, number_text

C_NAME, C_UNIT, C_POST, C_PRE_JOB, C_HOURS, C_CERTIFICATE, C_LACKS = range(7)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
YES, NO, NOT_NEEDED = "✓", "✗", "—"
#: Areas whose changes can change coverage.
WATCHED_AREAS = frozenset({"training", "people", "posts", "certificates", "units"})
AnyIndex = QModelIndex | QPersistentModelIndex


class CoverageModel(QAbstractTableModel):
    """The rows of one CoverageSummary, as loaded."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[CoverageRow, ...] = ()
        self._red = QBrush(QColor(FAILED_COLOUR))
        self._green = QBrush(QColor(PASSED_COLOUR))
        self._grey = QBrush(QColor(MUTED_COLOUR))
        self.headers = [self.tr("Name"), self.tr("Unit"), self.tr("Post"), self.tr("Pre-job training"),
                        self.tr("Hours in the year"), self.tr("On-duty certificate"), self.tr("Still lacking")]

    def set_rows(self, rows: tuple[CoverageRow, ...]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    @staticmethod
    def is_manager(row: CoverageRow) -> bool:
        """Managers work with an on-duty certificate after pre-job training (R11); others do not need it."""
        return row.role in codes.MANAGER_ROLES

    def _mark(self, row: CoverageRow, column: int) -> str:
        done = row.pre_job_trained if column == C_PRE_JOB else row.has_on_duty_certificate
        if done:
            return YES
        return NO if self.is_manager(row) else NOT_NEEDED

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = {C_NAME: row.name, C_UNIT: row.unit, C_POST: row.post, C_HOURS: number_text(row.hours_this_year),
                      C_LACKS: "、".join(row.lacks)}
            if column in (C_PRE_JOB, C_CERTIFICATE):
                return self._mark(row, column)
            return values[column]
        if role == SORT_ROLE:
            if column == C_HOURS:
                return row.hours_this_year
            if column == C_NAME:
                return index.row()  # the service's order: by unit, then the name's pinyin initials
            if column in (C_PRE_JOB, C_CERTIFICATE):
                return {YES: 2, NOT_NEEDED: 1, NO: 0}[self._mark(row, column)]
            if column == C_LACKS:
                return len(row.lacks) * 1000 + index.row()
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == C_LACKS:
                return self._red
            if column in (C_PRE_JOB, C_CERTIFICATE):
                mark = self._mark(row, column)
                return self._green if mark == YES else self._red if mark == NO else self._grey
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (C_PRE_JOB, C_HOURS, C_CERTIFICATE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class LackingFilter(QSortFilterProxyModel):
    """Sorts on SORT_ROLE; with ``only_lacking`` keeps the rows that lack something."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.only_lacking = False
        self.setSortRole(SORT_ROLE)

    def set_only_lacking(self, on: bool) -> None:
        self.beginFilterChange()
        self.only_lacking = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802 - Qt's name
        if not self.only_lacking:
            return True
        model = self.sourceModel()
        assert isinstance(model, CoverageModel)
        return bool(model.rows[source_row].lacks)


class CoverageView(RefreshingWidget):
    """Coverage of the selected unit (default: the office's own) in the chosen year."""

    refresh_areas = WATCHED_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id: str | None = None
        self.coverage: CoverageSummary | None = None
        self._stale = False

        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        year_label = QLabel(self.tr("Year"), self)
        year_label.setBuddy(self.year)
        self.only_lacking = QCheckBox(self.tr("Only those lacking something"), self)
        self.only_lacking.toggled.connect(self._filter_changed)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.only_lacking)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = CoverageModel(self)
        self.proxy = LackingFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(C_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        for column, width in ((C_NAME, 90), (C_UNIT, 180), (C_POST, 170), (C_PRE_JOB, 90), (C_HOURS, 100),
                              (C_CERTIFICATE, 100)):
            self.table.setColumnWidth(column, width)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        ctx.changed.connect(self._on_data_changed)

    # -- what is shown -----------------------------------------------------------------------------

    def select_unit(self, unit_id: str | None) -> None:
        """Show *unit_id*, or the office's own unit for None."""
        self.unit_id = unit_id
        self.refresh()

    def set_year(self, year: int) -> None:
        self.year.setValue(year)  # refreshes when it changes

    def _target_unit(self) -> str | None:
        if self.unit_id is not None:
            return self.unit_id
        with self.ctx.session() as session:
            return offices.office_info(session).unit_id

    def refresh(self) -> None:
        self._stale = False
        unit_id = self._target_unit()
        if unit_id is None:
            self._show(None, self.tr("The office is not set up yet."))
            return
        try:
            with self.ctx.session() as session:
                coverage = training_views.unit_coverage(session, unit_id, year=self.year.value())
        except ValidationError as exc:
            self._show(None, error_text(exc))
            return
        self._show(coverage, "")

    def _show(self, coverage: CoverageSummary | None, error: str) -> None:
        self.coverage = coverage
        self.model.set_rows(coverage.rows if coverage else ())
        if coverage is None:
            self.title.setText(self.tr("Training coverage"))
            self.summary.setStyleSheet(ERROR_STYLE)
            self.summary.setText(html.escape(error))
            return
        self.title.setText(self.tr("Training coverage: {0}").format(coverage.unit_name))
        self.summary.setStyleSheet("")
        counts, lacking = self.summary_parts(coverage)
        red = f" <span style='color:{FAILED_COLOUR}'>{html.escape(lacking)}</span>" if lacking else ""
        self.summary.setText(html.escape(counts) + red)

    def summary_parts(self, c: CoverageSummary) -> tuple[str, str]:
        """(the counts, what is lacking — shown in red; "" when nothing is)."""
        counts = self.tr("{0} people on the team; {1} passed pre-job training; {2} hours of training in {3}.").format(
            c.people, c.pre_job_trained, number_text(c.hours_this_year), c.year)
        if c.lacking_certificate_requirements:
            return counts, self.tr("{0} site managers still lack what the on-duty certificate needs (R11).").format(
                c.lacking_certificate_requirements)
        return counts + " " + self.tr("Every site manager has what the on-duty certificate needs (R11)."), ""

    def summary_text(self, c: CoverageSummary) -> str:
        return " ".join(part for part in self.summary_parts(c) if part)

    def _filter_changed(self, on: bool) -> None:
        self.proxy.set_only_lacking(on)

    def shown_rows(self) -> list[CoverageRow]:
        """The rows as shown: filtered and in the table's order."""
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                for r in range(self.proxy.rowCount())]

    def cell_text(self, row: int, column: int) -> str:
        return str(self.proxy.index(row, column).data() or "")
