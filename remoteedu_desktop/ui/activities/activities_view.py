"""The teaching activities of the sites (R13): a filtered, sortable list; add, edit, delete; the paperwork.

The org tree's unit narrows the list to its subtree (a township, or one site); the filter bar to a year,
a month, a service channel and words of the content, notes, site or tutor. Under the table, the totals of
what is shown. "Print" saves a PDF of the work-record book (工作记录簿) and/or the monthly report card
(月报卡) of one site, or of every site under the chosen unit, for one month, through the worker.

Dialogs run through ``self.run_dialog``, questions through ``self.confirm`` and the file chooser through
``self.choose_save_path``, so tests drive everything without a modal loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import activities
from ...services.activities import ActivityFilter, ActivityRow, Documents
from ...services.progress import Progress
from ...services.site_views import unit_choice
from ..certificates.common import (
    HINT_STYLE,
    SavePathFn,
    choose_pdf_path,
    error_text,
    show_message,
    with_suffix,
    write_atomically,
)
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..staff.post_dialogs import ConfirmFn, RunDialogFn, ask_confirmation, exec_dialog
from ..tables import fit_columns, sortable_rows_table
from ..worker import Job, run_with_progress
from .activity_dialog import ActivityDialog

REFRESH_AREAS = frozenset({"activities", "units", "people", "posts"})
SEARCH_DELAY_MS = 250
_Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
(COL_DATE, COL_TOWNSHIP, COL_SITE, COL_CHANNEL, COL_TITLE, COL_TUTORS, COL_PARTICIPANTS, COL_HOURS,
 COL_NOTES) = range(9)


def _hours(value: float) -> str:
    return f"{round(value, 2):g}"


class ActivitiesModel(QAbstractTableModel):
    """Read-only rows of activities; numbers sort as numbers, dates as dates."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[ActivityRow, ...] = ()
        self._cells: list[tuple[str, ...]] = []
        self.headers = (self.tr("Date"), self.tr("Township"), self.tr("Site"), self.tr("Channel"),
                        self.tr("Content"), self.tr("Tutors"), self.tr("Participants"), self.tr("Hours"),
                        self.tr("Notes"))

    def set_rows(self, rows: Sequence[ActivityRow]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self._cells = [(r.date.isoformat(), r.township_name, r.site_name, r.channel_label, r.title, r.tutors_text,
                        str(r.participants), _hours(r.hours), " ".join((r.notes or "").split()))
                       for r in self._rows]
        self.endResetModel()

    def rows(self) -> tuple[ActivityRow, ...]:
        return self._rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's signature
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][col]
        if role == SORT_ROLE:
            r = self._rows[row]
            if col == COL_PARTICIPANTS:
                return r.participants
            if col == COL_HOURS:
                return r.hours
            return self._cells[row][col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._cells[row][col] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_DATE, COL_PARTICIPANTS, COL_HOURS):
            return Qt.AlignmentFlag.AlignCenter
        if role == ROW_ROLE:
            return self._rows[row]
        return None


class ActivitiesView(RefreshingWidget):
    refresh_areas = REFRESH_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.confirm: ConfirmFn = ask_confirmation
        self.choose_save_path: SavePathFn = choose_pdf_path
        self.today: dt.date | None = None  # tests fix the day
        self.unit_id: str | None = None
        self.unit_kind: str | None = None
        self.job: Job | None = None
        self.last_dialog: QDialog | None = None
        self.last_saved: Path | None = None
        self._stale = True  # loads when first shown

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search content, notes, site or tutor"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self.search_edit.setMaximumWidth(380)
        self.year_combo = QComboBox(self)
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year_combo.addItem(self.tr("All years"), None)
        self.month_combo = QComboBox(self)
        self.month_combo.addItem(self.tr("All months"), None)
        for month in range(1, 13):
            self.month_combo.addItem(self.tr("Month {0}").format(month), month)
        self.channel_combo = QComboBox(self)
        self.channel_combo.addItem(self.tr("All channels"), None)
        for key, label in codes.ACTIVITY_CHANNEL.items():
            self.channel_combo.addItem(label, key)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)
        self.totals_label = QLabel(self)
        self.totals_label.setStyleSheet(HINT_STYLE)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)

        self.add_button = QPushButton(self.tr("New activity…"), self)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.delete_button = QPushButton(self.tr("Delete…"), self)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_menu = QMenu(self)
        self.print_actions: dict[tuple[str, str], QAction] = {}
        for key, caption in (
                (("book", "site"), self.tr("Work-record book of the site…")),
                (("card", "site"), self.tr("Monthly report card of the site…")),
                (("both", "site"), self.tr("Book and report card of the site…")),
                (None, ""),
                (("book", "all"), self.tr("Work-record books of all sites…")),
                (("card", "all"), self.tr("Monthly report cards of all sites…")),
                (("both", "all"), self.tr("Books and report cards of all sites…"))):
            if key is None:
                self.print_menu.addSeparator()
                continue
            action = self.print_menu.addAction(caption)
            action.triggered.connect(lambda _checked=False, k=key: self.print_documents(k[0], k[1]))
            self.print_actions[key] = action
        self.print_button.setMenu(self.print_menu)
        self.print_menu.aboutToShow.connect(self._update_print_actions)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.model = ActivitiesModel(self)
        self.proxy, self.table = sortable_rows_table(self, self.model, SORT_ROLE)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        for caption, combo in ((self.tr("Year"), self.year_combo), (self.tr("Month"), self.month_combo),
                               (self.tr("Channel"), self.channel_combo)):
            filters.addSpacing(6)
            filters.addWidget(QLabel(caption, self))
            filters.addWidget(combo)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        actions = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals_label)

        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_timer.timeout.connect(self.reload)
        for combo in (self.year_combo, self.month_combo, self.channel_combo):
            combo.currentIndexChanged.connect(lambda _index: self.reload())
        self.add_button.clicked.connect(lambda _checked=False: self.add_activity())
        self.edit_button.clicked.connect(lambda _checked=False: self.edit_activity())
        self.delete_button.clicked.connect(lambda _checked=False: self.delete_activity())
        self.table.doubleClicked.connect(lambda _index: self.edit_activity())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        ctx.changed.connect(self._on_data_changed)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------------------

    def current_filter(self) -> ActivityFilter:
        year = self.year_combo.currentData()
        month = self.month_combo.currentData() if year else None
        return ActivityFilter(unit_id=self.unit_id, year=int(year) if year else None,
                              month=int(month) if month else None, channel=self.channel_combo.currentData(),
                              text=self.search_edit.text().strip())

    def refresh(self) -> None:
        """Reload after a data change: the years offered, then the rows."""
        self._stale = False
        try:
            with self.ctx.session() as session:
                years = activities.activity_years(session)
        except Exception as exc:
            years = []
            self._say(error_text(exc), error=True)
        this_year = (self.today or dt.date.today()).year
        self._fill_years(sorted({*years, this_year}, reverse=True))
        self.reload()

    def reload(self) -> None:
        """Run the query of the current filter (the search box calls this after its pause)."""
        self.search_timer.stop()
        self.month_combo.setEnabled(bool(self.year_combo.currentData()))
        selected = {r.id for r in self.selected_rows()}
        try:
            with self.ctx.session() as session:
                rows = activities.list_activities(session, self.current_filter())
        except Exception as exc:
            rows = []
            self._say(error_text(exc), error=True)
        self.model.set_rows(rows)
        fit_columns(self.table, ((COL_TOWNSHIP, 140), (COL_SITE, 160), (COL_TITLE, 320), (COL_TUTORS, 180)))
        self.count_label.setText(self.tr("{0} activities").format(len(rows)))
        people = sum(r.participants for r in rows)
        hours = sum(r.hours for r in rows)
        self.totals_label.setText(self.tr("Shown: {0} activities, {1} participants, {2} hours").format(
            len(rows), people, _hours(hours)))
        self.select_ids(selected)
        self._update_buttons()

    def _fill_years(self, years: list[int]) -> None:
        current = self.year_combo.currentData()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(self.tr("All years"), None)
        for year in years:
            self.year_combo.addItem(str(year), year)
        index = self.year_combo.findData(current) if current else 0
        self.year_combo.setCurrentIndex(max(index, 0))
        self.year_combo.blockSignals(False)

    def select_unit(self, unit_id: str | None) -> None:
        """The org tree's unit: the list shows its subtree; a site is the default site of a new activity."""
        self.unit_id = unit_id
        self.unit_kind = None
        if unit_id is not None:
            try:
                with self.ctx.session() as session:
                    self.unit_kind = unit_choice(session, unit_id).kind
            except ValidationError:
                self.unit_id = None
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def set_period(self, year: int | None, month: int | None = None) -> None:
        """Show one year (and month); the year is offered even when it has no activities yet."""
        if year is not None and self.year_combo.findData(year) < 0:
            self.year_combo.addItem(str(year), year)
        self.year_combo.blockSignals(True)
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(year), 0) if year else 0)
        self.year_combo.blockSignals(False)
        self.month_combo.blockSignals(True)
        self.month_combo.setCurrentIndex(max(self.month_combo.findData(month), 0) if month else 0)
        self.month_combo.blockSignals(False)
        self.reload()

    # -- selection ---------------------------------------------------------------------------------

    def rows(self) -> list[ActivityRow]:
        return [self.proxy.data(self.proxy.index(n, 0), ROW_ROLE) for n in range(self.proxy.rowCount())]

    def selected_rows(self) -> list[ActivityRow]:
        indexes = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        return [self.proxy.data(i, ROW_ROLE) for i in indexes]

    def current_row(self) -> ActivityRow | None:
        rows = self.selected_rows()
        return rows[0] if len(rows) == 1 else None

    def select_ids(self, ids: set[str]) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.table.clearSelection()
        for n in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(n, 0), ROW_ROLE).id in ids:
                selection.select(self.proxy.index(n, 0), QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)
        selection.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        rows = self.selected_rows()
        self.edit_button.setEnabled(len(rows) == 1)
        self.delete_button.setEnabled(bool(rows))
        self._update_print_actions()

    def _update_print_actions(self) -> None:
        has_site = self.print_site() is not None
        for (_what, scope), action in self.print_actions.items():
            action.setEnabled(has_site or scope != "site")

    # -- changes -----------------------------------------------------------------------------------

    def _dialog(self, activity_id: str | None) -> ActivityDialog | None:
        site = self.unit_id if self.unit_kind in codes.SITE_KINDS else None
        try:
            dialog = ActivityDialog(self.ctx, activity_id, self, site_id=site, today=self.today)
        except ValidationError as exc:
            self._say(exc.text(), error=True)
            return None
        self.last_dialog = dialog
        self.run_dialog(dialog)
        if dialog.saved is not None:
            self.refresh()
            self.select_ids({dialog.saved.id})
            verb = self.tr("Saved") if activity_id else self.tr("Added")
            text = self.tr("{0}: {1} {2} “{3}”.").format(verb, dialog.saved.date.isoformat(), dialog.saved.site_name,
                                                       dialog.saved.title)
            if dialog.saved.warnings:
                text += " " + "；".join(dialog.saved.warnings)
            self._say(text)
        return dialog

    def add_activity(self) -> ActivityDialog | None:
        return self._dialog(None)

    def edit_activity(self) -> ActivityDialog | None:
        row = self.current_row()
        if row is None:
            return None
        return self._dialog(row.id)

    def delete_activity(self) -> bool:
        rows = self.selected_rows()
        if not rows:
            return False
        if len(rows) == 1:
            question = self.tr("Delete the activity of {0} at {1}: “{2}”?").format(
                rows[0].date.isoformat(), rows[0].site_name, rows[0].title)
        else:
            question = self.tr("Delete the {0} selected activities?").format(len(rows))
        if not self.confirm(self, self.tr("Delete activity"), question):
            return False
        try:
            with self.ctx.session() as session:
                for row in rows:
                    activities.delete_activity(session, row.id)
        except ValidationError as exc:
            self._say(exc.text(), error=True)
            return False
        self._say(self.tr("{0} activities deleted.").format(len(rows)))
        self.ctx.notify("activities")
        self.refresh()
        return True

    # -- printing ----------------------------------------------------------------------------------

    def print_site(self) -> tuple[str, str] | None:
        """(site id, name) the site documents are for: the selected activity's site, else the org tree's site."""
        row = self.current_row() or (self.selected_rows() or [None])[0]
        if row is not None:
            return row.site_id, row.site_name
        if self.unit_id is not None and self.unit_kind in codes.SITE_KINDS:
            return self.unit_id, ""
        return None

    def print_month(self) -> tuple[int, int]:
        """The month printed: the filter's when a month is chosen, else the selected activity's, else this one."""
        year, month = self.year_combo.currentData(), self.month_combo.currentData()
        if year and month:
            return int(year), int(month)
        row = self.current_row()
        if row is not None:
            return row.date.year, row.date.month
        today = self.today or dt.date.today()
        return today.year, today.month

    def print_documents(self, documents: Documents, scope: str) -> Job | None:
        """Save the book and/or the card for one month: of the site (*scope* "site") or of every site under
        the chosen unit, or under this office when none is chosen ("all")."""
        year, month = self.print_month()
        if scope == "site":
            site = self.print_site()
            if site is None:
                self._say(self.tr("Choose an activity or a site first."), error=True)
                return None
            unit_id, name = site
        else:
            unit_id = self.unit_id or self.ctx.office().unit_id
            name = ""
            if unit_id is None:
                self._say(self.tr("This office is not set up yet."), error=True)
                return None
        what = {"book": self.tr("Work-record book"), "card": self.tr("Monthly report card"),
                "both": self.tr("Work-record book and report card")}[documents]
        whose = name or self.tr("all sites")
        suggested = f"{what} {whose} {year}-{month:02d}.pdf"
        chosen = self.choose_save_path(self, self.tr("Save as PDF"), suggested)
        if not chosen:
            return None
        path = with_suffix(chosen, ".pdf")
        ctx, today = self.ctx, self.today

        def work() -> Generator[Progress, None, Path]:
            with ctx.session() as session:
                data = yield from activities.month_documents(session, unit_id, year, month, documents=documents,
                                                             today=today)
            write_atomically(path, data)
            return path

        def done(result: object) -> None:
            self.last_saved = path
            self._say(self.tr("Saved to {0}").format(path))

        def failed(exc: Exception) -> None:
            self._say(self.tr("Nothing was saved. {0}").format(error_text(exc)), error=True)

        self.job = run_with_progress(self, self.tr("Save as PDF"), work, on_done=done, on_error=failed)
        return self.job

    def _say(self, text: str, *, error: bool = False) -> None:
        show_message(self.message, text, error=error)
