"""The training page (R6–R8): plans with their R6 warnings, one plan's detail and sessions, a calendar
of every session, and per-unit coverage.

Tab "Plans": the plan list (year filter, search) on the left; on the right the selected plan's fields,
its R6 warnings in red, its sessions and the clashes among them (an enrolled person or an instructor in
two sessions at once). Tab "Calendar": :class:`SessionCalendar`; double-clicking an entry opens its plan
here. Tab "Coverage": ``CoverageView`` of the unit chosen in the org tree.

Enrolment, the attendance grid and coverage are written in ``ui/enrolment``; they are imported when
first used so this page works without them. Child dialogs run through ``self.run_dialog``, questions
through ``self.confirm`` and the file chooser through ``self.choose_save_path``, so tests drive
everything without a modal loop.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services import training_plans, training_print
from ...services.progress import Progress
from ...services.training_plans import Clash, PlanInfo, SessionInfo
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..staff.post_dialogs import (
    ERROR_STYLE,
    HINT_STYLE,
    OK_STYLE,
    ConfirmFn,
    RunDialogFn,
    ask_confirmation,
    exec_dialog,
)
from ..tables import fit_columns, select_row_with
from ..worker import Job, run_with_progress
from .calendar_view import SessionCalendar
from .common import SavePathFn, choose_save_path, error_text, hours_label, target_level_label
from .plan_editor import PlanEditorDialog
from .session_editor import SessionEditorDialog

REFRESH_AREAS = frozenset({"training", "people", "posts", "units"})
WARNING_COLOR = QColor("#c62828")
(COL_YEAR, COL_TITLE, COL_ORGANIZER, COL_TARGET, COL_KIND, COL_MODE, COL_SESSIONS,
 COL_ENROLLED) = range(8)
S_DATE, S_TIME, S_PLACE, S_HOURS, S_INSTRUCTOR = range(5)
PLAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SESSION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ENROLMENT_PACKAGE = "remoteedu_desktop.ui.enrolment"
TAB_PLANS, TAB_CALENDAR, TAB_COVERAGE = range(3)


def enrolment_widget(name: str) -> Any | None:
    """A class exported by ``ui/enrolment`` (EnrolDialog, AttendanceGridDialog, CoverageView), or None while
    that package (or a module of it) is not in this build; any other import error is a bug and propagates."""
    try:
        package = importlib.import_module(ENROLMENT_PACKAGE)
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith(ENROLMENT_PACKAGE):
            return None
        raise
    return getattr(package, name, None)


def file_name(text: str) -> str:
    """*text* made safe as a file name on Windows."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "plan"


class PlanDetailPanel(QWidget):
    """One plan: its fields, R6 warnings, sessions (with their buttons) and clashes."""

    def __init__(self, page: TrainingPage) -> None:
        super().__init__(page)
        self.page = page
        self.plan: PlanInfo | None = None
        self.sessions: list[SessionInfo] = []
        self.clashes: list[Clash] = []

        self.hint = QLabel(self.tr("Select a plan to see its sessions, or add a new plan."), self)
        self.hint.setStyleSheet(HINT_STYLE)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        self.facts: dict[str, QLabel] = {}
        facts = QGridLayout()
        facts.setColumnStretch(1, 1)
        facts.setHorizontalSpacing(10)
        facts.setVerticalSpacing(2)
        captions = [("organizer", self.tr("Organizer")), ("target", self.tr("Trains")),
                    ("kind", self.tr("Kind and mode")), ("topics", self.tr("Content (R7)")),
                    ("hours", self.tr("Hours")), ("dates", self.tr("Dates")), ("people", self.tr("Enrolled")),
                    ("notes", self.tr("Notes"))]
        self.fact_captions: dict[str, QLabel] = {}
        for row, (key, caption) in enumerate(captions):
            label = QLabel(caption, self)
            label.setStyleSheet(HINT_STYLE)
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            facts.addWidget(value, row, 1)
            self.facts[key] = value
            self.fact_captions[key] = label
        self.warnings_label = self._red_label()
        self.ok_label = QLabel(self.tr("✓ Organizer and target follow R6."), self)
        self.ok_label.setStyleSheet(OK_STYLE)

        self.sessions_caption = QLabel(self)
        self.sessions_caption.setStyleSheet("font-weight: bold;")
        self.sessions_table = QTableWidget(0, 5, self)
        self.sessions_table.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Time"), self.tr("Place"),
                                                       self.tr("Hours"), self.tr("Instructor")])
        self.sessions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sessions_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sessions_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sessions_table.verticalHeader().hide()
        self.sessions_table.setAlternatingRowColors(True)
        self.sessions_table.setWordWrap(False)
        header = self.sessions_table.horizontalHeader()
        for column in (S_DATE, S_TIME, S_HOURS, S_INSTRUCTOR):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(S_PLACE, QHeaderView.ResizeMode.Stretch)  # the long one takes the rest
        self.sessions_table.setMinimumHeight(150)
        self.add_session_button = QPushButton(self.tr("Add session…"), self)
        self.edit_session_button = QPushButton(self.tr("Edit session…"), self)
        self.delete_session_button = QPushButton(self.tr("Delete session…"), self)
        self.sign_in_button = QPushButton(self.tr("Print sign-in sheets…"), self)
        self.sign_in_button.setToolTip(self.tr("The selected session's sheet, or every session's when none is "
                                               "selected"))
        session_buttons = QHBoxLayout()
        for button in (self.add_session_button, self.edit_session_button, self.delete_session_button):
            session_buttons.addWidget(button)
        session_buttons.addStretch(1)
        session_buttons.addWidget(self.sign_in_button)
        self.clash_label = self._red_label()

        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addLayout(facts)
        body.addWidget(self.warnings_label)
        body.addWidget(self.ok_label)
        body.addSpacing(6)
        body.addWidget(self.sessions_caption)
        body.addWidget(self.sessions_table, 1)
        body.addLayout(session_buttons)
        body.addWidget(self.clash_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.hint)
        layout.addWidget(self.body, 1)

        self.add_session_button.clicked.connect(lambda _checked=False: page.add_session())
        self.edit_session_button.clicked.connect(lambda _checked=False: page.edit_session())
        self.delete_session_button.clicked.connect(lambda _checked=False: page.delete_session())
        self.sign_in_button.clicked.connect(lambda _checked=False: page.print_sign_in_sheets())
        self.sessions_table.doubleClicked.connect(lambda _index: page.edit_session())
        self.sessions_table.itemSelectionChanged.connect(self._update_buttons)
        self.show_plan(None, [], [])

    def _red_label(self) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        return label

    def show_plan(self, plan: PlanInfo | None, sessions: list[SessionInfo], clashes: list[Clash]) -> None:
        previous = self.selected_session_id()
        self.plan, self.sessions, self.clashes = plan, sessions, clashes
        self.hint.setVisible(plan is None)
        self.body.setVisible(plan is not None)
        if plan is None:
            self.sessions_table.setRowCount(0)
            self._update_buttons()
            return
        self.title.setText(plan.title)
        dates = " – ".join(d.isoformat() for d in (plan.start_date, plan.end_date) if d)
        values = {
            "organizer": plan.organizer_label,
            "target": f"{plan.target_role_label}（{target_level_label(plan.target_level)}）",
            "kind": f"{plan.kind_label} · {plan.mode_label}",
            "topics": "、".join(plan.topic_labels),
            "hours": self.tr("{0} planned hours · pass mark {1}").format(hours_label(plan.planned_hours),
                                                                         hours_label(plan.pass_mark)),
            "dates": dates or self.tr("not set"),
            "people": self.tr("{0} people").format(plan.enrolled_count),
            "notes": plan.notes or "",
        }
        for key, value in values.items():
            self.facts[key].setText(value)
        for key in ("notes",):
            self.facts[key].setVisible(bool(values[key]))
            self.fact_captions[key].setVisible(bool(values[key]))
        self.warnings_label.setText("\n".join("⚠ " + w.text() for w in plan.warnings))
        self.warnings_label.setVisible(bool(plan.warnings))
        self.ok_label.setVisible(not plan.warnings)

        total = sum(s.hours for s in sessions)
        self.sessions_caption.setText(self.tr("Sessions: {0}, {1} hours").format(len(sessions), hours_label(total)))
        clashing = {info.id for clash in clashes for info in (clash.first, clash.second)}
        table = self.sessions_table
        table.setRowCount(len(sessions))
        for row, info in enumerate(sessions):
            cells = [info.date.isoformat(), info.time_label, info.place or "", hours_label(info.hours),
                     info.instructor_label]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(SESSION_ID_ROLE, info.id)
                if info.id in clashing:
                    item.setForeground(QBrush(WARNING_COLOR))
                if column == S_HOURS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, column, item)
        self.select_session(previous)
        self.clash_label.setText("\n".join("⚠ " + clash.text() for clash in clashes))
        self.clash_label.setVisible(bool(clashes))
        self._update_buttons()

    def selected_session_id(self) -> str | None:
        rows = self.sessions_table.selectionModel().selectedRows() if self.sessions_table.selectionModel() else []
        if not rows:
            return None
        value = rows[0].data(SESSION_ID_ROLE)
        return str(value) if value else None

    def select_session(self, session_id: str | None) -> None:
        self.sessions_table.clearSelection()
        for row in range(self.sessions_table.rowCount()):
            item = self.sessions_table.item(row, 0)
            if session_id is not None and item is not None and item.data(SESSION_ID_ROLE) == session_id:
                self.sessions_table.selectRow(row)
                break

    def _update_buttons(self) -> None:
        has_plan = self.plan is not None
        has_session = self.selected_session_id() is not None
        self.add_session_button.setEnabled(has_plan)
        self.edit_session_button.setEnabled(has_session)
        self.delete_session_button.setEnabled(has_session)
        self.sign_in_button.setEnabled(has_plan and bool(self.sessions))


class TrainingPage(RefreshingWidget):
    """Plans, sessions, calendar and coverage (R6–R8)."""

    refresh_areas = REFRESH_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.confirm: ConfirmFn = ask_confirmation
        self.choose_save_path: SavePathFn = choose_save_path
        self._plans: list[PlanInfo] = []
        self._plan_id: str | None = None
        self._unit_id: str | None = None
        self._stale = False
        self._calendar_stale = self._coverage_stale = False
        self.coverage: QWidget | None = None
        self.print_job: Job | None = None
        self.last_printed: Path | None = None

        self.new_button = QPushButton(self.tr("New plan…"), self)
        self.edit_button = QPushButton(self.tr("Edit plan…"), self)
        self.delete_button = QPushButton(self.tr("Delete plan…"), self)
        self.enrol_button = QPushButton(self.tr("Enrol…"), self)
        self.enrol_button.setToolTip(self.tr("Enrol people by filters or one by one (R8)"))
        self.attendance_button = QPushButton(self.tr("Attendance && scores…"), self)
        self.roster_button = QPushButton(self.tr("Print roster…"), self)
        self.year_combo = QComboBox(self)
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search plans"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(260)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        toolbar = QHBoxLayout()
        for widget in (self.new_button, self.edit_button, self.delete_button):
            toolbar.addWidget(widget)
        toolbar.addSpacing(12)
        for widget in (self.enrol_button, self.attendance_button, self.roster_button):
            toolbar.addWidget(widget)
        toolbar.addStretch(1)
        toolbar.addWidget(self.count_label)

        self.model = QStandardItemModel(0, 8, self)
        self.model.setHorizontalHeaderLabels([
            self.tr("Year"), self.tr("Title"), self.tr("Organizer"), self.tr("Trains"), self.tr("Kind"),
            self.tr("Mode"), self.tr("Sessions"), self.tr("Enrolled")])
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order until asked
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Year"), self))
        filters.addWidget(self.year_combo)
        filters.addSpacing(8)
        filters.addWidget(self.search_edit, 1)
        filters.addStretch(0)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)

        self.detail = PlanDetailPanel(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.detail)
        scroll.setMinimumWidth(420)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([780, 540])

        plans_tab = QWidget(self)
        plans_layout = QVBoxLayout(plans_tab)
        plans_layout.addLayout(toolbar)
        plans_layout.addWidget(self.message)
        plans_layout.addWidget(self.splitter, 1)
        self.calendar = SessionCalendar(ctx, self)
        self.coverage_holder = QWidget(self)
        QVBoxLayout(self.coverage_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(plans_tab, self.tr("Plans"))
        self.tabs.addTab(self.calendar, self.tr("Calendar"))
        self.tabs.addTab(self.coverage_holder, self.tr("Coverage"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.new_button.clicked.connect(lambda _checked=False: self.new_plan())
        self.edit_button.clicked.connect(lambda _checked=False: self.edit_plan())
        self.delete_button.clicked.connect(lambda _checked=False: self.delete_plan())
        self.enrol_button.clicked.connect(lambda _checked=False: self.enrol())
        self.attendance_button.clicked.connect(lambda _checked=False: self.attendance())
        self.roster_button.clicked.connect(lambda _checked=False: self.print_roster())
        self.year_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.search_edit.textChanged.connect(lambda _text: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_plan())
        self.calendar.plan_activated.connect(self.select_plan)
        self.tabs.currentChanged.connect(self._tab_changed)
        ctx.changed.connect(self._on_data_changed)
        self.refresh()

    # -- loading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = False
        year = self.year_combo.currentData()
        with self.ctx.session() as session:
            years = sorted({p.year for p in training_plans.list_plans(session)}, reverse=True)
            self._plans = training_plans.list_plans(session, year=int(year) if year else None,
                                                    search=self.search_edit.text().strip())
        self._fill_years(years, year)
        self._fill_table()
        if self._plan_id is not None and all(p.id != self._plan_id for p in self._plans):
            self._plan_id = None
        self._select_row(self._plan_id)
        self._show_plan(self._plan_id)
        with_warnings = sum(1 for p in self._plans if p.warnings)
        self.count_label.setText(self.tr("{0} plans, {1} with R6 warnings").format(len(self._plans), with_warnings))
        # The calendar and coverage query every session / everyone: only the tab in view reloads now.
        self._calendar_stale = self._coverage_stale = True
        self._refresh_tab(self.tabs.currentIndex())

    def _fill_years(self, years: list[int], current: object) -> None:
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(self.tr("All years"), None)
        for year in years:
            self.year_combo.addItem(str(year), year)
        index = self.year_combo.findData(current) if current else 0
        if current and index < 0:  # a year whose last plan went: keep it chosen, it shows nothing
            self.year_combo.addItem(str(current), current)
            index = self.year_combo.count() - 1
        self.year_combo.setCurrentIndex(max(index, 0))
        self.year_combo.blockSignals(False)

    def _fill_table(self) -> None:
        warn_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.removeRows(0, self.model.rowCount())
        for plan in self._plans:
            year = QStandardItem()
            year.setData(plan.year, Qt.ItemDataRole.DisplayRole)
            year.setData(plan.id, PLAN_ID_ROLE)
            title = QStandardItem(plan.title)
            title.setToolTip(plan.title)
            if plan.warnings:
                title.setIcon(warn_icon)
                title.setForeground(QBrush(WARNING_COLOR))
                title.setToolTip("\n".join([plan.title, *(w.text() for w in plan.warnings)]))
            sessions, enrolled = QStandardItem(), QStandardItem()
            sessions.setData(plan.session_count, Qt.ItemDataRole.DisplayRole)
            enrolled.setData(plan.enrolled_count, Qt.ItemDataRole.DisplayRole)
            for item in (year, sessions, enrolled):
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.model.appendRow([year, title, QStandardItem(plan.organizer_label),
                                  QStandardItem(plan.target_role_label), QStandardItem(plan.kind_label),
                                  QStandardItem(plan.mode_label), sessions, enrolled])
        selection.blockSignals(False)
        fit_columns(self.table, ((COL_TITLE, 210), (COL_ORGANIZER, 120), (COL_TARGET, 120)))

    def _select_row(self, plan_id: str | None) -> None:
        select_row_with(self.table, self.model, COL_YEAR, PLAN_ID_ROLE, plan_id)

    def _show_plan(self, plan_id: str | None) -> None:
        plan: PlanInfo | None = None
        sessions: list[SessionInfo] = []
        clashes: list[Clash] = []
        if plan_id is not None:
            try:
                with self.ctx.session() as session:
                    plan = training_plans.get_plan(session, plan_id)
                    sessions = training_plans.list_sessions(session, plan_id)
                    clashes = training_plans.clashes(session, plan_id=plan_id)
            except ValidationError:  # deleted meanwhile
                plan = None
        self._plan_id = plan.id if plan else None
        self.detail.show_plan(plan, sessions, clashes)
        for button in (self.edit_button, self.delete_button, self.enrol_button, self.attendance_button,
                       self.roster_button):
            button.setEnabled(plan is not None)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        plan_id = current.siblingAtColumn(COL_YEAR).data(PLAN_ID_ROLE) if current.isValid() else None
        self._show_plan(plan_id)

    # -- public helpers (the main window, the calendar and tests) ----------------------------------

    def plans(self) -> list[PlanInfo]:
        return list(self._plans)

    def current_plan(self) -> PlanInfo | None:
        return self.detail.plan

    def select_plan(self, plan_id: str) -> None:
        """Show *plan_id* on the plans tab, clearing the filters if they hide it (the calendar's double-click)."""
        self.tabs.setCurrentIndex(TAB_PLANS)
        if all(p.id != plan_id for p in self._plans):
            for widget in (self.year_combo, self.search_edit):
                widget.blockSignals(True)
            self.year_combo.setCurrentIndex(0)
            self.search_edit.clear()
            for widget in (self.year_combo, self.search_edit):
                widget.blockSignals(False)
            self._plan_id = plan_id
            self.refresh()
            return
        self._select_row(plan_id)
        self._show_plan(plan_id)

    def select_unit(self, unit_id: str | None) -> None:
        """The org tree's unit: the coverage tab shows it."""
        self._unit_id = unit_id
        select = getattr(self.coverage, "select_unit", None)
        if callable(select):
            select(unit_id)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- the coverage tab --------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == TAB_COVERAGE and self.coverage is None:
            self.ensure_coverage()
            self._coverage_stale = False  # just made: it loaded itself
        self._refresh_tab(index)

    def _refresh_tab(self, index: int) -> None:
        if index == TAB_CALENDAR and self._calendar_stale:
            self._calendar_stale = False
            self.calendar.refresh()
        elif index == TAB_COVERAGE and self._coverage_stale:
            self._coverage_stale = False
            refresh = getattr(self.coverage, "refresh", None)
            if callable(refresh):
                refresh()

    def ensure_coverage(self) -> QWidget | None:
        """Create the coverage view the first time its tab is shown (it is written in ui/enrolment)."""
        if self.coverage is not None:
            return self.coverage
        layout = self.coverage_holder.layout()
        view_class = enrolment_widget("CoverageView")
        if view_class is None:
            if layout.count() == 0:
                note = QLabel(self.tr("Coverage is not available in this version."), self.coverage_holder)
                note.setStyleSheet(HINT_STYLE)
                note.setAlignment(Qt.AlignmentFlag.AlignCenter)
                layout.addWidget(note)
            return None
        self.coverage = view_class(self.ctx, self.coverage_holder)
        layout.addWidget(self.coverage)
        self.coverage.select_unit(self._unit_id)  # type: ignore[attr-defined]
        return self.coverage

    # -- plans -------------------------------------------------------------------------------------

    def new_plan(self) -> PlanEditorDialog:
        dialog = PlanEditorDialog(self.ctx, None, self)
        self.run_dialog(dialog)
        if dialog.saved is not None:
            self._say(self.tr("Plan “{0}” added.").format(dialog.saved.title))
            self.select_plan(dialog.saved.id)
        return dialog

    def edit_plan(self) -> PlanEditorDialog | None:
        plan = self.current_plan()
        if plan is None:
            return None
        dialog = PlanEditorDialog(self.ctx, plan.id, self)
        self.run_dialog(dialog)
        if dialog.saved is not None:
            self._say(self.tr("Plan “{0}” saved.").format(dialog.saved.title))
            self.select_plan(dialog.saved.id)
        return dialog

    def delete_plan(self) -> bool:
        """Delete the plan shown with its sessions, enrolments and attendance (tombstones, R1)."""
        plan = self.current_plan()
        if plan is None:
            return False
        question = self.tr("Delete the plan “{0}” with its {1} sessions, {2} enrolments and their attendance "
                           "and scores?").format(plan.title, plan.session_count, plan.enrolled_count)
        if not self.confirm(self, self.tr("Delete plan"), question):
            return False
        try:
            with self.ctx.session() as session:
                training_plans.delete_plan(session, plan.id)
        except ValidationError as exc:
            self._say(exc.text(), error=True)
            return False
        self._plan_id = None
        self._say(self.tr("Plan “{0}” deleted.").format(plan.title))
        self.ctx.notify("training")
        self.refresh()
        return True

    # -- sessions ----------------------------------------------------------------------------------

    def add_session(self) -> SessionEditorDialog | None:
        plan = self.current_plan()
        if plan is None:
            return None
        dialog = SessionEditorDialog(self.ctx, plan.id, None, self)
        self._run_session_dialog(dialog)
        return dialog

    def edit_session(self, session_id: str | None = None) -> SessionEditorDialog | None:
        plan = self.current_plan()
        session_id = session_id or self.detail.selected_session_id()
        if plan is None or session_id is None:
            return None
        dialog = SessionEditorDialog(self.ctx, plan.id, session_id, self)
        self._run_session_dialog(dialog)
        return dialog

    def _run_session_dialog(self, dialog: SessionEditorDialog) -> None:
        self.run_dialog(dialog)
        saved = dialog.saved
        if saved is None:
            return
        if dialog.clashes:
            self._say(self.tr("Session of {0} saved, but it clashes with {1} other sessions: see below.").format(
                saved.date.isoformat(), len(dialog.clashes)), error=True)
        else:
            self._say(self.tr("Session of {0} saved.").format(saved.date.isoformat()))
        self._show_plan(saved.plan_id)
        self.detail.select_session(saved.id)
        self.detail._update_buttons()

    def delete_session(self) -> bool:
        session_id = self.detail.selected_session_id()
        info = next((s for s in self.detail.sessions if s.id == session_id), None)
        if info is None:
            return False
        question = self.tr("Delete the session of {0} {1} and its attendance records?").format(
            info.date.isoformat(), info.time_label)
        if not self.confirm(self, self.tr("Delete session"), question):
            return False
        try:
            with self.ctx.session() as session:
                training_plans.delete_session(session, info.id)
        except ValidationError as exc:
            self._say(exc.text(), error=True)
            return False
        self._say(self.tr("Session of {0} deleted.").format(info.date.isoformat()))
        self.ctx.notify("training")
        self.refresh()
        return True

    # -- enrolment and attendance (ui/enrolment) ---------------------------------------------------

    def _run_enrolment_dialog(self, name: str) -> QDialog | None:
        plan = self.current_plan()
        if plan is None:
            return None
        dialog_class = enrolment_widget(name)
        if dialog_class is None:
            self._say(self.tr("This function is not available in this version."), error=True)
            return None
        dialog: QDialog = dialog_class(self.ctx, plan.id, self)
        self.run_dialog(dialog)
        self.refresh()  # the dialog announced its changes; the counts here follow
        return dialog

    def enrol(self) -> QDialog | None:
        return self._run_enrolment_dialog("EnrolDialog")

    def attendance(self) -> QDialog | None:
        return self._run_enrolment_dialog("AttendanceGridDialog")

    # -- printing ----------------------------------------------------------------------------------

    def print_sign_in_sheets(self) -> Job | None:
        """The sign-in sheet of the selected session, or of every session of the plan (R8)."""
        plan = self.current_plan()
        if plan is None:
            return None
        target = self.detail.selected_session_id() or plan.id
        suggested = self.tr("Sign-in sheets {0}.pdf").format(file_name(plan.title))
        return self._print(self.tr("Print sign-in sheets"), suggested,
                           lambda session: training_print.sign_in_sheet_pdf(session, target))

    def print_roster(self) -> Job | None:
        plan = self.current_plan()
        if plan is None:
            return None
        suggested = self.tr("Roster {0}.pdf").format(file_name(plan.title))
        return self._print(self.tr("Print roster"), suggested,
                           lambda session: training_print.plan_roster_pdf(session, plan.id))

    def _print(self, title: str, suggested: str, make: Callable[[Any], bytes]) -> Job | None:
        chosen = self.choose_save_path(self, title, suggested)
        if not chosen:
            return None
        path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        ctx, step_text = self.ctx, self.tr("Preparing the PDF…")

        def work() -> Generator[Progress, None, bytes]:
            yield 0, 1, step_text
            with ctx.session() as session:
                return make(session)

        def done(data: object) -> None:
            try:
                path.write_bytes(data if isinstance(data, bytes) else b"")
            except OSError as exc:
                self._say(self.tr("Nothing was printed. {0}").format(error_text(exc)), error=True)
                return
            self.last_printed = path
            self._say(self.tr("Saved to {0}").format(path))

        def failed(exc: Exception) -> None:
            self._say(self.tr("Nothing was printed. {0}").format(error_text(exc)), error=True)

        self.print_job = run_with_progress(self, title, work, on_done=done, on_error=failed)
        return self.print_job
