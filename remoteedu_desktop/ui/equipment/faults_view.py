"""Fault tickets of the sites (R9): the ticket list with its status, technician and age, the dialogs of a
ticket's life (report, assign, resolve, close, reopen), and the year's figures per technician and per site
(response, repair, downtime, open faults).

The org tree's unit narrows both tabs. Open tickets come first, oldest first; an open fault older than
:data:`LATE_DAYS` days shows its age in red. Close asks first; the other actions open a dialog.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...services import faults
from ...services.faults import FaultFigures, FaultFilter, FaultRow, FaultStatistics
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..staff.post_dialogs import ConfirmFn, RunDialogFn, ask_confirmation, exec_dialog
from ..tables import fit_columns, sortable_rows_table
from .common import (
    FAIL_COLOUR,
    HINT_STYLE,
    LATE_DAYS,
    MUTED_COLOUR,
    OK_COLOUR,
    ROW_ROLE,
    SORT_ROLE,
    WARN_COLOUR,
    Column,
    FormDialog,
    RowsModel,
    error_text,
    hours_text,
    show_message,
    stamp_text,
)
from .fault_dialogs import AssignDialog, ReopenDialog, ReportFaultDialog, ResolveDialog

REFRESH_AREAS = frozenset({"faults", "equipment", "units", "posts", "people"})
TAB_TICKETS, TAB_STATISTICS = range(2)
(F_REPORTED, F_SITE, F_EQUIPMENT, F_DESCRIPTION, F_STATUS, F_AGE, F_TECHNICIAN, F_REPORTED_BY, F_ASSIGNED,
 F_RESOLVED, F_RESPONSE, F_DOWNTIME) = range(12)
(S_NAME, S_UNIT, S_TICKETS, S_RESOLVED, S_MEAN_RESPONSE, S_MAX_RESPONSE, S_MEAN_REPAIR, S_DOWNTIME, S_OPEN,
 S_OLDEST) = range(10)
UNRESOLVED_FILTER = "unresolved"


def _status_colour(row: FaultRow) -> str | None:
    colours = {"open": FAIL_COLOUR, "assigned": WARN_COLOUR, "resolved": OK_COLOUR, "closed": MUTED_COLOUR}
    return colours.get(row.status)


def _age_colour(row: FaultRow) -> str | None:
    return FAIL_COLOUR if row.age_days is not None and row.age_days > LATE_DAYS else None


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def fault_columns() -> list[Column[FaultRow]]:
    titles = (QCoreApplication.translate("Equipment", "Reported"),
              QCoreApplication.translate("Equipment", "Site"),
              QCoreApplication.translate("Equipment", "Equipment"),
              QCoreApplication.translate("Equipment", "Fault"),
              QCoreApplication.translate("Equipment", "Status"),
              QCoreApplication.translate("Equipment", "Age (days)"),
              QCoreApplication.translate("Equipment", "Technician"),
              QCoreApplication.translate("Equipment", "Reported by"),
              QCoreApplication.translate("Equipment", "Assigned"),
              QCoreApplication.translate("Equipment", "Resolved"),
              QCoreApplication.translate("Equipment", "Response (h)"),
              QCoreApplication.translate("Equipment", "Downtime (h)"))
    status_order = list(codes.FAULT_STATUS)
    return [
        Column(titles[F_REPORTED], lambda r: stamp_text(r.reported_at), centered=True),
        Column(titles[F_SITE], lambda r: r.site),
        Column(titles[F_EQUIPMENT], lambda r: r.equipment),
        Column(titles[F_DESCRIPTION], lambda r: _first_line(r.description), tooltip=lambda r: r.description),
        Column(titles[F_STATUS], lambda r: r.status_label, centered=True, colour=_status_colour,
               sort=lambda r: status_order.index(r.status) if r.status in status_order else 9),
        Column(titles[F_AGE], lambda r: "" if r.age_days is None else str(r.age_days),
               sort=lambda r: r.age_days, centered=True, colour=_age_colour),
        Column(titles[F_TECHNICIAN], lambda r: r.technician),
        Column(titles[F_REPORTED_BY], lambda r: r.reported_by),
        Column(titles[F_ASSIGNED], lambda r: stamp_text(r.assigned_at), centered=True),
        Column(titles[F_RESOLVED], lambda r: stamp_text(r.resolved_at), centered=True,
               tooltip=lambda r: r.resolution or stamp_text(r.resolved_at)),
        Column(titles[F_RESPONSE], lambda r: hours_text(r.response_hours), sort=lambda r: r.response_hours,
               centered=True),
        Column(titles[F_DOWNTIME], lambda r: hours_text(r.downtime_hours), sort=lambda r: r.downtime_hours,
               centered=True),
    ]


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def figure_columns(name_title: str, unit_title: str) -> list[Column[FaultFigures]]:
    titles = (QCoreApplication.translate("Equipment", "Tickets"),
              QCoreApplication.translate("Equipment", "Resolved"),
              QCoreApplication.translate("Equipment", "Mean response (h)"),
              QCoreApplication.translate("Equipment", "Longest response (h)"),
              QCoreApplication.translate("Equipment", "Mean repair (h)"),
              QCoreApplication.translate("Equipment", "Downtime (h)"),
              QCoreApplication.translate("Equipment", "Open"),
              QCoreApplication.translate("Equipment", "Oldest open (days)"))
    return [
        Column(name_title, lambda f: f.name),
        Column(unit_title, lambda f: f.unit),
        Column(titles[0], lambda f: str(f.tickets), sort=lambda f: f.tickets, centered=True),
        Column(titles[1], lambda f: str(f.resolved), sort=lambda f: f.resolved, centered=True),
        Column(titles[2], lambda f: hours_text(f.mean_response_hours), sort=lambda f: f.mean_response_hours,
               centered=True),
        Column(titles[3], lambda f: hours_text(f.max_response_hours), sort=lambda f: f.max_response_hours,
               centered=True),
        Column(titles[4], lambda f: hours_text(f.mean_repair_hours), sort=lambda f: f.mean_repair_hours,
               centered=True),
        Column(titles[5], lambda f: hours_text(f.downtime_hours), sort=lambda f: f.downtime_hours,
               centered=True),
        Column(titles[6], lambda f: str(f.open), sort=lambda f: f.open, centered=True,
               colour=lambda f: WARN_COLOUR if f.open else None),
        Column(titles[7], lambda f: _count(f.oldest_open_days), sort=lambda f: f.oldest_open_days,
               centered=True,
               colour=lambda f: FAIL_COLOUR if (f.oldest_open_days or 0) > LATE_DAYS else None),
    ]


class StatisticsPanel(QWidget):
    """The year's figures per technician and per site (R9), for the tickets reported that year."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id: str | None = None
        self.now: dt.datetime | None = None
        self.statistics: FaultStatistics | None = None
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(dt.date.today().year)
        self.total_label = QLabel(self)
        self.total_label.setWordWrap(True)
        self.hint = QLabel(self.tr("Tickets reported in the year. Response: reported → assigned; repair: "
                                   "assigned → resolved; downtime: reported → resolved, faults still open "
                                   "counted to now."), self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.message = QLabel(self)
        self.message.hide()
        self.technician_model: RowsModel[FaultFigures] = RowsModel(
            figure_columns(self.tr("Technician"), self.tr("Post at")), self)
        self.site_model: RowsModel[FaultFigures] = RowsModel(
            figure_columns(self.tr("Site"), self.tr("Township")), self)
        self.technician_proxy, self.technician_table = sortable_rows_table(self, self.technician_model,
                                                                           SORT_ROLE)
        self.site_proxy, self.site_table = sortable_rows_table(self, self.site_model, SORT_ROLE)
        for table in (self.technician_table, self.site_table):
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Year"), self))
        top.addWidget(self.year_spin)
        top.addSpacing(12)
        top.addWidget(self.total_label, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for caption, table in ((self.tr("Per technician"), self.technician_table),
                               (self.tr("Per site"), self.site_table)):
            box = QWidget(splitter)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 4, 0, 0)
            title = QLabel(caption, box)
            title.setStyleSheet("font-weight: bold;")
            inner.addWidget(title)
            table.setParent(box)
            inner.addWidget(table, 1)
            splitter.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.year_spin.valueChanged.connect(lambda _year: self.refresh())

    def refresh(self) -> None:
        try:
            with self.ctx.session() as session:
                stats = faults.year_statistics(session, self.year_spin.value(), unit_id=self.unit_id,
                                               now=self.now)
        except Exception as exc:
            show_message(self.message, error_text(exc), error=True)
            return
        show_message(self.message, "")
        self.statistics = stats
        self.technician_model.set_rows(stats.by_technician)
        self.site_model.set_rows(stats.by_site)
        for table in (self.technician_table, self.site_table):
            fit_columns(table, ((S_NAME, 220), (S_UNIT, 160)))
        t = stats.total
        self.total_label.setText(self.tr("{0} tickets, {1} resolved, {2} open; mean response {3} h, "
                                         "mean repair {4} h, downtime {5} h").format(
            t.tickets, t.resolved, t.open, hours_text(t.mean_response_hours) or "–",
            hours_text(t.mean_repair_hours) or "–", hours_text(t.downtime_hours)))


class FaultsView(RefreshingWidget):
    """Tickets and figures of the sites under the selected unit."""

    refresh_areas = REFRESH_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.confirm: ConfirmFn = ask_confirmation
        self.now: dt.datetime | None = None  # tests fix the time
        self.unit_id: str | None = None
        self.last_dialog: QDialog | None = None
        self._stale = True

        self.status_combo = QComboBox(self)
        self.status_combo.addItem(self.tr("All tickets"), None)
        self.status_combo.addItem(self.tr("Not resolved yet"), UNRESOLVED_FILTER)
        for key, label in codes.FAULT_STATUS.items():
            self.status_combo.addItem(label, key)
        self.technician_combo = QComboBox(self)
        self.technician_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.technician_combo.addItem(self.tr("All technicians"), None)
        self.age_spin = QSpinBox(self)
        self.age_spin.setRange(0, 3650)
        self.age_spin.setSpecialValueText(self.tr("any age"))
        self.age_spin.setSuffix(self.tr(" days or more"))
        self.age_spin.setToolTip(self.tr("Only tickets not resolved yet, reported at least this many days "
                                         "ago"))
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Site, equipment, fault, person"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(260)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)
        self.report_button = QPushButton(self.tr("Report a fault…"), self)
        self.assign_button = QPushButton(self.tr("Assign…"), self)
        self.resolve_button = QPushButton(self.tr("Resolved…"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.reopen_button = QPushButton(self.tr("Reopen…"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet(HINT_STYLE)
        self.model: RowsModel[FaultRow] = RowsModel(fault_columns(), self)
        self.proxy, self.table = sortable_rows_table(self, self.model, SORT_ROLE)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.statistics = StatisticsPanel(ctx, self)

        tickets = QWidget(self)
        filters = QHBoxLayout()
        for caption, widget in ((self.tr("Status"), self.status_combo),
                                (self.tr("Technician"), self.technician_combo),
                                (self.tr("Open for"), self.age_spin)):
            filters.addWidget(QLabel(caption, tickets))
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addWidget(self.search_edit, 1)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        actions = QHBoxLayout()
        actions.addWidget(self.report_button)
        actions.addSpacing(12)
        for button in (self.assign_button, self.resolve_button, self.close_button, self.reopen_button):
            actions.addWidget(button)
        actions.addStretch(1)
        inner = QVBoxLayout(tickets)
        inner.addLayout(filters)
        inner.addLayout(actions)
        inner.addWidget(self.message)
        inner.addWidget(self.table, 1)
        inner.addWidget(self.detail)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(tickets, self.tr("Tickets"))
        self.tabs.addTab(self.statistics, self.tr("Response and downtime"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.status_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.technician_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.age_spin.valueChanged.connect(lambda _v: self.reload())
        self.search_edit.textChanged.connect(lambda _t: self.reload())
        self.report_button.clicked.connect(lambda _checked=False: self.report())
        self.assign_button.clicked.connect(lambda _checked=False: self.assign())
        self.resolve_button.clicked.connect(lambda _checked=False: self.resolve())
        self.close_button.clicked.connect(lambda _checked=False: self.close_ticket())
        self.reopen_button.clicked.connect(lambda _checked=False: self.reopen())
        self.table.doubleClicked.connect(lambda _index: self._next_step())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._selection_changed())
        self.tabs.currentChanged.connect(lambda _i: self._refresh_statistics())
        ctx.changed.connect(self._on_data_changed)
        self._selection_changed()

    # -- loading -----------------------------------------------------------------------------------

    def select_unit(self, unit_id: str | None) -> None:
        self.unit_id = unit_id
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        """Reload after a data change: the technicians offered, the tickets, the figures."""
        self._stale = False
        try:
            with self.ctx.session() as session:
                everything = faults.faults(session, FaultFilter(unit_id=self.unit_id), now=self.now)
        except Exception as exc:
            everything = []
            self._say(error_text(exc), error=True)
        self._fill_technicians({r.technician_id: r.technician for r in everything if r.technician_id})
        self.reload()
        self._refresh_statistics()

    def _refresh_statistics(self) -> None:
        self.statistics.unit_id = self.unit_id
        self.statistics.now = self.now
        if self.tabs.currentIndex() == TAB_STATISTICS or self.statistics.statistics is not None:
            self.statistics.refresh()

    def current_filter(self) -> FaultFilter:
        status = self.status_combo.currentData()
        age = self.age_spin.value()
        return FaultFilter(status=status if status != UNRESOLVED_FILTER else None,
                           open_only=status == UNRESOLVED_FILTER, unit_id=self.unit_id,
                           technician_id=self.technician_combo.currentData(),
                           min_age_days=age if age > 0 else None, text=self.search_edit.text())

    def reload(self) -> None:
        selected = self.current_row()
        try:
            with self.ctx.session() as session:
                rows = faults.faults(session, self.current_filter(), now=self.now)
        except Exception as exc:
            rows = []
            self._say(error_text(exc), error=True)
        self.model.set_rows(rows)
        fit_columns(self.table, ((F_SITE, 200), (F_EQUIPMENT, 220), (F_DESCRIPTION, 240),
                                 (F_TECHNICIAN, 100)))
        unresolved = sum(1 for r in rows if r.unresolved)
        self.count_label.setText(self.tr("{0} tickets, {1} not resolved").format(len(rows), unresolved))
        if selected is not None:
            self.select_id(selected.id)
        self._selection_changed()

    def _fill_technicians(self, technicians: dict[str, str]) -> None:
        current = self.technician_combo.currentData()
        self.technician_combo.blockSignals(True)
        self.technician_combo.clear()
        self.technician_combo.addItem(self.tr("All technicians"), None)
        for person_id, name in sorted(technicians.items(), key=lambda kv: (kv[1], kv[0])):
            self.technician_combo.addItem(name, person_id)
        index = self.technician_combo.findData(current) if current else 0
        self.technician_combo.setCurrentIndex(max(index, 0))
        self.technician_combo.blockSignals(False)

    # -- selection ---------------------------------------------------------------------------------

    def rows(self) -> list[FaultRow]:
        return [self.proxy.data(self.proxy.index(n, 0), ROW_ROLE) for n in range(self.proxy.rowCount())]

    def current_row(self) -> FaultRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.proxy.data(indexes[0], ROW_ROLE) if indexes else None

    def select_id(self, ticket_id: str) -> bool:
        for n in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(n, 0), ROW_ROLE).id == ticket_id:
                self.table.selectRow(n)
                return True
        return False

    def _selection_changed(self) -> None:
        row = self.current_row()
        status = row.status if row is not None else ""
        self.assign_button.setEnabled(status in faults.ALLOWED_FROM["assign"])
        self.assign_button.setText(self.tr("Reassign…") if status == "assigned" else self.tr("Assign…"))
        self.resolve_button.setEnabled(status in faults.ALLOWED_FROM["resolve"])
        self.close_button.setEnabled(status in faults.ALLOWED_FROM["close"])
        self.reopen_button.setEnabled(status in faults.ALLOWED_FROM["reopen"])
        self.detail.setText(self._detail_text(row) if row is not None else "")
        self.detail.setVisible(row is not None)

    def _detail_text(self, row: FaultRow) -> str:
        lines = [self.tr("Fault: {0}").format(row.description.replace("\n", "；"))]
        if row.resolution:
            lines.append(self.tr("Resolution: {0}").format(row.resolution))
        return "\n".join(lines)

    # -- actions -----------------------------------------------------------------------------------

    def _run(self, dialog: FormDialog, done: str) -> FormDialog:
        self.last_dialog = dialog
        self.run_dialog(dialog)
        if dialog.result() == QDialog.DialogCode.Accepted and dialog.result_row is not None:
            row: FaultRow = dialog.result_row
            self.refresh()
            if not self.select_id(row.id):
                self.status_combo.setCurrentIndex(0)
                self.age_spin.setValue(0)
                self.search_edit.clear()
                self.select_id(row.id)
            self._say(done.format(row.site, row.status_label, row.technician))
        return dialog

    def report(self) -> FormDialog:
        dialog = ReportFaultDialog(self.ctx, unit_id=self.unit_id, parent=self, now=self.now)
        return self._run(dialog, self.tr("Fault at {0} recorded: {1}"))

    def assign(self) -> FormDialog | None:
        row = self.current_row()
        if row is None or row.status not in faults.ALLOWED_FROM["assign"]:
            return None
        dialog = AssignDialog(self.ctx, row, parent=self, now=self.now)
        return self._run(dialog, self.tr("Fault at {0} {1}: {2}"))

    def resolve(self) -> FormDialog | None:
        row = self.current_row()
        if row is None or row.status not in faults.ALLOWED_FROM["resolve"]:
            return None
        dialog = ResolveDialog(self.ctx, row, parent=self, now=self.now)
        return self._run(dialog, self.tr("Fault at {0} {1} by {2}"))

    def reopen(self) -> FormDialog | None:
        row = self.current_row()
        if row is None or row.status not in faults.ALLOWED_FROM["reopen"]:
            return None
        dialog = ReopenDialog(self.ctx, row, parent=self, now=self.now)
        return self._run(dialog, self.tr("Fault at {0} reopened, back with {2}"))

    def close_ticket(self) -> bool:
        row = self.current_row()
        if row is None:
            return False
        question = self.tr("Close the ticket of {0} ({1})? The site has confirmed the repair.").format(
            row.site, _first_line(row.description))
        if not self.confirm(self, self.tr("Close the ticket"), question):
            return False
        try:
            with self.ctx.session() as session:
                faults.close_fault(session, row.id, now=self.now)
        except Exception as exc:
            self._say(error_text(exc), error=True)
            return False
        self.ctx.notify("faults")
        self.refresh()
        self.select_id(row.id)
        self._say(self.tr("Ticket of {0} closed").format(row.site))
        return True

    def _next_step(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if row.status == "open":
            self.assign()
        elif row.status == "assigned":
            self.resolve()

    def _say(self, text: str, *, error: bool = False) -> None:
        show_message(self.message, text, error=error)

