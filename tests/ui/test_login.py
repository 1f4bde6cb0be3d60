"""The login dialog (ui/login, issue 10 item 5): accept, refuse, lock-out; asked at start only with accounts;
after a login the audit log names the account; the main window's status bar, Switch account and the
greyed-out unmasked export for a clerk.

Accounts are made with a tiny scrypt cost (``cost=``); the dialogs get the same cost for their unknown-name
dummy. Dialogs never enter a modal loop: ``run`` hooks fill them in and press the buttons.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from remoteedu_desktop.data.models import AuditLog
from remoteedu_desktop.services import accounts, offices, units
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.login import LoginDialog, login_if_required
from remoteedu_desktop.ui.main_window import MainWindow
from remoteedu_desktop.ui.rosters.export_dialog import RosterExportDialog
from remoteedu_desktop.ui.worker import Job

FAST = accounts.KdfCost(n=2**4)
T0 = dt.datetime(2026, 6, 30, 8, 0)
SHOTS = Path(os.environ["REMOTEEDU_SHOTS"]) if os.environ.get("REMOTEEDU_SHOTS") else None


@pytest.fixture(autouse=True)
def _inline_jobs() -> Iterator[None]:
    Job.inline = True
    accounts.forget_unknown_names()
    yield
    Job.inline = False


def shoot(widget: QWidget, tmp_path: Path, name: str) -> None:
    widget.show()
    widget.adjustSize()
    assert widget.grab().save(str((SHOTS or tmp_path) / name))


@pytest.fixture
def with_accounts(ctx: AppContext) -> AppContext:
    """王主任 (head, office head) and 张三 (zhang, clerk), passwords "<name> password"."""
    with ctx.session() as s:
        accounts.create_account(s, "head", "王主任", "office_head", "head password", cost=FAST)
    ctx.db.use_account("head")
    with ctx.session() as s:
        accounts.create_account(s, "zhang", "张三", "clerk", "zhang password", cost=FAST)
    ctx.db.use_account(None)
    return ctx


def dialog(qtbot: QtBot, ctx: AppContext, **kw: object) -> LoginDialog:
    dlg = LoginDialog(ctx, cost=FAST, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dlg)
    return dlg


def fill(dlg: LoginDialog, user: str, password: str) -> None:
    dlg.username_edit.setText(user)
    dlg.password_edit.setText(password)
    dlg.login_button.click()


def test_no_login_without_accounts(qtbot: QtBot, ctx: AppContext) -> None:
    def never(_dialog: QDialog) -> int:
        raise AssertionError("no dialog without accounts")

    assert login_if_required(ctx, run=never, cost=FAST)


def test_login_accepts_and_the_audit_log_names_the_account(qtbot: QtBot, with_accounts: AppContext,
                                                           tmp_path: Path) -> None:
    ctx = with_accounts
    dlg = dialog(qtbot, ctx)
    assert dlg.windowTitle() == "登录" and dlg.cancel_button.text() == "退出"
    assert not dlg.login_button.isEnabled()  # nothing typed yet
    dlg.username_edit.setText("zhang")
    shoot(dlg, tmp_path, "login_dialog.png")
    dlg.password_edit.setText("zhang password")
    with qtbot.waitSignal(dlg.logged_in):
        dlg.login_button.click()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.account is not None and dlg.account.text() == "张三（办事员）"
    assert ctx.db.account == "zhang"
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        unit = units.add_unit(s, kind="village", name="石桥村", parent_id=township, code="360499100201")
    with ctx.session() as s:
        who = set(s.scalars(select(AuditLog.account).where(AuditLog.record_id == unit.id)))
    assert who == {"zhang"}


def test_a_wrong_password_is_refused_in_chinese_and_cleared(qtbot: QtBot, with_accounts: AppContext,
                                                            tmp_path: Path) -> None:
    dlg = dialog(qtbot, with_accounts)
    fill(dlg, "zhang", "not the password")
    assert dlg.result() != QDialog.DialogCode.Accepted and dlg.account is None
    assert dlg.message_label.isVisibleTo(dlg)
    assert "用户名或密码不正确，还可以再试 4 次" in dlg.message_label.text()
    assert dlg.password_edit.text() == "" and not dlg.login_button.isEnabled()
    shoot(dlg, tmp_path, "login_refused.png")
    fill(dlg, "nobody", "not the password")  # an unknown name reads the same
    assert "用户名或密码不正确，还可以再试 4 次" in dlg.message_label.text()
    assert with_accounts.db.account != "zhang"


def test_five_failures_lock_the_account_even_for_the_right_password(qtbot: QtBot, with_accounts: AppContext,
                                                                    tmp_path: Path) -> None:
    dlg = dialog(qtbot, with_accounts)
    clock = iter(T0 + dt.timedelta(seconds=n) for n in range(100))
    dlg.now = lambda: next(clock)
    for _ in range(5):
        fill(dlg, "zhang", "not the password")
    assert "账户已锁定" in dlg.message_label.text() and "约 15 分钟后" in dlg.message_label.text()
    fill(dlg, "zhang", "zhang password")
    assert dlg.account is None and "账户已锁定" in dlg.message_label.text()
    shoot(dlg, tmp_path, "login_locked.png")
    dlg.now = lambda: T0 + dt.timedelta(minutes=20)
    fill(dlg, "zhang", "zhang password")
    assert dlg.account is not None and dlg.result() == QDialog.DialogCode.Accepted


def test_login_at_start_runs_the_dialog_when_accounts_exist(qtbot: QtBot, with_accounts: AppContext) -> None:
    def cancel(dlg: QDialog) -> int:
        dlg.reject()
        return dlg.result()

    assert not login_if_required(with_accounts, run=cancel, cost=FAST)

    def log_in(dlg: QDialog) -> int:
        assert isinstance(dlg, LoginDialog)
        fill(dlg, "head", "head password")
        return dlg.result()

    assert login_if_required(with_accounts, run=log_in, cost=FAST)
    assert with_accounts.db.account == "head"


def test_main_window_shows_the_account_and_switches(qtbot: QtBot, with_accounts: AppContext,
                                                   tmp_path: Path) -> None:
    ctx = with_accounts
    ctx.db.use_account("zhang")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.load()
    controls = window.accounts
    assert controls.status_label.text() == "账户：张三（办事员）"
    assert not controls.manage_action.isEnabled()  # clerks do not manage accounts
    assert "管理账户需要“办公室负责人”权限，当前账户：张三（办事员）" in controls.manage_action.toolTip()
    assert controls.switch_action.isEnabled() and controls.password_action.isEnabled()
    assert controls.switch_action.text() == "切换账户(&W)…" and controls.manage_action.text() == "账户管理(&O)…"

    # a clerk's roster export: the unmasked box is greyed out and says why
    export = RosterExportDialog(ctx, window)
    qtbot.addWidget(export)
    assert not export.unmasked.isEnabled()
    assert export.unmasked.toolTip() == "导出完整身份证号码需要“办公室负责人”权限，当前账户：张三（办事员）"

    def switch(dlg: QDialog) -> int:
        assert isinstance(dlg, LoginDialog) and dlg.windowTitle() == "切换账户"
        dlg.cost = FAST
        fill(dlg, "head", "head password")
        return dlg.result()

    controls.run_dialog = switch
    with qtbot.waitSignal(controls.account_changed):
        controls.switch_action.trigger()
    assert controls.status_label.text() == "账户：王主任（办公室负责人）"
    assert controls.manage_action.isEnabled() and ctx.db.account == "head"
    export = RosterExportDialog(ctx, window)
    qtbot.addWidget(export)
    assert export.unmasked.isEnabled()
    window.resize(1000, 300)
    window.show()
    qtbot.waitExposed(window)
    window.statusBar().clearMessage()
    window.grab().save(str((SHOTS or tmp_path) / "main_window_account.png"))


def test_main_window_without_accounts_says_login_is_not_in_use(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.load()
    controls = window.accounts
    assert controls.status_label.text() == "未启用登录"
    assert controls.manage_action.isEnabled()  # the office creates the first account
    assert not controls.switch_action.isEnabled() and not controls.password_action.isEnabled()
    assert window.statusBar().findChild(QLabel, "account_status") is controls.status_label
