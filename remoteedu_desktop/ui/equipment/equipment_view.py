"""The equipment register of the sites (R9): what each site has, since when and whether it is in service.

The org tree's unit narrows the list (a site, a township, the county). Add and Edit open the editor;
"Out of service…" asks for the date and the reason, which go into the entry's notes (the register keeps
the set and its history: nothing is deleted); "Back in service…" records the repair the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...services import equipment, site_views
from ...services.equipment import EquipmentInput, EquipmentRow
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..staff.post_dialogs import RunDialogFn, exec_dialog
from ..tables import fit_columns, sortable_rows_table
from .common import (
    HINT_STYLE,
    MUTED_COLOUR,
    ROW_ROLE,
    SORT_ROLE,
    WARN_COLOUR,
    Column,
    FormDialog,
    RowsModel,
    date_text,
    error_text,
    show_message,
    to_date,
)

REFRESH_AREAS = frozenset({"equipment", "faults", "units"})
(E_SITE, E_KIND, E_MODEL, E_SERIAL, E_SUPPLIER, E_INSTALLED, E_STATUS, E_FAULTS, E_NOTES) = range(9)


def _notes_line(row: EquipmentRow) -> str:
    return " ".join((row.notes or "").split())


def _faults_text(row: EquipmentRow) -> str:
    return f"{row.faults}（{row.open_faults}）" if row.open_faults else str(row.faults)


def equipment_columns() -> list[Column[EquipmentRow]]:
    titles = (QCoreApplication.translate("Equipment", "Site"),
              QCoreApplication.translate("Equipment", "Kind"),
              QCoreApplication.translate("Equipment", "Make and model"),
              QCoreApplication.translate("Equipment", "Serial no."),
              QCoreApplication.translate("Equipment", "Supplier"),
              QCoreApplication.translate("Equipment", "Installed"),
              QCoreApplication.translate("Equipment", "Status"),
              QCoreApplication.translate("Equipment", "Faults (open)"),
              QCoreApplication.translate("Equipment", "Notes"))
    return [
        Column(titles[E_SITE], lambda r: r.site),
        Column(titles[E_KIND], lambda r: r.kind),
        Column(titles[E_MODEL], lambda r: r.model or ""),
        Column(titles[E_SERIAL], lambda r: r.serial_no or ""),
        Column(titles[E_SUPPLIER], lambda r: r.supplier or ""),
        Column(titles[E_INSTALLED], lambda r: date_text(r.installed_on), centered=True),
        Column(titles[E_STATUS], lambda r: r.status_label, centered=True,
               colour=lambda r: None if r.in_service else MUTED_COLOUR,
               tooltip=lambda r: r.out_of_service_reason or r.status_label),
        Column(titles[E_FAULTS], _faults_text, sort=lambda r: r.open_faults * 10000 + r.faults, centered=True,
               colour=lambda r: WARN_COLOUR if r.open_faults else None),
        Column(titles[E_NOTES], _notes_line, tooltip=lambda r: r.notes or ""),
    ]


class EquipmentDialog(FormDialog):
    """Add a set to a site's register, or correct an entry."""

    FIELD_KEYS = {"站点": "site", "设备类别": "kind", "品牌型号": "model", "序列号": "serial", "供货单位": "supplier",
                  "安装日期": "installed", "备注": "notes"}
    areas = ("equipment",)

    def __init__(self, ctx: AppContext, *, unit_id: str | None = None, row: EquipmentRow | None = None,
                 parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(ctx, parent)
        self.row = row
        self.today = today or dt.date.today()
        self.setWindowTitle(self.tr("Edit equipment") if row else self.tr("Add equipment"))
        with ctx.session() as session:
            sites = site_views.unit_choices(session, kinds=codes.SITE_KINDS, under_unit_id=unit_id)
            if row is not None and all(s.id != row.site_id for s in sites):
                sites.insert(0, site_views.unit_choice(session, row.site_id))
        self.site_combo = QComboBox(self)
        self.site_combo.addItem(self.tr("(choose a site)"), None)
        for site in sites:
            self.site_combo.addItem(site.display, site.id)
        if row is not None:
            self.site_combo.setCurrentIndex(self.site_combo.findData(row.site_id))
        elif len(sites) == 1:
            self.site_combo.setCurrentIndex(1)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setEditable(True)
        self.kind_combo.addItems(list(equipment.EQUIPMENT_KINDS))
        self.kind_combo.setCurrentText(row.kind if row else equipment.EQUIPMENT_KINDS[0])
        self.model_edit = QLineEdit((row.model or "") if row else "", self)
        self.model_edit.setPlaceholderText(self.tr("e.g. 同洲 CDVB3188C"))
        self.serial_edit = QLineEdit((row.serial_no or "") if row else "", self)
        self.supplier_edit = QLineEdit((row.supplier or "") if row else "", self)
        self.installed_known = QCheckBox(self.tr("Known"), self)
        self.installed_edit = self.date_edit(row.installed_on if row and row.installed_on else self.today,
                                             latest=self.today)
        self.installed_known.setChecked(row is None or row.installed_on is not None)
        self.installed_edit.setEnabled(self.installed_known.isChecked())
        self.installed_known.toggled.connect(self.installed_edit.setEnabled)
        installed = QWidget(self)
        line = QHBoxLayout(installed)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.installed_edit)
        line.addWidget(self.installed_known)
        line.addStretch(1)
        self.notes_edit = QPlainTextEdit((row.notes or "") if row else "", self)
        self.notes_edit.setFixedHeight(80)
        self.add_field("site", self.tr("Site"), self.site_combo)
        self.add_field("kind", self.tr("Kind"), self.kind_combo)
        self.add_field("model", self.tr("Make and model"), self.model_edit)
        self.add_field("serial", self.tr("Serial no."), self.serial_edit)
        self.add_field("supplier", self.tr("Supplier"), self.supplier_edit)
        self.add_field("installed", self.tr("Installed on"), installed)
        self.add_field("notes", self.tr("Notes"), self.notes_edit)
        self.installed_edit.dateChanged.connect(self.error_label("installed").clear_error)
        if row is not None and not row.in_service:
            self.set_header(self.tr("Out of service since {0}: {1}. Keep that line in the notes.").format(
                date_text(row.out_of_service_on), row.out_of_service_reason))

    def data(self) -> EquipmentInput:
        return EquipmentInput(
            site_id=self.site_combo.currentData() or "", kind=self.kind_combo.currentText(),
            model=self.model_edit.text(), serial_no=self.serial_edit.text(),
            supplier=self.supplier_edit.text(),
            installed_on=to_date(self.installed_edit.date()) if self.installed_known.isChecked() else None,
            notes=self.notes_edit.toPlainText())

    def apply(self, session: Any) -> EquipmentRow:
        if self.row is None:
            return equipment.add_equipment(session, self.data(), today=self.today)
        return equipment.update_equipment(session, self.row.id, self.data(), today=self.today)


class ServiceStateDialog(FormDialog):
    """Take a set out of service, or put it back, with the date and the reason (R9)."""

    FIELD_KEYS = {"停用日期": "date", "恢复日期": "date", "停用原因": "reason", "恢复原因": "reason",
                  "设备状态": "reason"}
    areas = ("equipment",)

    def __init__(self, ctx: AppContext, row: EquipmentRow, *, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(ctx, parent)
        self.row = row
        self.today = today or dt.date.today()
        self.taking_out = row.in_service
        self.setWindowTitle(self.tr("Take out of service") if self.taking_out else self.tr("Back in service"))
        self.set_header(f"{row.site} · {row.display}")
        self.date = self.date_edit(self.today, latest=self.today)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setMaxLength(150)
        self.reason_edit.setPlaceholderText(self.tr("e.g. 雷击损坏，无法修复") if self.taking_out
                                            else self.tr("e.g. 更换主板后修复"))
        self.add_field("date", self.tr("Date"), self.date)
        self.add_field("reason", self.tr("Reason"), self.reason_edit)

    def apply(self, session: Any) -> EquipmentRow:
        change = equipment.take_out_of_service if self.taking_out else equipment.return_to_service
        return change(session, self.row.id, on=to_date(self.date.date()), reason=self.reason_edit.text(),
                      today=self.today)


class EquipmentView(RefreshingWidget):
    """The register table of the sites under the selected unit, with its editor and service-state dialogs."""

    refresh_areas = REFRESH_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.today: dt.date | None = None  # tests fix the day
        self.unit_id: str | None = None
        self.last_dialog: QDialog | None = None
        self._stale = True

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Filter by site, kind, model or serial no."))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMaximumWidth(360)
        self.show_out = QCheckBox(self.tr("Show equipment out of service"), self)
        self.show_out.setChecked(True)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)
        self.add_button = QPushButton(self.tr("Add…"), self)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.out_button = QPushButton(self.tr("Out of service…"), self)
        self.back_button = QPushButton(self.tr("Back in service…"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.model: RowsModel[EquipmentRow] = RowsModel(equipment_columns(), self)
        self.proxy, self.table = sortable_rows_table(self, self.model, SORT_ROLE)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.show_out)
        top.addStretch(1)
        top.addWidget(self.count_label)
        actions = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.out_button, self.back_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self.search_edit.textChanged.connect(self._filter)
        self.show_out.toggled.connect(lambda _on: self.refresh())
        self.add_button.clicked.connect(lambda _checked=False: self.add())
        self.edit_button.clicked.connect(lambda _checked=False: self.edit())
        self.out_button.clicked.connect(lambda _checked=False: self.change_state())
        self.back_button.clicked.connect(lambda _checked=False: self.change_state())
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        ctx.changed.connect(self._on_data_changed)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------------------

    def select_unit(self, unit_id: str | None) -> None:
        self.unit_id = unit_id
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        self._stale = False
        selected = self.current_row()
        try:
            with self.ctx.session() as session:
                rows = equipment.equipment_list(session, unit_id=self.unit_id,
                                                include_out_of_service=self.show_out.isChecked())
        except Exception as exc:
            rows = []
            self._say(error_text(exc), error=True)
        self.model.set_rows(rows)
        fit_columns(self.table, ((E_SITE, 220), (E_MODEL, 180), (E_SUPPLIER, 200), (E_STATUS, 160)))
        self._count()
        if selected is not None:
            self.select_id(selected.id)
        self._update_buttons()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._count()

    def _count(self) -> None:
        rows = self.rows()
        out = sum(1 for r in rows if not r.in_service)
        text = self.tr("{0} items").format(len(rows))
        if out:
            text += self.tr(", {0} out of service").format(out)
        self.count_label.setText(text)

    # -- selection ---------------------------------------------------------------------------------

    def rows(self) -> list[EquipmentRow]:
        return [self.proxy.data(self.proxy.index(n, 0), ROW_ROLE) for n in range(self.proxy.rowCount())]

    def current_row(self) -> EquipmentRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.proxy.data(indexes[0], ROW_ROLE) if indexes else None

    def select_id(self, equipment_id: str) -> None:
        for n in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(n, 0), ROW_ROLE).id == equipment_id:
                self.table.selectRow(n)
                return

    def _update_buttons(self) -> None:
        row = self.current_row()
        self.edit_button.setEnabled(row is not None)
        self.out_button.setEnabled(row is not None and row.in_service)
        self.back_button.setEnabled(row is not None and not row.in_service)

    # -- actions -----------------------------------------------------------------------------------

    def _run(self, dialog: FormDialog, done: str) -> FormDialog:
        self.last_dialog = dialog
        self.run_dialog(dialog)
        if dialog.result() == QDialog.DialogCode.Accepted and dialog.result_row is not None:
            self.refresh()
            self.select_id(dialog.result_row.id)
            self._say(done.format(dialog.result_row.site, dialog.result_row.display))
        return dialog

    def add(self) -> FormDialog:
        dialog = EquipmentDialog(self.ctx, unit_id=self.unit_id, parent=self, today=self.today)
        return self._run(dialog, self.tr("Added to the register of {0}: {1}"))

    def edit(self) -> FormDialog | None:
        row = self.current_row()
        if row is None:
            return None
        dialog = EquipmentDialog(self.ctx, unit_id=self.unit_id, row=row, parent=self, today=self.today)
        return self._run(dialog, self.tr("Saved: {0}, {1}"))

    def change_state(self) -> FormDialog | None:
        row = self.current_row()
        if row is None:
            return None
        dialog = ServiceStateDialog(self.ctx, row, parent=self, today=self.today)
        done = self.tr("Out of service: {0}, {1}") if row.in_service else self.tr("Back in service: {0}, {1}")
        return self._run(dialog, done)

    def _say(self, text: str, *, error: bool = False) -> None:
        show_message(self.message, text, error=error)
