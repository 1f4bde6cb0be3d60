"""``remoteedu sync …``: township ⇄ county exchange on the command line (issue 6, item 10).

Wired into the main CLI with ``cli_sync.register(sub)``.

- ``sync enroll --township CODE [--name NAME] --out FILE.json`` (county): add the township office when new,
  write its enrolment file, print the county's fingerprint to read over the phone;
- ``sync enroll --install FILE.json`` (township or empty database): install the county's enrolment file,
  print the county's name and fingerprint to compare;
- ``sync enroll --accept CODE --fingerprint XXXX-XXXX-XXXX-XXXX`` (county): accept a township's keys that
  came with its first bundle, once the fingerprint read over the phone matches;
- ``sync status``: this office, its fingerprint and every peer;
- ``sync export --to DIR [--all]`` (township): write the next up bundle for the county into DIR (a USB stick);
  ``--all`` sends every row again instead of only what the county has not acknowledged;
- ``sync export --to DIR [--township CODE] [--all]`` (county): write a down bundle for every enrolled township
  whose keys are accepted (issue 6, item 8), or for one township;
- ``sync import FILE_OR_DIR [--dry-run]`` (county: up bundles; township: down bundles from its county): import
  one bundle, or every bundle in a folder (each in its own transaction, one combined report); ``--dry-run``
  shows what would change and writes nothing;
- ``sync verify FILE``: structure, hashes and, when the signer is known here, the signature (no decryption).

Exit codes: 0 done, 1 refused (the reason on stderr), 2 file or office not found.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_common import err as _err
from .cli_common import open_or_report as _open
from .cli_common import out as _out
from .data.database import Database
from .errors import ValidationError
from .services import office_keys, offices, sync_down, sync_export, sync_import
from .services import sync_enrolment as se
from .sync.bundle_format import BundleError, inspect_bundle

REFUSED, NOT_FOUND = 1, 2


def _enroll_township(db: Database, args: argparse.Namespace) -> int:
    out = Path(args.out)
    if not out.parent.is_dir():
        _err(f"错误：目录不存在：{out.parent}")
        return REFUSED
    with db.session() as session:
        township = se.add_township_office(session, args.township, args.name)
        se.write_enrolment(session, township.code, out)
        status = se.sync_status(session)
    label = f"{township.name}（{township.code}）"
    if township.new_peer:
        _out(f"已添加乡镇远程办：{label}" + ("" if township.new_unit else "（单位已在本县名单中）"))
    else:
        _out(f"乡镇远程办已添加过：{label}")
    _out(f"已写入登记文件：{out.resolve()}")
    _out(f"请把此文件交给{township.name}远程办安装，并电话告知本县指纹：")
    _out(f"  {status.fingerprint.short}")
    _out(f"完整指纹：{status.fingerprint.long}")
    return 0


def _enroll_install(db: Database, args: argparse.Namespace) -> int:
    source = Path(args.install)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        _err(f"错误：找不到文件：{source}")
        return NOT_FOUND
    except OSError as exc:
        _err(f"错误：无法读取 {source}：{exc.strerror or exc}")
        return REFUSED
    with db.session() as session:
        installed = se.install_enrolment(session, data, where=source.name)
        own = se.sync_status(session).fingerprint
    county, township = installed.county, installed.township
    if installed.initialised_office:
        _out(f"本机已设置为乡镇远程办：{township.name}（{township.code}）")
    if installed.already_installed:
        _out(f"此登记文件已安装过，未作改动。县：{county.name}（{county.code}）")
    else:
        _out(f"已安装{county.name}（{county.code}）的登记文件。")
    assert county.fingerprint is not None
    _out("请与县远程办电话核对县指纹，应为：")
    _out(f"  {county.fingerprint.short}")
    _out("如不一致，请勿导入县里发来的数据包，并联系县远程办。")
    _out(f"本机指纹（县里确认本机首个数据包时会电话核对）：{own.short}")
    return 0


def _enroll_accept(db: Database, args: argparse.Namespace) -> int:
    if not args.fingerprint:
        _err("错误：请用 --fingerprint 填写乡镇电话告知的指纹")
        return REFUSED
    with db.session() as session:
        peer = se.accept_peer(session, args.accept, args.fingerprint)
    assert peer.fingerprint is not None
    _out(f"已确认{peer.name}（{peer.code}）的密钥，指纹 {peer.fingerprint.short}。")
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    if args.township and not args.out:
        _err("错误：请用 --out 指定登记文件（.json）的保存位置")
        return REFUSED
    db = _open()
    if db is None:
        return REFUSED
    try:
        if args.township:
            return _enroll_township(db, args)
        if args.install:
            return _enroll_install(db, args)
        return _enroll_accept(db, args)
    except se.UnknownOffice as exc:
        _err(f"错误：{exc.text()}")
        return NOT_FOUND
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return REFUSED
    finally:
        db.dispose()


def _table(rows: list[list[str]]) -> list[str]:
    """Columns padded to the widest cell; a CJK character counts as two columns."""
    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip()
            for row in rows]


def cmd_status(args: argparse.Namespace) -> int:
    db = _open()
    if db is None:
        return REFUSED
    try:
        with db.session() as session:
            status = se.sync_status(session)
    finally:
        db.dispose()
    office = status.office
    if office.initialized:
        _out(f"本机：{office.name}（{office.code}，{se.LEVEL_LABEL.get(office.level or '', '')}远程办）")
    else:
        _out("本机尚未设置单位（县：remoteedu init …；乡镇：remoteedu sync enroll --install 登记文件）")
    _out(f"本机指纹：{status.fingerprint.short}")
    _out(f"完整指纹：{status.fingerprint.long}")
    if not status.peers:
        _out("尚无对方单位。" + ("用 remoteedu sync enroll --township … 添加乡镇。" if office.level == "county" else ""))
        return 0
    rows = [["代码", "名称", "级别", "状态", "指纹", "已发送", "已接收"]]
    for p in status.peers:
        rows.append([p.code, p.name, p.level_label, p.state_label, p.fingerprint.short if p.fingerprint else "—",
                     str(p.last_sent_seq), str(p.last_received_seq)])
    _out(f"对方单位 {len(status.peers)} 个：")
    for line in _table(rows):
        _out(f"  {line}")
    return 0


def _print_export(result: sync_export.ExportResult, what: str) -> None:
    _out(f"已写入{what}（第 {result.sequence} 号）：{result.path.resolve()}")
    if not result.counts:
        _out("  没有新的更改。")
    for table, (changes, tombstones) in sorted(result.counts.items()):
        label = sync_import.TABLE_LABEL.get(table, table)
        _out(f"  {label}：更改 {changes}" + (f"，删除 {tombstones}" if tombstones else ""))
    _out(f"  校验值 SHA-256：{result.sha256}")


def cmd_export(args: argparse.Namespace) -> int:
    dest = Path(args.to)
    if not dest.is_dir():
        _err(f"错误：目录不存在：{dest}（U 盘是否已插好？）")
        return NOT_FOUND
    db = _open()
    if db is None:
        return REFUSED
    waiting: list[str] = []
    try:
        with db.session() as session:
            county = offices.office_info(session).level == "county"
            if county and args.township:
                results = [sync_down.export_down(session, args.township, dest, everything=args.all)]
            elif county:
                _ready, waiting = sync_down.down_targets(session)
                results = sync_down.export_down_all(session, dest, everything=args.all)
            else:
                if args.township:
                    _err("错误：--township 只在县远程办使用")
                    return REFUSED
                results = [sync_export.export_up(session, dest, everything=args.all)]
    except ValidationError as exc:
        _err(f"错误：{exc.text()}")
        return REFUSED
    finally:
        db.dispose()
    for result in results:
        _print_export(result, "下发数据包" if county else "上报数据包")
    if county and not results:
        _out("没有可以下发的乡镇（尚无已确认密钥的乡镇远程办）。")
    for code in waiting:
        _out(f"  未导出 {code}：其密钥尚未确认（先导入它的第一个上报数据包并电话核对指纹）。")
    if results:
        _out("文件已写入并核对无误，可以拔出 U 盘。")
    return 0


def _bundles_in(source: Path) -> list[Path]:
    if source.is_dir():
        return sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() == ".zip")
    return [source]


def cmd_import(args: argparse.Namespace) -> int:
    source = Path(args.source)
    if not source.exists():
        _err(f"错误：找不到文件或文件夹：{source}")
        return NOT_FOUND
    files = _bundles_in(source)
    if not files:
        _err(f"错误：文件夹中没有数据包（.zip）：{source}")
        return NOT_FOUND
    db = _open()
    if db is None:
        return REFUSED
    reports: list[sync_import.ImportReport] = []
    try:
        if not args.dry_run:  # one backup before the first bundle, each bundle its own transaction
            reports.extend(report for _, report in sync_import.apply_all(db, files))
        for file in files if args.dry_run else ():
            try:
                with db.session() as session:
                    reports.append(sync_import.preview(session, file))
                    session.rollback()
            except ValidationError as exc:
                reports.append(sync_import.ImportReport(file, "refused", message=exc.message))
    finally:
        db.dispose()
    for report in reports:
        for line in report.lines():
            (_err if report.status == "refused" else _out)(line)
    if len(reports) > 1:
        by_status: dict[str, int] = {}
        for report in reports:
            by_status[report.status] = by_status.get(report.status, 0) + 1
        labels = {"applied": "已导入", "preview": "预览", "already": "已导入过", "refused": "拒收"}
        _out(f"共 {len(reports)} 个数据包：" + "，".join(f"{labels[k]} {v}" for k, v in by_status.items()))
    if args.dry_run:
        _out("预览：数据库未作任何改动。")
    return REFUSED if any(r.status == "refused" for r in reports) else 0


def cmd_verify(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not source.is_file():
        _err(f"错误：找不到文件：{source}")
        return NOT_FOUND
    db = _open()
    if db is None:
        return REFUSED
    try:
        with db.session() as session:
            signers = {kid: known.public_key for kid, known in office_keys.known_keys(session).items()}
            session.rollback()  # known_keys may make this office's key on first use: verify changes nothing
    finally:
        db.dispose()
    try:
        info = inspect_bundle(source)
        known = info.manifest.signer_key_id in signers
        if known:
            info = inspect_bundle(source, signers=signers)
    except BundleError as exc:
        _err(f"错误：{exc.text()}")
        return REFUSED
    m = info.manifest
    _out(f"{source.name}：结构和校验值正确")
    _out(f"  来自 {m.source.name}（{m.source.code}）发往 {m.target_code}，第 {m.sequence} 号，"
         f"生成于 {m.created_at:%Y-%m-%d %H:%M} UTC")
    _out(f"  共 {m.total_rows} 条记录，{len(m.tables)} 个表；文件 SHA-256：{info.sha256}")
    if known:
        _out("  签名正确（签名单位的密钥已在本机确认）。")
    else:
        _out(f"  签名未核对：签名密钥 {m.signer_key_id.hex().upper()} 未在本机确认。")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sync enroll|status|export|import|verify`` to the main CLI's subparsers."""
    sync = subparsers.add_parser("sync", help="县乡数据交换：登记、状态、导出、导入、核验")
    sub = sync.add_subparsers(dest="sync_command", required=True)

    p = sub.add_parser("enroll", help="登记乡镇远程办：县生成登记文件，乡镇安装，县确认乡镇密钥")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--township", metavar="CODE", help="（县）添加或选定 9 位代码的乡镇，生成登记文件")
    mode.add_argument("--install", metavar="FILE", help="（乡镇）安装县发来的登记文件")
    mode.add_argument("--accept", metavar="CODE", help="（县）电话核对指纹后确认该乡镇的密钥")
    p.add_argument("--name", help="乡镇名称（新乡镇必填）")
    p.add_argument("--out", metavar="FILE", help="登记文件（.json）的保存位置，与 --township 一起用")
    p.add_argument("--fingerprint", help="乡镇电话告知的指纹（如 1A2B-3C4D-5E6F-7A8B），与 --accept 一起用")
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("status", help="本机指纹和各对方单位的状态")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("export", help="导出数据包到 U 盘：乡镇导出上报包，县导出每个乡镇的下发包")
    p.add_argument("--to", required=True, metavar="DIR", help="保存数据包的文件夹（如 U 盘）")
    p.add_argument("--township", metavar="CODE", help="（县）只导出这个乡镇的下发包")
    p.add_argument("--all", action="store_true", help="全部重新发送（不只是县里尚未确认的更改）")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="导入数据包（县：乡镇上报包；乡镇：县下发包）：一个文件，或一个文件夹中的全部")
    p.add_argument("source", metavar="FILE_OR_DIR", help="数据包（.zip）或存放数据包的文件夹")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入数据库")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("verify", help="核验数据包：结构、校验值、签名（不解密）")
    p.add_argument("file", metavar="FILE", help="数据包（.zip）")
    p.set_defaults(func=cmd_verify)
