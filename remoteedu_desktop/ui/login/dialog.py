"""Log in (issue 10 item 5): user name and password, the service's Chinese refusal, lock-out included.

Shown at start only when the database has an active account (:func:`login_if_required`); a single-PC
office without accounts never sees it. On success the database's session factory switches to the account
(``Database.use_account``), so every change after it is audited under that name. The check runs the
password KDF (about 0.1 s) through :class:`..worker.Job` (inline in tests); a refused attempt's failure
count is committed before the message shows. ``now`` is a hook for tests (naive UTC).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...services import accounts
from ...services.accounts import AccountInfo, KdfCost, LoginResult
from ...services.progress import Progress
from ..context import AppContext
from ..worker import Job

ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: #666666;"

# Runs a dialog and returns its result code (tests fill it in and press the button instead of exec()).
RunDialogFn = Callable[[QDialog], int]


def _exec(dialog: QDialog) -> int:
    return dialog.exec()


class LoginDialog(QDialog):
    """User name and password; accepted after a successful login, the account switched on ``ctx.db``."""

    logged_in = Signal(object)  # AccountInfo

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, switching: bool = False,
                 cost: KdfCost = accounts.DEFAULT_COST) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cost = cost
        self.now: Callable[[], dt.datetime] | None = None
        self.account: AccountInfo | None = None
        self.last_result: LoginResult | None = None
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Switch account") if switching else self.tr("Log in"))
        self.setMinimumWidth(420)

        office = ctx.office()
        heading = QLabel(f"<b>{office.name}</b>" if office.initialized else "", self)
        heading.setVisible(office.initialized)
        hint = QLabel(self.tr("This computer uses accounts. Log in with your user name and password."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)

        self.username_edit = QLineEdit(self)
        self.username_edit.setMaxLength(accounts.MAX_USERNAME_LENGTH)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(accounts.MAX_PASSWORD_LENGTH)
        form = QFormLayout()
        form.addRow(self.tr("User name:"), self.username_edit)
        form.addRow(self.tr("Password:"), self.password_edit)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton(self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel") if switching else self.tr("Exit"),
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.attempt)
        self.cancel_button.clicked.connect(self.reject)
        self.username_edit.textChanged.connect(self._update_buttons)
        self.password_edit.textChanged.connect(self._update_buttons)
        self.username_edit.returnPressed.connect(self.password_edit.setFocus)
        self.password_edit.returnPressed.connect(self.attempt)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self._update_buttons()
        self.username_edit.setFocus()

    def _update_buttons(self) -> None:
        busy = self.job is not None
        self.login_button.setEnabled(not busy and bool(self.username_edit.text().strip())
                                     and bool(self.password_edit.text()))

    def attempt(self) -> None:
        """Check the name and password (in a worker: the KDF takes about 0.1 s)."""
        if self.job is not None or not self.login_button.isEnabled():
            return
        username, password = self.username_edit.text(), self.password_edit.text()
        ctx, cost, now = self.ctx, self.cost, self.now() if self.now else None

        def work() -> Generator[Progress, None, LoginResult]:
            yield 0, 1, ""
            with ctx.session() as session:  # commits a refused attempt's failure count too
                return accounts.login(session, username, password, now=now, cost=cost)

        self.job = Job(work)
        self.job.signals.finished.connect(self._on_result)
        self.job.signals.failed.connect(self._on_failed)
        self._update_buttons()
        self.job.start()

    def _on_result(self, result: object) -> None:
        self.job = None
        assert isinstance(result, LoginResult)
        self.last_result = result
        if result.account is None:
            self.message_label.setText(result.message)
            self.message_label.show()
            self.password_edit.clear()
            self.password_edit.setFocus()
            self._update_buttons()
            return
        self.account = result.account
        self.ctx.db.use_account(result.account.username)  # from now on the audit log names this account
        self.logged_in.emit(result.account)
        self.accept()

    def _on_failed(self, exc: object) -> None:
        self.job = None
        self.message_label.setText(self.tr("The login could not be checked: {0}").format(exc))
        self.message_label.show()
        self._update_buttons()


def login_if_required(ctx: AppContext, parent: QWidget | None = None, *, run: RunDialogFn = _exec,
                      cost: KdfCost = accounts.DEFAULT_COST) -> bool:
    """At start: True when no login is needed (no active account) or the login succeeded; False to quit."""
    with ctx.session() as session:
        required = accounts.login_required(session)
    if not required:
        return True
    dialog = LoginDialog(ctx, parent, cost=cost)
    try:
        return run(dialog) == QDialog.DialogCode.Accepted and dialog.account is not None
    finally:
        dialog.deleteLater()
