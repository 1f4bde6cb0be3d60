"""The score grid tab (R14): the manual items of one target typed from the keyboard.

One row per evaluation (person or site) of the chosen target, filtered by the org tree's unit; one column
per rubric item, then the live total and grade. The keys:

- arrows move; typing a number starts editing a manual cell; Enter (or ↓) commits and moves down, Tab
  commits and moves right to the next manual cell (Shift+Tab left); Delete clears the selected cells;
- automatic cells are grey and read-only: "Compute automatic indicators" fills them (``score_year`` in a
  worker with progress);
- a value over the item's maximum stays red with a message naming the person and the item, and the save
  is refused until it is corrected.

Save sends only the changed cells to ``evaluation_scoring.save_scores`` in one transaction, which also
recomputes totals, grades, the quota and the ranks. Switching target, unit or year with unsaved changes
asks Save / Discard / Cancel through ``ask_unsaved`` (tests inject it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services import evaluation_rubrics, evaluation_scoring
from ...services.backups import backup_before
from ...services.evaluation_rounds import RoundInfo
from ...services.evaluation_scoring import ScoreSummary
from ...services.progress import Progress
from ..worker import Job, run_with_progress
from .common import HINT_STYLE, AskUnsavedFn, ask_unsaved, error_text, grade_name, show_message
from .grid_model import COL_NAME, COL_UNIT, FIRST_ITEM, ScoreGridModel

if TYPE_CHECKING:
    from ..context import AppContext

NUMBER_PATTERN = QRegularExpression(r"\d{0,4}([.．]\d{0,2})?")
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_TAB_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


class PointsDelegate(QStyledItemDelegate):
    """A plain line edit for points (digits and a point; the maximum is checked by the model, so a typed
    35 of 30 is kept, shown red and refused with the person's name). Enter / ↓ / ↑ commit and move
    vertically, Tab / Shift+Tab commit and move to the next / previous manual cell."""

    #: (rows, columns) to move by after a commit
    move = Signal(int, int)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setValidator(QRegularExpressionValidator(NUMBER_PATTERN, editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setFrame(False)
        return editor

    def setModelData(self, editor: QWidget, model: object,  # noqa: N802 - Qt's name
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text().replace("．", "."), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(editor, QLineEdit):
            key = event.key()
            rows = 1 if key in (*_ENTER_KEYS, Qt.Key.Key_Down) else -1 if key == Qt.Key.Key_Up else 0
            columns = 0
            if key in _TAB_KEYS:
                back = key == Qt.Key.Key_Backtab or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                columns = -1 if back else 1
            if rows or columns:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                self.move.emit(rows, columns)
                return True
        return super().eventFilter(editor, event)


class ScoreGridView(QTableView):
    """The grid's keyboard: digits edit, Enter moves down, Tab moves right, Delete clears."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(24)
        self.delegate = PointsDelegate(self)
        self.delegate.move.connect(self.move_by)

    def grid(self) -> ScoreGridModel:
        model = self.model()
        assert isinstance(model, ScoreGridModel)
        return model

    def setModel(self, model: ScoreGridModel | None) -> None:  # type: ignore[override]  # noqa: N802 - Qt's name
        old = self.model()
        if isinstance(old, ScoreGridModel):
            for column in range(old.columnCount()):
                self.setItemDelegateForColumn(column, None)  # type: ignore[arg-type]
        super().setModel(model)  # type: ignore[arg-type]
        if model is not None:
            for column in range(FIRST_ITEM, model.item_end):
                self.setItemDelegateForColumn(column, self.delegate)

    def selected_cells(self) -> list[tuple[int, int]]:
        cells = {(i.row(), i.column()) for i in self.selectionModel().selectedIndexes()}
        current = self.currentIndex()
        if current.isValid():
            cells.add((current.row(), current.column()))
        return sorted(cells)

    def move_by(self, rows: int, columns: int) -> None:
        """After a commit: *rows* down in the same column, or to the next manual cell *columns* across
        (wrapping to the next / previous row)."""
        current = self.currentIndex()
        grid = self.grid()
        if not current.isValid() or not grid.rowCount():
            return
        row, column = current.row(), current.column()
        if rows:
            row = min(max(row + rows, 0), grid.rowCount() - 1)
        elif columns:
            row, column = self._next_manual(row, column, columns)
        self.setCurrentIndex(grid.index(row, column))

    def _next_manual(self, row: int, column: int, step: int) -> tuple[int, int]:
        grid = self.grid()
        last_row, first, last = grid.rowCount() - 1, FIRST_ITEM, grid.item_end - 1
        r, c = row, column
        for _ in range(grid.rowCount() * max(grid.columnCount(), 1)):
            c += step
            if c > last:
                r, c = r + 1, first
            elif c < first:
                r, c = r - 1, last
            if r < 0 or r > last_row:
                return row, column
            if grid.is_editable(r, c):
                return r, c
        return row, column

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self.state() == QAbstractItemView.State.EditingState:
            super().keyPressEvent(event)
            return
        grid, current = self.grid(), self.currentIndex()
        key, text = event.key(), event.text()
        if key in _ENTER_KEYS and current.isValid():
            self.move_by(1, 0)
            return
        if key in _TAB_KEYS and current.isValid():
            back = key == Qt.Key.Key_Backtab or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.move_by(0, -1 if back else 1)
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            grid.clear(self.selected_cells())
            return
        if text and text.isprintable() and not (text.isdigit() or text in ".．"):
            return  # letters would open an empty editor; nothing to type here but numbers
        super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt's name
        # Tab stays in the grid (it moves between cells) instead of leaving for the next widget.
        if self.state() != QAbstractItemView.State.EditingState and self.currentIndex().isValid():
            self.move_by(0, 1 if forward else -1)
            return True
        return super().focusNextPrevChild(forward)


class ScoreTab(QWidget):
    """The keyboard grid of one target in the shown round, with save and the automatic indicators."""

    #: Scores were saved or computed: the page refreshes the results and notifies the other pages.
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ask_unsaved: AskUnsavedFn = ask_unsaved
        self.round: RoundInfo | None = None
        self.unit_id: str | None = None
        self.model: ScoreGridModel | None = None
        self.compute_job: Job | None = None
        self.last_summary: ScoreSummary | None = None
        self._target: str | None = None
        self._unit_text = ""
        self.today: dt.date | None = None  #: the day scoring counts up to (None: the service's own)

        self.target_combo = QComboBox(self)
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.compute_button = QPushButton(self.tr("Compute automatic indicators…"), self)
        self.compute_button.setToolTip(self.tr("Fill the grey cells from the year's training, activities, faults, "
                                               "certificates and posts, and add everyone still missing"))
        self.save_button = QPushButton(self.tr("Save scores"), self)
        self.save_button.setAutoDefault(False)
        self.unit_label = QLabel(self)
        self.unit_label.setStyleSheet(HINT_STYLE)
        self.keys_label = keys = QLabel(self.tr("Type a number in a white cell · Enter: next row · Tab: next item · Delete clears · "
                              "grey cells are filled from the data"), self)
        keys.setStyleSheet(HINT_STYLE)
        keys.setWordWrap(True)
        tools = QHBoxLayout()
        tools.addWidget(QLabel(self.tr("Evaluated"), self))
        tools.addWidget(self.target_combo)
        tools.addSpacing(12)
        tools.addWidget(self.unit_label)
        tools.addStretch(1)
        tools.addWidget(self.compute_button)
        tools.addWidget(self.save_button)

        self.view = ScoreGridView(self)
        self.empty_label = QLabel(self)
        self.empty_label.setStyleSheet(HINT_STYLE)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(keys)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)

        self.target_combo.currentIndexChanged.connect(self._target_chosen)
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.compute_button.clicked.connect(lambda _checked=False: self.compute())
        self._update_state()

    # -- what is shown -----------------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return self.round is not None and self.round.status == "open"

    def is_dirty(self) -> bool:
        return self.model is not None and self.model.is_dirty()

    def target(self) -> str | None:
        value = self.target_combo.currentData()
        return str(value) if value else None

    def confirm_leave(self) -> bool:
        """Before the grid is replaced: with unsaved changes ask Save / Discard / Cancel (False = stay)."""
        self._commit_editor()
        if not self.is_dirty():
            return True
        answer = self.ask_unsaved(self, self.tr("Unsaved scores"),
                                  self.tr("The score grid has unsaved changes. Save them first?"))
        if answer == "cancel":
            return False
        if answer == "save":
            return self.save()
        self.load()  # discarded: back to what is stored
        return True

    def set_round(self, info: RoundInfo | None, targets: list[tuple[str, str]]) -> None:
        """Show *info*'s grid; *targets* are (code, label) of its rubrics. The caller asked confirm_leave."""
        self.round = info
        current = self._target or self.target()
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        for code, label in targets:
            self.target_combo.addItem(label, code)
        index = self.target_combo.findData(current) if current else -1
        self.target_combo.setCurrentIndex(max(index, 0) if targets else -1)
        self.target_combo.blockSignals(False)
        self._target = self.target()
        self.load()

    def select_unit(self, unit_id: str | None, label: str = "") -> bool:
        """The org tree's unit filters the rows; False (nothing changed) when the clerk cancels."""
        if unit_id == self.unit_id:
            return True
        if not self.confirm_leave():
            return False
        self.unit_id = unit_id
        self._unit_text = label
        self.load()
        return True

    def _target_chosen(self, _index: int) -> None:
        if self.target() == self._target:
            return
        if not self.confirm_leave():
            self.target_combo.blockSignals(True)
            self.target_combo.setCurrentIndex(max(self.target_combo.findData(self._target), 0))
            self.target_combo.blockSignals(False)
            return
        self._target = self.target()
        self.load()

    def load(self) -> None:
        """(Re)load the grid from the database; edits not saved are dropped (ask first)."""
        show_message(self.message, "")
        target = self.target()
        if self.round is None or target is None:
            self._set_model(None)
            self.empty_label.setText(self.tr("Open a year's round to enter scores."))
            self.empty_label.show()
            return
        with self.ctx.session() as session:
            items, rows = evaluation_scoring.score_grid(session, self.round.id, target, unit_id=self.unit_id)
            weights = {item.id: item.weight_pct for rubric in evaluation_rubrics.rubrics(session, self.round.id)
                       if rubric.target == target for item in rubric.items}
        model = ScoreGridModel(items, rows, weights=weights, thresholds=self.round.thresholds,
                               grade_scale=self.round.grade_scale, editable=self.editable, parent=self)
        self._set_model(model)
        if not rows:
            self.empty_label.setText(self.tr("Nobody is evaluated here yet: “Compute automatic indicators” adds "
                                             "everyone who held a post of this kind during the year."))
        self.empty_label.setVisible(not rows)

    def _set_model(self, model: ScoreGridModel | None) -> None:
        old = self.model
        self.model = model
        if model is None:
            self.view.setModel(None)
        else:
            self.view.setModel(model)
            model.edited.connect(self._update_state)
            model.edited.connect(self._check_invalid)
            head = self.view.horizontalHeader()
            head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            head.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
            head.setResizeContentsPrecision(40)  # sizing looks at 40 rows, not a county's thousands
            head.setStretchLastSection(False)
            self.view.resizeColumnsToContents()
            for column in range(model.columnCount()):
                cap = {COL_NAME: 100, COL_UNIT: 180}.get(column, 130)
                width = min(max(self.view.columnWidth(column), 56), cap)
                self.view.setColumnWidth(column, width)
            if model.rowCount():
                first = next((c for c in range(FIRST_ITEM, model.item_end) if model.is_editable(0, c)), COL_NAME)
                self.view.setCurrentIndex(model.index(0, first))
        if old is not None:
            old.deleteLater()
        self.unit_label.setText(self.tr("Unit: {0}").format(self._unit_text) if self.unit_id else
                                self.tr("All units"))
        self._update_state()

    def _update_state(self) -> None:
        model = self.model
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and self.editable)
        self.compute_button.setEnabled(self.editable)
        self.keys_label.setVisible(self.editable)
        self.target_combo.setEnabled(self.round is not None)
        if model is None or not model.rowCount():
            self.summary.setText("")
            return
        counts = model.counts()
        text = self.tr("{0} evaluated · {1} complete · {2} manual score cells still empty").format(
            counts["people"], counts["complete"], counts["missing"])
        if not self.editable:
            text += " · " + self.tr("the round is closed: read-only")
        elif dirty:
            text += " · " + self.tr("{0} cells changed, not saved").format(len(model.changes()))
        self.summary.setText(text)

    def _check_invalid(self) -> None:
        model = self.model
        bad = model.first_invalid() if model is not None else None
        if bad is None:
            if self.message.isVisible() and self.message.property("invalid"):
                show_message(self.message, "")
            self.message.setProperty("invalid", False)
            return
        show_message(self.message, self.tr("Refused: {0}").format(model.invalid_text(bad.row(), bad.column())),
                     error=True)
        self.message.setProperty("invalid", True)

    def _commit_editor(self) -> None:
        editor = self.view.indexWidget(self.view.currentIndex())
        if self.view.state() == QAbstractItemView.State.EditingState and editor is not None:
            self.view.commitData(editor)  # a number still being typed counts
            self.view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    # -- actions -----------------------------------------------------------------------------------

    def save(self) -> bool:
        """Write the changed cells in one transaction (R14); a refusal is shown and nothing is written."""
        self._commit_editor()
        model = self.model
        if model is None or not model.is_dirty():
            return True
        bad = model.first_invalid()
        if bad is not None:
            show_message(self.message, self.tr("Nothing was saved. {0}").format(
                model.invalid_text(bad.row(), bad.column())), error=True)
            self.view.setCurrentIndex(bad)
            return False
        changes = model.changes()
        try:
            with self.ctx.session() as session:
                evaluation_scoring.save_scores(session, changes)
        except ValidationError as exc:
            show_message(self.message, self.tr("Nothing was saved. {0}").format(error_text(exc)), error=True)
            return False
        current = self.view.currentIndex()
        position = (current.row(), current.column()) if current.isValid() else None
        self.load()
        if position is not None and self.model is not None and position[0] < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(*position))
        show_message(self.message, self.tr("Saved: {0} scores; totals, grades and ranks recomputed.").format(
            len(changes)))
        self.saved.emit()
        return True

    def compute(self, today: dt.date | None = None) -> Job | None:
        """Run ``score_year`` for the round's year (the org tree's unit only, when one is chosen) behind a
        progress dialog, then reload the grid."""
        if self.round is None or not self.editable:
            return None
        if not self.confirm_leave():
            return None
        year, unit_id, ctx, day = self.round.year, self.unit_id, self.ctx, today or self.today

        def work() -> Generator[Progress, None, ScoreSummary]:
            backup_before(ctx.db, "evaluation_scoring")  # issue 9 item 3: a backup before every bulk change
            with ctx.session() as session:
                summary: ScoreSummary = yield from evaluation_scoring.score_year(
                    session, year, unit_id=unit_id, today=day)
                return summary

        def done(result: object) -> None:
            assert isinstance(result, ScoreSummary)
            self.last_summary = result
            self.load()
            grades = "，".join(f"{grade_name(g, self.round.grade_scale if self.round else 'standard')} {n}"
                              for g, n in result.by_grade.items() if n)
            show_message(self.message, self.tr("Computed: {0} evaluated, {1} complete. {2}").format(
                result.evaluated, result.complete, grades))
            self.saved.emit()

        def failed(exc: Exception) -> None:
            show_message(self.message, self.tr("Nothing was computed. {0}").format(error_text(exc)), error=True)

        self.compute_job = run_with_progress(self, self.tr("Computing the automatic indicators"), work,
                                             on_done=done, on_error=failed)
        return self.compute_job

