"""``remoteedu certificates …``: certificates on the command line (R11).

Wired into the main CLI with ``cli_certificates.register(sub)``.

- ``certificates eligible [--kind on-duty|appointment]``: everyone with a post, eligible or not and why;
- ``certificates issue --all-eligible [--kind K] [--date YYYY-MM-DD]``: issue to everyone eligible in
  one transaction and print the numbers;
- ``certificates print (--number N | --all) --out FILE.pdf``: the frozen certificate (or every valid
  one) as a PDF, written atomically; each print is logged;
- ``certificates verify CODE``: check a code offline; exit 0 when genuine and valid, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from .cli_common import err as _err
from .cli_common import open_or_report as _open
from .cli_common import out as _out
from .cli_training import write_atomically
from .errors import ValidationError
from .services import certificate_codes, certificate_eligibility, certificate_issue, certificate_print
from .services import certificate_register as cr
from .services.backups import backup_before
from .services.progress import run_to_end

KINDS = {"on-duty": "on_duty", "appointment": "appointment"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，应为 YYYY-MM-DD") from exc


def _kind(args: argparse.Namespace) -> str | None:
    return KINDS[args.kind] if args.kind else None


def cmd_eligible(args: argparse.Namespace) -> int:
    db = _open()
    if db is None:
        return 1
    try:
        with db.session() as session:
            rows = certificate_eligibility.eligibility(session, kind=_kind(args))
    finally:
        db.dispose()
    if not rows:
        _out("没有在岗或曾在岗的人员。")
        return 0
    for r in rows:
        verdict = "可发放" if r.eligible else "不可发放：" + "；".join(r.reasons)
        _out(f"{r.name}  {r.unit or '—'}  {r.post or '—'}  {r.kind_label}  {verdict}")
    eligible = sum(r.eligible for r in rows)
    _out(f"共 {len(rows)} 人次，可发放 {eligible} 本。")
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    db = _open()
    if db is None:
        return 1
    try:
        backup_before(db, "certificate_issue")  # issue 9 item 3: a backup before every bulk change
        with db.session() as session:
            ids = run_to_end(certificate_issue.issue_all_eligible(session, kind=_kind(args), issue_date=args.date))
            rows = {r.id: r for r in cr.register(session)} if ids else {}
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return 1
    finally:
        db.dispose()
    if not ids:
        _out("目前没有符合条件的人员，未发放证书。")
        return 0
    for cid in ids:
        r = rows[cid]
        _out(f"{r.number}  {r.kind_label}  {r.name}  {r.unit}  {r.post}")
    _out(f"已发放 {len(ids)} 本证书。")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if not out.parent.is_dir():
        _err(f"错误：目录不存在：{out.parent}")
        return 1
    db = _open()
    if db is None:
        return 1
    try:
        with db.session() as session:
            if args.number:
                ids = [cr.find_by_number(session, args.number)]
                pdf = certificate_print.frozen_pdf(session, ids[0])
            else:
                ids = [r.id for r in reversed(cr.register(session, cr.RegisterFilter(status="valid")))]
                if not ids:
                    _out("登记簿中没有有效证书。")
                    return 0
                pdf = run_to_end(certificate_print.batch_pdf(session, ids))
            try:
                write_atomically(out, pdf)
            except OSError as exc:
                _err(f"错误：无法写入 {out}：{exc.strerror or exc}")
                return 1
            certificate_print.log_prints(session, ids, target=f"文件 {out.resolve()}")
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return 1
    finally:
        db.dispose()
    _out(f"已生成 {out}（{len(ids)} 本证书），已记入打印记录。")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    db = _open()
    if db is None:
        return 1
    try:
        with db.session() as session:
            result = certificate_codes.verify(session, args.code)
    finally:
        db.dispose()
    _out(result.message)
    content = result.content
    if content is not None:
        _out(f"证书编号：{content.number}")
        _out(f"姓名：{content.name}")
        _out(f"证书类别：{content.kind_label}")
        _out(f"发证日期：{content.issue_date.isoformat()}")
    if result.issuer:
        _out(f"发证单位：{result.issuer}")
    if result.unit or result.post:
        _out(f"单位岗位：{result.unit} {result.post}".rstrip())
    if result.valid_until:
        _out(f"有效期至：{result.valid_until.isoformat()}")
    if result.status:
        reason = f"（{result.status_reason}）" if result.status_reason else ""
        _out(f"当前状态：{result.status_label}{reason}")
    return 0 if result.genuine and result.status == "valid" and result.register_matches else 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``certificates eligible|issue|print|verify`` to the main CLI's subparsers."""
    certificates = subparsers.add_parser("certificates", help="证书：发放条件、发放、打印、验证")
    sub = certificates.add_subparsers(dest="certificates_command", required=True)

    p = sub.add_parser("eligible", help="列出可发放证书的人员及不可发放的原因")
    p.add_argument("--kind", choices=sorted(KINDS), help="只看上岗证书（on-duty）或聘任证书（appointment）")
    p.set_defaults(func=cmd_eligible)

    p = sub.add_parser("issue", help="向所有符合条件的人员发放证书")
    p.add_argument("--all-eligible", action="store_true", required=True, help="向所有符合条件的人员发放")
    p.add_argument("--kind", choices=sorted(KINDS), help="只发上岗证书（on-duty）或聘任证书（appointment）")
    p.add_argument("--date", type=_date, help="发证日期 YYYY-MM-DD（默认今天）")
    p.set_defaults(func=cmd_issue)

    p = sub.add_parser("print", help="按签发时冻结的内容生成证书 PDF，并记入打印记录")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--number", help="证书编号")
    which.add_argument("--all", action="store_true", help="全部有效证书")
    p.add_argument("--out", required=True, help="输出的 .pdf 文件")
    p.set_defaults(func=cmd_print)

    p = sub.add_parser("verify", help="离线验证证书上的验证码；真实且有效时退出码为 0")
    p.add_argument("code", metavar="CODE", help="验证码（RE1-…）")
    p.set_defaults(func=cmd_verify)


__all__ = ["cmd_eligible", "cmd_issue", "cmd_print", "cmd_verify", "register"]
