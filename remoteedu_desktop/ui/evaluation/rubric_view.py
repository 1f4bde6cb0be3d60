"""The rubric tab (R14): the items of one target's rubric in the shown round.

Each item has a code, a title, a kind (score / deduction / bonus), maximum points, a weight in percent (score
items only) and, where the data gives it, an automatic indicator (``evaluation_indicators.INDICATORS``).
The sum of the score items' weights is shown as it is typed, red with the service's own words
(``item_problems``) while it is not 100. Saving after scores exist asks first, naming how many
evaluations will be recomputed (``ConfirmationNeeded``); a closed round's rubric is read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
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
from ...services import evaluation_indicators, evaluation_rubrics
from ...services.evaluation_rounds import RoundInfo
from ...services.evaluation_rubrics import ConfirmationNeeded, ItemSpec, RubricInfo
from .common import (
    AUTOMATIC_COLOUR,
    ERROR_STYLE,
    HINT_STYLE,
    INVALID_COLOUR,
    ITEM_KINDS,
    OK_STYLE,
    AskUnsavedFn,
    ConfirmFn,
    ask_confirmation,
    ask_unsaved,
    error_text,
    kind_label,
    number_text,
    show_message,
)
from .grid_model import parse_points

if TYPE_CHECKING:
    from ..context import AppContext

C_CODE, C_TITLE, C_KIND, C_MAX, C_WEIGHT, C_INDICATOR = range(6)
AnyIndex = QModelIndex | QPersistentModelIndex
CODE_ROLE = Qt.ItemDataRole.UserRole + 1  #: the kind's or indicator's code behind its label


@dataclass
class EditedItem:
    """One item as being edited (mutable; becomes an ``ItemSpec`` on saving)."""

    code: str
    title: str
    kind: str = "score"
    max_points: float = 10.0
    weight_pct: float = 0.0
    indicator: str | None = None

    def spec(self) -> ItemSpec:
        weight = self.weight_pct if self.kind == "score" else 0.0
        return ItemSpec(code=self.code.strip(), title=self.title.strip(), kind=self.kind,
                        max_points=self.max_points, weight_pct=weight, indicator=self.indicator or None)


class ItemsModel(QAbstractTableModel):
    """The items of one rubric, editable in place."""

    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[EditedItem] = []
        self._orig: list[EditedItem] = []
        self.editable = True
        self._invalid_brush = QBrush(QColor(INVALID_COLOUR))
        self._muted_brush = QBrush(QColor(AUTOMATIC_COLOUR))
        self.headers = [QCoreApplication.translate("EvaluationRubric", "Code"), QCoreApplication.translate("EvaluationRubric", "Item"),
                        QCoreApplication.translate("EvaluationRubric", "Kind"), QCoreApplication.translate("EvaluationRubric", "Max points"),
                        QCoreApplication.translate("EvaluationRubric", "Weight %"), QCoreApplication.translate("EvaluationRubric", "Automatic indicator")]
        self.manual_text = QCoreApplication.translate("EvaluationRubric", "entered by hand")

    def set_items(self, items: list[EditedItem], editable: bool) -> None:
        self.beginResetModel()
        self.items = [EditedItem(**vars(i)) for i in items]
        self._orig = [EditedItem(**vars(i)) for i in items]
        self.editable = editable
        self.endResetModel()
        self.edited.emit()

    def specs(self) -> list[ItemSpec]:
        return [item.spec() for item in self.items]

    def is_dirty(self) -> bool:
        return [i.spec() for i in self.items] != [i.spec() for i in self._orig]

    def mark_saved(self) -> None:
        self._orig = [EditedItem(**vars(i)) for i in self.items]

    def weight_sum(self) -> float:
        return sum(i.weight_pct for i in self.items if i.kind == "score")

    # -- shape -------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.headers[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self.items[index.row()]
        if self.editable and not (index.column() == C_WEIGHT and item.kind != "score"):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item, column = self.items[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == C_CODE:
                return item.code
            if column == C_TITLE:
                return item.title
            if column == C_KIND:
                return kind_label(item.kind)
            if column == C_MAX:
                return number_text(item.max_points)
            if column == C_WEIGHT:
                return number_text(item.weight_pct) if item.kind == "score" else "—"
            if column == C_INDICATOR:
                if not item.indicator:
                    return self.manual_text
                return evaluation_indicators.INDICATORS.get(item.indicator, item.indicator)
        if role == CODE_ROLE:
            return item.kind if column == C_KIND else item.indicator if column == C_INDICATOR else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (C_MAX, C_WEIGHT):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if (column == C_CODE and not item.code.strip()) or (column == C_TITLE and not item.title.strip()):
                return self._invalid_brush
            if column == C_MAX and item.max_points <= 0:
                return self._invalid_brush
            if column == C_WEIGHT and item.kind != "score":
                return self._muted_brush
        if role == Qt.ItemDataRole.ForegroundRole and column == C_INDICATOR and not item.indicator:
            return QBrush(QColor("#888888"))
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role not in (Qt.ItemDataRole.EditRole, CODE_ROLE) or not self.editable:
            return False
        item, column = self.items[index.row()], index.column()
        if column == C_CODE:
            item.code = str(value or "").strip()
        elif column == C_TITLE:
            item.title = str(value or "").strip()
        elif column == C_KIND:
            if value not in ITEM_KINDS:
                return False
            item.kind = str(value)
        elif column in (C_MAX, C_WEIGHT):
            number = parse_points(value)
            if number is False or number is None or number < 0:
                return False
            if column == C_MAX:
                item.max_points = float(number)
            else:
                item.weight_pct = float(number)
        elif column == C_INDICATOR:
            item.indicator = str(value) if value else None
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), C_INDICATOR))
        self.edited.emit()
        return True

    # -- rows --------------------------------------------------------------------------------------

    def add_item(self) -> int:
        codes = {i.code for i in self.items}
        n = len(self.items) + 1
        while f"X{n}" in codes:
            n += 1
        row = len(self.items)
        self.beginInsertRows(QModelIndex(), row, row)
        self.items.append(EditedItem(code=f"X{n}", title=QCoreApplication.translate("EvaluationRubric",
                                                                                    "New item")))
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_item(self, row: int) -> bool:
        if not 0 <= row < len(self.items):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.items[row]
        self.endRemoveRows()
        self.edited.emit()
        return True

    def move_item(self, row: int, step: int) -> int:
        target = row + step
        if not (0 <= row < len(self.items) and 0 <= target < len(self.items)):
            return row
        self.beginResetModel()
        self.items[row], self.items[target] = self.items[target], self.items[row]
        self.endResetModel()
        self.edited.emit()
        return target


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of (code, label) choices for the kind and indicator columns."""

    def __init__(self, choices: list[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for code, label in self.choices:
            combo.addItem(label, code)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(CODE_ROLE) or ""), 0))

    def setModelData(self, editor: QWidget, model: Any,  # noqa: N802 - Qt's name
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class RubricTab(QWidget):
    """One target's rubric in the shown round: items, live weight check, save (asks when scores exist)."""

    #: The rubric was saved (and perhaps the round recomputed): the page refreshes grid and results.
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.confirm: ConfirmFn = ask_confirmation
        self.ask_unsaved: AskUnsavedFn = ask_unsaved
        self.round: RoundInfo | None = None
        self.rubrics: list[RubricInfo] = []
        self.rubric: RubricInfo | None = None
        self.last_confirmation: str | None = None

        self.target_combo = QComboBox(self)
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.name_edit = QLineEdit(self)
        self.name_edit.setMinimumWidth(320)
        self.version_label = QLabel(self)
        self.version_label.setStyleSheet(HINT_STYLE)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Evaluated"), self))
        top.addWidget(self.target_combo)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("Rubric name"), self))
        top.addWidget(self.name_edit, 1)
        top.addWidget(self.version_label)

        self.model = ItemsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        kinds = [(k, kind_label(k)) for k in ITEM_KINDS]
        indicators = [("", self.model.manual_text), *evaluation_indicators.INDICATORS.items()]
        self.table.setItemDelegateForColumn(C_KIND, ChoiceDelegate(kinds, self.table))
        self.table.setItemDelegateForColumn(C_INDICATOR, ChoiceDelegate(indicators, self.table))
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(C_TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((C_CODE, 60), (C_KIND, 80), (C_MAX, 80), (C_WEIGHT, 80), (C_INDICATOR, 160)):
            self.table.setColumnWidth(column, width)

        self.add_button = QPushButton(self.tr("Add item"), self)
        self.remove_button = QPushButton(self.tr("Remove item"), self)
        self.up_button = QPushButton(self.tr("Move up"), self)
        self.down_button = QPushButton(self.tr("Move down"), self)
        self.save_button = QPushButton(self.tr("Save rubric"), self)
        self.save_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        self.sum_label = QLabel(self)
        self.problems_label = QLabel(self)
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(ERROR_STYLE)
        self.closed_label = QLabel(self.tr("The round is closed: its rubrics are read-only (reopen the round to "
                                           "change them)."), self)
        self.closed_label.setStyleSheet(HINT_STYLE)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.closed_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.sum_label)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.message)

        self.target_combo.currentIndexChanged.connect(self._target_chosen)
        self.model.edited.connect(self._update_state)
        self.name_edit.textEdited.connect(lambda _t: self._update_state())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.add_button.clicked.connect(lambda _checked=False: self.add_item())
        self.remove_button.clicked.connect(lambda _checked=False: self.remove_item())
        self.up_button.clicked.connect(lambda _checked=False: self.move_item(-1))
        self.down_button.clicked.connect(lambda _checked=False: self.move_item(1))
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self._update_state()

    # -- state -------------------------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return self.round is not None and self.round.status == "open" and self.rubric is not None

    def is_dirty(self) -> bool:
        if self.rubric is None:
            return False
        return self.model.is_dirty() or self.name_edit.text().strip() != self.rubric.name

    def problems(self) -> list[str]:
        """The service's own words on the items as typed (R14: score weights sum to 100, …)."""
        specs = self.model.specs()
        try:
            return list(evaluation_rubrics.item_problems(specs))
        except ValidationError as exc:
            return [exc.text()]

    def confirm_leave(self) -> bool:
        if not self.is_dirty():
            return True
        answer = self.ask_unsaved(self, self.tr("Unsaved rubric"),
                                  self.tr("The rubric has unsaved changes. Save them first?"))
        if answer == "cancel":
            return False
        if answer == "save":
            return self.save()
        self._show(self.rubric)  # discarded: back to what is stored
        return True

    def set_round(self, info: RoundInfo | None, rubrics: list[RubricInfo]) -> None:
        """Show *info*'s rubrics (the caller asked confirm_leave)."""
        self.round = info
        self.rubrics = list(rubrics)
        current = self.rubric.target if self.rubric else self.target_combo.currentData()
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        for r in self.rubrics:
            self.target_combo.addItem(r.target_label, r.target)
        index = self.target_combo.findData(current) if current else -1
        self.target_combo.setCurrentIndex(max(index, 0) if self.rubrics else -1)
        self.target_combo.blockSignals(False)
        self._show(self._rubric_for(self.target_combo.currentData()))

    def _rubric_for(self, target: object) -> RubricInfo | None:
        return next((r for r in self.rubrics if r.target == target), None)

    def _target_chosen(self, _index: int) -> None:
        target = self.target_combo.currentData()
        if self.rubric is not None and target == self.rubric.target:
            return
        if not self.confirm_leave():
            self.target_combo.blockSignals(True)
            self.target_combo.setCurrentIndex(max(self.target_combo.findData(self.rubric.target if self.rubric
                                                                             else None), 0))
            self.target_combo.blockSignals(False)
            return
        self._show(self._rubric_for(target))

    def _show(self, rubric: RubricInfo | None) -> None:
        self.rubric = rubric
        show_message(self.message, "")
        items = [EditedItem(i.code, i.title, i.kind, i.max_points, i.weight_pct, i.indicator)
                 for i in (rubric.items if rubric else ())]
        self.name_edit.setText(rubric.name if rubric else "")
        self.version_label.setText(self.tr("version {0}").format(rubric.version) if rubric else "")
        self.model.set_items(items, self.editable)
        self._update_state()

    def _update_buttons(self) -> None:
        editable = self.editable
        row = self.current_row()
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(editable and row is not None)
        self.add_button.setEnabled(editable)
        self.save_button.setEnabled(editable and self.is_dirty())

    def _update_state(self) -> None:
        editable = self.editable
        self.name_edit.setReadOnly(not editable)
        self.closed_label.setVisible(self.round is not None and self.round.status == "closed")
        total = self.model.weight_sum()
        ok = abs(total - 100.0) < 1e-6
        self.sum_label.setText(self.tr("Weights of the score items: {0}%").format(number_text(round(total, 2))))
        self.sum_label.setStyleSheet((OK_STYLE if ok else ERROR_STYLE) + " font-weight: bold;")
        self.sum_label.setVisible(self.rubric is not None)
        problems = self.problems() if self.rubric is not None else []
        self.problems_label.setText("\n".join("⚠ " + p for p in problems))
        self.problems_label.setVisible(bool(problems))
        self._update_buttons()

    def current_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    # -- actions -----------------------------------------------------------------------------------

    def add_item(self) -> int | None:
        if not self.editable:
            return None
        row = self.model.add_item()
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, C_TITLE))
        return row

    def remove_item(self) -> bool:
        row = self.current_row()
        return row is not None and self.editable and self.model.remove_item(row)

    def move_item(self, step: int) -> None:
        row = self.current_row()
        if row is None or not self.editable:
            return
        self.table.selectRow(self.model.move_item(row, step))

    def save(self) -> bool:
        """Save the items as a new version (R14). With scores in the round, ask first: the service says how
        many evaluations will be recomputed; Yes saves with ``confirmed=True``, No keeps the edits."""
        rubric = self.rubric
        if rubric is None or not self.editable:
            return False
        problems = self.problems()
        if problems:
            show_message(self.message, self.tr("Nothing was saved. {0}").format("；".join(problems)), error=True)
            return False
        specs, name = self.model.specs(), self.name_edit.text().strip() or None
        try:
            try:
                with self.ctx.session() as session:
                    saved = evaluation_rubrics.save_rubric(session, rubric.id, specs, name=name)
            except ConfirmationNeeded as need:
                question = self.tr("{0} evaluations under this rubric already have scores. Saving the changed "
                                   "rubric recomputes their totals, grades and ranks (and the ranks of the whole "
                                   "round).\n\nSave and recompute?").format(need.affected)
                self.last_confirmation = question
                if not self.confirm(self, self.tr("Recompute evaluations"), question):
                    show_message(self.message, self.tr("Not saved: the evaluations were left as they are."),
                                 error=True)
                    return False
                with self.ctx.session() as session:
                    saved = evaluation_rubrics.save_rubric(session, rubric.id, specs, name=name, confirmed=True)
        except ValidationError as exc:
            show_message(self.message, self.tr("Nothing was saved. {0}").format(error_text(exc)), error=True)
            return False
        self.rubrics = [saved if r.target == saved.target else r for r in self.rubrics]
        self._show(saved)
        show_message(self.message, self.tr("Rubric saved as version {0}.").format(saved.version))
        self.saved.emit()
        return True
