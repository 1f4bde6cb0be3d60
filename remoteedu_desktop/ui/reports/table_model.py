"""A built report (:class:`~remoteedu_desktop.services.report_model.ReportTable`) as a read-only item model.

The rows are the report's own tuples; cells show as the PDF prints them (:func:`cell_text`), numbers right
aligned, the totals row last and bold. The report's order is the order it prints in: no sorting here.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ...services.report_model import ReportTable

Index = QModelIndex | QPersistentModelIndex


def cell_text(value: object) -> str:
    """A cell as printed (the same rules as printing/report_pdf.py): None → "", 2.0 → "2", a date → ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{round(value, 2):g}" if abs(value) < 1e15 else f"{value:.0f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class ReportTableModel(QAbstractTableModel):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.table: ReportTable | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def set_table(self, table: ReportTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def _rows(self) -> int:
        return len(self.table.rows) if self.table else 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        if parent.isValid() or self.table is None:
            return 0
        return self._rows() + (1 if self.table.totals is not None else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() or self.table is None else len(self.table.headers)

    def _value(self, row: int, column: int) -> object:
        assert self.table is not None
        values = self.table.rows[row] if row < self._rows() else (self.table.totals or ())
        return values[column] if column < len(values) else None

    def is_totals(self, row: int) -> bool:
        return self.table is not None and self.table.totals is not None and row == self._rows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.table is None:
            return None
        value = self._value(index.row(), index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            number = isinstance(value, int | float) and not isinstance(value, bool)
            horizontal = Qt.AlignmentFlag.AlignRight if number else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.is_totals(index.row()):
            return self._bold
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if self.table is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.table.headers[section] if section < len(self.table.headers) else None
        return "" if self.is_totals(section) else str(section + 1)
