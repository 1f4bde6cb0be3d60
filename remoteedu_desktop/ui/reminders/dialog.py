"""The reminders shown after start (issue 8, item 4): what needs the clerk's attention now.

One line per reminder (:mod:`...services.reminders`), warnings first and in a warning colour; a
double-click (or "Open") emits :attr:`RemindersDialog.page_requested` with the page key and the township,
and the main window goes there. "Don't show again today" is kept in QSettings (``reminders/hidden_on``,
the date), so a clerk who restarts the program the same day is not asked again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services.reminders import SEVERITY_WARNING, Reminder, reminders
from ..context import AppContext

HIDDEN_KEY = "reminders/hidden_on"
WARNING_COLOR = QColor("#b3261e")
INDEX_ROLE = Qt.ItemDataRole.UserRole + 1


def hidden_today(settings: QSettings | None = None, today: dt.date | None = None) -> bool:
    """True when the clerk ticked "don't show again today" today."""
    value = (settings or QSettings()).value(HIDDEN_KEY, "")
    return str(value or "") == (today or dt.date.today()).isoformat()


class RemindersDialog(QDialog):
    """The list of reminders; non-modal, so the clerk can work through them with the window beside it."""

    page_requested = Signal(str, object)  # page key, unit id (str) or None

    def __init__(self, ctx: AppContext, items: Sequence[Reminder], parent: QWidget | None = None, *,
                 settings: QSettings | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items = list(items)
        self.settings = settings  # None: the application's own QSettings (tests pass a file of their own)
        self.today = today or dt.date.today()
        self.setWindowTitle(self.tr("Reminders"))
        warnings = sum(r.severity == SEVERITY_WARNING for r in self.items)
        self.summary = QLabel(self.tr("{0} things need attention, {1} of them now. Double-click a line to open "
                                      "the page that holds it.").format(len(self.items), warnings), self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(self.items), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Urgency"), self.tr("Reminder")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)  # one line each; the tooltip holds the whole text
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, item in enumerate(self.items):
            warning = item.severity == SEVERITY_WARNING
            cells = (QTableWidgetItem(self.tr("Now") if warning else self.tr("Soon")), QTableWidgetItem(item.text))
            for cell in cells:
                cell.setData(INDEX_ROLE, row)
                cell.setToolTip(item.text)
                if warning:
                    cell.setForeground(QBrush(WARNING_COLOR))
            self.table.setItem(row, 0, cells[0])
            self.table.setItem(row, 1, cells[1])
        if self.items:
            self.table.selectRow(0)
        self.table.itemDoubleClicked.connect(lambda cell: self.open_reminder(int(cell.data(INDEX_ROLE))))
        self.hide_today = QCheckBox(self.tr("Don't show again today"), self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = self.buttons.addButton(self.tr("Open"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(bool(self.items))
        self.open_button.clicked.connect(lambda _checked=False: self.open_selected())
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hide_today)
        layout.addWidget(self.buttons)
        self.resize(680, 360)

    def texts(self) -> list[str]:
        return [self.table.item(row, 1).text() for row in range(self.table.rowCount())]

    def open_reminder(self, row: int) -> None:
        """Ask the main window for the page behind reminder *row* (and its township)."""
        if 0 <= row < len(self.items):
            item = self.items[row]
            self.page_requested.emit(item.page, item.unit_id)

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_reminder(rows[0].row())

    def done(self, result: int) -> None:  # every way of closing passes here
        if self.hide_today.isChecked():
            (self.settings or QSettings()).setValue(HIDDEN_KEY, self.today.isoformat())
        super().done(result)


def reminders_on_start(ctx: AppContext, parent: QWidget | None = None, *, settings: QSettings | None = None,
                       today: dt.date | None = None) -> RemindersDialog | None:
    """The dialog to show after start, or None: nothing to remind of, or hidden for today."""
    day = today or dt.date.today()
    if hidden_today(settings, day):
        return None
    with ctx.session() as session:
        found = reminders(session, today=day)
    if not found:
        return None
    return RemindersDialog(ctx, found, parent, settings=settings, today=day)
