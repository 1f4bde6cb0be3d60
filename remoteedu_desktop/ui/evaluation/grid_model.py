"""The score grid of one target as an item model (R14): people × rubric items, then total and grade.

Automatic cells (filled from the data by ``score_year``) are grey and read-only; manual cells take a number
from 0 to the item's maximum. The model keeps the points as loaded beside the points as edited: an edited
cell is highlighted, a value over the maximum is kept, shown red and refused on saving, and
:meth:`ScoreGridModel.changes` sends only what differs. The total and grade follow the typing with the
scoring rule of ``evaluation_scoring`` (the top-grade quota is applied by the service on saving).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ...services import evaluation_scoring
from ...services.evaluation_scoring import GridItem, GridRow
from .common import (
    AUTOMATIC_COLOUR,
    AUTOMATIC_TEXT,
    EDITED_COLOUR,
    EXCELLENT_COLOUR,
    FAIL_COLOUR,
    INVALID_COLOUR,
    grade_name,
    number_text,
)

#: Name and unit, then the live total and grade (kept in view beside the name while typing), then the items.
COL_NAME, COL_UNIT, COL_TOTAL, COL_GRADE = range(4)
FIRST_ITEM = 4
AnyIndex = QModelIndex | QPersistentModelIndex


def parse_points(value: object) -> float | None | bool:
    """Typed text → a number; "" → None (cleared); anything else → False (refused)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return number if math.isfinite(number) else False
    text = str(value).strip().replace("，", ".").replace("。", ".").replace("．", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return False
    return number if math.isfinite(number) else False


def live_total(items: Sequence[GridItem], weights: Mapping[str, float],
               points: Mapping[str, float | None]) -> float | None:
    """The scoring rule (R14): Σ score items (points / max × weight %) + Σ bonus − Σ deductions, floored at
    0, rounded to 0.1; None while nothing is scored at all."""
    if all(points.get(item.id) is None for item in items):
        return None
    total = 0.0
    for item in items:
        value = points.get(item.id)
        if value is None:
            continue
        if item.kind == "score":
            if item.max_points > 0:
                total += value / item.max_points * weights.get(item.id, 0.0)
        elif item.kind == "bonus":
            total += value
        elif item.kind == "deduction":
            total -= value
    return round(max(total, 0.0) + 1e-9, 1)


class ScoreGridModel(QAbstractTableModel):
    """Rows are the evaluations of one target; columns: name, unit, one per item, total, grade."""

    #: Something was edited (or saved): the tab updates its summary and Save button.
    edited = Signal()

    def __init__(self, items: Sequence[GridItem], rows: Sequence[GridRow], *, weights: Mapping[str, float],
                 thresholds: Mapping[str, float], grade_scale: str, editable: bool = True,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.items: tuple[GridItem, ...] = tuple(items)
        self.rows: tuple[GridRow, ...] = tuple(rows)
        self.weights = dict(weights)
        self.thresholds = dict(thresholds)
        self.grade_scale = grade_scale
        self.editable = editable
        self.col_total, self.col_grade = COL_TOTAL, COL_GRADE
        self.item_end = FIRST_ITEM + len(self.items)  #: one past the last item column
        self._orig: list[dict[str, float | None]] = [{i.id: r.points.get(i.id) for i in self.items}
                                                      for r in self.rows]
        self.points: list[dict[str, float | None]] = [dict(p) for p in self._orig]
        self._edited_brush = QBrush(QColor(EDITED_COLOUR))
        self._invalid_brush = QBrush(QColor(INVALID_COLOUR))
        self._automatic_brush = QBrush(QColor(AUTOMATIC_COLOUR))
        self._automatic_text = QBrush(QColor(AUTOMATIC_TEXT))
        self._fail_brush = QBrush(QColor(FAIL_COLOUR))
        self._excellent_brush = QBrush(QColor(EXCELLENT_COLOUR))
        self._bold = QFont()
        self._bold.setBold(True)
        self.texts = {
            "name": QCoreApplication.translate("EvaluationGrid", "Name"),
            "unit": QCoreApplication.translate("EvaluationGrid", "Unit"),
            "total": QCoreApplication.translate("EvaluationGrid", "Total"),
            "grade": QCoreApplication.translate("EvaluationGrid", "Grade"),
            "max": QCoreApplication.translate("EvaluationGrid", "max {0}"),
            "deduction": QCoreApplication.translate("EvaluationGrid", "deduct up to {0}"),
            "bonus": QCoreApplication.translate("EvaluationGrid", "bonus up to {0}"),
            "automatic": QCoreApplication.translate("EvaluationGrid", "Filled automatically from the data; read-only"),
            "too_many": QCoreApplication.translate("EvaluationGrid", "{0} · {1}: at most {2} points"),
            "tip": QCoreApplication.translate("EvaluationGrid", "{0} · {1} ({2})"),
        }

    # -- shape -------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else self.item_end

    def is_item_column(self, column: int) -> bool:
        return FIRST_ITEM <= column < self.item_end

    def item_at(self, column: int) -> GridItem:
        return self.items[column - FIRST_ITEM]

    def item_column(self, item_id: str) -> int:
        for n, item in enumerate(self.items):
            if item.id == item_id:
                return FIRST_ITEM + n
        raise KeyError(item_id)

    def row_of(self, evaluation_id: str) -> int:
        for n, row in enumerate(self.rows):
            if row.evaluation_id == evaluation_id:
                return n
        raise KeyError(evaluation_id)

    def is_automatic(self, row: int, column: int) -> bool:
        item = self.item_at(column)
        return bool(self.rows[row].automatic.get(item.id, item.automatic))

    def is_editable(self, row: int, column: int) -> bool:
        return self.editable and self.is_item_column(column) and not self.is_automatic(row, column)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_editable(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        t = self.texts
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == COL_NAME:
                return t["name"]
            if section == COL_UNIT:
                return t["unit"]
            if section == self.col_total:
                return t["total"]
            if section == self.col_grade:
                return t["grade"]
            if self.is_item_column(section):
                item = self.item_at(section)
                title = item.title if len(item.title) <= 6 else item.title[:4] + "…"
                return f"{item.code} {title}\n{self._limit_text(item)}"
        if role == Qt.ItemDataRole.ToolTipRole and self.is_item_column(section):
            item = self.item_at(section)
            text = f"{item.code} {item.title}\n{self._limit_text(item)}"
            return text + ("\n" + t["automatic"] if item.automatic else "")
        return None

    def _limit_text(self, item: GridItem) -> str:
        key = item.kind if item.kind in ("deduction", "bonus") else "max"
        return self.texts[key].format(number_text(item.max_points))

    # -- values ------------------------------------------------------------------------------------

    def total(self, row: int) -> float | None:
        return live_total(self.items, self.weights, self.points[row])

    def is_complete(self, row: int) -> bool:
        """Every manual score item has points (deductions and bonus points only where they apply)."""
        return all(self.points[row][item.id] is not None for column, item in enumerate(self.items, FIRST_ITEM)
                   if item.kind == "score" and not self.is_automatic(row, column))

    def grade(self, row: int) -> str | None:
        """The grade by the thresholds, once complete (R14: an incomplete evaluation shows its running total
        and no grade); the top-grade quota is applied by the service on saving."""
        total = self.total(row)
        if total is None or not self.is_complete(row):
            return None
        return evaluation_scoring.grade_for(total, self.thresholds)

    def cell_invalid(self, row: int, column: int) -> bool:
        if not self.is_item_column(column):
            return False
        item = self.item_at(column)
        value = self.points[row][item.id]
        return value is not None and not 0 <= value <= item.max_points

    def cell_edited(self, row: int, column: int) -> bool:
        if not self.is_item_column(column):
            return False
        item_id = self.item_at(column).id
        return self.points[row][item_id] != self._orig[row][item_id]

    def invalid_text(self, row: int, column: int) -> str:
        item = self.item_at(column)
        return self.texts["too_many"].format(self.rows[row].name, f"{item.code} {item.title}",
                                             number_text(item.max_points))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        record = self.rows[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == COL_NAME:
                return record.name
            if column == COL_UNIT:
                return record.unit
            if self.is_item_column(column):
                return number_text(self.points[row][self.item_at(column).id])
            if column == self.col_total:
                return "?" if self.first_invalid_in(row) is not None else number_text(self.total(row))
            if column == self.col_grade:
                if self.first_invalid_in(row) is not None:
                    return "?"
                return grade_name(self.grade(row), self.grade_scale)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= COL_TOTAL:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and self.is_item_column(column):
            if self.cell_invalid(row, column):
                return self._invalid_brush
            if self.cell_edited(row, column):
                return self._edited_brush
            if self.is_automatic(row, column):
                return self._automatic_brush
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if self.is_item_column(column) and self.is_automatic(row, column):
                return self._automatic_text
            if column == self.col_grade:
                grade = self.grade(row)
                return self._fail_brush if grade == "fail" else self._excellent_brush if grade == "excellent" \
                    else None
        if role == Qt.ItemDataRole.FontRole and column in (self.col_total, self.col_grade):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.is_item_column(column):
                if self.cell_invalid(row, column):
                    return self.invalid_text(row, column)
                item = self.item_at(column)
                tip = self.texts["tip"].format(record.name, f"{item.code} {item.title}", self._limit_text(item))
                return tip + ("\n" + self.texts["automatic"] if self.is_automatic(row, column) else "")
            if column in (COL_NAME, COL_UNIT):
                return f"{record.name} · {record.unit}"
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row, column = index.row(), index.column()
        if not self.is_editable(row, column):
            return False
        number = parse_points(value)
        if number is False:
            return False  # not a number: the cell keeps its value
        item_id = self.item_at(column).id
        points = None if number is None else float(number)
        if points == self.points[row][item_id]:
            return True
        self.points[row][item_id] = points
        self.dataChanged.emit(self.index(row, column), self.index(row, column))
        self.dataChanged.emit(self.index(row, COL_TOTAL), self.index(row, COL_GRADE))
        self.edited.emit()
        return True

    def clear(self, cells: Sequence[tuple[int, int]]) -> int:
        """Delete: the manual cells among *cells* become empty (not yet scored)."""
        count = 0
        for row, column in cells:
            if self.is_editable(row, column) and self.points[row][self.item_at(column).id] is not None:
                count += bool(self.setData(self.index(row, column), ""))
        return count

    # -- what changed ------------------------------------------------------------------------------

    def changes(self) -> dict[tuple[str, str], float | None]:
        """(evaluation id, item id) → points, only where they differ from what was loaded."""
        out: dict[tuple[str, str], float | None] = {}
        for row, record in enumerate(self.rows):
            for item_id, value in self.points[row].items():
                if value != self._orig[row][item_id]:
                    out[(record.evaluation_id, item_id)] = value
        return out

    def is_dirty(self) -> bool:
        return self.points != self._orig

    def first_invalid_in(self, row: int) -> int | None:
        for column in range(FIRST_ITEM, self.item_end):
            if self.cell_invalid(row, column):
                return column
        return None

    def first_invalid(self) -> QModelIndex | None:
        for row in range(len(self.rows)):
            column = self.first_invalid_in(row)
            if column is not None:
                return self.index(row, column)
        return None

    def counts(self) -> dict[str, int]:
        """people, complete (every manual score item has points), manual score cells still empty."""
        missing = sum(1 for row in range(len(self.rows)) for column in range(FIRST_ITEM, self.item_end)
                      if self.item_at(column).kind == "score" and not self.is_automatic(row, column)
                      and self.points[row][self.item_at(column).id] is None)
        complete = sum(1 for row in range(len(self.rows)) if self.is_complete(row))
        return {"people": len(self.rows), "complete": complete, "missing": missing}
