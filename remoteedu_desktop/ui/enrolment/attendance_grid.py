"""Attendance and assessment entry, driven by the keyboard (R8).

One row per enrolled person, one column per session, then self-study hours, score and the result
(合格 / 不合格 / 未考核, derived from the plan's pass mark as the score is typed). The keys:

- arrows move; SPACE toggles the current attendance cell — with several cells selected, all of them
  take the opposite of the current cell's state;
- typing a number in 自学学时 or 成绩 starts editing; Enter (or ↓) commits and moves down, so a column of
  scores is typed one after another; Delete clears;
- double-clicking a session's header (or its context menu) marks the whole column present.

Edited cells stay highlighted until saved. Save sends only what changed (``GridChanges``) to
``training_grid.save_grid`` in one transaction; a refusal is shown and nothing is written. Closing with
unsaved changes asks Save / Discard / Cancel through ``self.ask_unsaved`` (tests inject it).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRegularExpression,
    Qt,
)
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services import training_grid
from ...services.training_grid import SaveSummary
from ..context import AppContext
from .common import ERROR_STYLE, HINT_STYLE, OK_STYLE, AskUnsavedFn, ask_unsaved, error_text, number_text
from .grid_model import COL_NAME, COL_UNIT, FIRST_SESSION, GridModel

NUMBER_PATTERN = QRegularExpression(r"\d{0,4}([.．]\d{0,2})?")
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class NumberDelegate(QStyledItemDelegate):
    """A plain line edit for hours and scores (digits and a point; the range is checked on saving, so a
    typed 120 is kept, shown red and refused with the person's name). Enter / ↓ / ↑ commit and move."""

    #: rows to move by after a commit (+1 Enter or ↓, -1 ↑)
    move = QtSignal(int)

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
            step = 1 if key in (*_ENTER_KEYS, Qt.Key.Key_Down) else -1 if key == Qt.Key.Key_Up else 0
            if step:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                self.move.emit(step)
                return True
        return super().eventFilter(editor, event)


class GridView(QTableView):
    """The grid's keyboard: SPACE toggles attendance, Enter moves down, Delete clears, digits edit."""

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
        self.delegate = NumberDelegate(self)
        self.delegate.move.connect(self.move_rows)
        self.doubleClicked.connect(self._double_clicked)

    def grid(self) -> GridModel:
        model = self.model()
        assert isinstance(model, GridModel)
        return model

    def setModel(self, model: GridModel) -> None:  # type: ignore[override]  # noqa: N802 - Qt's name
        super().setModel(model)
        for column in (model.col_self_study, model.col_score):
            self.setItemDelegateForColumn(column, self.delegate)

    def selected_cells(self) -> list[tuple[int, int]]:
        cells = {(i.row(), i.column()) for i in self.selectionModel().selectedIndexes()}
        current = self.currentIndex()
        if current.isValid():
            cells.add((current.row(), current.column()))
        return sorted(cells)

    def move_rows(self, step: int) -> None:
        """After a commit: the same column, *step* rows on, only this cell selected."""
        current = self.currentIndex()
        if not current.isValid():
            return
        row = min(max(current.row() + step, 0), self.grid().rowCount() - 1)
        self.setCurrentIndex(self.grid().index(row, current.column()))

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.grid().is_session_column(index.column()):
            self.grid().toggle([(index.row(), index.column())], (index.row(), index.column()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self.state() == QAbstractItemView.State.EditingState:
            super().keyPressEvent(event)
            return
        grid, current = self.grid(), self.currentIndex()
        column = current.column() if current.isValid() else -1
        key, text = event.key(), event.text()
        if key == Qt.Key.Key_Space and current.isValid():
            grid.toggle(self.selected_cells(), (current.row(), column))
            return
        if key in _ENTER_KEYS and current.isValid():
            self.move_rows(1)
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            cells = self.selected_cells()
            grid.clear_numbers(cells)
            grid.set_present(cells, False)
            return
        if grid.is_number_column(column) and text and not (text.isdigit() or text in ".．"):
            return  # letters would open an empty editor; nothing to type here but numbers
        super().keyPressEvent(event)


class AttendanceGridDialog(QDialog):
    """Attendance at each session, self-study hours and the assessment of one plan (R8)."""

    def __init__(self, ctx: AppContext, plan_id: str, parent: QWidget | None = None, *,
                 ask: AskUnsavedFn | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id = plan_id
        self.ask_unsaved: AskUnsavedFn = ask or ask_unsaved
        self.last_summary: SaveSummary | None = None
        self._saved_once = False
        with ctx.session() as session:
            data = training_grid.load_grid(session, plan_id)
        self.model = GridModel(data, self)
        self.setWindowTitle(self.tr("Attendance and assessment: {0}").format(data.plan_title) + "[*]")

        header = QLabel(self.tr("{0} · pass mark {1} · planned {2} hours · {3} sessions").format(
            data.plan_title, number_text(data.pass_mark), number_text(data.planned_hours), len(data.sessions)), self)
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        header.setWordWrap(True)

        self.all_present_button = QPushButton(self.tr("All present"), self)
        self.all_present_button.setToolTip(self.tr("Mark everyone present at every session"))
        self.all_present_button.setAutoDefault(False)
        self.all_present_button.clicked.connect(lambda: self.mark_all_present())
        self.assessed_on = QDateEdit(self)
        self.assessed_on.setCalendarPopup(True)
        self.assessed_on.setDisplayFormat("yyyy-MM-dd")
        self.assessed_on.setMinimumDate(QDate(2000, 1, 1))
        self._initial_date = data.assessed_on or dt.date.today()
        self.assessed_on.setDate(to_qdate(self._initial_date))
        self.assessed_on.dateChanged.connect(lambda _d: self._update_state())
        date_label = QLabel(self.tr("Assessment date"), self)
        date_label.setBuddy(self.assessed_on)
        keys = QLabel(self.tr("Arrows move · Space: present/absent · type a number in self-study or score, "
                              "Enter: next row · Delete clears · double-click a session header: all present"),
                      self)
        keys.setStyleSheet(HINT_STYLE)
        keys.setWordWrap(True)
        tools = QHBoxLayout()
        tools.addWidget(self.all_present_button)
        tools.addSpacing(16)
        tools.addWidget(date_label)
        tools.addWidget(self.assessed_on)
        tools.addSpacing(16)
        tools.addWidget(keys, 1)

        self.view = GridView(self)
        self.view.setModel(self.model)
        head = self.view.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        head.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        head.customContextMenuRequested.connect(self._header_menu)
        head.sectionDoubleClicked.connect(self._header_double_clicked)
        widths = {COL_NAME: 90, COL_UNIT: 170, self.model.col_self_study: 80, self.model.col_score: 64,
                  self.model.col_result: 72}
        for column in range(self.model.columnCount()):
            self.view.setColumnWidth(column, widths.get(column, 92))
        head.setStretchLastSection(False)
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, FIRST_SESSION if data.sessions else
                                                       self.model.col_score))

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.error.hide()
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 5)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        if not data.people:
            self.summary.setText(self.tr("Nobody is enrolled in this training yet."))
        self.model.edited.connect(self._update_state)
        self.model.edited.connect(self.error.hide)
        self._update_state()
        self.resize(min(1280, 420 + 92 * len(data.sessions) + 220), 680)
        self.view.setFocus()

    # -- state -------------------------------------------------------------------------------------

    def assessment_date(self) -> dt.date:
        return to_date(self.assessed_on.date())

    def _date_changed(self) -> bool:
        return self.assessment_date() != self._initial_date

    def is_dirty(self) -> bool:
        # A new assessment date matters only when there is a score to carry it.
        has_score = any(score is not None for score in self.model.scores.values())
        return self.model.is_dirty() or (self._date_changed() and has_score)

    def summary_text(self) -> str:
        m = self.model
        c = m.counts()
        present = "，".join(self.tr("{0}: {1}").format(s.label, m.present_count(FIRST_SESSION + n))
                           for n, s in enumerate(m.sessions))
        text = self.tr("{0} people · passed {1}, failed {2}, not assessed {3} · hours: lecture {4}, self-study {5}, "
                       "total {6}").format(int(c["people"]), int(c["passed"]), int(c["failed"]),
                                           int(c["not_assessed"]), number_text(c["lecture"]),
                                           number_text(c["self_study"]), number_text(c["total"]))
        if present:
            text += "\n" + self.tr("Present: {0}").format(present)
        return text

    def _update_state(self) -> None:
        if self.model.people:
            self.summary.setText(self.summary_text())
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.setWindowModified(dirty)

    # -- actions -----------------------------------------------------------------------------------

    def mark_all_present(self) -> int:
        return self.model.set_all(True)

    def mark_column(self, column: int, here: bool = True) -> int:
        """Everyone present (or absent) at the session in *column*."""
        if not self.model.is_session_column(column):
            return 0
        return self.model.set_column(column, here)

    def _header_double_clicked(self, section: int) -> None:
        self.mark_column(section, True)

    def _header_menu(self, point: QPoint) -> None:
        section = self.view.horizontalHeader().logicalIndexAt(point)
        menu = self.header_menu(section)
        if menu is not None:
            menu.exec(self.view.horizontalHeader().mapToGlobal(point))

    def header_menu(self, section: int) -> QMenu | None:
        """The context menu of a session's header (built apart from showing it, for tests)."""
        if not self.model.is_session_column(section):
            return None
        label = self.model.session_at(section).label
        menu = QMenu(self)
        menu.addAction(self.tr("Everyone present at {0}").format(label), lambda: self.mark_column(section, True))
        menu.addAction(self.tr("Everyone absent at {0}").format(label), lambda: self.mark_column(section, False))
        return menu

    def save(self) -> SaveSummary | None:
        """Write what changed in one transaction; a refusal is shown and nothing is written (R8)."""
        editor = self.view.indexWidget(self.view.currentIndex())
        if self.view.state() == QAbstractItemView.State.EditingState and editor is not None:
            self.view.commitData(editor)  # a number still being typed counts
            self.view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if not self.is_dirty():
            return None
        # The assessment date travels with the scores: sent when it or a score changed, so scores typed
        # now carry it, and nothing is rewritten on a save that touched only attendance.
        date = self.assessment_date() if (self._date_changed() or self.model.scores_changed()) else None
        changes = self.model.changes(date)
        try:
            with self.ctx.session() as session:
                summary = training_grid.save_grid(session, self.plan_id, changes)
        except ValidationError as exc:
            self.error.setStyleSheet(ERROR_STYLE)
            self.error.setText(error_text(exc))
            self.error.show()
            bad = self.model.first_invalid()
            if bad is not None:
                self.view.setCurrentIndex(bad)
            return None
        self.model.mark_saved()
        self._initial_date = self.assessment_date()
        self._saved_once = True
        self.last_summary = summary
        self.error.setStyleSheet(OK_STYLE)
        self.error.setText(self.tr("Saved: {0} attendance records and {1} enrolments written.").format(
            summary.attendance_written, summary.enrolments_written))
        self.error.show()
        self._update_state()
        self.ctx.notify("training")
        return summary

    def reject(self) -> None:
        """Close; with unsaved changes ask first: Save / Discard / Cancel."""
        if self.is_dirty():
            answer = self.ask_unsaved(self, self.windowTitle().replace("[*]", ""),
                                      self.tr("The grid has unsaved changes. Save them before closing?"))
            if answer == "cancel":
                return
            if answer == "save" and self.save() is None:
                return  # refused: the message is shown and the dialog stays open
        if self._saved_once:
            super().accept()
        else:
            super().reject()
