"""``remoteedu accounts …`` and the global ``--user`` login (issue 10 item 5).

- ``accounts list``; ``accounts add NAME --role ROLE [--display-name 姓名]``; ``accounts passwd [NAME]``
  (one's own password, or a reset by an office head); ``accounts role NAME ROLE``;
  ``accounts disable NAME`` / ``accounts enable NAME``; ``accounts unlock NAME``.
- New passwords come from a prompt (typed twice) or ``REMOTEEDU_NEW_PASSWORD``.

Login: when the database has at least one active account, every command that writes (to the database or
to a file) needs ``remoteedu --user NAME …``; the password comes from ``REMOTEEDU_PASSWORD`` or a prompt
(getpass). The databases the command opens then audit its changes under NAME. Read-only commands
(:data:`READ_ONLY`) run without it. Without accounts nothing changes: no prompt, no ``--user`` needed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from . import paths
from .cli_common import err as _err
from .cli_common import out as _out
from .data.database import Database, open_database, set_process_login
from .errors import DatabaseError, ValidationError
from .services import accounts

PASSWORD_ENV = "REMOTEEDU_PASSWORD"
NEW_PASSWORD_ENV = "REMOTEEDU_NEW_PASSWORD"

#: (command, subcommand) pairs that neither change the database nor write files: no login needed.
READ_ONLY = frozenset({
    ("check", None), ("training", "list"), ("report", "list"), ("certificates", "eligible"),
    ("certificates", "verify"), ("sync", "status"), ("sync", "verify"),
})
ROLE_NAMES = {**{code: code for code in accounts.ROLES}, **{label: code for code, label in accounts.ROLES.items()}}


def _command(args: argparse.Namespace) -> tuple[str, str | None]:
    command = str(getattr(args, "command", "") or "")
    if command == "report":
        return command, "list" if getattr(args, "name", None) == "list" else "make"
    sub = getattr(args, f"{command}_command", None)
    return command, (str(sub) if sub else None)


def _open_existing() -> Database | None:
    """The data directory's database, or None when its SQLite file does not exist yet (no accounts then).

    Not creating the file just to look keeps init, demo and restore on an empty data directory as they were.
    """
    url = paths.database_url()
    file = paths.database_path()
    if url == f"sqlite:///{file.as_posix()}" and (not file.exists() or file.stat().st_size == 0):
        return None
    return open_database(url)


def _ask(prompt: str, env: str) -> str | None:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(prompt)


def login_for_command(args: argparse.Namespace) -> int | None:
    """Before a command runs: log in ``--user`` when needed. An exit code to stop with, or None to go on."""
    user = getattr(args, "user", None)
    if _command(args) in READ_ONLY and not user:
        return None
    try:
        db = _open_existing()
    except DatabaseError:
        return None  # the command itself says what is wrong with the database (or restores it)
    if db is None:
        in_use = False
    else:
        try:
            with db.session() as session:
                in_use = accounts.login_required(session)
        except BaseException:
            db.dispose()
            raise
    try:
        if not in_use:
            if user:
                _err(f"提示：本数据库没有启用账户，--user {user} 未使用。")
            return None
        if not user:
            _err("错误：本数据库已启用账户，这个命令需要先登录：remoteedu --user 用户名 …"
                 f"（密码在提示时输入，或放在环境变量 {PASSWORD_ENV} 中）")
            return 1
        password = _ask(f"账户 {user} 的密码：", PASSWORD_ENV)
        if password is None:
            _err(f"错误：无法提示输入密码（没有终端），请用环境变量 {PASSWORD_ENV} 提供账户 {user} 的密码")
            return 1
        assert db is not None
        with db.session() as session:
            result = accounts.login(session, user, password)  # a refusal's failure count commits here
    finally:
        if db is not None:
            db.dispose()
    if result.account is None:
        _err(f"错误：{result.message}")
        return 1
    set_process_login(result.account.username)
    args.login_password = password  # ``accounts passwd`` checks the old password with it
    return None


def forget_login() -> None:
    set_process_login(None)


# --- accounts subcommands ------------------------------------------------------------------------------

def _new_password(name: str) -> str | None:
    value = os.environ.get(NEW_PASSWORD_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        _err(f"错误：无法提示输入新密码（没有终端），请用环境变量 {NEW_PASSWORD_ENV} 提供")
        return None
    first = getpass.getpass(f"账户 {name} 的新密码（至少 {accounts.MIN_PASSWORD_LENGTH} 个字符）：")
    if getpass.getpass("再输入一次：") != first:
        _err("错误：两次输入的密码不一致，未作修改")
        return None
    return first


def _role(text: str) -> str:
    code = ROLE_NAMES.get(text.strip())
    if code is None:
        raise ValidationError(f"“{text}”不是账户角色，应为 {'、'.join(f'{c}（{n}）' for c, n in accounts.ROLES.items())}",
                              field="角色")
    return code


def _status(info: accounts.AccountInfo) -> str:
    if not info.active:
        return "已停用"
    if info.locked():
        return f"已锁定到 {info.locked_until:%Y-%m-%d %H:%M}（UTC）"
    return "正常" + (f"（已输错 {info.failed_attempts} 次）" if info.failed_attempts else "")


def cmd_list(args: argparse.Namespace) -> int:
    db = open_database(paths.database_url())
    try:
        with db.session() as session:
            rows = accounts.list_accounts(session)
            server = db.path is None
    finally:
        db.dispose()
    if not rows:
        _out("本数据库没有账户：不需要登录，本机用户即本办公室，可以做所有操作。")
        if server:
            _out("注意：这是服务器数据库，多人共用，请建立账户：remoteedu accounts add 用户名 --role office_head")
        return 0
    _out(f"{'用户名':<14}{'姓名':<10}{'角色':<10}状态")
    for info in rows:
        _out(f"{info.username:<16}{info.display_name:<10}{info.role_label:<10}{_status(info)}")
    return 0


def _run(change: str, action: object) -> int:
    db = open_database(paths.database_url())
    try:
        with db.session() as session:
            info = action(session)  # type: ignore[operator]
    finally:
        db.dispose()
    _out(f"{change}：{info.username}　{info.text()}　{_status(info)}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    role = _role(args.role)
    password = _new_password(args.username)
    if password is None:
        return 1
    return _run("已建立账户", lambda s: accounts.create_account(s, args.username, args.display_name or "", role,
                                                          password))


def cmd_passwd(args: argparse.Namespace) -> int:
    own = getattr(args, "login_password", None)
    name = args.username or getattr(args, "user", None)
    if not name:
        _err("错误：请写出要修改密码的用户名")
        return 1
    password = _new_password(name)
    if password is None:
        return 1
    return _run("已修改密码", lambda s: accounts.change_password(s, name, password, old_password=own))


def cmd_role(args: argparse.Namespace) -> int:
    role = _role(args.role)
    return _run("已更改角色", lambda s: accounts.set_role(s, args.username, role))


def cmd_disable(args: argparse.Namespace) -> int:
    return _run("已停用", lambda s: accounts.set_active(s, args.username, False))


def cmd_enable(args: argparse.Namespace) -> int:
    return _run("已启用", lambda s: accounts.set_active(s, args.username, True))


def cmd_unlock(args: argparse.Namespace) -> int:
    return _run("已解锁", lambda s: accounts.unlock(s, args.username))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``accounts list|add|passwd|role|disable|enable|unlock`` to the main CLI's subparsers."""
    group = subparsers.add_parser("accounts", help="账户和角色（可选登录）：列出、新建、改密码、改角色、停用、解锁")
    sub = group.add_subparsers(dest="accounts_command", required=True)
    roles = "、".join(f"{c}（{n}）" for c, n in accounts.ROLES.items())

    p = sub.add_parser("list", help="列出账户、角色和状态")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("add", help=f"新建账户（新密码在提示时输入，或用环境变量 {NEW_PASSWORD_ENV}）")
    p.add_argument("username")
    p.add_argument("--role", required=True, help=f"角色：{roles}")
    p.add_argument("--display-name", help="姓名（显示在状态栏和操作日志说明中）")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("passwd", help="修改自己的密码，或（办公室负责人）重设他人的密码")
    p.add_argument("username", nargs="?", help="用户名（默认：--user 登录的账户）")
    p.set_defaults(func=cmd_passwd)

    p = sub.add_parser("role", help="更改账户角色")
    p.add_argument("username")
    p.add_argument("role", help=f"角色：{roles}")
    p.set_defaults(func=cmd_role)

    p = sub.add_parser("disable", help="停用账户（不能再登录；操作日志中的名字保留）")
    p.add_argument("username")
    p.set_defaults(func=cmd_disable)

    p = sub.add_parser("enable", help="重新启用已停用的账户")
    p.add_argument("username")
    p.set_defaults(func=cmd_enable)

    p = sub.add_parser("unlock", help="解除连续输错密码造成的锁定")
    p.add_argument("username")
    p.set_defaults(func=cmd_unlock)


__all__ = ["NEW_PASSWORD_ENV", "PASSWORD_ENV", "READ_ONLY", "forget_login", "login_for_command", "register"]
