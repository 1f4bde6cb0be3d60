"""``remoteedu report …``: the reports the office sends upward (issue 8 item 2) on the command line.

Wired into the main CLI with ``cli_reports.register(sub)``.

- ``report list``: the report names, their Chinese titles and whether they take a year;
- ``report NAME [--year Y] [--unit CODE] [--by NAME] --out FILE.pdf|FILE.xlsx``: build the report and write
  it (PDF or Excel by the file's suffix), atomically.

``--unit`` is a unit's statistical code (county 6, township 9, site 12 digits) or its exact name; ``--by``
the "prepared by" (制表人) line; ``--year`` defaults to this year for the yearly reports.
Bad input — an unknown report, year or unit, a wrong suffix, a missing folder, a year without an
evaluation round — exits with code 2 and a Chinese message; a database that cannot be opened or a file
that cannot be written exits with 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from .cli_common import err as _err
from .cli_common import open_or_report as _open
from .cli_common import out as _out
from .cli_evaluation import _date, _progress, _year, resolve_unit
from .errors import ValidationError
from .services import report_export
from .services.progress import run_to_end
from .services.report_model import REPORTS

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


def report_lines() -> list[str]:
    """One line per report: "staffing      站点人员配备情况表"."""
    width = max(len(k) for k in REPORTS)
    lines = []
    for key, spec in REPORTS.items():
        takes = "（按年度，--year）" if spec.needs_year else ""
        lines.append(f"{key.ljust(width)}  {spec.title}{takes}")
    return lines


def cmd_list(args: argparse.Namespace) -> int:
    del args
    for line in report_lines():
        _out(line)
    return 0


def _check_out(out: Path) -> str | None:
    if out.suffix.lower() not in report_export.SUFFIXES:
        return f"错误：【--out】“{out.name}”应以 .pdf 或 .xlsx 结尾"
    if not out.parent.is_dir():
        return f"错误：【--out】目录不存在：{out.parent}"
    return None


def cmd_report(args: argparse.Namespace) -> int:
    name = args.name
    if name not in REPORTS:
        _err(f"错误：【报表】没有名为“{name}”的报表，可选：{'、'.join(REPORTS)}（remoteedu report list 查看）")
        return EXIT_BAD_INPUT
    if args.out is None:
        _err("错误：【--out】请用 --out 指定输出文件（.pdf 或 .xlsx）")
        return EXIT_BAD_INPUT
    out = Path(args.out)
    problem = _check_out(out)
    if problem:
        _err(problem)
        return EXIT_BAD_INPUT
    if args.year is not None and not REPORTS[name].needs_year and name != "certificates":
        _err(f"错误：【--year】“{REPORTS[name].title}”不按年度统计，请去掉 --year")
        return EXIT_BAD_INPUT
    db = _open()
    if db is None:
        return EXIT_FAILED
    try:
        with db.session() as session:
            unit_id = resolve_unit(session, args.unit)
            today = args.today or dt.date.today()
            steps = report_export.export_report_steps(session, name, out, year=args.year, unit_id=unit_id,
                                                      today=today, prepared_by=args.by or "")
            run_to_end(steps, _progress())
    except report_export.ReportWriteError as exc:
        _err(f"错误：{exc.text()}")
        return EXIT_FAILED
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return EXIT_BAD_INPUT
    finally:
        db.dispose()
    _out(f"已生成 {out}（{REPORTS[name].title}）")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report list`` and ``report NAME …`` to the main CLI's subparsers."""
    p = subparsers.add_parser("report", help="报表：人员配备、花名册、证书、培训、活动、故障、考评（PDF 或 Excel）",
                              description="remoteedu report list 列出报表；remoteedu report NAME --out FILE 生成报表")
    p.add_argument("name", metavar="NAME", help="报表名称，或 list 列出全部报表")
    p.add_argument("--year", type=_year, help="统计年度（按年度的报表默认今年；证书登记表按发证年度筛选）")
    p.add_argument("--unit", help="单位代码（县 6 位、乡镇 9 位、站点 12 位）或单位名称；默认全部")
    p.add_argument("--by", help="制表人")
    p.add_argument("--out", help="输出文件：.pdf 或 .xlsx")
    p.add_argument("--today", type=_date, default=None, help="制表日期（YYYY-MM-DD，默认今天）")
    p.set_defaults(func=lambda args: cmd_list(args) if args.name == "list" else cmd_report(args))


__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED", "cmd_list", "cmd_report", "register", "report_lines"]
