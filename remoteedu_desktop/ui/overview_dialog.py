"""The list behind one overview figure (the click-through): a sortable table and "Open the page"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..services.overview_figures import Behind
from .tables import fit_columns, sortable_rows_table

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def _number(text: str) -> float | None:
    head = text.strip().split(" ")[0].rstrip("%")
    try:
        return float(head)
    except ValueError:
        return None


def sort_keys(rows: tuple[tuple[str, ...], ...], columns: int) -> list[list[object]]:
    """Per cell, what the column sorts by: numbers as numbers ("9" before "10", "12.5 小时" by 12.5)
    when every non-empty cell of the column is a number, otherwise the text."""
    texts = [["" if row[c] is None else str(row[c]) for c in range(columns)] for row in rows]
    numeric = [all(_number(t[c]) is not None for t in texts if t[c]) for c in range(columns)]
    return [[(_number(t[c]) or 0.0) if numeric[c] else t[c] for c in range(columns)] for t in texts]


class BehindDialog(QDialog):
    """The rows behind a figure. "Open the page" emits :attr:`page_requested` with the page key
    (``Behind.page``) and the unit the list was made for, and closes the dialog."""

    page_requested = Signal(str, str)

    def __init__(self, behind: Behind, unit_id: str | None, scope_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.behind = behind
        self.unit_id = unit_id
        self.setWindowTitle(behind.title)
        self.resize(820, 520)

        self.title_label = QLabel(behind.title, self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        count = len(behind.rows)
        self.count_label = QLabel(
            self.tr("{0}: {1} rows").format(scope_name, count) if scope_name else self.tr("{0} rows").format(count),
            self)
        self.count_label.setStyleSheet("color: #555;")

        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(list(behind.headers))
        keys = sort_keys(behind.rows, len(behind.headers))
        for row, row_keys in zip(behind.rows, keys, strict=True):
            items = []
            for value, key in zip(row, row_keys, strict=False):
                text = "" if value is None else str(value)
                item = QStandardItem(text)
                item.setData(key, SORT_ROLE)
                if isinstance(key, float):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(text)
                items.append(item)
            self.model.appendRow(items)
        self.proxy, self.table = sortable_rows_table(self, self.model, SORT_ROLE)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        fit_columns(self.table, tuple((c, 260) for c in range(len(behind.headers))))
        wanted = sum(self.table.columnWidth(c) for c in range(len(behind.headers))) + 60
        self.resize(max(600, min(wanted, 1200)), 520)
        self.empty_label = QLabel(self.tr("Nothing to list."), self)
        self.empty_label.setStyleSheet("color: #1e8449;")
        self.empty_label.setVisible(count == 0)
        self.table.setVisible(count > 0)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self.open_button = QPushButton(self.tr("Open the page"), self)
        self.open_button.setToolTip(self.tr("Show these records on their own page, for the same unit."))
        self.open_button.setEnabled(bool(behind.page))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._open_page)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addStretch(0)
        layout.addWidget(buttons)

    def row_texts(self) -> list[tuple[str, ...]]:
        """The rows as shown now (sorted as the clerk sorted them)."""
        return [tuple(str(self.proxy.index(r, c).data() or "") for c in range(self.proxy.columnCount()))
                for r in range(self.proxy.rowCount())]

    def _open_page(self) -> None:
        self.page_requested.emit(self.behind.page, self.unit_id or "")
        self.accept()
