"""Changing a certificate's status with a trace (R11): revoke, reissue (补发 lost / 换发 exchange), renew.

Each dialog first runs the service in a transaction that is rolled back: every refusal (an empty reason,
a certificate no longer valid, renewing an on-duty certificate) shows in the dialog before anything is
asked, and the trial gives the exact outcome ("旧证 … 将标记为已换发，新证编号 …"). The clerk confirms that
sentence, then the service runs for real in one transaction and ``ctx.notify("certificates")`` follows.
The confirmation is injectable (``confirm=``) so tests never block.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...services import certificate_register
from ...services.certificate_register import RegisterRow
from ..context import AppContext
from ..staff.post_dialogs import ConfirmFn, ask_confirmation
from .common import ERROR_STYLE, HINT_STYLE, date_text, error_text, to_date, to_qdate

REISSUE_MODES = ("lost", "exchange")


class _Rollback(Exception):
    """Raised inside a transaction to undo the trial run."""


class StatusDialog(QDialog):
    """Shared shape: the certificate, the fields, what will happen, an error line, OK/Cancel."""

    def __init__(self, ctx: AppContext, row: RegisterRow, parent: QWidget | None = None, *,
                 confirm: ConfirmFn | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.today = today or dt.date.today()
        self.confirm: ConfirmFn = confirm or ask_confirmation
        self.outcome = ""  #: the sentence the clerk confirmed
        self.new_id: str | None = None
        heading = QLabel(self.tr("{0} {1} of {2} ({3}, {4})").format(
            row.kind_label, row.number, row.name, row.unit, row.status_label), self)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.effect = QLabel(self)
        self.effect.setWordWrap(True)
        self.effect.setStyleSheet(HINT_STYLE)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.grid)
        layout.addWidget(self.effect)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def add_field(self, caption: str, widget: QWidget) -> None:
        row = self.grid.rowCount()
        self.grid.addWidget(QLabel(caption, self), row, 0)
        self.grid.addWidget(widget, row, 1)

    # -- to be written by each dialog --------------------------------------------------------------

    def run(self, session: Any) -> str | None:
        """Call the service; return the new certificate's id, if one is made."""
        raise NotImplementedError

    def describe(self, session: Any, new_id: str | None) -> str:
        """The exact outcome, read inside the trial transaction."""
        raise NotImplementedError

    def done_text(self, session: Any, new_id: str | None) -> str:
        return self.describe(session, new_id)

    # -- trial, confirm, write ---------------------------------------------------------------------

    def trial(self) -> str | None:
        """Run the service and roll it back: the outcome sentence, or None with the refusal shown."""
        self.error.hide()
        outcome = ""
        try:
            with self.ctx.session() as session:
                new_id = self.run(session)
                session.flush()
                outcome = self.describe(session, new_id)
                raise _Rollback
        except _Rollback:
            return outcome
        except Exception as exc:  # the service's refusal, shown here; nothing written
            self.error.setText(error_text(exc))
            self.error.show()
            return None

    def apply(self) -> bool:
        outcome = self.trial()
        if outcome is None:
            return False
        self.effect.setText(outcome)
        if not self.confirm(self, self.windowTitle(), outcome + "\n\n" + self.tr("Go ahead?")):
            return False
        try:
            with self.ctx.session() as session:
                self.new_id = self.run(session)
                session.flush()
                self.outcome = self.done_text(session, self.new_id)
        except Exception as exc:
            self.error.setText(error_text(exc))
            self.error.show()
            return False
        self.ctx.notify("certificates")
        self.accept()
        return True

    def _number(self, session: Any, cert_id: str | None) -> str:
        if cert_id is None:
            return ""
        return str(certificate_register.detail(session, cert_id).row.number)


class RevokeDialog(StatusDialog):
    def __init__(self, ctx: AppContext, row: RegisterRow, parent: QWidget | None = None, *,
                 confirm: ConfirmFn | None = None, today: dt.date | None = None) -> None:
        super().__init__(ctx, row, parent, confirm=confirm, today=today)
        self.setWindowTitle(self.tr("Revoke certificate"))
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(self.tr("Required, e.g. 离岗后拒不交回证书"))
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(to_qdate(self.today))
        self.add_field(self.tr("Reason"), self.reason_edit)
        self.add_field(self.tr("Revoked on"), self.date_edit)
        self.effect.setText(self.tr("The certificate {0} will be marked as revoked; its number stays in the "
                                    "register and is never given again.").format(row.number))
        self.reason_edit.textChanged.connect(lambda _text: self.error.hide())

    def run(self, session: Any) -> str | None:
        certificate_register.revoke(session, self.row.id, reason=self.reason_edit.text().strip(),
                                    on=to_date(self.date_edit.date()))
        return None

    def describe(self, session: Any, new_id: str | None) -> str:
        return self.tr("The certificate {0} of {1} will be marked as revoked (reason: {2}).").format(
            self.row.number, self.row.name, self.reason_edit.text().strip())

    def done_text(self, session: Any, new_id: str | None) -> str:
        return self.tr("Certificate {0} revoked.").format(self.row.number)


class ReissueDialog(StatusDialog):
    """补发 (the holder lost it) or 换发 (damaged, or the printed content must change): a new number."""

    def __init__(self, ctx: AppContext, row: RegisterRow, mode: str = "lost", parent: QWidget | None = None, *,
                 confirm: ConfirmFn | None = None, today: dt.date | None = None) -> None:
        super().__init__(ctx, row, parent, confirm=confirm, today=today)
        self.setWindowTitle(self.tr("Reissue certificate"))
        self.mode_combo = QComboBox(self)
        self.mode_combo.addItem(self.tr("补发 — the holder lost it"), "lost")
        self.mode_combo.addItem(self.tr("换发 — damaged, or its content changed"), "exchange")
        self.mode_combo.setCurrentIndex(max(self.mode_combo.findData(mode), 0))
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(self.tr("Required, e.g. 证书遗失 or 单位更名"))
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(to_qdate(self.today))
        self.add_field(self.tr("Kind of reissue"), self.mode_combo)
        self.add_field(self.tr("Reason"), self.reason_edit)
        self.add_field(self.tr("New issue date"), self.date_edit)
        self.effect.setText(self.tr("The old certificate {0} keeps its number on record and is marked as "
                                    "replaced; a new certificate with a new number is issued and linked to "
                                    "it.").format(row.number))
        self.reason_edit.textChanged.connect(lambda _text: self.error.hide())

    @property
    def mode(self) -> str:
        return str(self.mode_combo.currentData())

    def run(self, session: Any) -> str | None:
        return certificate_register.reissue(session, self.row.id, mode=self.mode,
                                            reason=self.reason_edit.text().strip(),
                                            issue_date=to_date(self.date_edit.date()))

    def describe(self, session: Any, new_id: str | None) -> str:
        return self.tr("The old certificate {0} will be marked as replaced; the new certificate gets number "
                       "{1}.").format(self.row.number, self._number(session, new_id))

    def done_text(self, session: Any, new_id: str | None) -> str:
        return self.tr("Certificate {0} replaced by {1}.").format(self.row.number, self._number(session, new_id))


class RenewDialog(StatusDialog):
    """A new appointment term (appointment certificates only): a new certificate replaces the old one."""

    def __init__(self, ctx: AppContext, row: RegisterRow, parent: QWidget | None = None, *,
                 confirm: ConfirmFn | None = None, today: dt.date | None = None, term_years: int = 3) -> None:
        super().__init__(ctx, row, parent, confirm=confirm, today=today)
        self.setWindowTitle(self.tr("Renew appointment"))
        start = (row.valid_until + dt.timedelta(days=1)) if row.valid_until else self.today
        self.start_edit = QDateEdit(self)
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("yyyy-MM-dd")
        self.start_edit.setDate(to_qdate(start))
        self.years_spin = QSpinBox(self)
        self.years_spin.setRange(1, 10)
        self.years_spin.setSuffix(self.tr(" years"))
        self.years_spin.setValue(term_years)
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(to_qdate(self.today))
        self.add_field(self.tr("New term starts"), self.start_edit)
        self.add_field(self.tr("Term"), self.years_spin)
        self.add_field(self.tr("Issue date"), self.date_edit)
        self.effect.setText(self.tr("The appointment certificate {0} (term until {1}) is replaced by a new one "
                                    "for the new term.").format(row.number, date_text(row.valid_until)))

    def run(self, session: Any) -> str | None:
        return certificate_register.renew(session, self.row.id, term_start=to_date(self.start_edit.date()),
                                          term_years=self.years_spin.value(),
                                          issue_date=to_date(self.date_edit.date()))

    def describe(self, session: Any, new_id: str | None) -> str:
        if new_id is None:
            return ""
        new = certificate_register.detail(session, new_id).row
        return self.tr("The appointment certificate {0} will be marked as replaced; the new certificate {1} "
                       "holds the term {2} – {3}.").format(self.row.number, new.number, date_text(new.term_start),
                                                         date_text(new.valid_until))

    def done_text(self, session: Any, new_id: str | None) -> str:
        return self.tr("Appointment renewed: certificate {0}.").format(self._number(session, new_id))
