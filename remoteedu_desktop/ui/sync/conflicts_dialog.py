"""The conflict queue, side by side (issue 6, item 7).

A list of the values that lost a sync merge; the selected one shows field by field what the database holds now
and the other value. "Keep" settles it; "Take the other value" is only offered where this office owns the record
(otherwise the owner has to change it, and the dialog says who that is).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services import sync_conflicts
from ..context import AppContext
from .common import HINT_STYLE, error_text, local_time, show_message

LIST_COLUMNS = (
    QT_TRANSLATE_NOOP("ConflictsDialog", "When"), QT_TRANSLATE_NOOP("ConflictsDialog", "From"),
    QT_TRANSLATE_NOOP("ConflictsDialog", "Record"), QT_TRANSLATE_NOOP("ConflictsDialog", "What happened"),
    QT_TRANSLATE_NOOP("ConflictsDialog", "Value kept"), QT_TRANSLATE_NOOP("ConflictsDialog", "Status"),
)
FIELD_COLUMNS = (
    QT_TRANSLATE_NOOP("ConflictsDialog", "Field"), QT_TRANSLATE_NOOP("ConflictsDialog", "Now in the database"),
    QT_TRANSLATE_NOOP("ConflictsDialog", "Other value"),
)


def _table(columns: tuple[str, ...], parent: QWidget, translate: object) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels([translate(c) for c in columns])  # type: ignore[operator]
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ConflictsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[sync_conflicts.ConflictRow] = []
        self.setWindowTitle(self.tr("Sync conflicts"))
        self.resize(980, 620)
        intro = QLabel(self.tr(
            "When both offices changed the same data, the owner's value was kept and the other one is listed here. "
            "Nothing was lost: compare the two values and settle each conflict."), self)
        intro.setWordWrap(True)
        intro.setStyleSheet(HINT_STYLE)
        self.show_settled = QCheckBox(self.tr("Show settled conflicts too"), self)
        self.show_settled.toggled.connect(self.refresh)
        self.list = _table(LIST_COLUMNS, self, self.tr)
        self.list.itemSelectionChanged.connect(self._show_selected)
        self.fields = _table(FIELD_COLUMNS, self, self.tr)
        self.owner_label = QLabel(self)
        self.owner_label.setWordWrap(True)
        self.keep_button = QPushButton(self.tr("Keep the value in the database"), self)
        self.keep_button.clicked.connect(lambda: self.resolve("keep"))
        self.take_button = QPushButton(self.tr("Take the other value"), self)
        self.take_button.clicked.connect(lambda: self.resolve("take_other"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setVisible(False)

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.owner_label)
        detail_layout.addWidget(self.fields, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.keep_button)
        actions.addWidget(self.take_button)
        actions.addStretch(1)
        detail_layout.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        splitter.setSizes([330, 250])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.show_settled)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        with self.ctx.session() as s:
            self.rows = sync_conflicts.conflicts(s, open_only=not self.show_settled.isChecked())
        self.list.setRowCount(0)
        for row in self.rows:
            r = self.list.rowCount()
            self.list.insertRow(r)
            kept = self.tr("this office's") if row.winner == "here" else self.tr("the other office's")
            status = self.tr("settled") if row.resolved else self.tr("open")
            cells = [local_time(row.at), row.peer_code, f"{row.table_label} {row.record_label or row.record_id[:8]}",
                     row.kind_label, kept, status]
            for column, text in enumerate(cells):
                self.list.setItem(r, column, QTableWidgetItem(text))
        if self.rows:
            self.list.selectRow(0)
        self._show_selected()

    def selected(self) -> sync_conflicts.ConflictRow | None:
        indexes = self.list.selectionModel().selectedRows()
        return self.rows[indexes[0].row()] if indexes else None

    def _show_selected(self) -> None:
        row = self.selected()
        self.fields.setRowCount(0)
        if row is None:
            self.owner_label.setText(self.tr("No conflict waiting.") if not self.rows else "")
            self.keep_button.setEnabled(False)
            self.take_button.setEnabled(False)
            return
        for f in row.fields:
            r = self.fields.rowCount()
            self.fields.insertRow(r)
            for column, text in enumerate((f.label, f.kept, f.other)):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.fields.setItem(r, column, item)
        if row.can_take_other:
            self.owner_label.setText(self.tr("This office owns this record: its value was kept. You may take the "
                                             "other office's value instead; it then travels in the next bundle."))
        else:
            self.owner_label.setText(self.tr("This record is maintained by {0}: its value was kept. To change it, "
                                             "ask {0}.").format(row.owner))
        self.keep_button.setEnabled(not row.resolved)
        self.take_button.setEnabled(not row.resolved and row.can_take_other)
        self.take_button.setToolTip("" if row.can_take_other else self.tr("Only the owner ({0}) can change this "
                                                                          "record").format(row.owner))

    def resolve(self, choice: str) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            with self.ctx.session() as s:
                sync_conflicts.resolve(s, row.id, "take_other" if choice == "take_other" else "keep")
        except Exception as exc:  # a refusal in the service's own words
            show_message(self.message, error_text(exc), error=True)
            return
        show_message(self.message, self.tr("Settled: {0}").format(row.record_label or row.record_id[:8]))
        self.ctx.notify("sync")
        if choice == "take_other":
            self.ctx.notify({"person": "people", "org_unit": "units"}.get(row.table, row.table))
        self.refresh()
