"""``remoteedu evaluation …``: the yearly evaluation (R14) on the command line.

Wired into the main CLI with ``cli_evaluation.register(sub)``.

- ``evaluation score --year Y [--unit CODE]``: score the year (open the round with the default rubrics
  if there is none, create the missing evaluations, fill the automatic indicators, totals, grades,
  quota, ranks, unfit flags) and print a summary by grade;
- ``evaluation forms --year Y --out FILE.pdf [--target T] [--unit CODE]``: every evaluated person's
  yearly evaluation form (年度考评表), one page each, in one PDF written atomically;
- ``evaluation export --year Y FILE.xlsx [--unit CODE]``: the results, one sheet per target.

``--unit`` is a unit's statistical code (county 6, township 9, site 12 digits) or its exact name;
``--target`` a code of :data:`codes.EVALUATION_TARGET` or its Chinese label (站点管理员 …).
Bad input — a year without a round, a closed round, an unknown unit or target, nothing to print —
exits with code 2 and a Chinese message saying what; a database that cannot be opened or a file that
cannot be written exits with 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import codes
from .cli_common import err as _err
from .cli_common import open_or_report as _open
from .cli_common import out as _out
from .cli_training import write_atomically
from .data.models import OrgUnit
from .errors import ValidationError
from .services import evaluation_export, evaluation_forms_data, evaluation_rounds, evaluation_scoring
from .services.backups import backup_before
from .services.progress import run_to_end

#: Exit code for bad input (no round, closed round, unknown unit or target, nothing to print).
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是年度，应为四位数字，如 2025") from exc
    if not 1990 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的年度")
    return year


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，应为 YYYY-MM-DD") from exc


def resolve_unit(session: Session, text: str | None) -> str | None:
    """The id of the unit with this statistical code (or, failing that, this exact name); None for no text."""
    wanted = (text or "").strip()
    if not wanted:
        return None
    live = select(OrgUnit.id, OrgUnit.name, OrgUnit.code).where(OrgUnit.deleted.is_(False))
    found = session.execute(live.where(OrgUnit.code == wanted)).tuples().all()
    if not found:
        found = session.execute(live.where(OrgUnit.name == wanted)).tuples().all()
    if len(found) == 1:
        return str(found[0][0])
    if not found:
        raise ValidationError(f"找不到代码或名称为“{wanted}”的单位", field="--unit")
    listed = "、".join(f"{name}（{code or '无代码'}）" for _id, name, code in found[:10])
    raise ValidationError(f"名称为“{wanted}”的单位有多个：{listed}。请改用单位代码", field="--unit")


def resolve_target(text: str | None) -> str | None:
    """A target code from its code or its Chinese label; None for no text."""
    wanted = (text or "").strip()
    if not wanted:
        return None
    if wanted in codes.EVALUATION_TARGET:
        return wanted
    by_label = {label: code for code, label in codes.EVALUATION_TARGET.items()}
    if wanted in by_label:
        return by_label[wanted]
    allowed = "、".join(f"{code}（{label}）" for code, label in codes.EVALUATION_TARGET.items())
    raise ValidationError(f"“{wanted}”不是考评对象，应为 {allowed}", field="--target")


def _progress() -> Callable[[int, int, str], None] | None:
    """Progress on one line of stderr when a person watches; nothing in scripts and pipes."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, text: str) -> None:
        sys.stderr.write(f"\r[{done}/{total}] {text}\033[K")
        if total and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def summary_lines(year: int, summary: evaluation_scoring.ScoreSummary, grade_scale: str) -> list[str]:
    """"2025年度考评已计算：…" and one line by grade, in the round's wording (R14)."""
    table = codes.GRADE_COMPETENT if grade_scale == "competent" else codes.GRADE_STANDARD
    pending = summary.evaluated - summary.complete
    lines = [f"{year}年度考评已计算：共 {summary.evaluated} 人（站点），评分完整 {summary.complete}，"
             f"待录入 {pending}。"]
    graded = "，".join(f"{label} {summary.by_grade.get(code, 0)}" for code, label in table.items())
    lines.append(f"等次：{graded}。")
    return lines


def cmd_score(args: argparse.Namespace) -> int:
    db = _open()
    if db is None:
        return EXIT_FAILED
    try:
        backup_before(db, "evaluation_scoring")  # issue 9 item 3: a backup before every bulk change
        with db.session() as session:
            unit_id = resolve_unit(session, args.unit)
            steps = evaluation_scoring.score_year(session, args.year, unit_id=unit_id,
                                                  **({"today": args.today} if args.today else {}))
            summary = run_to_end(steps, _progress())
            info = evaluation_rounds.round_for_year(session, args.year)
            scale = info.grade_scale if info is not None else "standard"
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return EXIT_BAD_INPUT
    finally:
        db.dispose()
    for line in summary_lines(args.year, summary, scale):
        _out(line)
    return 0


def cmd_forms(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        _err(f"错误：【--out】“{out.name}”不是 .pdf 文件名")
        return EXIT_BAD_INPUT
    if not out.parent.is_dir():
        _err(f"错误：【--out】目录不存在：{out.parent}")
        return EXIT_BAD_INPUT
    db = _open()
    if db is None:
        return EXIT_FAILED
    try:
        with db.session() as session:
            target = resolve_target(args.target)
            unit_id = resolve_unit(session, args.unit)
            batch = evaluation_forms_data.load_batch(session, args.year, target=target, unit_id=unit_id)
            pdf = run_to_end(evaluation_forms_data.batch_pdf(session, batch), _progress())
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return EXIT_BAD_INPUT
    finally:
        db.dispose()
    try:
        write_atomically(out, pdf)
    except OSError as exc:
        _err(f"错误：无法写入 {out}：{exc.strerror or exc}")
        return EXIT_FAILED
    what = codes.label(codes.EVALUATION_TARGET, target) if target else "全部考评对象"
    _out(f"已生成 {out}（{batch.scope}，{args.year}年度，{what}，{len(batch.records)} 份考评表）")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    db = _open()
    if db is None:
        return EXIT_FAILED
    try:
        with db.session() as session:
            unit_id = resolve_unit(session, args.unit)
            count = run_to_end(evaluation_export.export_results_steps(session, args.file, args.year,
                                                                      unit_id=unit_id), _progress())
    except evaluation_export.ExportWriteError as exc:
        _err(f"错误：{exc.text()}")
        return EXIT_FAILED
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return EXIT_BAD_INPUT
    finally:
        db.dispose()
    _out(f"已导出 {args.year}年度考评结果 {count} 人到 {args.file}")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``evaluation score|forms|export`` to the main CLI's subparsers."""
    evaluation = subparsers.add_parser("evaluation", help="年度考评：计算、考评表、结果导出")
    sub = evaluation.add_subparsers(dest="evaluation_command", required=True)
    unit_help = "单位代码（县 6 位、乡镇 9 位、站点 12 位）或单位名称；默认全部"

    p = sub.add_parser("score", help="计算年度考评：自动指标、总分、等次、名额、排名，按等次汇总")
    p.add_argument("--year", type=_year, required=True, help="考评年度")
    p.add_argument("--unit", help=unit_help)
    p.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("forms", help="打印年度考评表 PDF（每人一页）")
    p.add_argument("--year", type=_year, required=True, help="考评年度")
    p.add_argument("--out", required=True, help="输出的 .pdf 文件")
    targets = "、".join(f"{c}（{label}）" for c, label in codes.EVALUATION_TARGET.items())
    p.add_argument("--target", help=f"考评对象：{targets}；默认全部")
    p.add_argument("--unit", help=unit_help)
    p.set_defaults(func=cmd_forms)

    p = sub.add_parser("export", help="导出年度考评结果 .xlsx（每类考评对象一张工作表）")
    p.add_argument("--year", type=_year, required=True, help="考评年度")
    p.add_argument("file", metavar="FILE.xlsx", help="输出的 .xlsx 文件")
    p.add_argument("--unit", help=unit_help)
    p.set_defaults(func=cmd_export)


__all__ = ["EXIT_BAD_INPUT", "cmd_export", "cmd_forms", "cmd_score", "register", "resolve_target", "resolve_unit",
           "summary_lines"]
