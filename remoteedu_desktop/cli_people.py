"""``remoteedu people …``: the staff roster on the command line (import, export, template).

Wired into the main CLI with ``cli_people.register(sub)``, where ``sub`` is the parser's subparsers.
Each handler opens the database the same way the GUI does and returns the exit code:

- ``people import FILE.xlsx [--dry-run] [--skip-errors]``: prints the preview summary, writes the row
  report ``<name>.导入报告.xlsx`` next to the file, exits 1 when rows are refused (and then writes
  nothing unless ``--skip-errors``), otherwise applies everything in one transaction;
- ``people export FILE.xlsx [--unit CODE_OR_NAME] [--role ROLE] [--unmasked]``;
- ``people template FILE.xlsx``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import codes, paths
from .cli_common import err as _err
from .cli_common import out as _out
from .data.database import Database, open_database
from .data.models import OrgUnit
from .errors import DatabaseError, ValidationError
from .services import offices
from .services import roster_columns as rc
from .services.backups import backup_before
from .services.progress import run_to_end
from .services.roster_template import write_template
from .services.staff_export import export_roster_steps
from .services.staff_import import apply_import, preview_roster, read_roster, write_row_report

#: How many refused rows are printed; the report has them all.
MAX_PRINTED_ERRORS = 30


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，应为 YYYY-MM-DD") from exc


def _open() -> Database:
    return open_database(paths.database_url())


def report_path(roster: Path) -> Path:
    """``花名册.xlsx`` → ``花名册.导入报告.xlsx``, next to the roster."""
    return roster.with_name(f"{roster.stem}.导入报告.xlsx")


def _require_office(session: Session) -> bool:
    if not offices.office_info(session).initialized:
        _err("错误：本机尚未设置单位，请先运行 remoteedu init …")
        return False
    return True


def cmd_import(args: argparse.Namespace) -> int:
    file = Path(args.file)
    today = args.today or dt.date.today()
    try:
        roster = read_roster(file)
        db = _open()
    except (ValidationError, DatabaseError) as exc:
        _err(f"错误：{exc.text() if isinstance(exc, ValidationError) else exc}")
        return 1
    try:
        with db.session() as session:
            if not _require_office(session):
                return 1
            preview = preview_roster(session, roster, today=today)
            summary = preview.summary
            _out(f"花名册：{file.name}（读取工作表：{'、'.join(s.name for s in roster.sheets)}）")
            for note in preview.notes:
                _out(f"  提示：{note}")
            _out(summary.text())
            report = write_row_report(preview, report_path(file))
            _out(f"逐行报告：{report}")
            errors = preview.errors
            for row in errors[:MAX_PRINTED_ERRORS]:
                for reason in row.reasons:
                    _out(f"  × {reason}")
            if len(errors) > MAX_PRINTED_ERRORS:
                _out(f"  …… 另有 {len(errors) - MAX_PRINTED_ERRORS} 行错误，详见逐行报告")
            if args.dry_run:
                _out("试运行：未写入任何数据。")
                return 1 if errors else 0
            if errors and not args.skip_errors:
                _err(f"有 {len(errors)} 行有错误，未导入任何数据。请改正后重新导入，或加 --skip-errors 只导入无误的行。")
                return 1
            backup_before(db, "staff_import")  # issue 9 item 3: a backup before every bulk change
            steps = apply_import(session, preview, today=today, skip_errors=args.skip_errors)
            step = max(1, (summary.new + summary.update) // 10)

            def report(done: int, total: int, text: str) -> None:
                if done and (done % step == 0 or done == total):
                    _out(f"[{done}/{total}] {text}")

            result = run_to_end(steps, report)
        _out(f"导入完成：新增 {result.new} 人，更新 {result.update} 人，无变化 {result.unchanged} 人"
             + (f"，跳过错误 {result.error} 行" if result.error else "") + "。")
        return 1 if errors else 0
    except ValidationError as exc:
        _err(f"错误：{exc.text()}（未写入任何数据）")
        return 1
    finally:
        db.dispose()


def _find_unit(session: Session, text: str) -> str:
    form = rc.normalize(text)
    units = session.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.name).where(
        OrgUnit.deleted.is_(False))).tuples().all()
    found = [u for u in units if u[1] == form] or [u for u in units if rc.normalize(u[2]) == form]
    if not found:
        raise ValidationError(f"找不到单位“{text}”", field="--unit")
    if len(found) > 1:
        raise ValidationError(f"有 {len(found)} 个单位名为“{text}”，请用统计代码", field="--unit")
    return found[0][0]


def cmd_export(args: argparse.Namespace) -> int:
    try:
        db = _open()
    except DatabaseError as exc:
        _err(f"错误：{exc}")
        return 1
    try:
        with db.session() as session:
            if not _require_office(session):
                return 1
            unit_id = _find_unit(session, args.unit) if args.unit else None
            role = rc.to_code("role", args.role) if args.role else None
            steps = export_roster_steps(session, args.file, unit_id=unit_id, role=role, unmasked=args.unmasked)
            count = int(run_to_end(steps))
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return 1
    finally:
        db.dispose()
    _out(f"已导出 {count} 人到：{args.file}")
    if args.unmasked:
        _out("注意：文件含完整身份证号码和电话，已记入操作日志；请妥善保管，勿以明文拷入U盘。")
    else:
        _out("身份证号码、联系电话已脱敏（如需完整号码请加 --unmasked）。")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    try:
        db = _open()
    except DatabaseError as exc:
        _err(f"错误：{exc}")
        return 1
    try:
        with db.session() as session:
            units = list(session.scalars(
                select(OrgUnit.name).where(OrgUnit.deleted.is_(False), OrgUnit.active.is_(True),
                                           OrgUnit.kind.in_(tuple(codes.SITE_KINDS) + ("township",)))
                .order_by(OrgUnit.sort_order, OrgUnit.code, OrgUnit.name)))
        target = write_template(args.file, units=units)
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return 1
    finally:
        db.dispose()
    _out(f"已生成花名册模板：{target}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``people import|export|template`` to the main CLI's subparsers."""
    people = subparsers.add_parser("people", help="人员花名册：导入、导出、模板")
    sub = people.add_subparsers(dest="people_command", required=True)

    p = sub.add_parser("import", help="从 Excel 花名册导入人员（先预览，有错误则不写入）")
    p.add_argument("file", help="花名册 .xlsx")
    p.add_argument("--dry-run", action="store_true", help="只检查并生成逐行报告，不写入")
    p.add_argument("--skip-errors", action="store_true", help="跳过有错误的行，只导入无误的行")
    p.add_argument("--today", type=_date, default=None, help="检查日期用的“今天”（YYYY-MM-DD）")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="导出花名册 .xlsx（默认脱敏）")
    p.add_argument("file", help="导出的 .xlsx")
    p.add_argument("--unit", help="只导出该单位及下级单位在岗人员（统计代码或名称）")
    p.add_argument("--role", help="只导出该职务类别（如 村站点管理员 或 village_manager）")
    p.add_argument("--unmasked", action="store_true", help="写入完整身份证号码和电话（记入操作日志）")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("template", help="生成空白花名册模板 .xlsx")
    p.add_argument("file", help="模板 .xlsx")
    p.set_defaults(func=cmd_template)


__all__ = ["cmd_export", "cmd_import", "cmd_template", "register", "report_path"]
