"""``remoteedu``: the command line over the same services the GUI uses.

What the GUI does, a script can do: set up an office, build a demo county,
check the database, back it up and restore it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select

from . import (
    __version__,
    cli_accounts,
    cli_certificates,
    cli_evaluation,
    cli_people,
    cli_reports,
    cli_sync,
    cli_training,
    paths,
)
from .cli_common import err as _err
from .cli_common import out as _out
from .data import backup as backups
from .data.database import Database, open_database
from .data.models import Certificate, OrgUnit, Person, Post
from .errors import DatabaseError, ValidationError
from .services import checks, offices
from .services.progress import run_to_end


def _open() -> Database:
    return open_database(paths.database_url())


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，应为 YYYY-MM-DD") from exc


def cmd_init(args: argparse.Namespace) -> int:
    db = _open()
    try:
        with db.session() as session:
            info = offices.init_office(session, level=args.level, code=args.code, name=args.name,
                                       county_name=args.county_name)
    finally:
        db.dispose()
    _out(f"已设置为{'县' if info.level == 'county' else '乡镇'}远程办：{info.name}（{info.code}）")
    _out(f"数据库：{db.url}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .services import demo

    db = _open()
    try:
        with db.session() as session:
            if offices.office_info(session).initialized:
                if args.if_missing:
                    _out(f"数据库已存在，未改动：{db.url}")
                    return 0
                _err(f"数据库已设置为{offices.office_info(session).name}，演示数据只能写入空数据库。"
                     f"请用 --home 指定一个新目录。")
                return 1
        with db.session() as session:
            steps = demo.demo_steps(session, townships=args.townships, sites=args.sites, seed=args.seed,
                                    **({"today": args.today} if args.today else {}))
            summary = run_to_end(steps, lambda done, total, text: _out(f"[{done}/{total}] {text}"))
    finally:
        db.dispose()
    _out(f"演示数据库已生成：{db.url}")
    if summary is not None:
        _out(str(summary))
    return 0


def _counts(db: Database) -> str:
    with db.session() as session:
        def count(model: type, *where: object) -> int:
            return session.scalar(select(func.count()).select_from(model).where(
                model.deleted.is_(False), *where)) or 0  # type: ignore[attr-defined]
        return (f"单位 {count(OrgUnit)} 个，人员 {count(Person)} 人，在岗岗位 {count(Post, Post.end_date.is_(None))} 个，"
                f"证书 {count(Certificate)} 本")


def cmd_check(args: argparse.Namespace) -> int:
    try:
        db = _open()
    except DatabaseError as exc:
        _err(f"数据库损坏或不可用：{exc}")
        return 1
    try:
        _out(f"数据库：{db.url}")
        _out("完整性检查：通过")
        _out(_counts(db))
        with db.session() as session:
            office = offices.office_info(session)
            warnings = checks.rule_warnings(session, today=args.today)
        if not office.initialized:
            _out("提示：本机尚未设置单位（remoteedu init …）")
        if warnings:
            _out(f"规则提醒 {len(warnings)} 条：")
            for w in warnings:
                _out(f"  {w.text()}")
        else:
            _out("规则检查：无问题")
    finally:
        db.dispose()
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    db = _open()
    try:
        target = db.backup("manual", Path(args.to) if args.to else None, keep=None)
    finally:
        db.dispose()
    _out(f"已备份到：{target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if paths.database_url() != f"sqlite:///{paths.database_path().as_posix()}":
        _err("服务器数据库请用数据库自己的工具恢复；本命令只恢复本机数据库文件。")
        return 1
    source = Path(args.file)
    info = backups.inspect_backup(source)
    _out(f"备份：{info.path}")
    _out(f"  时间 {info.taken:%Y-%m-%d %H:%M}，单位“{info.office}”，人员 {info.people} 人，单位 {info.units} 个")
    if not args.yes:
        if not sys.stdin.isatty():
            _err("恢复会替换当前数据库。确认无误后加 --yes 再运行。")
            return 1
        if input("用这个备份替换当前数据库？当前数据库会先另存为备份。[y/N] ").strip().lower() not in ("y", "yes"):
            _out("已取消。")
            return 1
    _, kept = backups.restore_file(source, paths.database_path(), paths.backup_dir())
    if kept:
        _out(f"原数据库已另存为：{kept}")
    db = _open()  # checks integrity and migrates an older backup to this program's schema
    db.dispose()
    _out("恢复完成。")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="remoteedu", description="远程教育骨干队伍管理 — 命令行")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--home", help="数据目录（默认：系统数据目录；也可用环境变量 REMOTEEDU_HOME）")
    parser.add_argument("--user", help="启用账户后，写入数据的命令以该账户登录（密码在提示时输入，或用环境变量 "
                                       "REMOTEEDU_PASSWORD）")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="把本机设置为县或乡镇远程办")
    p.add_argument("--level", required=True, choices=("county", "township"))
    p.add_argument("--code", required=True, help="单位代码：县 6 位，乡镇 9 位")
    p.add_argument("--name", required=True)
    p.add_argument("--county-name", help="乡镇所属县的名称")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="生成演示县数据库")
    p.add_argument("--townships", type=int, default=6)
    p.add_argument("--sites", type=int, default=10, help="每个乡镇的村站点数")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--today", type=_date, help="演示数据的“今天”（YYYY-MM-DD）")
    p.add_argument("--if-missing", action="store_true", help="数据库已设置时不做任何事")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check", help="完整性检查和规则提醒；数据库损坏时退出码为 1")
    p.add_argument("--today", type=_date, default=None)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("backup", help="备份数据库")
    p.add_argument("--to", help="备份目录（默认：数据目录下的 backups）")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="从备份恢复（当前数据库先另存为备份）")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="不再询问")
    p.set_defaults(func=cmd_restore)

    cli_people.register(sub)
    cli_training.register(sub)
    cli_certificates.register(sub)
    cli_sync.register(sub)
    cli_evaluation.register(sub)
    cli_reports.register(sub)
    cli_accounts.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    paths.set_home(args.home)
    try:
        for name in ("townships", "sites"):
            value = getattr(args, name, None)
            if value is not None and not 1 <= value <= 500:
                raise ValidationError("应在 1 到 500 之间", field=f"--{name}")
        stop = cli_accounts.login_for_command(args)  # issue 10 item 5: --user when accounts are in use
        if stop is not None:
            return stop
        return int(args.func(args))
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return 1
    except DatabaseError as exc:
        _err(f"错误：{exc}")
        return 1
    finally:
        cli_accounts.forget_login()
        paths.set_home(None)


if __name__ == "__main__":
    raise SystemExit(main())
