"""Table models of the certificates page: a read-only QAbstractTableModel over a tuple of frozen rows.

The services hand back frozen dataclasses (``Eligibility``, ``RegisterRow``); a model keeps them as a
tuple and turns each into its cells once, when the rows are set, so painting never computes anything.
The register of a county holds a few thousand certificates: one query, no lazy fetching needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from ...services.certificate_register import RegisterRow
from .common import FAIL_COLOUR, MUTED_COLOUR, WARN_COLOUR, date_text

R = TypeVar("R")
_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1  #: the row's id (certificate id, person id)
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  #: the frozen row itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  #: what a proxy sorts by


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    centered: bool = False
    tooltip: Callable[[R], str] | None = None
    colour: Callable[[R], str | None] | None = None


class RowsModel(QAbstractTableModel, Generic[R]):
    """Read-only rows; ``row_id`` gives the id stored under :data:`ID_ROLE`."""

    def __init__(self, columns: Sequence[Column[R]], row_id: Callable[[R], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.row_id = row_id
        self._rows: tuple[R, ...] = ()
        self._cells: list[list[str]] = []
        self._colours: list[list[QBrush | None]] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self._cells = [[column.text(row) for column in self.columns] for row in self._rows]
        self._colours = [[_brush(column.colour(row)) if column.colour else None for column in self.columns]
                         for row in self._rows]
        self.endResetModel()

    def rows(self) -> tuple[R, ...]:
        return self._rows

    def row(self, index: int) -> R:
        return self._rows[index]

    def row_of(self, row_id: str) -> int:
        for number, row in enumerate(self._rows):
            if self.row_id(row) == row_id:
                return number
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: B008, N802 - Qt's signature
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
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return self._cells[row][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(self._rows[row]) if column.tooltip else (self._cells[row][col] or None)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colours[row][col]
        if role == Qt.ItemDataRole.TextAlignmentRole and column.centered:
            return Qt.AlignmentFlag.AlignCenter
        if role == ID_ROLE:
            return self.row_id(self._rows[row])
        if role == ROW_ROLE:
            return self._rows[row]
        return None


def _brush(colour: str | None) -> QBrush | None:
    return QBrush(QColor(colour)) if colour else None


# -- the register --------------------------------------------------------------------------------------

(R_NUMBER, R_NAME, R_KIND, R_UNIT, R_POST, R_ISSUED, R_TERM, R_STATUS, R_REASON, R_TRAIL,
 R_PRINTS) = range(11)


def term_text(row: RegisterRow) -> str:
    """"2026-01-01 – 2028-12-31" for an appointment's term, "至 2028-12-31" when only the end is known."""
    if row.term_start and row.valid_until:
        return f"{date_text(row.term_start)} – {date_text(row.valid_until)}"
    if row.valid_until:
        return QCoreApplication.translate("Certificates", "until {0}").format(date_text(row.valid_until))
    return QCoreApplication.translate("Certificates", "no end")


def trail_text(row: RegisterRow) -> str:
    parts = []
    if row.replaces_number:
        parts.append(QCoreApplication.translate("Certificates", "replaces {0}").format(row.replaces_number))
    if row.replaced_by_number:
        parts.append(QCoreApplication.translate("Certificates", "replaced by {0}").format(row.replaced_by_number))
    return "；".join(parts)


def status_colour(status: str) -> str | None:
    return {"revoked": FAIL_COLOUR, "expired": WARN_COLOUR, "replaced": MUTED_COLOUR}.get(status)


def register_columns() -> list[Column[RegisterRow]]:
    return [
        Column(QCoreApplication.translate("Certificates", "Number"), lambda r: r.number),
        Column(QCoreApplication.translate("Certificates", "Name"), lambda r: r.name),
        Column(QCoreApplication.translate("Certificates", "Kind"), lambda r: r.kind_label),
        Column(QCoreApplication.translate("Certificates", "Unit"), lambda r: r.unit),
        Column(QCoreApplication.translate("Certificates", "Post"), lambda r: r.post),
        Column(QCoreApplication.translate("Certificates", "Issued"), lambda r: date_text(r.issue_date), centered=True),
        Column(QCoreApplication.translate("Certificates", "Term / valid until"), term_text, centered=True),
        Column(QCoreApplication.translate("Certificates", "Status"), lambda r: r.status_label, centered=True, colour=lambda r: status_colour(r.status)),
        Column(QCoreApplication.translate("Certificates", "Reason"), lambda r: r.status_reason or ""),
        Column(QCoreApplication.translate("Certificates", "Replaces / replaced by"), trail_text),
        Column(QCoreApplication.translate("Certificates", "Prints"), lambda r: str(r.prints), centered=True),
    ]


class RegisterModel(RowsModel[RegisterRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(register_columns(), lambda r: r.id, parent)
