"""Export the staff roster (花名册) to Excel: optional unit and role, masked unless asked otherwise.

An unmasked export (full ID numbers and phones) needs a confirmation and is written to the audit log by
:func:`services.staff_export.export_roster_steps` in the same transaction. The file chooser and the
confirmation are injectable (``ask_save_path``, ``confirm``) so tests bypass the real dialogs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...services.accounts import permission_refusal
from ...services.site_views import unit_choices
from ...services.staff_export import UNMASKED_EXPORT, export_roster_steps
from ..context import AppContext
from ..worker import Job, Progress, run_with_progress
from . import ConfirmFn, PathFn, ask_confirmation, choose_save_path, error_text

UNIT_KINDS = ("county", "township", "township_station", "village", "enterprise")
ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"


class RosterExportDialog(QDialog):
    """Choose what to export and where; the export runs on the worker with progress."""

    exported = Signal(int)  # the number of people written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, confirm: ConfirmFn | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ask_save_path: PathFn = choose_save_path
        self.confirm: ConfirmFn = confirm or ask_confirmation
        self.today = dt.date.today()
        self.job: Job | None = None
        self.written: int | None = None
        self.setWindowTitle(self.tr("Export roster"))
        self.setMinimumWidth(560)

        self.unit_combo = QComboBox(self)
        self.unit_combo.addItem(self.tr("All units"), None)
        with ctx.session() as session:
            choices = unit_choices(session, kinds=UNIT_KINDS)
            refusal = permission_refusal(session, "office_head", UNMASKED_EXPORT)  # issue 10 item 5
        for choice in choices:
            kind = codes.label(codes.UNIT_KIND, choice.kind)
            self.unit_combo.addItem(f"{choice.display}　{kind}", choice.id)
        self.role_combo = QComboBox(self)
        self.role_combo.addItem(self.tr("All roles"), None)
        for code, label in codes.ROLE.items():
            self.role_combo.addItem(label, code)
        self.unmasked = QCheckBox(self.tr("Unmasked (full ID numbers and phones; logged)"), self)
        self.unmasked.toggled.connect(self._on_unmasked)
        self.unmasked.setEnabled(refusal is None)  # a clerk's account: greyed out, the tooltip says why
        self.unmasked.setToolTip(refusal or "")

        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText(self.tr("Choose where to save the .xlsx file"))
        self.path_edit.textChanged.connect(self._update_buttons)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("Unit:"), self.unit_combo)
        form.addRow(self.tr("Role:"), self.role_combo)
        form.addRow("", self.unmasked)
        form.addRow(self.tr("Save to:"), path_row)

        hint = QLabel(self.tr("By default ID numbers and phone numbers are masked (e.g. 360499********1234)."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666666;")
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self._update_buttons()

    def select_unit(self, unit_id: str | None) -> None:
        index = self.unit_combo.findData(unit_id)
        if index >= 0:
            self.unit_combo.setCurrentIndex(index)

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(bool(self.path_edit.text().strip()))

    def _on_unmasked(self, checked: bool) -> None:
        if not checked:
            return
        ok = self.confirm(self, self.tr("Unmasked export"),
                          self.tr("The file will contain full ID numbers and phone numbers of every person "
                                  "exported. This export is recorded in the audit log under your account. "
                                  "Keep the file safe. Continue?"))
        if not ok:
            self.unmasked.blockSignals(True)
            self.unmasked.setChecked(False)
            self.unmasked.blockSignals(False)

    def choose_path(self) -> None:
        name = f"花名册_{self.today.isoformat()}.xlsx"
        start = self.path_edit.text().strip() or name
        path = self.ask_save_path(self, self.tr("Export roster to"), start)
        if path:
            self.path_edit.setText(path)

    def start_export(self) -> None:
        target = self.path_edit.text().strip()
        if not target:
            return
        if not target.lower().endswith(".xlsx"):
            target += ".xlsx"
            self.path_edit.setText(target)
        unit_id, role = self.unit_combo.currentData(), self.role_combo.currentData()
        unmasked, ctx, today = self.unmasked.isChecked(), self.ctx, self.today

        def work() -> Generator[Progress, None, int]:
            with ctx.session() as session:  # the audit entry of an unmasked export commits with it
                return (yield from export_roster_steps(session, target, unit_id=unit_id, role=role,
                                                       unmasked=unmasked, today=today))

        self.message_label.hide()
        self.export_button.setEnabled(False)
        self.job = run_with_progress(self, self.tr("Exporting roster"), work, on_done=self._on_done,
                                     on_error=self._on_failed, on_cancel=self._on_cancelled)

    def _show(self, text: str, *, error: bool) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message_label.show()

    def _on_done(self, count: object) -> None:
        self.written = int(count)  # type: ignore[call-overload]
        self._show(self.tr("Exported {0} people to {1}").format(self.written, Path(self.path_edit.text()).name),
                   error=False)
        self.close_button.setText(self.tr("Done"))
        self._update_buttons()
        self.exported.emit(self.written)

    def _on_failed(self, exc: Exception) -> None:
        self._show(self.tr("Nothing was exported. {0}").format(error_text(exc)), error=True)
        self._update_buttons()

    def _on_cancelled(self) -> None:
        self._show(self.tr("Export cancelled."), error=True)
        self._update_buttons()
