"""Award campaigns (R14): the campaigns of each year, their nominations, approval, closing and the paperwork.

Top: the campaigns (year, award, quota, nominated/approved, status) with "New campaign…" and "Close
campaign…". Below: the chosen campaign's nominees in ranking order with their evaluation, the eligibility
note (an ineligible nominee in red: listed, never approvable) and the approval state; "Seed from ranking",
"Add nominee…", "Approve", "Reject". Output: the honour certificates (荣誉证书) and the award list (表彰名单) as
PDF, and the campaign to .xlsx, each through a worker with progress and a save-as chooser.

Services do every check (quota, eligibility, closed campaigns) and the view shows their Chinese refusals.
Dialogs, confirmations and file choosers go through hooks (``run_dialog``, ``confirm``, ``choose_pdf``,
``choose_xlsx``) so tests never enter a modal loop. Placed as a tab of the evaluation page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import award_export, awards
from ...services.awards import CampaignInfo, NominationRow
from ...services.progress import Progress
from ..certificates.common import (
    ERROR_STYLE,
    FAIL_COLOUR,
    HINT_STYLE,
    MUTED_COLOUR,
    VALID_COLOUR,
    SavePathFn,
    choose_pdf_path,
    choose_xlsx_path,
    error_text,
    show_message,
    to_date,
    to_qdate,
    with_suffix,
    write_atomically,
)
from ..certificates.register_model import ID_ROLE, ROW_ROLE, SORT_ROLE, Column, RowsModel
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..staff.post_dialogs import ConfirmFn, PersonPicker, RunDialogFn, ask_confirmation, exec_dialog
from ..tables import fit_columns, select_row_with, sortable_rows_table
from ..worker import Job, run_with_progress

REFRESH_AREAS = frozenset({"awards", "evaluation", "certificates", "people", "posts", "units"})
C_YEAR, C_AWARD, C_NAME, C_QUOTA, C_NOMINATED, C_APPROVED, C_STATUS = range(7)
(N_NAME, N_UNIT, N_POST, N_SOURCE, N_TOTAL, N_GRADE, N_RANK, N_ELIGIBLE, N_STATUS, N_DECIDED,
 N_NOTE) = range(11)
_OK_CANCEL = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
_STATUS_COLOUR = {"approved": VALID_COLOUR, "rejected": MUTED_COLOUR}


def campaign_columns() -> list[Column[CampaignInfo]]:
    return [
        Column(QCoreApplication.translate("Awards", "Year"), lambda c: str(c.year), centered=True),
        Column(QCoreApplication.translate("Awards", "Award"), lambda c: c.kind_label),
        Column(QCoreApplication.translate("Awards", "Campaign"), lambda c: c.name),
        Column(QCoreApplication.translate("Awards", "Quota"), _quota_text, centered=True),
        Column(QCoreApplication.translate("Awards", "Nominated"), lambda c: str(c.nominated), centered=True),
        Column(QCoreApplication.translate("Awards", "Approved"), lambda c: str(c.approved), centered=True),
        Column(QCoreApplication.translate("Awards", "Status"), lambda c: c.status_label, centered=True,
               colour=lambda c: MUTED_COLOUR if c.closed else VALID_COLOUR),
    ]


def _quota_text(c: CampaignInfo) -> str:
    return str(c.quota) if c.quota is not None else QCoreApplication.translate("Awards", "no limit")


def nomination_columns() -> list[Column[NominationRow]]:
    return [
        Column(QCoreApplication.translate("Awards", "Nominee"), lambda r: r.name),
        Column(QCoreApplication.translate("Awards", "Unit"), lambda r: r.unit),
        Column(QCoreApplication.translate("Awards", "Post"), lambda r: r.post),
        Column(QCoreApplication.translate("Awards", "Source"), lambda r: r.source_label, centered=True),
        Column(QCoreApplication.translate("Awards", "Total"),
               lambda r: f"{r.total:g}" if r.total is not None else "", centered=True),
        Column(QCoreApplication.translate("Awards", "Grade"), lambda r: r.grade_label, centered=True),
        Column(QCoreApplication.translate("Awards", "County rank"),
               lambda r: str(r.rank_county) if r.rank_county else "", centered=True),
        Column(QCoreApplication.translate("Awards", "Eligible"),
               lambda r: "✓" if r.eligible else "✗", centered=True,
               colour=lambda r: VALID_COLOUR if r.eligible else FAIL_COLOUR),
        Column(QCoreApplication.translate("Awards", "Status"), lambda r: r.status_label, centered=True,
               colour=lambda r: _STATUS_COLOUR.get(r.status)),
        Column(QCoreApplication.translate("Awards", "Decided on"),
               lambda r: r.decided_on.isoformat() if r.decided_on else "", centered=True),
        Column(QCoreApplication.translate("Awards", "Eligibility note"), lambda r: r.note.replace("\n", "；"),
               colour=lambda r: None if r.eligible else FAIL_COLOUR, tooltip=lambda r: r.note),
    ]


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _in_worker(dialog: QDialog, title: str, work: Callable[[], Generator[Progress, None, object]],
               done: Callable[[object], None], error: QLabel) -> Job:
    """Run a dialog's service call in the worker; a refusal is shown in the dialog, which stays open."""
    def failed(exc: Exception) -> None:
        show_message(error, error_text(exc), error=True)

    job = run_with_progress(dialog, title, work, on_done=done, on_error=failed)
    dialog.job = job  # type: ignore[attr-defined]  # kept alive while it runs
    return job


# --- dialogs --------------------------------------------------------------------------------------

class NewCampaignDialog(QDialog):
    """Year, award, optional name and quota; the service refuses a second campaign of a year and kind
    (R14)."""

    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_info: CampaignInfo | None = None
        self.setWindowTitle(self.tr("New award campaign"))
        self.setMinimumWidth(460)
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year)
        self.kind_combo = QComboBox(self)
        for code, label in codes.AWARD_KIND.items():
            self.kind_combo.addItem(label, code)
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(100)
        self.name_edit.setPlaceholderText(self.tr("e.g. 2025年度优秀站点管理员评选 (filled in when left empty)"))
        self.quota_check = QCheckBox(self.tr("Limit the number of awards"), self)
        self.quota_check.setChecked(True)
        self.quota_spin = QSpinBox(self)
        self.quota_spin.setRange(1, awards.MAX_QUOTA)
        self.quota_spin.setValue(5)
        self.quota_check.toggled.connect(self.quota_spin.setEnabled)
        self.error = _error_label(self)
        quota_row = QHBoxLayout()
        quota_row.addWidget(self.quota_check)
        quota_row.addWidget(self.quota_spin)
        quota_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Year"), self.year_spin)
        form.addRow(self.tr("Award"), self.kind_combo)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Quota"), quota_row)
        buttons = QDialogButtonBox(_OK_CANCEL, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            with self.ctx.session() as session:
                self.result_info = awards.open_campaign(
                    session, self.year_spin.value(), str(self.kind_combo.currentData()),
                    name=self.name_edit.text() or None,
                    quota=self.quota_spin.value() if self.quota_check.isChecked() else None)
        except ValidationError as exc:
            show_message(self.error, exc.text(), error=True)
            return
        super().accept()


class AddNomineeDialog(QDialog):
    """A person (or, for the model-site award, a site) nominated by hand; the same checks apply (R14)."""

    def __init__(self, ctx: AppContext, campaign: CampaignInfo, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.campaign = campaign
        self.today = today
        self.result_row: NominationRow | None = None
        self.setWindowTitle(self.tr("Add a nominee to {0}").format(campaign.name))
        self.setMinimumWidth(460)
        self.picker: PersonPicker | None = None
        self.site_combo: QComboBox | None = None
        form = QFormLayout()
        if campaign.kind == "model_site":
            self.site_combo = QComboBox(self)
            self.site_combo.addItem(self.tr("(choose a site)"), None)
            with ctx.session() as session:
                for site_id, title in awards.site_choices(session):
                    self.site_combo.addItem(title, site_id)
            form.addRow(self.tr("Site"), self.site_combo)
        else:
            self.picker = PersonPicker(ctx, self)
            form.addRow(self.tr("Person"), self.picker)
        hint = QLabel(self.tr("The nominee is checked like those from the ranking: a valid certificate at "
                              "year end, no failing grade, not flagged unfit, still in post."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)
        self.error = _error_label(self)
        buttons = QDialogButtonBox(_OK_CANCEL, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def choose(self, key: str) -> None:
        """Pick the person (or site) *key* (tests, and a caller that knows whom)."""
        if self.site_combo is not None:
            self.site_combo.setCurrentIndex(max(0, self.site_combo.findData(key)))
        elif self.picker is not None:
            self.picker.select_person(key)

    def accept(self) -> None:
        site_id = self.site_combo.currentData() if self.site_combo is not None else None
        person_id = self.picker.person_id() if self.picker is not None else None
        if not site_id and not person_id:
            show_message(self.error, self.tr("Choose a site.") if self.site_combo is not None
                         else self.tr("Choose a person."), error=True)
            return
        campaign_id, today = self.campaign.id, self.today

        def work() -> Generator[Progress, None, object]:
            yield 0, 0, QCoreApplication.translate("Awards", "Checking the nominees…")
            with self.ctx.session() as session:
                return awards.add_nomination(session, campaign_id, person_id=person_id, site_id=site_id,
                                             today=today)

        def done(result: object) -> None:
            self.result_row = result if isinstance(result, NominationRow) else None
            QDialog.accept(self)

        _in_worker(self, self.windowTitle(), work, done, self.error)


class CloseCampaignDialog(QDialog):
    """The document number and date of the award; closing writes the awards into the archive (R10, R14)."""

    def __init__(self, ctx: AppContext, campaign: CampaignInfo, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.campaign = campaign
        self.written: list[awards.AwardRow] = []
        self.setWindowTitle(self.tr("Close {0}").format(campaign.name))
        self.setMinimumWidth(460)
        self.document_edit = QLineEdit(self)
        self.document_edit.setMaxLength(100)
        self.document_edit.setPlaceholderText(self.tr("e.g. 青远教字〔2026〕1号"))
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(to_qdate(today or dt.date.today()))
        info = QLabel(self.tr("{0} approved nominees receive “{1}” in their archive. A closed campaign "
                              "cannot be changed.").format(campaign.approved, campaign.award_title), self)
        info.setWordWrap(True)
        self.error = _error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("Document number"), self.document_edit)
        form.addRow(self.tr("Award date"), self.date_edit)
        buttons = QDialogButtonBox(_OK_CANCEL, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Close campaign"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        campaign_id = self.campaign.id
        document_no, awarded_on = self.document_edit.text(), to_date(self.date_edit.date())

        def work() -> Generator[Progress, None, object]:
            yield 0, 0, self.windowTitle()
            with self.ctx.session() as session:
                return awards.close_campaign(session, campaign_id, document_no=document_no,
                                             awarded_on=awarded_on)

        def done(result: object) -> None:
            self.written = result if isinstance(result, list) else []
            QDialog.accept(self)

        _in_worker(self, self.windowTitle(), work, done, self.error)


# --- the view ---------------------------------------------------------------------------------------

class AwardsView(RefreshingWidget):
    refresh_areas = REFRESH_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.confirm: ConfirmFn = ask_confirmation
        self.choose_pdf: SavePathFn = choose_pdf_path
        self.choose_xlsx: SavePathFn = choose_xlsx_path
        self.today: dt.date | None = None  # tests fix the day
        self.unit_id: str | None = None
        self.last_dialog: QDialog | None = None
        self.last_job: Job | None = None
        self.last_saved: Path | None = None
        self._campaigns: list[CampaignInfo] = []
        self._notifying = False
        self._stale = True  # loads when first shown

        self.new_button = QPushButton(self.tr("New campaign…"), self)
        self.close_button = QPushButton(self.tr("Close campaign…"), self)
        self.campaign_model = RowsModel(campaign_columns(), lambda c: c.id, self)
        self.campaign_proxy, self.campaign_table = sortable_rows_table(self, self.campaign_model, SORT_ROLE)
        self.campaign_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.campaign_table.verticalHeader().hide()
        self.campaign_table.horizontalHeader().setStretchLastSection(True)

        self.seed_button = QPushButton(self.tr("Seed from ranking"), self)
        self.add_button = QPushButton(self.tr("Add nominee…"), self)
        self.approve_button = QPushButton(self.tr("Approve"), self)
        self.reject_button = QPushButton(self.tr("Reject"), self)
        self.note_edit = QLineEdit(self)
        self.note_edit.setMaxLength(200)
        self.note_edit.setPlaceholderText(self.tr("Decision note (optional)"))
        self.certificates_button = QPushButton(self.tr("Honour certificates (PDF)…"), self)
        self.list_button = QPushButton(self.tr("Award list (PDF)…"), self)
        self.export_button = QPushButton(self.tr("Export to Excel…"), self)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.nomination_model = RowsModel(nomination_columns(), lambda r: r.id, self)
        self.nomination_proxy, self.nomination_table = sortable_rows_table(self, self.nomination_model,
                                                                           SORT_ROLE)
        self.nomination_table.verticalHeader().hide()
        header = self.nomination_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        top = QWidget(self)
        top_bar = QHBoxLayout()
        top_bar.addWidget(QLabel(self.tr("Award campaigns"), top))
        top_bar.addStretch(1)
        top_bar.addWidget(self.new_button)
        top_bar.addWidget(self.close_button)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(top_bar)
        top_layout.addWidget(self.campaign_table)
        bottom = QWidget(self)
        decide_bar = QHBoxLayout()
        for button in (self.seed_button, self.add_button):
            decide_bar.addWidget(button)
        decide_bar.addSpacing(12)
        decide_bar.addWidget(self.note_edit, 1)
        decide_bar.addWidget(self.approve_button)
        decide_bar.addWidget(self.reject_button)
        output_bar = QHBoxLayout()
        output_bar.addWidget(self.count_label)
        output_bar.addStretch(1)
        for button in (self.certificates_button, self.list_button, self.export_button):
            output_bar.addWidget(button)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(decide_bar)
        bottom_layout.addWidget(self.nomination_table, 1)
        bottom_layout.addLayout(output_bar)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(lambda _checked=False: self.new_campaign())
        self.close_button.clicked.connect(lambda _checked=False: self.close_campaign())
        self.seed_button.clicked.connect(lambda _checked=False: self.seed())
        self.add_button.clicked.connect(lambda _checked=False: self.add_nominee())
        self.approve_button.clicked.connect(lambda _checked=False: self.decide(True))
        self.reject_button.clicked.connect(lambda _checked=False: self.decide(False))
        self.certificates_button.clicked.connect(lambda _checked=False: self.save_certificates())
        self.list_button.clicked.connect(lambda _checked=False: self.save_award_list())
        self.export_button.clicked.connect(lambda _checked=False: self.export_xlsx())
        self.campaign_table.selectionModel().selectionChanged.connect(lambda *_args: self._load_nominations())
        self.nomination_table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        ctx.changed.connect(self._on_data_changed)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------------------

    def _on_data_changed(self, area: str) -> None:
        if not self._notifying:  # this view's own change is loaded already
            super()._on_data_changed(area)

    def refresh(self) -> None:
        self._reload(self.campaign_id())

    def _reload(self, current: str | None) -> None:
        self._stale = False
        try:
            with self.ctx.session() as session:
                self._campaigns = awards.campaigns(session)
        except Exception as exc:  # shown, the table emptied
            self._campaigns = []
            self._say(error_text(exc), error=True)
        self.campaign_model.set_rows(self._campaigns)
        fit_columns(self.campaign_table, ((C_NAME, 420),))
        if current is None and self._campaigns:
            current = self._campaigns[0].id
        self.select_campaign(current)

    def select_unit(self, unit_id: str | None) -> None:
        """The org tree's unit: campaigns are county-wide, so it is only kept (for later filters)."""
        self.unit_id = unit_id

    def select_campaign(self, campaign_id: str | None) -> None:
        select_row_with(self.campaign_table, self.campaign_proxy, C_YEAR, ID_ROLE, campaign_id)
        self._load_nominations()

    def campaign(self) -> CampaignInfo | None:
        indexes = self.campaign_table.selectionModel().selectedRows()
        return self.campaign_proxy.data(indexes[0], ROW_ROLE) if indexes else None

    def campaign_id(self) -> str | None:
        chosen = self.campaign()
        return chosen.id if chosen else None

    def _load_nominations(self) -> None:
        chosen = self.campaign()
        rows: list[NominationRow] = []
        if chosen is not None:
            try:
                with self.ctx.session() as session:
                    rows = awards.nominations(session, chosen.id)
            except ValidationError as exc:
                self._say(exc.text(), error=True)
        self.nomination_model.set_rows(rows)
        fit_columns(self.nomination_table, ((N_UNIT, 220), (N_NOTE, 700)))
        if chosen is None:
            self.count_label.setText(self.tr("Choose a campaign, or start one with “New campaign…”."))
        else:
            quota = str(chosen.quota) if chosen.quota is not None else self.tr("no limit")
            eligible = sum(1 for r in rows if r.eligible)
            self.count_label.setText(self.tr("{0} nominees, {1} eligible, {2} approved; quota {3}").format(
                len(rows), eligible, chosen.approved, quota))
        self._update_buttons()

    def nominations(self) -> list[NominationRow]:
        return list(self.nomination_model.rows())

    def selected_nominations(self) -> list[NominationRow]:
        indexes = self.nomination_table.selectionModel().selectedRows()
        return [self.nomination_proxy.data(i, ROW_ROLE) for i in sorted(indexes, key=lambda i: i.row())]

    def select_nominees(self, names: set[str]) -> None:
        """Select the nominees with these names (tests)."""
        self.nomination_table.clearSelection()
        mode = self.nomination_table.selectionMode()
        self.nomination_table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.nomination_proxy.rowCount()):
            if self.nomination_proxy.data(self.nomination_proxy.index(row, N_NAME)) in names:
                self.nomination_table.selectRow(row)
        self.nomination_table.setSelectionMode(mode)

    def _update_buttons(self) -> None:
        chosen = self.campaign()
        is_open = chosen is not None and not chosen.closed
        selected = self.selected_nominations() if chosen is not None else []
        self.close_button.setEnabled(is_open and chosen is not None and chosen.approved > 0)
        self.seed_button.setEnabled(is_open)
        self.add_button.setEnabled(is_open)
        approvable = any(r.eligible and r.status != "approved" for r in selected)
        self.approve_button.setEnabled(is_open and approvable)
        self.reject_button.setEnabled(is_open and any(r.status != "rejected" for r in selected))
        self.note_edit.setEnabled(is_open)
        has_winners = chosen is not None and (chosen.awarded > 0 or chosen.approved > 0)
        self.certificates_button.setEnabled(has_winners)
        self.list_button.setEnabled(has_winners)
        self.export_button.setEnabled(chosen is not None)

    def _say(self, text: str, *, error: bool = False) -> None:
        show_message(self.message, text, error=error)

    def _changed(self, campaign_id: str | None) -> None:
        """Reload with *campaign_id* chosen, then tell the other pages (archives show awards)."""
        self._reload(campaign_id)
        self._notifying = True
        try:
            self.ctx.notify("awards")
        finally:
            self._notifying = False

    # -- campaigns ---------------------------------------------------------------------------------

    def new_campaign(self) -> NewCampaignDialog:
        year = (self.today or dt.date.today()).year - 1  # awards follow last year's evaluation
        dialog = NewCampaignDialog(self.ctx, year, self)
        self.last_dialog = dialog
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted and dialog.result_info is not None:
            self._say(self.tr("Campaign “{0}” opened.").format(dialog.result_info.name))
            self._changed(dialog.result_info.id)
        return dialog

    def close_campaign(self) -> CloseCampaignDialog | None:
        chosen = self.campaign()
        if chosen is None:
            return None
        dialog = CloseCampaignDialog(self.ctx, chosen, self, today=self.today)
        self.last_dialog = dialog
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self._say(self.tr("“{0}” closed: {1} awards written into the archives.").format(
                chosen.name, len(dialog.written)))
            self._changed(chosen.id)
        return dialog

    # -- nominations -------------------------------------------------------------------------------

    def seed(self) -> Job | None:
        """Nominate from the ranking (in the worker: the checks read the year's evaluation)."""
        chosen = self.campaign()
        if chosen is None:
            return None
        campaign_id, today = chosen.id, self.today

        def work() -> Generator[Progress, None, object]:
            yield 0, 0, QCoreApplication.translate("Awards", "Checking the nominees…")
            with self.ctx.session() as session:
                return awards.seed_from_ranking(session, campaign_id, today=today)

        def done(result: object) -> None:
            added = result if isinstance(result, list) else []
            ineligible = sum(1 for r in added if not r.eligible)
            self._changed(campaign_id)
            if added:
                self._say(self.tr("{0} nominees added from the ranking ({1} not eligible, marked in red).")
                          .format(len(added), ineligible))
            else:
                self._say(self.tr("Everyone the ranking proposes is already nominated."))

        return self._run(self.tr("Seed from ranking"), work, done, failed_prefix=False)

    def add_nominee(self) -> AddNomineeDialog | None:
        chosen = self.campaign()
        if chosen is None:
            return None
        dialog = AddNomineeDialog(self.ctx, chosen, self, today=self.today)
        self.last_dialog = dialog
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted and dialog.result_row is not None:
            row = dialog.result_row
            text = self.tr("{0} nominated.").format(row.name)
            if not row.eligible:
                text += " " + row.note
            self._say(text, error=not row.eligible)
            self._changed(chosen.id)
        return dialog

    def decide(self, approve: bool) -> Job | None:
        """Approve or reject the selected nominees, one transaction each: a refusal (quota, eligibility) is
        said and the others still go through (in the worker: each approval re-checks eligibility)."""
        chosen = self.campaign()
        wanted = "approved" if approve else "rejected"
        selected = [r for r in self.selected_nominations() if r.status != wanted]
        if chosen is None or not selected:
            return None
        note = self.note_edit.text() or None
        campaign_id, today = chosen.id, self.today

        def work() -> Generator[Progress, None, object]:
            done: list[str] = []
            refused: list[str] = []
            for n, row in enumerate(selected):
                yield n, len(selected), row.name
                try:
                    with self.ctx.session() as session:
                        awards.decide(session, row.id, approve, on=today, note=note, today=today)
                    done.append(row.name)
                except ValidationError as exc:
                    refused.append(exc.text())
            return done, refused

        def finished(result: object) -> None:
            done, refused = result if isinstance(result, tuple) else ([], [])
            if done:
                self.note_edit.clear()
                self._changed(campaign_id)
            verb = self.tr("Approved: {0}.") if approve else self.tr("Rejected: {0}.")
            parts = [verb.format("、".join(done))] if done else []
            self._say(" ".join(parts + refused), error=bool(refused))

        title = self.tr("Approve") if approve else self.tr("Reject")
        return self._run(title, work, finished, failed_prefix=False)

    # -- output ------------------------------------------------------------------------------------

    def _run(self, title: str, work: Callable[[], Generator[Progress, None, object]],
             done: Callable[[object], None], *, failed_prefix: bool = True) -> Job:
        def failed(exc: Exception) -> None:
            text = error_text(exc)
            self._say(self.tr("Nothing was saved. {0}").format(text) if failed_prefix else text, error=True)

        def cancelled() -> None:
            self._say(self.tr("Cancelled: nothing was saved."), error=True)

        self.last_job = run_with_progress(self, title, work, on_done=done, on_error=failed,
                                          on_cancel=cancelled)
        return self.last_job

    def _pdf_job(self, title: str, suggested: str,
                 render: Callable[[object, str], Generator[Progress, None, bytes]]) -> Job | None:
        chosen = self.campaign()
        if chosen is None:
            return None
        picked = self.choose_pdf(self, title, suggested)
        if not picked:
            return None
        path = with_suffix(picked, ".pdf")
        campaign_id = chosen.id

        def work() -> Generator[Progress, None, object]:
            with self.ctx.session() as session:
                data = yield from render(session, campaign_id)
            write_atomically(path, data)
            return path

        def done(_result: object) -> None:
            self.last_saved = path
            self._say(self.tr("Saved to {0}").format(path))

        return self._run(title, work, done)

    def save_certificates(self) -> Job | None:
        chosen = self.campaign()
        on = self.today

        def render(session: object, campaign_id: str) -> Generator[Progress, None, bytes]:
            return awards.honour_certificates_pdf(session, campaign_id, on=on)  # type: ignore[arg-type]

        name = f"{chosen.award_title}荣誉证书.pdf" if chosen else "荣誉证书.pdf"
        return self._pdf_job(self.tr("Save honour certificates"), name, render)

    def save_award_list(self) -> Job | None:
        chosen = self.campaign()
        on = self.today

        def render(session: object, campaign_id: str) -> Generator[Progress, None, bytes]:
            yield 0, 0, QCoreApplication.translate("Awards", "Preparing the award list…")
            return awards.award_list_pdf(session, campaign_id, on=on)  # type: ignore[arg-type]

        name = f"{chosen.award_title}表彰名单.pdf" if chosen else "表彰名单.pdf"
        return self._pdf_job(self.tr("Save the award list"), name, render)

    def export_xlsx(self) -> Job | None:
        chosen = self.campaign()
        if chosen is None:
            return None
        title = self.tr("Export the campaign to Excel")
        picked = self.choose_xlsx(self, title, f"{chosen.award_title}表彰名单.xlsx")
        if not picked:
            return None
        path = with_suffix(picked, ".xlsx")
        campaign_id = chosen.id

        def work() -> Generator[Progress, None, object]:
            with self.ctx.session() as session:
                return (yield from award_export.export_campaign_steps(session, campaign_id, path))

        def done(_result: object) -> None:
            self.last_saved = path
            self._say(self.tr("Exported to {0}").format(path))

        return self._run(title, work, done)

