"""Issuing certificates (R11): a preview of exactly what will be issued, then one transaction.

The preview (``preview_issue``) lists each certificate with the number it will get and, for an
appointment, its term; changing the issue date or the term years recomputes it. OK runs ``issue()``
behind a progress dialog: cancel rolls the whole batch back, so either every previewed certificate is
issued or none is. After the issue ``issued_ids`` holds the new certificates' ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Sequence

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...services import certificate_issue
from ...services.backups import backup_before
from ...services.certificate_eligibility import Eligibility
from ...services.certificate_issue import IssueItem
from ...services.progress import Progress
from ..context import AppContext
from ..tables import fit_columns
from ..worker import Job, run_with_progress
from .common import ERROR_STYLE, HINT_STYLE, date_text, error_text, kind_label, to_date, to_qdate
from .register_model import Column, RowsModel

DEFAULT_TERM_YEARS = 3
I_NAME, I_KIND, I_UNIT, I_POST, I_NUMBER, I_TERM = range(6)


def item_term(item: IssueItem) -> str:
    if item.term_start and item.valid_until:
        return f"{date_text(item.term_start)} – {date_text(item.valid_until)}"
    if item.valid_until:
        return QCoreApplication.translate("Certificates", "until {0}").format(date_text(item.valid_until))
    return QCoreApplication.translate("Certificates", "no end")


def issue_columns() -> list[Column[IssueItem]]:
    return [
        Column(QCoreApplication.translate("Certificates", "Name"), lambda i: i.name),
        Column(QCoreApplication.translate("Certificates", "Kind"), lambda i: kind_label(i.kind)),
        Column(QCoreApplication.translate("Certificates", "Unit"), lambda i: i.unit),
        Column(QCoreApplication.translate("Certificates", "Post"), lambda i: i.post),
        Column(QCoreApplication.translate("Certificates", "Number it will get"), lambda i: i.number),
        Column(QCoreApplication.translate("Certificates", "Term / valid until"), item_term, centered=True),
    ]


class IssueDialog(QDialog):
    """Preview and issue certificates to *rows* (the eligible ones; the service refuses any other)."""

    def __init__(self, ctx: AppContext, rows: Sequence[Eligibility], parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows = [r for r in rows if r.eligible]
        self.items: list[IssueItem] = []
        self.issued_ids: list[str] = []
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Issue certificates"))

        has_appointment = any(r.kind == "appointment" for r in self.rows)
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(to_qdate(today or dt.date.today()))
        self.term_spin = QSpinBox(self)
        self.term_spin.setRange(1, 10)
        self.term_spin.setSuffix(self.tr(" years"))
        self.term_spin.setValue(self._default_term_years())
        self.term_label = QLabel(self.tr("Appointment term"), self)
        self.term_label.setVisible(has_appointment)
        self.term_spin.setVisible(has_appointment)
        fields = QHBoxLayout()
        fields.addWidget(QLabel(self.tr("Issue date"), self))
        fields.addWidget(self.date_edit)
        fields.addSpacing(16)
        fields.addWidget(self.term_label)
        fields.addWidget(self.term_spin)
        fields.addStretch(1)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = RowsModel(issue_columns(), lambda i: f"{i.person_id}:{i.kind}:{i.post_id or ''}", self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel(self.tr("Numbers are given in this order when you press Issue; each certificate's "
                                   "content is frozen at issue (a later change to the person or the template "
                                   "does not alter it)."), self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet(HINT_STYLE)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Issue"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addLayout(fields)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.issue)
        self.buttons.rejected.connect(self.reject)
        self.date_edit.dateChanged.connect(lambda _date: self.refresh_preview())
        self.term_spin.valueChanged.connect(lambda _value: self.refresh_preview())
        self.resize(980, 560)
        self.refresh_preview()

    def _default_term_years(self) -> int:
        try:
            from ...services import certificate_settings

            with self.ctx.session() as session:
                return int(certificate_settings.term_years(session))
        except Exception:  # settings not readable: the conventional three-year term
            return DEFAULT_TERM_YEARS

    @property
    def issue_date(self) -> dt.date:
        return to_date(self.date_edit.date())

    def set_issue_date(self, day: dt.date) -> None:
        self.date_edit.setDate(QDate(day.year, day.month, day.day))

    def refresh_preview(self) -> list[IssueItem]:
        self.error.hide()
        try:
            with self.ctx.session() as session:
                self.items = certificate_issue.preview_issue(
                    session, self.rows, issue_date=self.issue_date,
                    term_years=self.term_spin.value() if self._has_appointment() else None)
        except Exception as exc:  # a refusal shown in the dialog, nothing written
            self.items = []
            self._error(error_text(exc))
        self.model.set_rows(self.items)
        fit_columns(self.table, ((I_UNIT, 260), (I_POST, 200)))
        on_duty = sum(1 for i in self.items if i.kind == "on_duty")
        appointment = len(self.items) - on_duty
        self.summary.setText(self.tr("{0} certificates will be issued: {1} on-duty, {2} appointment.").format(
            len(self.items), on_duty, appointment))
        self.ok_button.setEnabled(bool(self.items))
        return self.items

    def _has_appointment(self) -> bool:
        return any(r.kind == "appointment" for r in self.rows)

    def issue(self) -> Job | None:
        if not self.items:
            return None
        ctx, items = self.ctx, list(self.items)
        self.ok_button.setEnabled(False)

        def work() -> Generator[Progress, None, list[str]]:
            backup_before(ctx.db, "certificate_issue")  # issue 9 item 3: a backup before every bulk change
            with ctx.session() as session:
                return (yield from certificate_issue.issue(session, items))

        def done(ids: object) -> None:
            self.issued_ids = list(ids) if isinstance(ids, list) else []
            ctx.notify("certificates")
            self.accept()

        def failed(exc: Exception) -> None:
            self._error(self.tr("Nothing was issued. {0}").format(error_text(exc)))
            self.refresh_preview()

        def cancelled() -> None:
            self._error(self.tr("Cancelled: nothing was issued."))
            self.ok_button.setEnabled(bool(self.items))

        self.job = run_with_progress(self, self.tr("Issuing certificates"), work, on_done=done, on_error=failed,
                                     on_cancel=cancelled)
        return self.job

    def _error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
