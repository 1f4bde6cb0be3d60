"""The certificate register (R11): every number ever issued, searchable, with its status and trail.

The search box (number, name or name initials) queries as the clerk types, after a short pause; the
filters (kind, status, year) and the org tree's unit narrow the list. Several rows can be selected for
one batch print or PDF. Revoke, reissue (补发/换发) and renew open the status dialogs, which show
exactly what will happen before anything is written; renew is for appointment certificates only.
Double-click opens the detail: frozen values, print log, trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from ...services import certificate_register
from ...services.certificate_register import RegisterFilter, RegisterRow
from ...services.progress import Progress
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..staff.post_dialogs import ConfirmFn, RunDialogFn, ask_confirmation, exec_dialog
from ..tables import fit_columns, sortable_rows_table
from ..worker import Job, run_with_progress
from .common import (
    HINT_STYLE,
    ChoosePrinterFn,
    SavePathFn,
    choose_pdf_path,
    choose_printer,
    choose_xlsx_path,
    error_text,
    show_message,
    with_suffix,
)
from .detail_dialog import CertificateDetailDialog
from .output import start_print, start_save
from .preview_dialog import PreviewDialog
from .register_model import (
    R_NAME,
    R_NUMBER,
    R_POST,
    R_REASON,
    R_TRAIL,
    R_UNIT,
    ROW_ROLE,
    SORT_ROLE,
    RegisterModel,
)
from .status_dialogs import ReissueDialog, RenewDialog, RevokeDialog, StatusDialog
from .verify_dialog import VerifyDialog

REFRESH_AREAS = frozenset({"certificates", "people", "units"})
SEARCH_DELAY_MS = 250


class RegisterView(RefreshingWidget):
    refresh_areas = REFRESH_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.confirm: ConfirmFn = ask_confirmation
        self.choose_save_path: SavePathFn = choose_pdf_path
        self.choose_export_path: SavePathFn = choose_xlsx_path
        self.choose_printer: ChoosePrinterFn = choose_printer
        self.today: dt.date | None = None  #: tests fix the day
        self.unit_id: str | None = None
        self.job: Job | None = None
        self.last_dialog: QDialog | None = None
        self._stale = True  # loads when first shown

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search number, name or initials"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        self.search_edit.setMaximumWidth(420)
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(self.tr("All kinds"), None)
        for key, label in codes.CERTIFICATE_KIND.items():
            self.kind_combo.addItem(label, key)
        self.status_combo = QComboBox(self)
        self.status_combo.addItem(self.tr("All statuses"), None)
        for key, label in codes.CERTIFICATE_STATUS.items():
            self.status_combo.addItem(label, key)
        self.year_combo = QComboBox(self)
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year_combo.addItem(self.tr("All years"), None)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)

        self.preview_button = QPushButton(self.tr("Preview…"), self)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.save_button = QPushButton(self.tr("Save as PDF…"), self)
        self.revoke_button = QPushButton(self.tr("Revoke…"), self)
        self.reissue_button = QPushButton(self.tr("Reissue…"), self)
        self.renew_button = QPushButton(self.tr("Renew…"), self)
        self.export_button = QPushButton(self.tr("Export to Excel…"), self)
        self.verify_button = QPushButton(self.tr("Verify code…"), self)
        self.lost_action = QAction(self.tr("补发 — the holder lost it…"), self)
        self.exchange_action = QAction(self.tr("换发 — damaged, or its content changed…"), self)
        reissue_menu = QMenu(self)
        reissue_menu.addAction(self.lost_action)
        reissue_menu.addAction(self.exchange_action)
        self.reissue_button.setMenu(reissue_menu)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.model = RegisterModel(self)
        self.proxy, self.table = sortable_rows_table(self, self.model, SORT_ROLE)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        for caption, combo in ((self.tr("Kind"), self.kind_combo), (self.tr("Status"), self.status_combo),
                               (self.tr("Year"), self.year_combo)):
            filters.addSpacing(6)
            filters.addWidget(QLabel(caption, self))
            filters.addWidget(combo)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        actions = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.save_button):
            actions.addWidget(button)
        actions.addSpacing(12)
        for button in (self.revoke_button, self.reissue_button, self.renew_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_timer.timeout.connect(self.reload)
        for combo in (self.kind_combo, self.status_combo, self.year_combo):
            combo.currentIndexChanged.connect(lambda _index: self.reload())
        self.preview_button.clicked.connect(lambda _checked=False: self.preview())
        self.print_button.clicked.connect(lambda _checked=False: self.print_selected())
        self.save_button.clicked.connect(lambda _checked=False: self.save_selected())
        self.revoke_button.clicked.connect(lambda _checked=False: self.revoke())
        self.lost_action.triggered.connect(lambda _checked=False: self.reissue("lost"))
        self.exchange_action.triggered.connect(lambda _checked=False: self.reissue("exchange"))
        self.renew_button.clicked.connect(lambda _checked=False: self.renew())
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        self.verify_button.clicked.connect(lambda _checked=False: self.verify())
        self.table.doubleClicked.connect(lambda _index: self.show_detail())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        ctx.changed.connect(self._on_data_changed)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------------------

    def current_filter(self) -> RegisterFilter:
        year = self.year_combo.currentData()
        return RegisterFilter(text=self.search_edit.text().strip(), kind=self.kind_combo.currentData(),
                              status=self.status_combo.currentData(), year=int(year) if year else None,
                              unit_id=self.unit_id)

    def refresh(self) -> None:
        """Reload after a data change: the years offered, then the rows."""
        self._stale = False
        try:
            with self.ctx.session() as session:
                everything = certificate_register.register(session, RegisterFilter(unit_id=self.unit_id),
                                                           today=self.today)
        except Exception as exc:
            everything = []
            self._say(error_text(exc), error=True)
        self._fill_years(sorted({r.issue_date.year for r in everything}, reverse=True))
        self.reload()

    def reload(self) -> None:
        """Run the query of the current filter (the search box calls this after its pause)."""
        self.search_timer.stop()
        selected = {r.id for r in self.selected_rows()}
        try:
            with self.ctx.session() as session:
                rows = certificate_register.register(session, self.current_filter(), today=self.today)
        except Exception as exc:
            rows = []
            self._say(error_text(exc), error=True)
        self.model.set_rows(rows)
        fit_columns(self.table, ((R_NAME, 140), (R_UNIT, 220), (R_POST, 180), (R_REASON, 200), (R_TRAIL, 260)))
        self.table.setColumnWidth(R_NUMBER, max(self.table.columnWidth(R_NUMBER), 120))
        self.count_label.setText(self.tr("{0} certificates").format(len(rows)))
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
        if current and index < 0:
            self.year_combo.addItem(str(current), current)
            index = self.year_combo.count() - 1
        self.year_combo.setCurrentIndex(max(index, 0))
        self.year_combo.blockSignals(False)

    def select_unit(self, unit_id: str | None) -> None:
        self.unit_id = unit_id
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    # -- selection ---------------------------------------------------------------------------------

    def rows(self) -> list[RegisterRow]:
        return [self.proxy.data(self.proxy.index(n, 0), ROW_ROLE) for n in range(self.proxy.rowCount())]

    def selected_rows(self) -> list[RegisterRow]:
        indexes = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        return [self.proxy.data(i, ROW_ROLE) for i in indexes]

    def selected_ids(self) -> list[str]:
        return [r.id for r in self.selected_rows()]

    def current_row(self) -> RegisterRow | None:
        rows = self.selected_rows()
        return rows[0] if len(rows) == 1 else None

    def select_ids(self, ids: set[str]) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for n in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(n, 0), ROW_ROLE).id in ids:
                self.table.selectRow(n)
        self.table.setSelectionMode(mode)
        selection.blockSignals(False)
        self._update_buttons()

    def select_numbers(self, numbers: set[str]) -> None:
        self.select_ids({r.id for r in self.model.rows() if r.number in numbers})

    def _update_buttons(self) -> None:
        rows = self.selected_rows()
        one = rows[0] if len(rows) == 1 else None
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(bool(rows))
        valid = one is not None and one.status == "valid"
        self.revoke_button.setEnabled(valid)
        self.reissue_button.setEnabled(valid)
        self.renew_button.setEnabled(one is not None and one.kind == "appointment"
                                     and one.status in ("valid", "expired"))
        if one is not None and one.kind != "appointment":
            self.renew_button.setToolTip(self.tr("Only appointment certificates have a term to renew."))
        else:
            self.renew_button.setToolTip("")

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.build_context_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def build_context_menu(self) -> QMenu:
        menu = QMenu(self)
        for button in (self.preview_button, self.print_button, self.save_button, None, self.revoke_button,
                       None, self.renew_button, None, self.verify_button):
            if button is None:
                menu.addSeparator()
                continue
            action = menu.addAction(button.text())
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
            if button is self.revoke_button:
                for sub in (self.lost_action, self.exchange_action):
                    copy = menu.addAction(sub.text())
                    copy.setEnabled(self.reissue_button.isEnabled())
                    copy.triggered.connect(sub.trigger)
        return menu

    # -- actions -----------------------------------------------------------------------------------

    def show_detail(self) -> CertificateDetailDialog | None:
        row = self.current_row()
        if row is None:
            return None
        try:
            dialog = CertificateDetailDialog(self.ctx, row.id, self)
        except Exception as exc:
            self._say(error_text(exc), error=True)
            return None
        dialog.run_dialog = self.run_dialog
        self.last_dialog = dialog
        self.run_dialog(dialog)
        return dialog

    def preview(self) -> PreviewDialog | None:
        rows = self.selected_rows()
        if not rows:
            return None
        dialog = PreviewDialog(self.ctx, [r.id for r in rows], self, suggested_name=self._suggested(rows))
        dialog.choose_printer = self.choose_printer
        dialog.choose_save_path = self.choose_save_path
        self.last_dialog = dialog
        self.run_dialog(dialog)
        return dialog

    def print_selected(self) -> Job | None:
        ids = self.selected_ids()
        if not ids:
            return None
        printer = self.choose_printer(self)
        if printer is None:
            return None
        try:
            self.job = start_print(self, self.ctx, ids, printer, on_message=self._say_flag)
        except Exception as exc:  # printing not in this build
            self._say(error_text(exc), error=True)
            return None
        return self.job

    def save_selected(self) -> Job | None:
        rows = self.selected_rows()
        if not rows:
            return None
        chosen = self.choose_save_path(self, self.tr("Save certificates as PDF"), self._suggested(rows))
        if not chosen:
            return None
        self.job = start_save(self, self.ctx, [r.id for r in rows], chosen, on_message=self._say_flag)
        return self.job

    def _suggested(self, rows: list[RegisterRow]) -> str:
        if len(rows) == 1:
            return f"{rows[0].number}-{rows[0].name}.pdf"
        return self.tr("Certificates ({0}).pdf").format(len(rows))

    def _status_dialog(self, dialog: StatusDialog) -> StatusDialog:
        dialog.confirm = self.confirm
        self.last_dialog = dialog
        self.run_dialog(dialog)
        if dialog.result() == QDialog.DialogCode.Accepted and dialog.outcome:
            self._say(dialog.outcome)
            self.refresh()
            if dialog.new_id is not None:
                self.select_ids({dialog.new_id})
        return dialog

    def revoke(self) -> StatusDialog | None:
        row = self.current_row()
        if row is None:
            return None
        return self._status_dialog(RevokeDialog(self.ctx, row, self, today=self.today))

    def reissue(self, mode: str = "lost") -> StatusDialog | None:
        row = self.current_row()
        if row is None:
            return None
        return self._status_dialog(ReissueDialog(self.ctx, row, mode, self, today=self.today))

    def renew(self) -> StatusDialog | None:
        row = self.current_row()
        if row is None:
            return None
        if row.kind != "appointment":
            self._say(self.tr("Only appointment certificates have a term to renew."), error=True)
            return None
        return self._status_dialog(RenewDialog(self.ctx, row, self, today=self.today,
                                               term_years=self._term_years()))

    def _term_years(self) -> int:
        try:
            from ...services import certificate_settings

            with self.ctx.session() as session:
                return int(certificate_settings.term_years(session))
        except Exception:
            return 3

    def verify(self, code: str = "") -> VerifyDialog:
        dialog = VerifyDialog(self.ctx, self, code=code, today=self.today)
        self.last_dialog = dialog
        self.run_dialog(dialog)
        return dialog

    def export(self) -> Job | None:
        suggested = self.tr("Certificate register {0}.xlsx").format(dt.date.today().isoformat())
        chosen = self.choose_export_path(self, self.tr("Export the register"), suggested)
        if not chosen:
            return None
        path = with_suffix(chosen, ".xlsx")
        ctx, flt, today = self.ctx, self.current_filter(), self.today

        def work() -> Generator[Progress, None, int]:
            with ctx.session() as session:
                return (yield from certificate_register.export_register(session, flt, path, today=today))

        def done(count: object) -> None:
            self._say(self.tr("{0} certificates exported to {1}").format(count, path))

        def failed(exc: Exception) -> None:
            self._say(self.tr("Nothing was exported. {0}").format(error_text(exc)), error=True)

        self.job = run_with_progress(self, self.tr("Export the register"), work, on_done=done, on_error=failed)
        return self.job

    def _say_flag(self, text: str, error: bool) -> None:
        self._say(text, error=error)

    def _say(self, text: str, *, error: bool = False) -> None:
        show_message(self.message, text, error=error)
