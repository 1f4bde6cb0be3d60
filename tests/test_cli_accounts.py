"""``remoteedu accounts …`` and the global ``--user`` (cli_accounts.py, issue 10 item 5), through cli.main.

Passwords come from the environment (REMOTEEDU_PASSWORD, REMOTEEDU_NEW_PASSWORD), as in a script. The CLI
hashes at the real scrypt cost, so these tests keep to a handful of logins.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from remoteedu_desktop import cli, paths
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import AuditLog
from remoteedu_desktop.services import accounts
from remoteedu_desktop.services.offices import init_office


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REMOTEEDU_PASSWORD", raising=False)
    monkeypatch.delenv("REMOTEEDU_NEW_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)  # never a prompt in tests
    db = open_database(paths.database_url())
    with db.session() as s:
        init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
    db.dispose()


def audit_accounts(table: str) -> list[str]:
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            return list(s.scalars(select(AuditLog.account).where(AuditLog.table_name == table)
                                  .order_by(AuditLog.id)))
    finally:
        db.dispose()


def test_without_accounts_nothing_changes(office: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "accounts", "list")
    assert code == 0 and "本数据库没有账户" in out
    code, out, _ = run(capsys, "people", "export", str(tmp_path / "a.xlsx"), "--unmasked")
    assert code == 0, out
    code, _, err = run(capsys, "--user", "head", "people", "template", str(tmp_path / "t.xlsx"))
    assert code == 0 and "没有启用账户" in err  # --user is ignored, with a note


def test_first_account_then_login_is_needed_for_writes(office: None, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("REMOTEEDU_NEW_PASSWORD", "head password")
    code, _, err = run(capsys, "accounts", "add", "zhang", "--role", "clerk")
    assert code == 1 and "第一个账户必须是" in err
    code, out, err = run(capsys, "accounts", "add", "head", "--role", "办公室负责人", "--display-name", "王主任")
    assert code == 0, err
    assert "已建立账户：head　王主任（办公室负责人）" in out

    # a write without --user is refused; a read-only command still runs
    code, _, err = run(capsys, "people", "template", str(tmp_path / "t.xlsx"))
    assert code == 1 and "需要先登录：remoteedu --user 用户名" in err
    assert not (tmp_path / "t.xlsx").exists()
    code, out, _ = run(capsys, "check")
    assert code == 0 and "完整性检查：通过" in out
    # no terminal and no REMOTEEDU_PASSWORD: a clear message, not a hang
    code, _, err = run(capsys, "--user", "head", "accounts", "list")
    assert code == 1 and "REMOTEEDU_PASSWORD" in err

    monkeypatch.setenv("REMOTEEDU_PASSWORD", "wrong password")
    code, _, err = run(capsys, "--user", "head", "accounts", "list")
    assert code == 1 and "用户名或密码不正确，还可以再试 4 次" in err
    monkeypatch.setenv("REMOTEEDU_PASSWORD", "head password")
    monkeypatch.setenv("REMOTEEDU_NEW_PASSWORD", "zhang password")
    code, out, err = run(capsys, "--user", "head", "accounts", "add", "zhang", "--role", "clerk",
                         "--display-name", "张三")
    assert code == 0 and "已建立账户：zhang　张三（办事员）" in out, err
    # the first account was made by the office (the OS user), the second under "head"
    made = audit_accounts("account")
    assert made[-1] == "head" and made[0] != "head"


def test_a_clerk_cannot_export_unmasked_and_the_audit_names_the_account(
        office: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(paths.database_url())
    cost = accounts.KdfCost(n=2**4)  # fast hashes; the CLI verifies at whatever cost they were made
    with db.session() as s:
        accounts.create_account(s, "head", "王主任", "office_head", "head password", cost=cost)
    db.use_account("head")
    with db.session() as s:
        accounts.create_account(s, "zhang", "张三", "clerk", "zhang password", cost=cost)
    db.dispose()

    monkeypatch.setenv("REMOTEEDU_PASSWORD", "zhang password")
    target = tmp_path / "full.xlsx"
    code, _, err = run(capsys, "--user", "zhang", "people", "export", str(target), "--unmasked")
    assert code == 1
    assert "导出完整身份证号码需要“办公室负责人”权限，当前账户：张三（办事员）" in err
    assert not target.exists()
    code, _, err = run(capsys, "--user", "zhang", "accounts", "disable", "head")
    assert code == 1 and "需要“办公室负责人”权限" in err
    # a clerk changes their own password (the login password is the old one)
    monkeypatch.setenv("REMOTEEDU_NEW_PASSWORD", "zhang new password")
    code, out, err = run(capsys, "--user", "zhang", "accounts", "passwd")
    assert code == 0 and "已修改密码：zhang" in out, err

    monkeypatch.setenv("REMOTEEDU_PASSWORD", "head password")
    code, out, err = run(capsys, "--user", "head", "people", "export", str(target), "--unmasked")
    assert code == 0 and target.exists(), err
    code, _, err = run(capsys, "--user", "head", "accounts", "role", "head", "clerk")
    assert code == 1 and "最后一个能管理账户的账户" in err
    code, out, _ = run(capsys, "--user", "head", "accounts", "disable", "zhang")
    assert code == 0 and "已停用：zhang　张三（办事员）" in out
    code, out, _ = run(capsys, "--user", "head", "accounts", "list")
    assert code == 0 and "王主任" in out and "已停用" in out

    db = open_database(paths.database_url())
    with db.session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.field == "unmasked_export")).all()
        password = s.scalars(select(AuditLog).where(AuditLog.field == "password_hash")).all()
    db.dispose()
    assert [r.account for r in rows] == ["head"]
    # zhang's own change (and the re-hashes at the real cost when each logged in): never the OS user
    assert {r.account for r in password} == {"zhang", "head"}
    assert all(r.old_value == "***" and r.new_value == "***" for r in password)
