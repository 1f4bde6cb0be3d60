"""Managing accounts (issue 10 item 5): a table of accounts and buttons for what an office head may do.

:class:`AccountsDialog` lists every account (user name, name, role, status) with New account…, Reset
password…, Change role…, Deactivate/Reactivate and Unlock. Every rule is the service's
(:mod:`...services.accounts`): only office heads and above manage, only a county administrator makes
county administrators, the last manager can be neither deactivated nor demoted; a refusal shows in the
service's Chinese words and nothing is written. The small dialogs (:class:`NewAccountDialog`,
:class:`PasswordDialog`, :class:`RoleDialog`) submit through the service themselves and stay open with the
message when it refuses. Sub-dialogs run through the ``run_dialog`` hook and the confirmation through
``confirm``, so tests never enter a modal loop. Hashing at the real cost takes about 0.1 s (admin work,
rare): it runs in the UI thread under a wait cursor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services import accounts
from ...services.accounts import AccountInfo, KdfCost
from ..context import AppContext

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"
HINT_STYLE = "color: #666666;"

RunDialogFn = Callable[[QDialog], int]
ConfirmFn = Callable[[QWidget, str, str], bool]


def _exec(dialog: QDialog) -> int:
    return dialog.exec()


def _ask(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def _password_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(accounts.MAX_PASSWORD_LENGTH)
    return edit


class _SubmitDialog(QDialog):
    """A small form whose OK calls the service; a ValidationError keeps it open with the message."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.form = QFormLayout()
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        # the context is spelled out: a base class's self.tr() would look up the subclass's context
        self.ok_button.setText(QCoreApplication.translate("AccountForms", "OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("AccountForms", "Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

    def show_error(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()

    def apply(self) -> None:
        raise NotImplementedError

    def submit(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.apply()
        except ValidationError as exc:
            self.show_error(exc.text())
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()


def _same(first: QLineEdit, second: QLineEdit) -> bool:
    return first.text() == second.text()


class NewAccountDialog(_SubmitDialog):
    """User name, name, role and the first password (typed twice)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 cost: KdfCost = accounts.DEFAULT_COST) -> None:
        super().__init__(parent, self.tr("New account"))
        self.ctx, self.cost = ctx, cost
        self.created: AccountInfo | None = None
        self.username_edit = QLineEdit(self)
        self.username_edit.setMaxLength(accounts.MAX_USERNAME_LENGTH)
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(50)
        self.role_combo = QComboBox(self)
        for code, label in accounts.ROLES.items():
            self.role_combo.addItem(label, code)
        self.password_edit = _password_edit(self)
        self.repeat_edit = _password_edit(self)
        self.form.addRow(self.tr("User name:"), self.username_edit)
        self.form.addRow(self.tr("Name:"), self.name_edit)
        self.form.addRow(self.tr("Role:"), self.role_combo)
        self.form.addRow(self.tr("Password:"), self.password_edit)
        self.form.addRow(self.tr("Repeat password:"), self.repeat_edit)
        with ctx.session() as session:
            first = not accounts.login_required(session)
        if first:
            self.hint.setText(self.tr("This is the first account: from now on this computer asks for a login. "
                                      "It must be an office head or a county administrator, who can then "
                                      "create the others."))
            self.hint.show()
            self.role_combo.setCurrentIndex(self.role_combo.findData("office_head"))
        self.password_edit.setPlaceholderText(self.tr("at least {0} characters").format(
            accounts.MIN_PASSWORD_LENGTH))

    def apply(self) -> None:
        if not _same(self.password_edit, self.repeat_edit):
            raise ValidationError("两次输入的密码不一致", field="重复密码")
        with self.ctx.session() as session:
            self.created = accounts.create_account(session, self.username_edit.text(), self.name_edit.text(),
                                                   str(self.role_combo.currentData()), self.password_edit.text(),
                                                   cost=self.cost)


class PasswordDialog(_SubmitDialog):
    """One's own new password (with the old one), or a reset of another account's by a manager."""

    def __init__(self, ctx: AppContext, username: str, parent: QWidget | None = None, *, own: bool,
                 cost: KdfCost = accounts.DEFAULT_COST) -> None:
        super().__init__(parent, self.tr("Change my password") if own else self.tr("Reset password"))
        self.ctx, self.username, self.own, self.cost = ctx, username, own, cost
        self.old_edit = _password_edit(self)
        self.new_edit = _password_edit(self)
        self.repeat_edit = _password_edit(self)
        self.form.addRow(self.tr("Account:"), QLabel(username, self))
        if own:
            self.form.addRow(self.tr("Old password:"), self.old_edit)
        else:
            self.old_edit.hide()
            self.hint.setText(self.tr("The new password also ends a lock-out. Tell it to the person in private."))
            self.hint.show()
        self.form.addRow(self.tr("New password:"), self.new_edit)
        self.form.addRow(self.tr("Repeat password:"), self.repeat_edit)
        self.new_edit.setPlaceholderText(self.tr("at least {0} characters").format(accounts.MIN_PASSWORD_LENGTH))

    def apply(self) -> None:
        if not _same(self.new_edit, self.repeat_edit):
            raise ValidationError("两次输入的新密码不一致", field="重复密码")
        with self.ctx.session() as session:
            accounts.change_password(session, self.username, self.new_edit.text(),
                                     old_password=self.old_edit.text() if self.own else None, cost=self.cost)


class RoleDialog(_SubmitDialog):
    """A new role for one account."""

    def __init__(self, ctx: AppContext, account: AccountInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent, self.tr("Change role"))
        self.ctx, self.account = ctx, account
        self.role_combo = QComboBox(self)
        for code, label in accounts.ROLES.items():
            self.role_combo.addItem(label, code)
        self.role_combo.setCurrentIndex(self.role_combo.findData(account.role))
        self.form.addRow(self.tr("Account:"), QLabel(f"{account.username}　{account.display_name}", self))
        self.form.addRow(self.tr("Role:"), self.role_combo)

    def apply(self) -> None:
        with self.ctx.session() as session:
            accounts.set_role(session, self.account.username, str(self.role_combo.currentData()))


class AccountsDialog(QDialog):
    """The accounts of this database, and what a manager may do with them."""

    COLUMNS = 4

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 cost: KdfCost = accounts.DEFAULT_COST) -> None:
        super().__init__(parent)
        self.ctx, self.cost = ctx, cost
        self.run_dialog: RunDialogFn = _exec
        self.confirm: ConfirmFn = _ask
        self.rows: list[AccountInfo] = []
        self.setWindowTitle(self.tr("Accounts"))
        self.resize(720, 420)

        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Name"), self.tr("Role"),
                                              self.tr("Status")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.new_button = QPushButton(self.tr("New account…"), self)
        self.password_button = QPushButton(self.tr("Reset password…"), self)
        self.role_button = QPushButton(self.tr("Change role…"), self)
        self.active_button = QPushButton(self.tr("Deactivate"), self)
        self.unlock_button = QPushButton(self.tr("Unlock"), self)
        self.new_button.clicked.connect(self.new_account)
        self.password_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.change_role)
        self.active_button.clicked.connect(self.toggle_active)
        self.unlock_button.clicked.connect(self.unlock)
        side = QVBoxLayout()
        for button in (self.new_button, self.password_button, self.role_button, self.active_button,
                       self.unlock_button):
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(side)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(close)
        self.reload()

    # --- reading --------------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        keep = select or (self.selected().username if self.selected() else None)
        with self.ctx.session() as session:
            self.rows = accounts.list_accounts(session)
            self.current = accounts.current_account(session)
            self.required = accounts.login_required(session)
            self.refusal = accounts.permission_refusal(session, "office_head", "管理账户")
        if not self.required:
            self.hint.setText(self.tr("No account is in use: anyone at this computer may do everything. Create "
                                      "an office head account to require a login (recommended on a shared PC "
                                      "or a server database)."))
        elif self.current is not None:
            self.hint.setText(self.tr("Logged in as {0}.").format(self.current.text()))
        self.table.setRowCount(len(self.rows))
        for row, info in enumerate(self.rows):
            for column, text in enumerate((info.username, info.display_name, info.role_label, self.status(info))):
                item = QTableWidgetItem(text)
                if not info.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
            if info.username == keep:
                self.table.selectRow(row)
        self._update_buttons()

    def status(self, info: AccountInfo) -> str:
        if not info.active:
            return self.tr("Deactivated")
        if info.locked() and info.locked_until is not None:
            local = info.locked_until.replace(tzinfo=dt.UTC).astimezone()
            return self.tr("Locked until {0}").format(local.strftime("%H:%M"))
        if info.failed_attempts:
            return self.tr("Active ({0} wrong passwords)").format(info.failed_attempts)
        return self.tr("Active")

    def selected(self) -> AccountInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def select(self, username: str) -> None:
        for row, info in enumerate(self.rows):
            if info.username == username:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        manage = self.refusal is None
        chosen = self.selected()
        self.new_button.setEnabled(manage)
        for button in (self.password_button, self.role_button, self.active_button, self.unlock_button):
            button.setEnabled(manage and chosen is not None)
            button.setToolTip(self.refusal or "")
        self.new_button.setToolTip(self.refusal or "")
        self.active_button.setText(self.tr("Reactivate") if chosen is not None and not chosen.active
                                   else self.tr("Deactivate"))
        self.unlock_button.setEnabled(manage and chosen is not None and chosen.active
                                      and (chosen.locked() or chosen.failed_attempts > 0))

    # --- actions --------------------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message_label.show()

    def new_account(self) -> None:
        dialog = NewAccountDialog(self.ctx, self, cost=self.cost)
        first = not self.required
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted and dialog.created is not None:
            if first:  # whoever made the first account knows its password: this computer now works under it
                self.ctx.db.use_account(dialog.created.username)
            self.reload(dialog.created.username)
            self._say(self.tr("Account created: {0}").format(dialog.created.text()), error=False)
            self.ctx.notify("accounts")
        dialog.deleteLater()

    def reset_password(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        own = self.current is not None and self.current.username == chosen.username
        dialog = PasswordDialog(self.ctx, chosen.username, self, own=own, cost=self.cost)
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.reload(chosen.username)
            self._say(self.tr("Password changed: {0}").format(chosen.text()), error=False)
            self.ctx.notify("accounts")
        dialog.deleteLater()

    def change_role(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        dialog = RoleDialog(self.ctx, chosen, self)
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.reload(chosen.username)
            updated = next((a for a in self.rows if a.username == chosen.username), chosen)
            self._say(self.tr("Role changed: {0}").format(updated.text()), error=False)
            self.ctx.notify("accounts")
        dialog.deleteLater()

    def toggle_active(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if chosen.active:
            if not self.confirm(self, self.tr("Deactivate account"),
                                self.tr("Deactivate {0}? The account can no longer log in; its name stays in the "
                                        "audit log.").format(chosen.text())):
                return
            self._run(lambda s: accounts.set_active(s, chosen.username, False), self.tr("Deactivated: {0}"))
        else:
            self._run(lambda s: accounts.set_active(s, chosen.username, True), self.tr("Reactivated: {0}"))

    def unlock(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._run(lambda s: accounts.unlock(s, chosen.username), self.tr("Unlocked: {0}"))

    def _run(self, change: Callable[[object], AccountInfo], done: str) -> bool:
        try:
            with self.ctx.session() as session:
                info = change(session)
        except ValidationError as exc:
            self._say(exc.text(), error=True)
            return False
        self.reload(info.username)
        self._say(done.format(info.text()), error=False)
        self.ctx.notify("accounts")
        return True
