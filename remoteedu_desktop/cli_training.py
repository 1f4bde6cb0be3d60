"""``remoteedu training …``: training plans and their paperwork on the command line (R6–R8).

Wired into the main CLI with ``cli_training.register(sub)``, where ``sub`` is the parser's subparsers.

- ``training list [--year Y]``: every plan (short id = the first 8 characters of its id, year, title,
  organizer, kind, sessions, enrolled) and, indented under it, its sessions (short id, date, time, place);
- ``training signin-sheet PLAN_OR_SESSION --out FILE.pdf``: the sign-in sheets of one session, or of
  every session of a plan. The target is a full id, an id prefix of at least 6 characters (the short
  ids of ``list``) or a plan's exact title. An unknown or ambiguous target exits with code 2. The PDF is
  written to a temporary file beside FILE and renamed, so FILE is never left half-written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import paths
from .cli_common import err as _err
from .cli_common import out as _out
from .data.database import Database, open_database
from .errors import DatabaseError, ValidationError
from .services import training_plans, training_print
from .sync.safe_write import write_file_safely

#: Exit code for a plan or session that cannot be found, or is ambiguous.
EXIT_NOT_FOUND = 2


def _open() -> Database:
    return open_database(paths.database_url())


def short_id(rid: str) -> str:
    return rid[:8]


def cmd_list(args: argparse.Namespace) -> int:
    try:
        db = _open()
    except DatabaseError as exc:
        _err(f"错误：{exc}")
        return 1
    try:
        with db.session() as session:
            plans = training_plans.list_plans(session, year=args.year)
            sessions = {p.id: training_plans.list_sessions(session, p.id) for p in plans}
    finally:
        db.dispose()
    if not plans:
        _out(f"没有{args.year}年的培训计划。" if args.year else "还没有培训计划。")
        return 0
    for p in plans:
        _out(f"{short_id(p.id)}  {p.year}  {p.title}  {p.organizer_label}  {p.kind_label}  "
             f"课次 {p.session_count}  报名 {p.enrolled_count} 人")
        for s in sessions[p.id]:
            when = f"{s.date.isoformat()}  {s.time_label or '（未定时间）'}"
            _out(f"    {short_id(s.id)}  {when}  {s.place or '（未定地点）'}")
    _out(f"共 {len(plans)} 个培训计划。")
    return 0


def write_atomically(target: Path, data: bytes) -> None:
    """*data* written safely over *target* (temporary file, fsync, rename, read back): a reader or a crash
    never sees a half-written PDF, and an existing file is replaced only by a complete one."""
    write_file_safely(target, data, overwrite=True)


def cmd_signin_sheet(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if not out.parent.is_dir():
        _err(f"错误：目录不存在：{out.parent}")
        return 1
    try:
        db = _open()
    except DatabaseError as exc:
        _err(f"错误：{exc}")
        return 1
    try:
        with db.session() as session:
            try:
                kind, target = training_print.resolve_target(session, args.target)
            except ValidationError as exc:
                _err(f"错误：{exc.text()}")
                return EXIT_NOT_FOUND
            if kind == "plan":
                plan = training_plans.get_plan(session, target)
                count = plan.session_count
            else:
                one = training_plans.get_session(session, target)
                plan = training_plans.get_plan(session, one.plan_id)
                count = 1
            pdf = training_print.sign_in_sheet_pdf(session, target)
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return 1
    finally:
        db.dispose()
    try:
        write_atomically(out, pdf)
    except OSError as exc:
        _err(f"错误：无法写入 {out}：{exc.strerror or exc}")
        return 1
    what = f"{count} 个课次" if kind == "plan" else "1 个课次"
    _out(f"已生成签到表：{out}（「{plan.title}」，{what}，每个课次 {plan.enrolled_count} 人）")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``training list|signin-sheet`` to the main CLI's subparsers."""
    training = subparsers.add_parser("training", help="培训：计划列表、签到表")
    sub = training.add_subparsers(dest="training_command", required=True)

    p = sub.add_parser("list", help="列出培训计划及其课次（编号显示前 8 位）")
    p.add_argument("--year", type=int, help="只列出该年度的培训计划")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("signin-sheet", help="打印签到表 PDF：一个课次，或一个培训计划的全部课次")
    p.add_argument("target", metavar="PLAN_OR_SESSION",
                   help="培训计划或课次的编号（至少前 6 位），或培训计划的名称")
    p.add_argument("--out", required=True, help="输出的 .pdf 文件")
    p.set_defaults(func=cmd_signin_sheet)


__all__ = ["EXIT_NOT_FOUND", "cmd_list", "cmd_signin_sheet", "register", "write_atomically"]
