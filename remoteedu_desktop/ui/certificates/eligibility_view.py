"""Who may receive a certificate now, and why the others may not (R11).

One row per person and certificate kind from ``certificate_eligibility.eligibility`` for the unit chosen
in the org tree: eligible rows show ✓, the others their reasons joined with "；". "Issue to selected…"
and "Issue to all eligible…" open :class:`IssueDialog` with the preview; after the issue the page is told
(``ctx.notify("certificates")``) and the clerk is offered the preview of the new certificates to print.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services import certificate_eligibility
from ...services.certificate_eligibility import Eligibility
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..staff.post_dialogs import ConfirmFn, RunDialogFn, ask_confirmation, exec_dialog
from ..tables import fit_columns, sortable_rows_table
from .common import (
    FAIL_COLOUR,
    HINT_STYLE,
    VALID_COLOUR,
    error_text,
    kind_label,
    show_message,
)
from .issue_dialog import IssueDialog
from .preview_dialog import PreviewDialog
from .register_model import ROW_ROLE, SORT_ROLE, Column, RowsModel

REFRESH_AREAS = frozenset({"certificates", "people", "posts", "training", "units"})
E_NAME, E_UNIT, E_POST, E_KIND, E_ELIGIBLE, E_TRAINING, E_HOLDS = range(7)


def eligible_text(row: Eligibility) -> str:
    return "✓" if row.eligible else "；".join(row.reasons)


def eligibility_columns() -> list[Column[Eligibility]]:
    return [
        Column(QCoreApplication.translate("Certificates", "Name"), lambda r: r.name),
        Column(QCoreApplication.translate("Certificates", "Unit"), lambda r: r.unit),
        Column(QCoreApplication.translate("Certificates", "Post"), lambda r: r.post),
        Column(QCoreApplication.translate("Certificates", "Certificate"), lambda r: kind_label(r.kind)),
        Column(QCoreApplication.translate("Certificates", "Eligible"), eligible_text,
               colour=lambda r: VALID_COLOUR if r.eligible else FAIL_COLOUR),
        Column(QCoreApplication.translate("Certificates", "Passed training"), lambda r: r.training),
        Column(QCoreApplication.translate("Certificates", "Current certificate"), lambda r: r.holds_number or ""),
    ]


def row_key(row: Eligibility) -> str:
    return f"{row.person_id}:{row.kind}"


class EligibilityView(RefreshingWidget):
    refresh_areas = REFRESH_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.confirm: ConfirmFn = ask_confirmation
        self.today: dt.date | None = None  #: tests fix the day
        self.unit_id: str | None = None
        self.last_dialog: IssueDialog | None = None
        self._all: list[Eligibility] = []
        self._stale = True  # loads when first shown

        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(self.tr("All certificates"), None)
        self.kind_combo.addItem(self.tr("On-duty (managers)"), "on_duty")
        self.kind_combo.addItem(self.tr("Appointment (tutors, technicians)"), "appointment")
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.only_eligible = QCheckBox(self.tr("Only eligible"), self)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)
        self.issue_selected_button = QPushButton(self.tr("Issue to selected…"), self)
        self.issue_all_button = QPushButton(self.tr("Issue to all eligible…"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.model = RowsModel(eligibility_columns(), row_key, self)
        # Shown in the service's order (eligible first) until the clerk sorts by a column.
        self.proxy, self.table = sortable_rows_table(self, self.model, SORT_ROLE)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        toolbar = QHBoxLayout()
        toolbar.addWidget(QLabel(self.tr("Certificate"), self))
        toolbar.addWidget(self.kind_combo)
        toolbar.addSpacing(8)
        toolbar.addWidget(self.only_eligible)
        toolbar.addStretch(1)
        toolbar.addWidget(self.count_label)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.issue_selected_button)
        toolbar.addWidget(self.issue_all_button)
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self.kind_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.only_eligible.toggled.connect(lambda _checked: self._fill())
        self.issue_selected_button.clicked.connect(lambda _checked=False: self.issue_selected())
        self.issue_all_button.clicked.connect(lambda _checked=False: self.issue_all())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        ctx.changed.connect(self._on_data_changed)

    # -- loading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = False
        try:
            with self.ctx.session() as session:
                self._all = certificate_eligibility.eligibility(
                    session, kind=self.kind_combo.currentData(), unit_id=self.unit_id, today=self.today)
        except Exception as exc:  # the unit went meanwhile: said, the table emptied
            self._all = []
            self._say(error_text(exc), error=True)
        self._fill()

    def _fill(self) -> None:
        rows = [r for r in self._all if r.eligible] if self.only_eligible.isChecked() else self._all
        self.model.set_rows(rows)
        fit_columns(self.table, ((E_UNIT, 240), (E_POST, 180), (E_ELIGIBLE, 360), (E_TRAINING, 340)))
        eligible = sum(1 for r in self._all if r.eligible)
        self.count_label.setText(self.tr("{0} eligible of {1}").format(eligible, len(self._all)))
        self._update_buttons()

    def select_unit(self, unit_id: str | None) -> None:
        self.unit_id = unit_id
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def rows(self) -> list[Eligibility]:
        """The rows shown, in the model's order."""
        return list(self.model.rows())

    def selected_rows(self) -> list[Eligibility]:
        indexes = self.table.selectionModel().selectedRows()
        return [self.proxy.data(i, ROW_ROLE) for i in sorted(indexes, key=lambda i: i.row())]

    def select_people(self, names: set[str]) -> None:
        """Select the rows of these people (tests, and the staff page one day)."""
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.proxy.rowCount()):
            if self.proxy.data(self.proxy.index(row, E_NAME)) in names:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def _update_buttons(self) -> None:
        selected = self.selected_rows()
        self.issue_selected_button.setEnabled(any(r.eligible for r in selected))
        self.issue_all_button.setEnabled(any(r.eligible for r in self._all))

    # -- issuing -----------------------------------------------------------------------------------

    def issue_selected(self) -> IssueDialog | None:
        selected = self.selected_rows()
        eligible = [r for r in selected if r.eligible]
        if not eligible:
            self._say(self.tr("None of the selected people is eligible: see the reasons in the table."),
                      error=True)
            return None
        return self._issue(eligible, skipped=len(selected) - len(eligible))

    def issue_all(self) -> IssueDialog | None:
        eligible = [r for r in self._all if r.eligible]
        if not eligible:
            self._say(self.tr("Nobody here is eligible now."), error=True)
            return None
        return self._issue(eligible, skipped=0)

    def _issue(self, rows: list[Eligibility], *, skipped: int) -> IssueDialog:
        dialog = IssueDialog(self.ctx, rows, self, today=self.today)
        self.last_dialog = dialog
        self.run_dialog(dialog)
        if not dialog.issued_ids:
            return dialog
        text = self.tr("{0} certificates issued.").format(len(dialog.issued_ids))
        if skipped:
            text += self.tr(" {0} selected people were not eligible and got none.").format(skipped)
        self._say(text)
        self.refresh()
        question = self.tr("{0} certificates were issued. Preview and print them now?").format(
            len(dialog.issued_ids))
        if self.confirm(self, self.tr("Certificates issued"), question):
            self.run_dialog(PreviewDialog(self.ctx, dialog.issued_ids, self,
                                          title=self.tr("The new certificates")))
        return dialog

    def _say(self, text: str, *, error: bool = False) -> None:
        show_message(self.message, text, error=error)
