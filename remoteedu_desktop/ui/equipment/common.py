"""Pieces shared by the equipment register and the fault tickets (R9): a read-only rows model that sorts
numbers as numbers, the small form dialog the editors are built on, and text helpers.

Dialogs run through the views' ``run_dialog`` hook and confirmations through ``confirm`` (both from
ui/staff/post_dialogs), so tests replace them and never enter a modal loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ..staff.post_dialogs import ErrorLabel, clear_on_edit, inline_text

R = TypeVar("R")
_Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the frozen row itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # what the proxy sorts by: a number for numeric columns

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"
HINT_STYLE = "color: #666666;"
WARN_COLOUR = "#b26a00"
FAIL_COLOUR = "#c62828"
MUTED_COLOUR = "#888888"
OK_COLOUR = "#2e7d32"

# Open faults older than this many days are shown in red (R9: faults are cleared promptly).
LATE_DAYS = 3


def show_message(label: QLabel, text: str, *, error: bool = False) -> None:
    """A one-line outcome under a view: red for a refusal, green otherwise; hidden when empty."""
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
    label.setText(text)
    label.setVisible(bool(text))


def error_text(exc: BaseException) -> str:
    """A service refusal in its own Chinese words; anything else short, never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    text = QCoreApplication.translate("Equipment", "Unexpected error ({0}): {1}")
    return text.format(type(exc).__name__, exc)


def date_text(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def stamp_text(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def hours_text(value: float | None) -> str:
    """Hours with one decimal ("2.5"), "" when there is no figure."""
    return "" if value is None else f"{value:.1f}"


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def to_qdatetime(at: dt.datetime) -> QDateTime:
    return QDateTime(to_qdate(at.date()), QTime(at.hour, at.minute))


def to_datetime(value: QDateTime) -> dt.datetime:
    day, time = value.date(), value.time()
    return dt.datetime(day.year(), day.month(), day.day(), time.hour(), time.minute())


def now_minutes() -> dt.datetime:
    return dt.datetime.now().replace(second=0, microsecond=0)


# -- the rows model -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    sort: Callable[[R], Any] | None = None  # a number (or date text) to sort by; the text when None
    centered: bool = False
    colour: Callable[[R], str | None] | None = None
    tooltip: Callable[[R], str] | None = None


class RowsModel(QAbstractTableModel, Generic[R]):
    """Read-only frozen rows; cells, sort keys and colours are computed once, when the rows are set."""

    def __init__(self, columns: Sequence[Column[R]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: tuple[R, ...] = ()
        self._cells: list[list[str]] = []
        self._sort: list[list[Any]] = []
        self._colours: list[list[QBrush | None]] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self._cells = [[c.text(r) for c in self.columns] for r in self._rows]
        self._sort = [[_sort_key(c.sort(r)) if c.sort else cells[n] for n, c in enumerate(self.columns)]
                      for r, cells in zip(self._rows, self._cells, strict=True)]
        self._colours = [[QBrush(QColor(colour)) if c.colour and (colour := c.colour(r)) else None
                          for c in self.columns] for r in self._rows]
        self.endResetModel()

    def rows(self) -> tuple[R, ...]:
        return self._rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's signature
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        column = self.columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][col]
        if role == SORT_ROLE:
            return self._sort[row][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(self._rows[row]) if column.tooltip else (self._cells[row][col] or None)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colours[row][col]
        if role == Qt.ItemDataRole.TextAlignmentRole and column.centered:
            return Qt.AlignmentFlag.AlignCenter
        if role == ROW_ROLE:
            return self._rows[row]
        return None


def _sort_key(value: Any) -> Any:
    """Numbers sort as numbers; a missing figure sorts before every number."""
    if value is None:
        return -1.0
    return float(value) if isinstance(value, int | float) else value


# -- the form dialog ------------------------------------------------------------------------------------

class FormDialog(QDialog):
    """A grid of fields, each with a red line under it; the service's refusal shows under the field it
    names (``FIELD_KEYS``: the service's Chinese field name → the field's key), else at the bottom.
    OK runs :meth:`apply` in one transaction; after it succeeds the dialog notifies ``areas`` and closes."""

    FIELD_KEYS: dict[str, str] = {}
    areas: tuple[str, ...] = ()

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_row: Any = None
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        self._grid.setHorizontalSpacing(12)
        self._row = 0
        self._errors: dict[str, ErrorLabel] = {}
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.hide()
        self.general_error = ErrorLabel(self)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(ok_cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(self._grid)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def set_header(self, text: str) -> None:
        self.header.setText(text)
        self.header.setVisible(bool(text))

    def add_field(self, key: str, label: str, widget: QWidget) -> None:
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        self._grid.addWidget(caption, self._row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._grid.addWidget(widget, self._row, 1)
        error = ErrorLabel(self)
        self._grid.addWidget(error, self._row + 1, 1)
        self._row += 2
        self._errors[key] = error
        clear_on_edit(widget, error)
        if isinstance(widget, QDateTimeEdit):  # QDateEdit is one too
            widget.dateTimeChanged.connect(error.clear_error)

    def date_edit(self, day: dt.date, *, latest: dt.date | None = None) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(QDate(1990, 1, 1))
        if latest is not None:
            edit.setMaximumDate(to_qdate(latest))
        edit.setDate(to_qdate(day))
        return edit

    def datetime_edit(self, at: dt.datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setMinimumDate(QDate(1990, 1, 1))
        edit.setDateTime(to_qdatetime(at))
        return edit

    def error_label(self, key: str) -> ErrorLabel:
        return self._errors[key]

    def errors_text(self) -> str:
        """Every error now shown (for tests and screen readers)."""
        labels = (*self._errors.values(), self.general_error)
        return "\n".join(label.text() for label in labels if label.text())

    def show_error(self, exc: ValidationError) -> None:
        key = self.FIELD_KEYS.get(exc.field or "")
        if key in self._errors:
            self._errors[key].show_error(inline_text(exc))
        else:
            self.general_error.show_error(exc.text())

    def apply(self, session: Any) -> Any:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError

    def accept(self) -> None:
        for label in (*self._errors.values(), self.general_error):
            label.clear_error()
        try:
            with self.ctx.session() as session:
                self.result_row = self.apply(session)
        except ValidationError as exc:
            self.show_error(exc)
            return
        except Exception as exc:  # a database error: said, never a traceback
            self.general_error.show_error(error_text(exc))
            return
        for area in self.areas:
            self.ctx.notify(area)
        super().accept()
