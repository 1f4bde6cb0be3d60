"""The staff list page (R10): search as you type, filters, a sortable table over any number of people.

The main window calls :meth:`StaffPage.select_unit` when the org tree's
selection changes. The page refreshes itself when people, posts, certificates
or units change (``ctx.changed``). A hidden page queries nothing: it notes a
new filter or a change and queries when it is shown (so a main window that
builds every page at start costs nothing here until the clerk opens it).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...services.staff_query import StaffFilter
from ..context import AppContext
from .table_model import (
    COL_AGE,
    COL_CERTIFICATE,
    COL_GENDER,
    COL_ID_NUMBER,
    COL_NAME,
    COL_PHONE,
    COL_ROLE,
    COL_STATUS,
    ContextSource,
    StaffSource,
    StaffTableModel,
)

DEBOUNCE_MS = 150
BUSY_HINT_MS = 250  # "searching…" appears only for a query slower than this, so fast ones never flicker
REFRESH_AREAS = frozenset({"people", "posts", "certificates", "units"})
_EDITOR_MODULES = ("remoteedu_desktop.ui.staff", "remoteedu_desktop.ui.staff.person_editor")
_COLUMN_WIDTHS = {COL_NAME: 100, COL_GENDER: 48, COL_AGE: 48, COL_ID_NUMBER: 176, COL_PHONE: 116, COL_ROLE: 180,
                  COL_CERTIFICATE: 72, COL_STATUS: 110}  # the unit, last, takes the rest


class StaffPage(QWidget):
    """Every person on the three teams, found by name, pinyin initials, phone or the end of the ID number.

    *source* stands in for the database (tests use it to count what the model asks for).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 source: StaffSource | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._unit_id: str | None = None
        self._stale = False  # the data changed while hidden
        self._filter_pending = True  # the filter changed while hidden (at first: no query yet)
        self._changes_seen = 0
        self._restore: tuple[str | None, int] | None = None  # (current person, top row) kept over a refresh

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search: name, pinyin initials, phone, last digits of ID number"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)

        self.role_combo = QComboBox(self)
        self.role_combo.addItem(self.tr("All posts"), None)
        for code, label in codes.ROLE.items():
            self.role_combo.addItem(label, code)

        self.status_combo = QComboBox(self)
        self.status_combo.addItem(self.tr("On the team"), "active")
        self.status_combo.addItem(self.tr("Left the team"), "left")
        self.status_combo.addItem(self.tr("Everyone"), "all")

        self.certificate_combo = QComboBox(self)
        self.certificate_combo.addItem(self.tr("Any certificate"), None)
        self.certificate_combo.addItem(self.tr("With a valid certificate"), True)
        self.certificate_combo.addItem(self.tr("Without a valid certificate"), False)

        self.count_label = QLabel(self)
        # Wide enough for any count, so a new count never re-lays out the row (and the search box).
        self.count_label.setMinimumWidth(
            self.count_label.fontMetrics().horizontalAdvance(self.tr("{0} people").format("000,000")) + 12)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.add_button = QPushButton(self.tr("Add person"), self)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter_now)
        self._busy_hint = QTimer(self)
        self._busy_hint.setSingleShot(True)
        self._busy_hint.setInterval(BUSY_HINT_MS)
        self._busy_hint.timeout.connect(lambda: self.count_label.setText(self.tr("Searching…")))

        # The model's signals are connected before the view sorts it: with Job.inline (tests) the
        # first query answers at once.
        self.model = StaffTableModel(source or ContextSource(ctx), self)
        self.model.modelReset.connect(self._on_reset)
        self.model.loaded.connect(self._show_count)
        self.model.busy_changed.connect(self._on_busy)
        self.model.failed.connect(self._on_failed)
        self.table = QTableView(self)
        self._setup_table()

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.role_combo)
        top.addWidget(self.status_combo)
        top.addWidget(self.certificate_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.apply_filter_now)
        for combo in (self.role_combo, self.status_combo, self.certificate_combo):
            combo.currentIndexChanged.connect(self.apply_filter_now)
        self.table.activated.connect(self._on_activated)  # double-click and Enter
        self.add_button.clicked.connect(lambda: self.open_person(None))
        ctx.changed.connect(self._on_data_changed)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Fixed row heights, no per-row size hints: the view never asks for rows it does not paint.
        rows = table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, width in _COLUMN_WIDTHS.items():
            table.setColumnWidth(column, width)
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._keep_indicator_on_sortable)

    # -- public ------------------------------------------------------------------------------------

    def select_unit(self, unit_id: str | None) -> None:
        """Show the people of *unit_id* and the units below it (None: everyone)."""
        self._unit_id = unit_id
        self.apply_filter_now()

    def refresh(self) -> None:
        """Query again, forgetting cached rows (the data changed); the current person and the scroll
        position stay where they were."""
        self._stale = self._filter_pending = False
        current = self.table.currentIndex()
        self._restore = (self.model.person_id(current.row()) if current.isValid() else None,
                         max(self.table.rowAt(0), 0))
        self.model.refresh(self.current_filter())

    def current_filter(self) -> StaffFilter:
        return StaffFilter(text=self.search.text(), role=self.role_combo.currentData(), unit_id=self._unit_id,
                           status=self.status_combo.currentData(),
                           has_valid_certificate=self.certificate_combo.currentData())

    def apply_filter_now(self) -> None:
        """Apply the search box and filters now (typing applies them after a short pause)."""
        self._debounce.stop()
        if not self.isVisible():
            self._filter_pending = True
            return
        self._filter_pending = False
        self.model.set_filter(self.current_filter())

    def open_person(self, person_id: str | None) -> None:
        """Open the person editor (another area of the program) if it is installed; else do nothing."""
        try:
            from remoteedu_desktop.ui.staff.person_editor import PersonEditorDialog
        except ModuleNotFoundError as exc:
            if exc.name in _EDITOR_MODULES:
                return
            raise
        seen = self._changes_seen
        dialog = PersonEditorDialog(self.ctx, person_id, self)
        if dialog.exec() and self._changes_seen == seen:  # saved, but nobody announced it
            self.refresh()

    # -- reactions ---------------------------------------------------------------------------------

    def _on_reset(self) -> None:
        """A new list starts at its top; a refreshed one keeps the clerk's place."""
        restore, self._restore = self._restore, None
        if restore is None:
            self.table.scrollToTop()
            return
        person_id, top_row = restore

        def again() -> None:  # after the view has laid out the new rows
            model = self.model
            if top_row < model.rowCount():
                self.table.scrollTo(model.index(top_row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
            row = model.row_of(person_id) if person_id else -1
            if row >= 0:
                self.table.setCurrentIndex(model.index(row, COL_NAME))

        QTimer.singleShot(0, self, again)

    def _show_count(self, count: int) -> None:
        self._busy_hint.stop()
        self.count_label.setText(self.tr("{0} people").format(QLocale().toString(count)))

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self._busy_hint.start()
        else:
            self._busy_hint.stop()
            self._show_count(self.model.rowCount())

    def _on_failed(self, message: str) -> None:
        self.count_label.setText(self.tr("Could not read the list: {0}").format(message))

    def _on_activated(self, index: QModelIndex) -> None:
        person_id = self.model.person_id(index.row())
        if person_id is not None:
            self.open_person(person_id)

    def _on_data_changed(self, area: str) -> None:
        if area not in REFRESH_AREAS:
            return
        self._changes_seen += 1
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def _keep_indicator_on_sortable(self, column: int, order: Qt.SortOrder) -> None:
        if not self.model.is_sortable(column):  # ID number and phone: masked, not sortable
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column, self.model.sort_order)
            header.blockSignals(False)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()
        elif self._filter_pending:
            self.apply_filter_now()
