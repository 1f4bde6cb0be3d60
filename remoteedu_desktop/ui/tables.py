"""Small helpers shared by the pages' table views."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel
from PySide6.QtWidgets import QTableView


def fit_columns(table: QTableView, caps: tuple[tuple[int, int], ...]) -> None:
    """Columns as wide as their contents, each (column, cap) no wider than its cap in pixels."""
    table.resizeColumnsToContents()
    for column, cap in caps:
        if table.columnWidth(column) > cap:
            table.setColumnWidth(column, cap)


def select_row_with(table: QTableView, model: QAbstractItemModel, column: int, role: int,
                    value: str | None) -> None:
    """Select (and scroll to) the row whose *column* holds *value* under *role*, without emitting
    selection signals; clears the selection when *value* is None or not found."""
    selection = table.selectionModel()
    selection.blockSignals(True)
    selection.clearSelection()
    if value is not None:
        for row in range(model.rowCount()):
            index = model.index(row, column)
            if index.data(role) == value:
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)
                table.scrollTo(index)
                break
    selection.blockSignals(False)
