"""``remoteedu sync …``: township ⇄ county exchange on the command line (issue 6, item 10).

Wired into the main CLI with ``cli_sync.register(sub)``.

- ``sync enroll --township CODE [--name NAME] --out FILE.json`` (county): add the township office when new,
  write its enrolment file, print the county's fingerprint to read over the phone;
- ``sync enroll --install FILE.json`` (township or empty database): install the county's enrolment file,
  print the county's name and fingerprint to compare;
- ``sync enroll --accept CODE --fingerprint XXXX-XXXX-XXXX-XXXX`` (county): accept a township's keys that
  came with its first bundle, once the fingerprint read over the phone matches;
- ``sync status``: this office, its fingerprint and every peer.

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
from .services import sync_enrolment as se

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


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sync enroll|status`` to the main CLI's subparsers."""
    sync = subparsers.add_parser("sync", help="县乡数据交换：登记、状态")
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
