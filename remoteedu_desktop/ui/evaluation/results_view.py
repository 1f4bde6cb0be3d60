"""The results tab (R14): the evaluations of the shown round, ranked, with the unfit flag and the texts.

A sortable table (rank in the township and the county, name, target, unit, township, post, total, grade,
the "cannot do the job" flag as a checkbox, complete), filtered by target and grade and by the org
tree's unit. Beside it the selected evaluation's self-summary and opinion, saved with ``set_texts``.
Ticking the flag calls ``set_unfit`` at once (R14: flagged for adjustment). The forms PDF and the .xlsx
export are written by :mod:`.output` (helper modules imported when first used; the buttons are disabled
with a tooltip when they are not in this build).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import evaluation_scoring
from ...services.evaluation_rounds import RoundInfo
from ...services.evaluation_scoring import EvaluationRow
from ..tables import sortable_rows_table
from .common import (
    EXCELLENT_COLOUR,
    FAIL_COLOUR,
    GRADES,
    HINT_STYLE,
    error_text,
    number_text,
    show_message,
)

if TYPE_CHECKING:
    from ..context import AppContext

(R_RANK_TOWNSHIP, R_RANK_COUNTY, R_NAME, R_TARGET, R_UNIT, R_TOWNSHIP, R_POST, R_TOTAL, R_GRADE, R_UNFIT,
 R_COMPLETE) = range(11)
AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
FORMS_DATA = "remoteedu_desktop.services.evaluation_forms_data"
#: (evaluation id, unfit) → True when the flag was stored.
SetUnfitFn = Callable[[str, bool], bool]


class ResultsModel(QAbstractTableModel):
    """The evaluations as rows; the unfit column is a checkbox that goes through *set_unfit*."""

    def __init__(self, set_unfit: SetUnfitFn, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[EvaluationRow] = []
        self.set_unfit = set_unfit
        self.editable = True
        self.headers = [QCoreApplication.translate("EvaluationResults", "Rank (township)"), QCoreApplication.translate("EvaluationResults", "Rank (county)"),
                        QCoreApplication.translate("EvaluationResults", "Name"), QCoreApplication.translate("EvaluationResults", "Evaluated as"),
                        QCoreApplication.translate("EvaluationResults", "Unit"), QCoreApplication.translate("EvaluationResults", "Township"),
                        QCoreApplication.translate("EvaluationResults", "Post"), QCoreApplication.translate("EvaluationResults", "Total"),
                        QCoreApplication.translate("EvaluationResults", "Grade"), QCoreApplication.translate("EvaluationResults", "Cannot do the job"),
                        QCoreApplication.translate("EvaluationResults", "Complete")]
        self.unfit_tip = QCoreApplication.translate("EvaluationResults", "Flagged for adjustment (R14); set automatically for the "
                                                 "lowest grade, and by hand")
        self.yes, self.no = QCoreApplication.translate("EvaluationResults", "yes"), QCoreApplication.translate("EvaluationResults", "not yet")
        self._fail = QBrush(QColor(FAIL_COLOUR))
        self._excellent = QBrush(QColor(EXCELLENT_COLOUR))

    def set_rows(self, rows: Sequence[EvaluationRow], editable: bool) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.editable = editable
        self.endResetModel()

    def replace(self, row: EvaluationRow) -> None:
        for n, old in enumerate(self.rows):
            if old.id == row.id:
                self.rows[n] = row
                self.dataChanged.emit(self.index(n, 0), self.index(n, R_COMPLETE))
                return

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.headers[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == R_UNFIT:
                return self.unfit_tip
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == R_UNFIT and self.editable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values: dict[int, str] = {
                R_RANK_TOWNSHIP: "" if row.rank_township is None else str(row.rank_township),
                R_RANK_COUNTY: "" if row.rank_county is None else str(row.rank_county),
                R_NAME: row.name, R_TARGET: row.target_label, R_UNIT: row.unit, R_TOWNSHIP: row.township,
                R_POST: row.post, R_TOTAL: number_text(row.total), R_GRADE: row.grade_label,
                R_COMPLETE: self.yes if row.complete else self.no,
            }
            return values.get(column, "")
        if role == Qt.ItemDataRole.CheckStateRole and column == R_UNFIT:
            return Qt.CheckState.Checked if row.unfit else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            big = 10 ** 9
            sort_values: dict[int, Any] = {
                R_RANK_TOWNSHIP: row.rank_township if row.rank_township is not None else big,
                R_RANK_COUNTY: row.rank_county if row.rank_county is not None else big,
                R_TOTAL: row.total if row.total is not None else -1.0,
                R_GRADE: GRADES.index(row.grade) if row.grade in GRADES else len(GRADES),
                R_UNFIT: int(row.unfit), R_COMPLETE: int(row.complete),
            }
            return sort_values.get(column, self.data(index, Qt.ItemDataRole.DisplayRole))
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (R_RANK_TOWNSHIP, R_RANK_COUNTY, R_TOTAL,
                                                                   R_GRADE, R_COMPLETE):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column in (R_GRADE, R_NAME):
            if row.grade == "fail" or (column == R_NAME and row.unfit):
                return self._fail
            if row.grade == "excellent" and column == R_GRADE:
                return self._excellent
        if role == Qt.ItemDataRole.ToolTipRole and column == R_UNFIT:
            return self.unfit_tip
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != R_UNFIT or role != Qt.ItemDataRole.CheckStateRole:
            return False
        if not self.editable:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        row = self.rows[index.row()]
        return self.set_unfit(row.id, checked)


class ResultsTab(QWidget):
    """Ranked evaluations of the shown round, filters, the unfit flag, texts, forms and export."""

    #: An evaluation changed here (unfit flag, texts): the page notifies the other pages.
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.round: RoundInfo | None = None
        self.unit_id: str | None = None
        self._rows: list[EvaluationRow] = []
        self._texts_for: str | None = None
        self._texts: dict[str, tuple[str, str]] | None = None  #: id → (self-summary, opinion), read when needed

        self.target_combo = QComboBox(self)
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.grade_combo = QComboBox(self)
        self.grade_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)
        self.forms_selected_button = QPushButton(self.tr("Forms of the selection (PDF)…"), self)
        self.forms_all_button = QPushButton(self.tr("Forms of all shown (PDF)…"), self)
        self.export_button = QPushButton(self.tr("Export results (.xlsx)…"), self)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Evaluated"), self))
        filters.addWidget(self.target_combo)
        filters.addSpacing(8)
        filters.addWidget(QLabel(self.tr("Grade"), self))
        filters.addWidget(self.grade_combo)
        filters.addSpacing(8)
        filters.addWidget(self.count_label)
        filters.addStretch(1)
        filters.addWidget(self.forms_selected_button)
        filters.addWidget(self.forms_all_button)
        filters.addWidget(self.export_button)

        self.model = ResultsModel(self._set_unfit, self)
        self.proxy: QSortFilterProxyModel
        self.proxy, self.table = sortable_rows_table(self, self.model, SORT_ROLE)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setResizeContentsPrecision(40)  # sizing looks at 40 rows, not a county's thousands
        head.setStretchLastSection(False)

        self.detail = QGroupBox(self.tr("Selected evaluation"), self)
        self.detail_title = QLabel(self.detail)
        self.detail_title.setWordWrap(True)
        self.detail_title.setStyleSheet("font-weight: bold;")
        self.summary_edit = QPlainTextEdit(self.detail)
        self.summary_edit.setPlaceholderText(self.tr("The person's own summary of the year"))
        self.opinion_edit = QPlainTextEdit(self.detail)
        self.opinion_edit.setPlaceholderText(self.tr("The evaluating office's opinion"))
        self.texts_button = QPushButton(self.tr("Save texts"), self.detail)
        self.texts_button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow(self.tr("Self-summary"), self.summary_edit)
        form.addRow(self.tr("Opinion"), self.opinion_edit)
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addLayout(form, 1)
        detail_layout.addWidget(self.texts_button, 0, Qt.AlignmentFlag.AlignRight)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 320])
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        self.grade_combo.addItem(self.tr("All grades"), None)
        self.target_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.grade_combo.currentIndexChanged.connect(lambda _i: self._fill())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.texts_button.clicked.connect(lambda _checked=False: self.save_texts())
        self.summary_edit.textChanged.connect(self._update_buttons)
        self.opinion_edit.textChanged.connect(self._update_buttons)
        self._show_texts(None)

    # -- loading -----------------------------------------------------------------------------------

    def set_round(self, info: RoundInfo | None, targets: list[tuple[str, str]]) -> None:
        self.round = info
        current_target = self.target_combo.currentData()
        current_grade = self.grade_combo.currentData()
        for combo in (self.target_combo, self.grade_combo):
            combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItem(self.tr("Everyone"), None)
        for code, label in targets:
            self.target_combo.addItem(label, code)
        self.target_combo.setCurrentIndex(max(self.target_combo.findData(current_target), 0))
        self.grade_combo.clear()
        self.grade_combo.addItem(self.tr("All grades"), None)
        names = codes.GRADE_COMPETENT if info is not None and info.grade_scale == "competent" \
            else codes.GRADE_STANDARD
        for grade in GRADES:
            self.grade_combo.addItem(names[grade], grade)
        self.grade_combo.setCurrentIndex(max(self.grade_combo.findData(current_grade), 0))
        for combo in (self.target_combo, self.grade_combo):
            combo.blockSignals(False)
        self.load()

    def select_unit(self, unit_id: str | None) -> None:
        if unit_id != self.unit_id:
            self.unit_id = unit_id
            self.load()

    def load(self) -> None:
        if self.round is None:
            self._rows = []
        else:
            target = self.target_combo.currentData()
            with self.ctx.session() as session:
                self._rows = evaluation_scoring.evaluations(session, self.round.year, target=target or None,
                                                            unit_id=self.unit_id)
        self._texts = None
        self._texts_for = None
        self._fill()

    def _fill(self) -> None:
        grade = self.grade_combo.currentData()
        rows = [r for r in self._rows if grade is None or r.grade == grade]
        selected = self.selected_ids()
        self.model.set_rows(rows, editable=self.round is not None and self.round.status == "open")
        self.table.resizeColumnsToContents()
        for column, cap in ((R_UNIT, 200), (R_POST, 160), (R_TOWNSHIP, 120)):
            if self.table.columnWidth(column) > cap:
                self.table.setColumnWidth(column, cap)
        self.select_ids(selected)
        self._update_count()
        self._selection_changed()

    def _update_count(self) -> None:
        rows = self.model.rows
        unfit = sum(1 for r in rows if r.unfit)
        self.count_label.setText(self.tr("{0} shown, {1} flagged as unable to do the job").format(len(rows), unfit))

    def shown_rows(self) -> list[EvaluationRow]:
        """The rows in the order they are shown (sorted and filtered)."""
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                for r in range(self.proxy.rowCount())]

    def selected_rows(self) -> list[EvaluationRow]:
        rows = sorted({self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r] for r in rows]

    def selected_ids(self) -> list[str]:
        return [r.id for r in self.selected_rows()]

    def select_ids(self, ids: Sequence[str]) -> None:
        self.table.clearSelection()
        wanted = set(ids)
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(ID_ROLE) in wanted:
                self.table.selectRow(r)

    def row_for(self, evaluation_id: str) -> int | None:
        """The shown (proxy) row of *evaluation_id*."""
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(ID_ROLE) == evaluation_id:
                return r
        return None

    # -- the unfit flag ----------------------------------------------------------------------------

    def _set_unfit(self, evaluation_id: str, unfit: bool) -> bool:
        """R14: flag (or unflag) for adjustment at once; the row is reloaded from the service."""
        try:
            with self.ctx.session() as session:
                evaluation_scoring.set_unfit(session, evaluation_id, unfit)
        except ValidationError as exc:
            show_message(self.message, self.tr("Not changed. {0}").format(error_text(exc)), error=True)
            return False
        # Only this row changes (ranks and grades stay): replace it in place, no reset under the click.
        target = self.target_combo.currentData()
        assert self.round is not None
        with self.ctx.session() as session:
            fresh = evaluation_scoring.evaluations(session, self.round.year, target=target or None,
                                                   unit_id=self.unit_id)
        row = next((r for r in fresh if r.id == evaluation_id), None)
        self._rows = fresh
        if row is not None:
            self.model.replace(row)
        self._update_count()
        name = row.name if row else ""
        show_message(self.message, (self.tr("{0} flagged as unable to do the job (for adjustment).") if unfit else
                                    self.tr("{0} no longer flagged.")).format(name))
        self.changed.emit()
        return True

    # -- texts -------------------------------------------------------------------------------------

    def _selection_changed(self) -> None:
        selected = self.selected_rows()
        self._show_texts(selected[0] if len(selected) == 1 else None)

    def _show_texts(self, row: EvaluationRow | None) -> None:
        if row is not None and row.id == self._texts_for:
            self._update_buttons()
            return
        self._texts_for = row.id if row else None
        summary = opinion = ""
        if row is not None:
            summary, opinion = self.load_texts(row.id)
            self.detail_title.setText(self.tr("{0} · {1} · {2}: {3} {4}").format(
                row.name, row.post or row.target_label, row.unit, number_text(row.total), row.grade_label))
        else:
            self.detail_title.setText(self.tr("Select one evaluation to see and edit its texts."))
        for edit, text in ((self.summary_edit, summary), (self.opinion_edit, opinion)):
            edit.blockSignals(True)
            edit.setPlainText(text)
            edit.setProperty("loaded", text)
            edit.blockSignals(False)
        self._update_buttons()

    def load_texts(self, evaluation_id: str) -> tuple[str, str]:
        """The stored self-summary and opinion of one evaluation, read when it is first selected and kept until
        the next load (one small query, however many rows are shown)."""
        if self._texts is None:
            self._texts = {}
        if evaluation_id not in self._texts:
            with self.ctx.session() as session:
                summary, opinion = evaluation_scoring.evaluation_texts(session, evaluation_id)
            self._texts[evaluation_id] = (summary or "", opinion or "")
        return self._texts[evaluation_id]

    def texts_dirty(self) -> bool:
        return any(edit.toPlainText() != (edit.property("loaded") or "")
                   for edit in (self.summary_edit, self.opinion_edit))

    def _update_buttons(self) -> None:
        # Texts change no score: they may be written on a closed round too (the form printed at the end).
        has_one = self._texts_for is not None
        for edit in (self.summary_edit, self.opinion_edit):
            edit.setEnabled(has_one)
        self.texts_button.setEnabled(has_one and self.texts_dirty())

    def save_texts(self) -> bool:
        evaluation_id = self._texts_for
        if evaluation_id is None:
            return False
        summary, opinion = self.summary_edit.toPlainText().strip(), self.opinion_edit.toPlainText().strip()
        try:
            with self.ctx.session() as session:
                evaluation_scoring.set_texts(session, evaluation_id, self_summary=summary, opinion=opinion)
        except ValidationError as exc:
            show_message(self.message, self.tr("Not saved. {0}").format(error_text(exc)), error=True)
            return False
        for edit in (self.summary_edit, self.opinion_edit):
            edit.setProperty("loaded", edit.toPlainText())
        if self._texts is not None:
            self._texts[evaluation_id] = (summary, opinion)
        self._update_buttons()
        show_message(self.message, self.tr("Self-summary and opinion saved."))
        self.changed.emit()
        return True
