"""The main window's account controls (issue 10 item 5): a status-bar label and three File-menu entries.

- the status bar shows who is logged in ("账户：张三（办事员）") or that login is not in use;
- File → Switch account… (when accounts exist) opens the login dialog; the audit log then names the new
  account;
- File → Change my password… (when logged in);
- File → Accounts… opens :class:`.dialogs.AccountsDialog`; disabled for clerks (its tooltip says why),
  enabled without accounts so that the office can create the first one.

The main window creates one :class:`AccountControls` while building its File menu and calls
:meth:`AccountControls.refresh` when it loads. Dialogs run through ``run_dialog`` (tests never enter a modal
loop).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu

from ...services import accounts
from ...services.accounts import AccountInfo, KdfCost
from ..context import AppContext
from ..login.dialog import LoginDialog
from .dialogs import AccountsDialog, PasswordDialog, RunDialogFn, _exec


class AccountControls(QObject):
    """Status-bar label and File-menu actions for accounts; ``account_changed`` after a switch."""

    account_changed = Signal(object)  # AccountInfo

    def __init__(self, window: QMainWindow, ctx: AppContext, menu: QMenu, before: QAction | None = None, *,
                 cost: KdfCost = accounts.DEFAULT_COST) -> None:
        super().__init__(window)
        self.window, self.ctx, self.cost = window, ctx, cost
        self.run_dialog: RunDialogFn = _exec
        self.current: AccountInfo | None = None
        self.required = False
        self.status_label = QLabel(window)
        self.status_label.setObjectName("account_status")
        self.status_label.setStyleSheet("margin-left: 16px;")
        window.statusBar().addWidget(self.status_label)
        self.switch_action = QAction(self.tr("S&witch account…"), window)
        self.password_action = QAction(self.tr("Chan&ge my password…"), window)
        self.manage_action = QAction(self.tr("Acc&ounts…"), window)
        for action in (self.switch_action, self.password_action, self.manage_action):
            if before is not None:
                menu.insertAction(before, action)
            else:
                menu.addAction(action)
        if before is not None:
            menu.insertSeparator(before)
        self.switch_action.triggered.connect(self.switch_account)
        self.password_action.triggered.connect(self.change_password)
        self.manage_action.triggered.connect(self.manage_accounts)

    def refresh(self) -> None:
        """Read who is logged in and whether login is in use; update the label and the actions."""
        with self.ctx.session() as session:
            self.required = accounts.login_required(session)
            self.current = accounts.current_account(session)
            refusal = accounts.permission_refusal(session, "office_head", "管理账户")
        if not self.required:
            self.status_label.setText(self.tr("Login not in use"))
        elif self.current is not None:
            self.status_label.setText(self.tr("Account: {0}").format(self.current.text()))
        else:
            self.status_label.setText(self.tr("Not logged in"))
        self.switch_action.setEnabled(self.required)
        self.password_action.setEnabled(self.current is not None)
        self.manage_action.setEnabled(refusal is None)
        self.manage_action.setToolTip(refusal or "")

    def switch_account(self) -> None:
        dialog = LoginDialog(self.ctx, self.window, switching=True, cost=self.cost)
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted and dialog.account is not None:
            self.refresh()
            self.window.statusBar().showMessage(self.tr("Logged in as {0}").format(dialog.account.text()), 10000)
            self.account_changed.emit(dialog.account)
            self.ctx.notify("accounts")
        dialog.deleteLater()

    def change_password(self) -> None:
        if self.current is None:
            return
        dialog = PasswordDialog(self.ctx, self.current.username, self.window, own=True, cost=self.cost)
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.window.statusBar().showMessage(self.tr("Your password was changed."), 10000)
        dialog.deleteLater()

    def manage_accounts(self) -> None:
        dialog = AccountsDialog(self.ctx, self.window, cost=self.cost)
        self.run_dialog(dialog)
        dialog.deleteLater()
        self.refresh()
