"""Small helpers shared by the pages' table views."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget


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


def sortable_rows_table(parent: QWidget, model: QAbstractItemModel,
                        sort_role: int) -> tuple[QSortFilterProxyModel, QTableView]:
    """A read-only table of whole rows over *model*, sortable by clicking a header (by *sort_role*, locale
    aware), several rows selectable; it starts in the model's own order."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(sort_role)
    proxy.setSortLocaleAware(True)
    table = QTableView(parent)
    table.setModel(proxy)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return proxy, table
