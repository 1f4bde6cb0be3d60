"""The sync bundle file: writing it safely, and reading it only after every check has passed
(issue 6, items 2, 5, 6 and 12).

A bundle is one ``.zip`` with an ASCII name (see :func:`bundle_file_name`) holding, in this order:

``manifest.json``
    Canonical JSON (sorted keys, UTF-8, no spaces; see :class:`Manifest` for every field): format
    version and the oldest reader format it needs, schema revision, bundle id, source and target
    office, direction, sequence, SHA-256 of the previous bundle, creation time (UTC), per-table
    counts of changes and tombstones, SHA-256 and size of every other member, the signer's key id
    and the encryption block. Nothing personal: office names and codes, counts and hashes only.
``manifest.sig``
    The Ed25519 signature (64 bytes) of the sending office over the exact bytes of ``manifest.json``.
    Since the manifest holds the hash of every other member, the signature covers the whole bundle.
``说明.txt``
    A short readable summary for the clerk (UTF-8 with BOM, CRLF, nothing personal).
``data/<table>.jsonl.enc``
    One per table: the rows as canonical JSON lines sorted by ``"id"``, zlib-compressed, then sealed
    with AES-256-GCM under the bundle's content key (see :mod:`remoteedu_desktop.sync.crypto`).
    A row with ``"deleted": true`` is a tombstone.

The zip itself has one canonical layout (:mod:`remoteedu_desktop.sync.zip_layout`), so that a flipped
byte anywhere in the file, headers included, is refused.

Public API (no database here: the caller passes keys, office codes and rows):

- :func:`write_bundle` builds a bundle and writes it safely to a folder (item 5);
- :func:`read_bundle` checks everything and only then returns the decrypted rows (item 6);
- :func:`inspect_bundle` checks structure, hashes and, given signer keys, the signature, without the
  recipient's private key (for ``remoteedu sync verify FILE``).

Every refusal is a :class:`BundleError` (a :class:`~remoteedu_desktop.errors.ValidationError`) whose
``where`` is the file name and whose message says in plain Chinese what is wrong.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import re
import uuid
import zipfile
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from .. import __version__
from ..errors import ValidationError
from . import crypto, zip_layout
from .safe_write import ReadBackError, write_file_safely

#: The bundle format this program writes, and the newest it reads.
FORMAT = 1
#: The oldest reader format that can read what this program writes (written into every manifest).
MIN_READER_FORMAT = 1

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
README = "说明.txt"
DATA_PREFIX = "data/"
DATA_SUFFIX = ".jsonl.enc"
CIPHER = "AES-256-GCM"
KEY_WRAP = "X25519-HKDF-SHA256-AES-256-GCM"
COMPRESSION = "zlib"
LEVELS = {"township": ("TWN", 9), "county": ("CTY", 6)}  # R1: statistical division codes by level
DIRECTIONS = {"up": "township", "down": "county"}  # direction → the level that sends it

UPGRADE = "此数据包由更新版本的程序生成，请先升级本程序"
RECOPY = "请从原电脑重新导出或重新拷贝"

TABLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}\Z")
HEX64 = re.compile(r"[0-9a-f]{64}\Z")
FILE_NAME = re.compile(
    r"(?:TWN-\d{9}-UP|CTY-\d{6}-DOWN-\d{9})-(?P<seq>\d{6,})-(?P<date>\d{8})\.zip\Z")

Direction = Literal["up", "down"]
Row = dict[str, Any]

MiB = 1024 * 1024
#: The largest count, size or sequence a manifest may hold: what a BigInteger column stores (the ledger's sequence).
MAX_COUNT = 2 ** 63 - 1


class BundleError(ValidationError):
    """A bundle refused, or one that could not be written: nothing was imported or left behind."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message, where=where)


@dataclass(frozen=True)
class Limits:
    """Size limits against decompression bombs and runaway files (issue 6, items 6 and 12).

    The writer refuses to produce a bundle the reader would refuse."""

    max_file_bytes: int = 512 * MiB  #: the whole .zip
    max_members: int = 256
    max_member_bytes: int = 256 * MiB  #: one zip member, declared and actual uncompressed size
    max_total_bytes: int = 512 * MiB  #: all zip members together, uncompressed
    max_ratio: float = 20.0  #: uncompressed / compressed size of a zip member (ours are stored: 1)
    max_manifest_bytes: int = 4 * MiB
    max_readme_bytes: int = 64 * 1024
    max_table_plain_bytes: int = 512 * MiB  #: one table's JSON lines after decryption and inflating
    max_plain_total_bytes: int = 1024 * MiB  #: all tables' JSON lines together
    max_plain_ratio: float = 200.0  #: inflated / compressed size of one table (above 1 MiB)


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class OfficeRef:
    code: str
    name: str
    level: str  #: "township" or "county"


@dataclass(frozen=True)
class BundleHeader:
    """What the exporter decides about a bundle; :func:`write_bundle` adds the rest."""

    source: OfficeRef
    target_code: str
    direction: Direction
    sequence: int  #: 1, 2, 3 … per (source, target)
    previous_sha256: str | None  #: SHA-256 (hex) of the previous bundle to this target, None for the first
    schema_revision: str  #: the database's Alembic revision (``data.migrate.head_revision()``)
    bundle_id: str | None = None  #: a fresh uuid4 when None
    created_at: dt.datetime | None = None  #: now (UTC) when None; must carry a time zone


@dataclass(frozen=True)
class TableCounts:
    changes: int  #: rows that are not tombstones
    tombstones: int  #: rows with ``"deleted": true``

    @property
    def rows(self) -> int:
        return self.changes + self.tombstones


@dataclass(frozen=True)
class FileEntry:
    sha256: str  #: of the stored bytes (for data files: the ciphertext)
    size: int
    nonce: bytes | None  #: AES-GCM nonce, data files only


@dataclass(frozen=True)
class Manifest:
    """The parsed, validated ``manifest.json``. ``raw`` is the exact signed bytes."""

    format: int
    min_reader_format: int
    schema_revision: str
    bundle_id: str
    source: OfficeRef
    target_code: str
    direction: Direction
    sequence: int
    previous_sha256: str | None
    created_at: dt.datetime
    tables: Mapping[str, TableCounts]
    files: Mapping[str, FileEntry]
    signer_key_id: bytes
    wrapped_key: crypto.WrappedKey
    program: str
    raw: bytes = field(repr=False)

    def counts_json(self) -> str:
        """Per-table counts as canonical JSON, e.g. for ``SyncLedger.counts_json``."""
        return canonical_json({t: {"changes": c.changes, "tombstones": c.tombstones}
                               for t, c in self.tables.items()}).decode("utf-8")

    @property
    def total_rows(self) -> int:
        return sum(c.rows for c in self.tables.values())


@dataclass(frozen=True)
class WrittenBundle:
    path: Path
    sha256: str  #: of the whole file, as read back from the destination
    size: int
    bundle_id: str
    manifest: Manifest


@dataclass(frozen=True)
class MemberInfo:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class BundleInfo:
    """What :func:`inspect_bundle` found: structure, manifest and hashes all good."""

    path: Path
    sha256: str
    size: int
    manifest: Manifest
    readme: str
    members: tuple[MemberInfo, ...]
    signature_checked: bool  #: False when no signer keys were given


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle that passed every check of :func:`read_bundle`, with its decrypted rows."""

    path: Path
    sha256: str  #: of the whole file
    size: int
    manifest: Manifest
    readme: str
    _rows: Mapping[str, list[Row]] = field(repr=False)

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables the bundle carries (sorted), possibly with zero rows."""
        return tuple(sorted(self._rows))

    def rows(self, table: str) -> list[Row]:
        """The rows of ``table`` sorted by ``"id"`` (tombstones have ``"deleted": true``);
        an empty list for a table the bundle does not carry. The list belongs to the bundle."""
        return self._rows.get(table, [])


# --- canonical JSON -------------------------------------------------------------------------------

#: One encoder for every call (``json.dumps`` with options builds a new one each time; issue 6, item 11).
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _one_shot_encoder() -> Any:
    """The C encoder behind ``_CANONICAL``, made once: ``JSONEncoder.encode`` builds a new one per call, which
    was half the cost of writing a bundle's rows (issue 6, item 11). None where the C accelerator is missing."""
    from json import encoder as _json_encoder

    make = getattr(_json_encoder, "c_make_encoder", None)
    if make is None:
        return None
    enc = _CANONICAL
    return make(None, enc.default, _json_encoder.encode_basestring, enc.indent, enc.key_separator,
                enc.item_separator, enc.sort_keys, enc.skipkeys, enc.allow_nan)


_C_ENCODE = _one_shot_encoder()


def canonical_json(value: Any) -> bytes:
    """Sorted keys, UTF-8 (not ``\\u`` escapes), no spaces, no NaN: the same value, the same bytes."""
    if _C_ENCODE is not None and isinstance(value, dict):
        return "".join(_C_ENCODE(value, 0)).encode("utf-8")
    return _CANONICAL.encode(value).encode("utf-8")


def _is_tombstone(row: Row) -> bool:
    return row.get("deleted") is True


def encode_table(table: str, rows: Iterable[Row]) -> tuple[bytes, TableCounts]:
    """Canonical JSON lines of ``rows`` sorted by ``"id"``, each line ending in ``\\n``, and the counts.

    Every row must be a dict with a non-empty string ``"id"``, unique in the table, and, if present,
    a boolean ``"deleted"``."""
    keyed: dict[str, Row] = {}
    for row in rows:
        if not isinstance(row, dict):
            raise BundleError(f"表 {table} 中有一行不是对象")
        row_id = row.get("id")
        if not isinstance(row_id, str) or not row_id:
            raise BundleError(f"表 {table} 中有一行缺少文本 id")
        if "deleted" in row and not isinstance(row["deleted"], bool):
            raise BundleError(f"表 {table} 的记录 {row_id} 的 deleted 不是 true/false")
        if row_id in keyed:
            raise BundleError(f"表 {table} 中的 id {row_id} 重复")
        keyed[row_id] = row
    lines = []
    tombstones = 0
    for row_id in sorted(keyed):
        row = keyed[row_id]
        tombstones += _is_tombstone(row)
        try:
            lines.append(canonical_json(row))
        except (TypeError, ValueError) as exc:
            raise BundleError(f"表 {table} 的记录 {row_id} 含有不能写成 JSON 的值（{exc}）") from exc
    body = b"\n".join(lines) + b"\n" if lines else b""
    return body, TableCounts(len(keyed) - tombstones, tombstones)


def count_rows(tables: Mapping[str, Iterable[Row]]) -> dict[str, TableCounts]:
    """Per-table counts as :func:`write_bundle` will record them (for a readme written beforehand)."""
    return {t: TableCounts(sum(not _is_tombstone(r) for r in rows), sum(_is_tombstone(r) for r in rows))
            for t, rows in ((t, list(rows)) for t, rows in tables.items())}


# --- names ----------------------------------------------------------------------------------------

def data_member(table: str) -> str:
    return f"{DATA_PREFIX}{table}{DATA_SUFFIX}"


def bundle_file_name(header: BundleHeader, created_at: dt.datetime) -> str:
    """``TWN-<township>-UP-<seq:06d>-<yyyymmdd>.zip`` or ``CTY-<county>-DOWN-<township>-<seq>-<yyyymmdd>.zip``.

    A down bundle also names its township: the county writes one per township into the same folder
    in one step (item 8), and their sequences are counted per township, so they would collide.
    The date is the UTC date of ``created_at``; the name is informational only (a clerk may rename
    the file; the reader trusts only the signed manifest)."""
    prefix = LEVELS[header.source.level][0]
    middle = "UP" if header.direction == "up" else f"DOWN-{header.target_code}"
    return f"{prefix}-{header.source.code}-{middle}-{header.sequence:06d}-{created_at:%Y%m%d}.zip"


def looks_like_bundle_name(name: str) -> bool:
    """True for a file name :func:`bundle_file_name` could have made (for picking files in a folder)."""
    return FILE_NAME.match(name) is not None


# --- writing --------------------------------------------------------------------------------------

def _check_office(code: str, level: str, what: str) -> None:
    if level not in LEVELS:
        raise BundleError(f"{what}的级别“{level}”不对（应为 township 或 county）")
    length = LEVELS[level][1]
    if not (code.isascii() and code.isdigit() and len(code) == length):
        raise BundleError(f"{what}代码“{code}”不对：{'乡镇' if level == 'township' else '县'}应为 {length} 位数字")


def _check_route(source: OfficeRef, target_code: str, direction: str) -> None:
    """Up bundles go township → county, down bundles county → township (R1)."""
    if direction not in DIRECTIONS:
        raise BundleError(f"方向“{direction}”不对（应为 up 或 down）")
    _check_office(source.code, source.level, "来源单位")
    if source.level != DIRECTIONS[direction]:
        raise BundleError(f"方向 {direction} 与来源单位级别 {source.level} 不符")
    _check_office(target_code, "county" if direction == "up" else "township", "目标单位")
    if not source.name.strip():
        raise BundleError("来源单位名称为空")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _readme_bytes(text: str) -> bytes:
    """UTF-8 with BOM and CRLF, so that even old Windows Notepad shows it right."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def default_readme(header: BundleHeader, counts: Mapping[str, TableCounts], *,
                   table_labels: Mapping[str, str] | None = None, created_at: dt.datetime | None = None) -> str:
    """The standard 说明.txt: who sent it to whom, which number, how many changes; nothing personal."""
    labels = table_labels or {}
    level = "乡镇" if header.source.level == "township" else "县"
    route = "上报（乡镇 → 县）" if header.direction == "up" else "下发（县 → 乡镇）"
    lines = [
        "RemoteEdu 远程教育骨干队伍管理 —— 同步数据包",
        "",
        f"来源单位：{header.source.name}（{level}，代码 {header.source.code}）",
        f"接收单位代码：{header.target_code}",
        f"方向：{route}",
        f"序号：第 {header.sequence} 个",
    ]
    if created_at is not None:
        lines.append(f"生成时间（UTC）：{_iso(created_at)}")
    lines += ["", "内容："]
    if not counts:
        lines.append("  （没有更改）")
    for table in sorted(counts):
        c = counts[table]
        lines.append(f"  {labels.get(table, table)}：{c.changes} 条新增或修改，{c.tombstones} 条删除")
    lines += [
        "",
        "本文件中的个人信息均已加密，只有接收单位的电脑能够读取。",
        "请不要解压或修改本文件；在接收单位的 RemoteEdu 中选择“同步 → 导入数据包”即可。",
        "同一个数据包导入两次不会重复导入。",
    ]
    return "\n".join(lines) + "\n"


def _write_error(exc: OSError, dest: Path) -> BundleError:
    reasons = {
        errno.ENOSPC: "U 盘（目标文件夹）空间不足",
        errno.EROFS: "U 盘是只读的（可能打开了写保护开关）",
        errno.EACCES: "没有写入该文件夹的权限",
        errno.EPERM: "没有写入该文件夹的权限",
        errno.EIO: "读写出错，U 盘可能已被拔出或已损坏",
        errno.ENOENT: "文件夹不存在，U 盘可能已被拔出",
        errno.EEXIST: "同名文件已存在",
    }
    if isinstance(exc, ReadBackError):
        reason = "写入后读回的内容与写入的不一致，U 盘可能有问题，请换一个 U 盘重试"
    elif isinstance(exc, FileExistsError):
        reason = "同名文件已存在，未覆盖"
    else:
        reason = reasons.get(exc.errno or 0, f"写入失败（{exc.strerror or exc}）")
    return BundleError(f"数据包没有写成：{reason}。请勿使用该文件夹中名为 {dest.name} 的文件（已删除）",
                       where=str(dest.parent))


def write_bundle(dest_dir: Path | str, *, header: BundleHeader, tables: Mapping[str, Iterable[Row]],
                 signing_key: Ed25519PrivateKey, recipient: X25519PublicKey, readme: str | None = None,
                 limits: Limits = DEFAULT_LIMITS, overwrite: bool = False) -> WrittenBundle:
    """Build a bundle and write it safely into ``dest_dir`` (issue 6, items 2 and 5).

    ``tables`` maps table name (``[a-z][a-z0-9_]*``) to rows (dicts with a string ``"id"``; values
    already JSON-ready); every table given gets a data file, even with no rows. ``readme`` is the text
    of 说明.txt (:func:`default_readme` when None); it must hold nothing personal. Returns only after the
    file was written, fsync-ed, renamed, read back and verified; on failure no file with the final
    name is left behind and :class:`BundleError` says why."""
    dest_dir = Path(dest_dir)
    _check_route(header.source, header.target_code, header.direction)
    if isinstance(header.sequence, bool) or not isinstance(header.sequence, int) or header.sequence < 1:
        raise BundleError(f"序号 {header.sequence!r} 不对（应为从 1 开始的整数）")
    if header.previous_sha256 is not None and not HEX64.match(header.previous_sha256):
        raise BundleError("上一个数据包的 SHA-256 格式不对")
    if not header.schema_revision:
        raise BundleError("缺少数据库结构版本")
    bundle_id = header.bundle_id or str(uuid.uuid4())
    _check_bundle_id(bundle_id, where=None)
    created_at = header.created_at or _utc_now()
    if created_at.tzinfo is None:
        raise BundleError("生成时间必须带时区")
    created_at = created_at.astimezone(dt.UTC).replace(microsecond=0)

    content_key = crypto.new_content_key()
    members: list[tuple[str, bytes]] = []
    files: dict[str, dict[str, Any]] = {}
    counts: dict[str, TableCounts] = {}
    plain_total = 0
    for table in sorted(tables):
        if not TABLE_NAME.match(table):
            raise BundleError(f"表名“{table}”不对（只能用小写字母、数字和下划线）")
        plain, counts[table] = encode_table(table, tables[table])
        plain_total += len(plain)
        if len(plain) > limits.max_table_plain_bytes or plain_total > limits.max_plain_total_bytes:
            raise BundleError(f"表 {table} 的数据太大，超出数据包的上限")
        name = data_member(table)
        nonce, sealed = crypto.encrypt_member(content_key, bundle_id, name, zlib.compress(plain, 1))  # fast: a stick has room, a clerk waits
        members.append((name, sealed))
        files[name] = {"sha256": hashlib.sha256(sealed).hexdigest(), "size": len(sealed), "nonce": nonce.hex()}

    text = readme if readme is not None else default_readme(header, counts, created_at=created_at)
    readme_bytes = _readme_bytes(text)
    if len(readme_bytes) > limits.max_readme_bytes:
        raise BundleError("说明.txt 太长")
    files[README] = {"sha256": hashlib.sha256(readme_bytes).hexdigest(), "size": len(readme_bytes)}

    wrapped = crypto.wrap_content_key(content_key, recipient, bundle_id)
    manifest_value = {
        "format": FORMAT,
        "min_reader_format": MIN_READER_FORMAT,
        "schema_revision": header.schema_revision,
        "bundle_id": bundle_id,
        "source": {"code": header.source.code, "name": header.source.name, "level": header.source.level},
        "target": {"code": header.target_code},
        "direction": header.direction,
        "sequence": header.sequence,
        "previous_sha256": header.previous_sha256,
        "created_at": _iso(created_at),
        "tables": {t: {"changes": c.changes, "tombstones": c.tombstones} for t, c in counts.items()},
        "files": files,
        "signer_key_id": crypto.key_id(signing_key.public_key()).hex(),
        "encryption": {
            "cipher": CIPHER,
            "key_wrap": KEY_WRAP,
            "compression": COMPRESSION,
            "recipient_key_id": wrapped.recipient_key_id.hex(),
            "ephemeral_public_key": wrapped.ephemeral_public.hex(),
            "wrap_nonce": wrapped.nonce.hex(),
            "wrapped_key": wrapped.sealed_key.hex(),
        },
        "program": f"RemoteEdu {__version__}",
    }
    manifest_bytes = canonical_json(manifest_value)
    if len(manifest_bytes) > limits.max_manifest_bytes:
        raise BundleError("数据包清单太大")
    signature = crypto.sign(signing_key, manifest_bytes)
    zip_bytes = zip_layout.build([(MANIFEST, manifest_bytes), (SIGNATURE, signature), (README, readme_bytes),
                                  *members])
    if len(zip_bytes) > limits.max_file_bytes:
        raise BundleError("数据包太大，超出上限")

    name = bundle_file_name(header, created_at)
    if not dest_dir.is_dir():
        raise BundleError("目标文件夹不存在（U 盘可能已被拔出）", where=str(dest_dir))
    dest = dest_dir / name
    own_signer = {crypto.key_id(signing_key.public_key()): signing_key.public_key()}

    def verify(back: bytes) -> None:
        container = _parse_container(back, name, limits)
        manifest = _parse_manifest(container.manifest, name, FORMAT)
        _check_signature(container, manifest, own_signer, name)
        _check_members(container, manifest, name)

    try:
        sha256 = write_file_safely(dest, zip_bytes, verify=verify, overwrite=overwrite)
    except OSError as exc:
        raise _write_error(exc, dest) from exc
    except BundleError as exc:  # the read-back copy does not pass the reader's checks
        raise BundleError(f"数据包写入后校验不通过（{exc.message}），已删除，请换一个 U 盘重试",
                          where=str(dest_dir)) from exc
    manifest = _parse_manifest(manifest_bytes, name, FORMAT)
    return WrittenBundle(dest, sha256, len(zip_bytes), bundle_id, manifest)


# --- reading: the container -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Container:
    members: dict[str, bytes]  # every member but the manifest and signature, in file order
    manifest: bytes
    signature: bytes


def _show(name: str) -> str:
    shown = name if name.isprintable() else ascii(name)
    return shown if len(shown) <= 80 else shown[:77] + "…"


def _name_problem(name: str) -> str | None:
    """Why a member name is not allowed, or None (item 6: paths that escape the folder)."""
    if not name:
        return "文件名为空"
    if "\\" in name:
        return "含有反斜杠"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "是绝对路径"
    if any(part in ("..", ".") for part in name.split("/")):
        return "含有 .. 路径"
    if any(ord(ch) < 32 for ch in name):
        return "含有控制字符"
    if name in (MANIFEST, SIGNATURE, README):
        return None
    if name.startswith(DATA_PREFIX) and name.endswith(DATA_SUFFIX):
        table = name[len(DATA_PREFIX):-len(DATA_SUFFIX)]
        if TABLE_NAME.match(table):
            return None
    return "不是数据包应有的文件"


def _parse_container(data: bytes, where: str, limits: Limits) -> _Container:
    """Zip structure, member names, size limits and the canonical layout (item 6)."""
    broken = f"文件不完整或已损坏，不是有效的数据包（可能没有拷贝完整）。{RECOPY}"
    if len(data) > limits.max_file_bytes:
        raise BundleError(f"文件太大（{len(data)} 字节，上限 {limits.max_file_bytes}），不是正常的数据包", where=where)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # zipfile raises many kinds on damaged input
        raise BundleError(broken, where=where) from exc
    if len(infos) > limits.max_members:
        raise BundleError(f"包含的文件太多（{len(infos)} 个）", where=where)
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.orig_filename
        problem = _name_problem(name)
        if problem:
            raise BundleError(f"包含不允许的文件“{_show(name)}”（{problem}）", where=where)
        if name in seen:
            raise BundleError(f"文件“{_show(name)}”出现了两次", where=where)
        seen.add(name)
        if info.file_size > limits.max_member_bytes:
            raise BundleError(f"其中的文件“{_show(name)}”解压后过大（{info.file_size} 字节，上限 "
                              f"{limits.max_member_bytes}），疑似压缩炸弹", where=where)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise BundleError(f"解压后总大小过大（超过 {limits.max_total_bytes} 字节），疑似压缩炸弹", where=where)
        if info.file_size > 4096 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise BundleError(f"其中的文件“{_show(name)}”压缩比异常（{info.compress_size} → {info.file_size} "
                              "字节），疑似压缩炸弹", where=where)
    for info in infos:  # after the sizes, so that a bomb is called a bomb
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
            raise BundleError(f"其中的文件“{_show(info.orig_filename)}”使用了数据包不会使用的压缩或加密方式",
                              where=where)
    for required in (MANIFEST, SIGNATURE):
        if required not in seen:
            raise BundleError(f"缺少 {required}，不是有效的数据包", where=where)
    contents: dict[str, bytes] = {}
    try:
        for info in infos:
            with archive.open(info) as handle:
                body = handle.read(info.file_size + 1)  # never more than declared, even if it lies
            if len(body) != info.file_size:
                raise BundleError(f"其中的文件“{_show(info.orig_filename)}”实际大小与声明不符", where=where)
            contents[info.orig_filename] = body
    except BundleError:
        raise
    except Exception as exc:
        raise BundleError(broken, where=where) from exc
    if zip_layout.build([(info.orig_filename, contents[info.orig_filename]) for info in infos]) != data:
        raise BundleError(f"文件结构与数据包格式不符（文件被改动或已损坏）。{RECOPY}", where=where)
    manifest = contents.pop(MANIFEST)
    signature = contents.pop(SIGNATURE)
    return _Container(contents, manifest, signature)


# --- reading: the manifest ------------------------------------------------------------------------

class _Fields:
    """Typed access to one JSON object of the manifest; every miss is a BundleError naming the field."""

    def __init__(self, value: Any, path: str, where: str) -> None:
        if not isinstance(value, dict):
            raise BundleError(f"清单 {MANIFEST} 的 {path or '内容'} 不是对象", where=where)
        self.value = value
        self.path = path
        self.where = where

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def bad(self, key: str, why: str) -> BundleError:
        return BundleError(f"清单 {MANIFEST} 的字段 {self._name(key)} {why}", where=self.where)

    def get(self, key: str, kind: type | tuple[type, ...], *, nullable: bool = False) -> Any:
        if key not in self.value:
            raise self.bad(key, "缺失")
        value = self.value[key]
        if value is None and nullable:
            return None
        if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
            raise self.bad(key, "类型不对")
        return value

    def count(self, key: str, *, minimum: int = 0) -> int:
        value = self.get(key, int)
        if value < minimum:
            raise self.bad(key, f"应不小于 {minimum}")
        if value > MAX_COUNT:  # a sequence of 10**30 reached the database and overflowed (found by fuzzing)
            raise self.bad(key, f"应不大于 {MAX_COUNT}")
        return int(value)

    def hex(self, key: str, length: int, *, nullable: bool = False) -> bytes | None:
        value = self.get(key, str, nullable=nullable)
        if value is None:
            return None
        if len(value) != length * 2 or not re.fullmatch(r"[0-9a-f]*", value):
            raise self.bad(key, f"应为 {length * 2} 位小写十六进制")
        return bytes.fromhex(value)

    def text(self, key: str) -> str:
        value = self.get(key, str)
        if not value.strip():
            raise self.bad(key, "为空")
        return str(value)

    def child(self, key: str) -> _Fields:
        return _Fields(self.get(key, dict), self._name(key), self.where)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key}")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


#: The JSON escape of a UTF-16 surrogate: the only way a parsed string can hold one (found by fuzzing: such a
#: string cannot be stored in the database, which raised UnicodeEncodeError in the middle of an import).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _lone_surrogate(raw: bytes | None, value: Any) -> bool:
    """Whether the parsed *value* holds a string that is not Unicode text (a lone surrogate); cheap unless *raw*
    (None: not looked at) has a surrogate escape (a pair of them, an emoji written as ASCII, is fine)."""
    if raw is not None and not _SURROGATE_ESCAPE.search(raw):
        return False
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_bundle_id(bundle_id: str, where: str | None) -> None:
    try:
        ok = str(uuid.UUID(bundle_id)) == bundle_id
    except (ValueError, AttributeError, TypeError):
        ok = False
    if not ok:
        raise BundleError(f"数据包编号“{_show(str(bundle_id))}”不是规范的 UUID", where=where)


def _parse_manifest(raw: bytes, where: str, reader_format: int) -> Manifest:
    """Parse and validate every field; a newer format is refused first, with "please upgrade"."""
    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys,
                           parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(f"清单 {MANIFEST} 无法解析（{exc}）", where=where) from exc
    if _lone_surrogate(raw, value):
        raise BundleError(f"清单 {MANIFEST} 含有无效的 Unicode 字符（孤立的代理项）", where=where)
    top = _Fields(value, "", where)
    fmt = top.count("format", minimum=1)
    min_reader = top.count("min_reader_format", minimum=1)
    if min_reader > reader_format:
        raise BundleError(f"{UPGRADE}（数据包格式 {fmt}，需要读取程序格式 {min_reader}，本程序为 {reader_format}）",
                          where=where)
    if min_reader > fmt:
        raise top.bad("min_reader_format", "大于 format")

    source_fields = top.child("source")
    source = OfficeRef(source_fields.text("code"), source_fields.text("name"), source_fields.text("level"))
    target_code = top.child("target").text("code")
    direction = cast(Direction, top.text("direction"))
    try:
        _check_route(source, target_code, direction)
    except BundleError as exc:
        raise BundleError(f"清单 {MANIFEST} 中的单位或方向不对：{exc.message}", where=where) from exc
    bundle_id = top.text("bundle_id")
    _check_bundle_id(bundle_id, where)
    previous = top.hex("previous_sha256", 32, nullable=True)
    created_text = top.text("created_at")
    try:
        created_at = dt.datetime.strptime(created_text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError as exc:
        raise top.bad("created_at", "不是 UTC 时间（YYYY-MM-DDTHH:MM:SSZ）") from exc

    table_fields = top.child("tables")
    tables: dict[str, TableCounts] = {}
    for table in table_fields.value:
        if not TABLE_NAME.match(table):
            raise table_fields.bad(table, "不是允许的表名")
        counts = table_fields.child(table)
        tables[table] = TableCounts(counts.count("changes"), counts.count("tombstones"))

    file_fields = top.child("files")
    files: dict[str, FileEntry] = {}
    for name in file_fields.value:
        entry = file_fields.child(name)
        sha = entry.hex("sha256", 32)
        nonce = entry.hex("nonce", crypto.NONCE_BYTES) if name.endswith(DATA_SUFFIX) else None
        assert sha is not None
        files[name] = FileEntry(sha.hex(), entry.count("size"), nonce)

    encryption = top.child("encryption")
    for key, expected in (("cipher", CIPHER), ("key_wrap", KEY_WRAP), ("compression", COMPRESSION)):
        if encryption.text(key) != expected:
            raise encryption.bad(key, f"是本程序不认识的方式（应为 {expected}）")
    wrapped = crypto.WrappedKey(
        recipient_key_id=encryption.hex("recipient_key_id", crypto.KEY_ID_BYTES) or b"",
        ephemeral_public=encryption.hex("ephemeral_public_key", crypto.KEY_BYTES) or b"",
        nonce=encryption.hex("wrap_nonce", crypto.NONCE_BYTES) or b"",
        sealed_key=encryption.hex("wrapped_key", crypto.KEY_BYTES + crypto.TAG_BYTES) or b"",
    )
    program = top.value.get("program", "")
    return Manifest(
        format=fmt, min_reader_format=min_reader, schema_revision=top.text("schema_revision"),
        bundle_id=bundle_id, source=source, target_code=target_code, direction=direction,
        sequence=top.count("sequence", minimum=1), previous_sha256=previous.hex() if previous else None,
        created_at=created_at, tables=tables, files=files,
        signer_key_id=top.hex("signer_key_id", crypto.KEY_ID_BYTES) or b"",
        wrapped_key=wrapped, program=program if isinstance(program, str) else "", raw=raw,
    )


def _check_signature(container: _Container, manifest: Manifest, signers: Mapping[bytes, Ed25519PublicKey],
                     where: str) -> None:
    public = signers.get(manifest.signer_key_id)
    if public is None:
        raise BundleError(f"签名单位未知：{manifest.source.name}（{manifest.source.code}）的签名密钥 "
                          f"{manifest.signer_key_id.hex().upper()} 未在本机登记。请先核对并接受对方的密钥指纹",
                          where=where)
    if not crypto.signature_valid(public, container.signature, container.manifest):
        raise BundleError(f"签名不符：文件在导出后被改动或已损坏。{RECOPY}", where=where)


def _check_members(container: _Container, manifest: Manifest, where: str) -> None:
    """Exactly the declared members, each with the declared size and SHA-256; one data file per table."""
    declared = set(manifest.files)
    present = set(container.members)
    if README not in declared:
        raise BundleError(f"清单中没有 {README}", where=where)
    if extra := sorted(present - declared):
        raise BundleError(f"包含清单中没有的文件：{', '.join(_show(n) for n in extra)}", where=where)
    if missing := sorted(declared - present):
        raise BundleError(f"缺少清单中列出的文件：{', '.join(_show(n) for n in missing)}", where=where)
    data_files = {n for n in declared if n != README}
    if data_files != {data_member(t) for t in manifest.tables}:
        raise BundleError("数据文件与清单中的表不一致", where=where)
    for name, entry in manifest.files.items():
        body = container.members[name]
        if len(body) != entry.size or hashlib.sha256(body).hexdigest() != entry.sha256:
            raise BundleError(f"文件“{_show(name)}”的大小或校验值与清单不符（被改动或已损坏）。{RECOPY}",
                              where=where)


def _readme_text(container: _Container, where: str, limits: Limits) -> str:
    body = container.members[README]
    if len(body) > limits.max_readme_bytes:
        raise BundleError(f"{README} 太长", where=where)
    try:
        return body.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise BundleError(f"{README} 不是 UTF-8 文本", where=where) from exc


def _read_file(path: Path, limits: Limits) -> bytes:
    where = path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise BundleError("不是文件", where=where)
        if size > limits.max_file_bytes:
            raise BundleError(f"文件太大（{size} 字节，上限 {limits.max_file_bytes}），不是正常的数据包", where=where)
        with open(path, "rb") as handle:
            return handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError as exc:
        raise BundleError("找不到该文件", where=str(path)) from exc
    except OSError as exc:
        raise BundleError(f"无法读取该文件（{exc.strerror or exc}）", where=str(path)) from exc


def _open_checked(path: Path, limits: Limits, reader_format: int,
                  signers: Mapping[bytes, Ed25519PublicKey] | None) -> tuple[bytes, _Container, Manifest, str]:
    data = _read_file(path, limits)
    where = path.name
    container = _parse_container(data, where, limits)
    manifest = _parse_manifest(container.manifest, where, reader_format)
    if signers is not None:
        _check_signature(container, manifest, signers, where)
    return data, container, manifest, where


def inspect_bundle(path: Path | str, *, signers: Mapping[bytes, Ed25519PublicKey] | None = None,
                   reader_format: int = FORMAT, limits: Limits = DEFAULT_LIMITS) -> BundleInfo:
    """Check a bundle without the recipient's private key: zip structure and layout, member names,
    size limits, manifest fields, format, and every member's size and SHA-256; the signature too when
    ``signers`` (key id → public key) is given. Raises :class:`BundleError` on the first problem."""
    path = Path(path)
    data, container, manifest, where = _open_checked(path, limits, reader_format, signers)
    _check_members(container, manifest, where)
    members = tuple(MemberInfo(n, len(b), hashlib.sha256(b).hexdigest()) for n, b in container.members.items())
    return BundleInfo(path, hashlib.sha256(data).hexdigest(), len(data), manifest,
                      _readme_text(container, where, limits), members, signers is not None)


# --- reading: decryption and rows -----------------------------------------------------------------

def _inflate(compressed: bytes, member: str, where: str, limits: Limits) -> bytes:
    inflater = zlib.decompressobj()
    try:
        plain = inflater.decompress(compressed, limits.max_table_plain_bytes + 1)
    except zlib.error as exc:
        raise BundleError(f"数据文件“{member}”解压失败（已损坏）", where=where) from exc
    if len(plain) > limits.max_table_plain_bytes or inflater.unconsumed_tail:
        raise BundleError(f"数据文件“{member}”解压后过大（上限 {limits.max_table_plain_bytes} 字节），"
                          "疑似压缩炸弹", where=where)
    if len(plain) > MiB and len(plain) > limits.max_plain_ratio * len(compressed):
        raise BundleError(f"数据文件“{member}”压缩比异常，疑似压缩炸弹", where=where)
    if not inflater.eof or inflater.unused_data:
        raise BundleError(f"数据文件“{member}”不完整（已损坏）", where=where)
    return plain


def _line_error(text: str, member: str, where: str) -> BundleError:
    """Find the first bad line for the message (the slow path, only on failure)."""
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        try:
            value = json.loads(line, parse_constant=_reject_constant)
        except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep (found by fuzzing)
            return BundleError(f"数据文件“{member}”第 {number} 行不是有效的 JSON", where=where)
        if not isinstance(value, dict):
            return BundleError(f"数据文件“{member}”第 {number} 行不是对象", where=where)
    return BundleError(f"数据文件“{member}”的行格式不对", where=where)


def decode_table(plain: bytes, member: str, where: str) -> list[Row]:
    """Parse canonical JSON lines: every line an object with a text ``"id"``, ids strictly increasing
    (so sorted and unique), ``"deleted"`` boolean when present."""
    if not plain:
        return []
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(f"数据文件“{member}”不是 UTF-8 文本", where=where) from exc
    if not text.endswith("\n"):
        raise BundleError(f"数据文件“{member}”最后一行不完整", where=where)
    lines = text.count("\n")
    try:  # one C-speed parse of all lines; a line never holds a raw newline in JSON
        rows = json.loads("[" + text[:-1].replace("\n", ",") + "]", parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise _line_error(text, member, where) from None
    if len(rows) != lines:
        raise _line_error(text, member, where)
    if _SURROGATE_ESCAPE.search(plain):
        for number, row in enumerate(rows, start=1):
            if _lone_surrogate(None, row):
                raise BundleError(f"数据文件“{member}”第 {number} 行含有无效的 Unicode 字符（孤立的代理项）",
                                  where=where)
    previous = ""
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise BundleError(f"数据文件“{member}”第 {number} 行不是对象", where=where)
        row_id = row.get("id")
        if not isinstance(row_id, str) or not row_id:
            raise BundleError(f"数据文件“{member}”第 {number} 行缺少 id", where=where)
        if row_id <= previous:
            raise BundleError(f"数据文件“{member}”第 {number} 行的 id 没有按顺序排列或重复", where=where)
        if "deleted" in row and not isinstance(row["deleted"], bool):
            raise BundleError(f"数据文件“{member}”第 {number} 行的 deleted 不是 true/false", where=where)
        previous = row_id
    return rows


def _verified(path: Path, signers: Mapping[bytes, Ed25519PublicKey], expected_target: str, reader_format: int,
              known_schemas: Collection[str] | None, limits: Limits) -> tuple[bytes, _Container, Manifest, str, str]:
    """The checks of :func:`read_bundle` that need no private key, in its order (up to the readme)."""
    data, container, manifest, where = _open_checked(path, limits, reader_format, signers)
    if manifest.target_code != expected_target:
        raise BundleError(f"此数据包是发给单位 {manifest.target_code} 的，不是本单位（{expected_target}），"
                          "请检查是否拿错了文件", where=where)
    if known_schemas is not None and manifest.schema_revision not in known_schemas:
        raise BundleError(f"{UPGRADE}（数据库结构版本 {manifest.schema_revision} 本程序不认识）", where=where)
    _check_members(container, manifest, where)
    return data, container, manifest, where, _readme_text(container, where, limits)


def verify_bundle(path: Path | str, *, signers: Mapping[bytes, Ed25519PublicKey], expected_target: str,
                  reader_format: int = FORMAT, known_schemas: Collection[str] | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> BundleInfo:
    """The checks of :func:`read_bundle` before decryption, in the same order and with the same messages:
    layout, names, limits, manifest, format, signature, target office, schema, every member's size and
    SHA-256. Nothing is decrypted or parsed, so it is cheap: the importer runs it before taking its backup and
    runs :func:`read_bundle` (every check again, then the rows) inside the transaction (issue 6, item 11)."""
    path = Path(path)
    data, container, manifest, _, readme = _verified(path, signers, expected_target, reader_format,
                                                     known_schemas, limits)
    members = tuple(MemberInfo(n, len(b), hashlib.sha256(b).hexdigest()) for n, b in container.members.items())
    return BundleInfo(path, hashlib.sha256(data).hexdigest(), len(data), manifest, readme, members, True)


def read_bundle(path: Path | str, *, signers: Mapping[bytes, Ed25519PublicKey], recipient_key: X25519PrivateKey,
                expected_target: str, reader_format: int = FORMAT, known_schemas: Collection[str] | None = None,
                limits: Limits = DEFAULT_LIMITS) -> OpenedBundle:
    """Open a bundle for import, after every check of issue 6, item 6, in this order: a real zip in the
    canonical layout, allowed member names only, size limits, the manifest with every field, a format
    this program can read ("please upgrade" otherwise), the signature by a known signer
    (``signers``: key id → Ed25519 public key, e.g. from ``office_keys.known_keys``), the target office,
    the schema revision (when ``known_schemas`` is given, an unknown revision means a newer program),
    each member's size and SHA-256, the content key unwrapped with ``recipient_key``, every data file
    decrypted (GCM tag), inflated within the limits and parsed, and the counts equal to the manifest.
    Nothing is returned before all of that passed; any failure raises :class:`BundleError`."""
    path = Path(path)
    data, container, manifest, where, readme = _verified(path, signers, expected_target, reader_format,
                                                          known_schemas, limits)
    if manifest.wrapped_key.recipient_key_id != crypto.key_id(recipient_key.public_key()):
        raise BundleError("此数据包不是用本单位的密钥加密的，无法解密（可能发给了别的单位，或本单位的密钥已更换）",
                          where=where)
    try:
        content_key = crypto.unwrap_content_key(manifest.wrapped_key, recipient_key, manifest.bundle_id)
    except (InvalidTag, ValueError) as exc:
        raise BundleError("无法解开数据包的密钥（密钥不符或文件已损坏）", where=where) from exc

    rows: dict[str, list[Row]] = {}
    plain_total = 0
    for table, counts in sorted(manifest.tables.items()):
        member = data_member(table)
        entry = manifest.files[member]
        assert entry.nonce is not None
        try:
            compressed = crypto.decrypt_member(content_key, manifest.bundle_id, member, entry.nonce,
                                               container.members[member])
        except InvalidTag as exc:
            raise BundleError(f"数据文件“{member}”解密失败（被改动、已损坏或不属于本数据包）", where=where) from exc
        plain = _inflate(compressed, member, where, limits)
        plain_total += len(plain)
        if plain_total > limits.max_plain_total_bytes:
            raise BundleError(f"数据解压后总大小过大（上限 {limits.max_plain_total_bytes} 字节），疑似压缩炸弹",
                              where=where)
        table_rows = decode_table(plain, member, where)
        tombstones = sum(_is_tombstone(r) for r in table_rows)
        if TableCounts(len(table_rows) - tombstones, tombstones) != counts:
            raise BundleError(f"表 {table} 的记录数与清单不符（清单：{counts.changes} 条更改、{counts.tombstones} 条删除；"
                              f"实际：{len(table_rows) - tombstones} 条更改、{tombstones} 条删除）", where=where)
        rows[table] = table_rows
    return OpenedBundle(path, hashlib.sha256(data).hexdigest(), len(data), manifest, readme, rows)


__all__ = [
    "DEFAULT_LIMITS", "FORMAT", "MIN_READER_FORMAT", "UPGRADE", "BundleError", "BundleHeader", "BundleInfo",
    "FileEntry", "Limits", "Manifest", "MemberInfo", "OfficeRef", "OpenedBundle", "TableCounts",
    "WrittenBundle", "bundle_file_name", "canonical_json", "count_rows", "data_member", "decode_table",
    "default_readme", "encode_table", "inspect_bundle", "looks_like_bundle_name", "read_bundle", "verify_bundle",
    "write_bundle",
]
