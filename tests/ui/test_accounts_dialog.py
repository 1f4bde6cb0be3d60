"""File → Accounts… (ui/accounts, issue 10 item 5): the first account, creating, resetting, changing roles,
deactivating and unlocking through the service's rules, shown in Chinese; disabled for clerks.

Sub-dialogs run through the ``run_dialog`` hook (filled in and submitted, never a modal loop); accounts are
hashed with a tiny scrypt cost.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from remoteedu_desktop.data.models import Account, AuditLog
from remoteedu_desktop.services import accounts
from remoteedu_desktop.ui.accounts import AccountsDialog, NewAccountDialog, PasswordDialog, RoleDialog
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.worker import Job

FAST = accounts.KdfCost(n=2**4)
SHOTS = Path(os.environ["REMOTEEDU_SHOTS"]) if os.environ.get("REMOTEEDU_SHOTS") else None


@pytest.fixture(autouse=True)
def _inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


def shoot(widget: QWidget, tmp_path: Path, name: str) -> None:
    widget.show()
    assert widget.grab().save(str((SHOTS or tmp_path) / name))


def manager(qtbot: QtBot, ctx: AppContext) -> AccountsDialog:
    dlg = AccountsDialog(ctx, cost=FAST)
    qtbot.addWidget(dlg)
    return dlg


def new_account(user: str, name: str, role: str, password: str, repeat: str | None = None,
                shots: list[QDialog] | None = None) -> Callable[[QDialog], int]:
    def run(dlg: QDialog) -> int:
        assert isinstance(dlg, NewAccountDialog)
        dlg.username_edit.setText(user)
        dlg.name_edit.setText(name)
        dlg.role_combo.setCurrentIndex(dlg.role_combo.findData(role))
        dlg.password_edit.setText(password)
        dlg.repeat_edit.setText(password if repeat is None else repeat)
        dlg.ok_button.click()
        if shots is not None:
            shots.append(dlg)
        return dlg.result()
    return run


def test_the_office_creates_the_first_account_and_then_works_under_it(qtbot: QtBot, ctx: AppContext,
                                                                      tmp_path: Path) -> None:
    dlg = manager(qtbot, ctx)
    assert "尚未启用账户" in dlg.hint.text() and dlg.table.rowCount() == 0
    assert dlg.new_button.isEnabled() and not dlg.role_button.isEnabled()
    refused: list[QDialog] = []
    dlg.run_dialog = new_account("zhang", "张三", "clerk", "zhang password", shots=refused)
    dlg.new_button.click()
    first = refused[0]
    assert isinstance(first, NewAccountDialog) and first.result() != QDialog.DialogCode.Accepted
    assert "第一个账户必须是“办公室负责人”或“县级管理员”" in first.message_label.text()
    assert "这是第一个账户" in first.hint.text()
    shoot(first, tmp_path, "accounts_first_refused.png")
    dlg.run_dialog = new_account("head", "王主任", "office_head", "head password", repeat="typo password")
    dlg.new_button.click()
    assert dlg.table.rowCount() == 0  # the two passwords differ: nothing written
    dlg.run_dialog = new_account("head", "王主任", "office_head", "head password")
    dlg.new_button.click()
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 2).text() == "办公室负责人"
    assert "已建立账户：王主任（办公室负责人）" in dlg.message_label.text()
    assert ctx.db.account == "head"  # whoever made the first account now works under it
    assert "当前登录：王主任（办公室负责人）" in dlg.hint.text()


@pytest.fixture
def head(ctx: AppContext) -> AppContext:
    with ctx.session() as s:
        accounts.create_account(s, "head", "王主任", "office_head", "head password", cost=FAST)
    ctx.db.use_account("head")
    with ctx.session() as s:
        accounts.create_account(s, "zhang", "张三", "clerk", "zhang password", cost=FAST)
    return ctx


def test_an_office_head_manages_the_others(qtbot: QtBot, head: AppContext, tmp_path: Path) -> None:
    ctx = head
    dlg = manager(qtbot, ctx)
    assert [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())] == ["head", "zhang"]
    dlg.select("zhang")
    assert dlg.password_button.isEnabled() and dlg.role_button.isEnabled() and dlg.active_button.text() == "停用"
    assert not dlg.unlock_button.isEnabled()  # not locked

    def reset(d: QDialog) -> int:
        assert isinstance(d, PasswordDialog) and not d.own and d.windowTitle() == "重设密码"
        d.new_edit.setText("short")
        d.repeat_edit.setText("short")
        d.ok_button.click()
        assert "至少需要 8 个字符" in d.message_label.text()
        d.new_edit.setText("fresh password")
        d.repeat_edit.setText("fresh password")
        d.ok_button.click()
        return d.result()

    dlg.run_dialog = reset
    dlg.password_button.click()
    assert "已修改密码：张三（办事员）" in dlg.message_label.text()
    with ctx.session() as s:
        result = accounts.login(s, "zhang", "fresh password", cost=FAST)
    assert result.ok

    def role(d: QDialog) -> int:
        assert isinstance(d, RoleDialog)
        d.role_combo.setCurrentIndex(d.role_combo.findData("county_admin"))
        d.ok_button.click()
        assert "需要“县级管理员”权限，当前账户：王主任（办公室负责人）" in d.message_label.text()
        d.role_combo.setCurrentIndex(d.role_combo.findData("office_head"))
        d.ok_button.click()
        return d.result()

    dlg.run_dialog = role
    dlg.role_button.click()
    assert "已更改角色：张三（办公室负责人）" in dlg.message_label.text()

    asked: list[str] = []
    dlg.confirm = lambda _p, _t, text: asked.append(text) or True  # type: ignore[func-returns-value]
    dlg.select("zhang")
    dlg.active_button.click()
    assert asked and "停用 张三（办公室负责人）" in asked[0]
    assert dlg.table.item(1, 3).text() == "已停用" and dlg.active_button.text() == "重新启用"
    dlg.select("head")
    dlg.active_button.click()  # the last manager: refused, in the service's words
    assert "最后一个能管理账户的账户" in dlg.message_label.text()
    with ctx.session() as s:
        assert s.scalar(select(Account.active).where(Account.username == "head")) is True
        who = set(s.scalars(select(AuditLog.account).where(AuditLog.table_name == "account",
                                                           AuditLog.field.in_(("role", "active")))))
    assert who == {"head"}
    shoot(dlg, tmp_path, "accounts_dialog.png")


def test_unlock_is_offered_for_a_locked_account(qtbot: QtBot, head: AppContext) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with head.session() as s:
        for n in range(5):
            accounts.login(s, "zhang", "wrong password", now=now + dt.timedelta(seconds=n), cost=FAST)
    dlg = manager(qtbot, head)
    dlg.select("zhang")
    assert dlg.table.item(1, 3).text().startswith("锁定到 ")
    assert dlg.unlock_button.isEnabled()
    dlg.unlock_button.click()
    assert "已解锁：张三（办事员）" in dlg.message_label.text() and dlg.table.item(1, 3).text() == "正常"


def test_a_clerk_sees_the_list_but_every_button_is_disabled(qtbot: QtBot, head: AppContext) -> None:
    head.db.use_account("zhang")
    dlg = manager(qtbot, head)
    dlg.select("head")
    for button in (dlg.new_button, dlg.password_button, dlg.role_button, dlg.active_button, dlg.unlock_button):
        assert not button.isEnabled()
    assert dlg.new_button.toolTip() == "管理账户需要“办公室负责人”权限，当前账户：张三（办事员）"


def test_changing_ones_own_password_needs_the_old_one(qtbot: QtBot, head: AppContext, tmp_path: Path) -> None:
    head.db.use_account("zhang")
    dlg = PasswordDialog(head, "zhang", own=True, cost=FAST)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "修改我的密码" and not dlg.old_edit.isHidden()
    dlg.old_edit.setText("wrong password")
    dlg.new_edit.setText("zhang new password")
    dlg.repeat_edit.setText("zhang new password")
    dlg.ok_button.click()
    assert dlg.result() != QDialog.DialogCode.Accepted and "【原密码】原密码不正确" in dlg.message_label.text()
    shoot(dlg, tmp_path, "accounts_own_password.png")
    dlg.old_edit.setText("zhang password")
    dlg.repeat_edit.setText("zhang new passwordX")
    dlg.ok_button.click()
    assert "两次输入的新密码不一致" in dlg.message_label.text()
    dlg.repeat_edit.setText("zhang new password")
    dlg.ok_button.click()
    assert dlg.result() == QDialog.DialogCode.Accepted
    with head.session() as s:
        assert accounts.login(s, "zhang", "zhang new password", cost=FAST).ok
