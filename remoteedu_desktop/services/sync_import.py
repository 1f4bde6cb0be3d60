"""Bundles imported: up bundles at the county, down bundles at a township (issue 6, items 1, 3, 4, 6, 8, 9, 12).

Three steps, each usable on its own:

- :func:`check_bundle` (touches nothing): structure, hashes, the signature of the township (only its
  accepted key), target office = this county, a schema this program knows, the ledger (the same bundle
  id and hash already applied → ``already`` with the date; the same id with another hash → refused), a
  replayed older sequence (refused), known tables and columns. A township whose keys are not accepted yet
  raises :class:`KeyNotAccepted` carrying the keys from the bundle ("请电话核对指纹后确认").
- :func:`preview` runs the real apply inside a SAVEPOINT and rolls it back: per record new / changed
  (field: old → new) / unchanged / refused (reason), per-table counts that add up to the manifest.
- :func:`apply` takes a backup (``Database.backup(label="pre_import")``; a SQLite file only: a server database is
  backed up by its server), then applies in ONE transaction with
  Core statements, so the rows keep the township's ``origin``/``changed_by``/``change_seq``; writes the audit
  log itself (account ``同步:<bundle id, 8 chars>``), a ``sync_ledger`` row (``applied``, counts) and
  ``SyncPeer.last_received_seq``. A refused bundle is copied to ``<data dir>/sync/quarantine/`` and recorded
  as ``refused`` in the ledger; the rest of the database is unchanged.

Ownership and merging (items 3 and 7): each field has an owner — the table's (:data:`sync_rows.UP_OWNERSHIP`,
:func:`sync_rows.county_owns`) or its own (:func:`sync_rows.field_owners`, e.g. the name and code of a township's
own unit row are the county's). Per record and field (see :meth:`_Applier.row`): a field the sender owns takes the
sender's value; a field this office owns keeps its value. Where the losing side had really edited the field — this
office's unacknowledged edits from its audit log, the sender's from the bundle's ``edited_fields`` table
(:mod:`sync_edits`) — the losing value goes into the conflict queue (``sync_conflict``, :mod:`sync_conflicts`)
and the record is reported as ``conflict``; a stale copy is not a conflict. A row that kept some of this office's
values is re-stamped so the next bundle carries the merged row back. A record the sender does not own and this
office does not have is ``refused`` ("县级数据，乡镇不能修改"). Deletions are the ``deleted`` field: a deletion
against an edit and an edit against a deletion are conflicts, never silent losses.

Down bundles (county → township, written by :mod:`sync_down`) go through the same three steps at a township,
from its enrolled county only. There the rule is reversed: county-owned rows are applied (county-run trainings
and their sessions, enrolments and attendance in county-run trainings, certificates, evaluations, awards, …:
:func:`sync_rows.county_owns`) and any township-owned row is ``refused`` ("乡镇数据，县里不能修改") unless it
equals the township's row.

Acknowledgements and restored databases (items 4 and 9), both directions: every bundle carries a
``sync_state`` row (see :mod:`sync_export`). Applying it records the sender's acknowledgement of our changes
(:func:`sync_export.set_acknowledged`, so our next bundle only carries newer changes), the sender's change
counter (:func:`sync_export.set_received`, acknowledged in our next bundle) and its instance id (a different
instance id for the same office is reported in :attr:`ImportReport.warnings`). :func:`check_bundle` refuses a
bundle whose sequence is not above the last one applied from that office under a new id (the sender's database
was restored from a backup or copied: :data:`RESTORED`), and the next bundle in sequence whose
``previous_sha256`` is not the hash of the last one applied (hash chain fork). Counters never move backwards.

Org units are matched by code as well as by id: the county and the township each made their own row for the
county and the township unit at enrolment, so a unit arriving under another id with a code the county has is
the county's row, and references to it are translated. Down bundles also carry a table ``org_unit_codes`` (id →
code of every unit the rows refer to, the township's own units included), translated the same way at the
township, and reference copies of the units that are not the township's (see :mod:`sync_down`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
import shutil
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import ARRAY, Column, Dialect, Table, any_, bindparam, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from .. import paths
from ..data.database import Database
from ..data.migrate import known_revisions
from ..data.models import AppSetting, AuditLog, SyncConflict, SyncLedger, SyncPeer
from ..data.stamping import next_change_seq, utcnow
from ..errors import ValidationError
from ..sync import crypto
from ..sync.bundle_format import (
    MAX_COUNT,
    BundleError,
    Manifest,
    OpenedBundle,
    data_member,
    decode_table,
    inspect_bundle,
    read_bundle,
    verify_bundle,
)
from . import office_keys, offices, server_rows, sync_edits, sync_enrolment, sync_export, sync_rows
from .sync_export import (
    EDITED_FIELDS_TABLE,
    META_TABLES,
    OFFICE_KEYS_TABLE,
    SYNC_STATE_TABLE,
    UNIT_CODES_TABLE,
)

Status = Literal["new", "changed", "unchanged", "conflict", "refused"]
STATUS_LABEL = {"new": "新增", "changed": "修改", "unchanged": "无变化", "conflict": "冲突", "refused": "拒收"}
TABLE_LABEL = {
    "org_unit": "单位/站点", "person": "人员", "person_photo": "照片", "post": "岗位", "post_served_site": "服务站点",
    "training_plan": "培训计划", "training_session": "培训课次", "enrolment": "参训", "attendance": "考勤",
    "activity": "活动", "activity_tutor": "活动辅导员", "equipment": "设备", "fault_ticket": "故障",
    OFFICE_KEYS_TABLE: "单位公钥", "certificate": "证书", "certificate_serial": "证书流水号",
    "certificate_template": "证书模板", "certificate_asset": "证书图片", "evaluation_round": "考评轮次",
    "rubric": "考评细则", "rubric_item": "考评项目", "evaluation": "考评", "evaluation_score": "考评得分",
    "award_campaign": "评优活动", "nomination": "评优推荐", "award": "表彰",
}
CONFIRM_FINGERPRINT = "请电话核对指纹后确认"
_NAME = re.compile(r"(?:TWN-(\d{9})-UP|CTY-(\d{6})-DOWN-\d{9})-(\d+)-")
#: A bundle whose sequence goes back under a new id, or whose hash chain forks (issue 6, item 9).
RESTORED = "数据库可能是从备份恢复或复制的，为免数据倒退已拒收，本机数据未改动。请联系县远程办"
INSTANCE_PREFIX = "sync.instance."


class KeyNotAccepted(ValidationError):
    """The township's keys are not accepted here yet; :func:`apply` records them as pending."""

    def __init__(self, message: str, *, where: str, code: str, signing: bytes, exchange: bytes) -> None:
        super().__init__(message, field="密钥", where=where)
        self.code, self.signing, self.exchange = code, signing, exchange


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordResult:
    table: str
    id: str
    status: Status
    changes: tuple[FieldChange, ...] = ()
    reason: str | None = None
    tombstone: bool = False
    name: str = ""  #: the record's name or title when it has one, for the clerk

    @property
    def label(self) -> str:
        """What the report calls the record: its name (with the id's start), or the id's start."""
        return f"{self.name}（{self.id[:8]}）" if self.name else self.id[:8]


@dataclass
class ImportCheck:
    """A bundle that passed :func:`check_bundle`. ``already`` is the date it was applied, if it was."""

    path: Path
    manifest: Manifest
    sha256: str
    already: dt.datetime | None
    opened: OpenedBundle | None = field(default=None, repr=False)
    values: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    state: dict[str, Any] = field(default_factory=dict)  #: the sender's ``sync_state`` row ({} when absent)
    unit_codes: dict[str, str] = field(default_factory=dict)  #: down bundles: org unit id → code
    warnings: list[str] = field(default_factory=list)
    #: (table, record id) → the fields the sender edited (None: all), from the bundle's ``edited_fields``
    edited: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict, repr=False)


@dataclass
class ImportReport:
    path: Path
    status: Literal["applied", "preview", "already", "refused"]
    bundle_id: str | None = None
    source_code: str | None = None
    source_name: str | None = None
    sequence: int | None = None
    records: list[RecordResult] = field(default_factory=list)
    manifest_counts: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    already_at: dt.datetime | None = None
    backup: Path | None = None
    quarantine: Path | None = None
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """table → status → number of records."""
        out: dict[str, dict[str, int]] = {}
        for r in self.records:
            per = out.setdefault(r.table, {s: 0 for s in STATUS_LABEL})
            per[r.status] += 1
        return out

    def lines(self, *, details: bool = True) -> list[str]:
        """The report in plain Chinese, one line each (CLI and printing)."""
        label = f"{self.source_name}（{self.source_code}）" if self.source_code else ""
        head = {"applied": "已导入", "preview": "预览（未写入数据库）", "already": "已导入过，未作改动",
                "refused": "拒收"}[self.status]
        out = [f"{self.path.name}：{head}" + (f"　来自{label}，第 {self.sequence} 号" if label else "")]
        if self.status == "already" and self.already_at is not None:
            out.append(f"  此数据包已于 {self.already_at:%Y-%m-%d %H:%M} 导入")
        if self.message:
            out.append(f"  原因：{self.message}")
        for warning in self.warnings:
            out.append(f"  注意：{warning}")
        for table, per in self.counts().items():
            parts = "，".join(f"{STATUS_LABEL[s]} {n}" for s, n in per.items() if n)
            out.append(f"  {TABLE_LABEL.get(table, table)}：{parts}（共 {sum(per.values())}）")
        if details:
            for r in self.records:
                if r.status == "changed":
                    for c in r.changes:
                        out.append(f"    修改 {TABLE_LABEL.get(r.table, r.table)} {r.label} {c.field}："
                                   f"{_show(c.old)} → {_show(c.new)}")
                elif r.status == "refused":
                    out.append(f"    拒收 {TABLE_LABEL.get(r.table, r.table)} {r.label}：{r.reason}")
                elif r.status == "conflict":
                    out.append(f"    冲突 {TABLE_LABEL.get(r.table, r.table)} {r.label}：{r.reason}（见“同步冲突”）")
        if self.backup is not None:
            out.append(f"  导入前备份：{self.backup}")
        if self.quarantine is not None:
            out.append(f"  已隔离保存：{self.quarantine}")
        return out


def _show(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bytes):
        return f"<{len(value)} 字节>"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- checking --------------------------------------------------------------------------------------------

def _township_keys_from_bundle(session: Session, path: Path, manifest: Manifest) -> tuple[bytes, bytes]:
    """The public keys the township put in its bundle, decrypted with this office's key (the bundle's
    members were already checked against the manifest by ``inspect_bundle``)."""
    import zipfile

    where = path.name
    member = data_member(OFFICE_KEYS_TABLE)
    entry = manifest.files.get(member)
    if entry is None or entry.nonce is None:
        raise BundleError("数据包中没有对方单位的公钥，无法确认签名", where=where)
    with zipfile.ZipFile(path) as zf:
        sealed = zf.read(member)
    if hashlib.sha256(sealed).hexdigest() != entry.sha256:
        raise BundleError("数据包在检查时被改动", where=where)
    try:
        key = crypto.unwrap_content_key(manifest.wrapped_key, office_keys.exchange_key(session), manifest.bundle_id)
        plain = zlib.decompress(crypto.decrypt_member(key, manifest.bundle_id, member, entry.nonce, sealed))
    except Exception as exc:  # InvalidTag, zlib.error, ValueError: all mean the same to the clerk
        raise BundleError("无法解开数据包中的公钥（密钥不符或文件已损坏）", where=where) from exc
    rows = decode_table(plain, member, where)
    try:
        [row] = rows
        signing, exchange = bytes.fromhex(row["signing_public_key"]), bytes.fromhex(row["exchange_public_key"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BundleError("数据包中的公钥格式不对", where=where) from exc
    if row.get("id") != manifest.source.code or len(signing) != 32 or len(exchange) != 32:
        raise BundleError("数据包中的公钥不属于发送单位", where=where)
    if crypto.key_id(signing) != manifest.signer_key_id:
        raise BundleError("数据包的签名密钥与其中的公钥不符", where=where)
    return signing, exchange


def _sequence_checks(session: Session, manifest: Manifest, sha256: str, peer: SyncPeer, where: str) -> None:
    """Replayed, superseded and restored bundles, hash chain forks (issue 6, items 6 and 9)."""
    source = manifest.source
    label = f"{source.name}（{source.code}）"
    last = peer.last_received_seq or 0
    applied = select(SyncLedger).where(SyncLedger.source_office == source.code,
                                       SyncLedger.direction == manifest.direction, SyncLedger.status == "applied")
    if manifest.sequence <= last:
        later = session.scalar(applied.where(SyncLedger.previous_sha256 == sha256).limit(1))
        if later is not None:
            raise BundleError(f"第 {manifest.sequence} 号数据包是重放的旧文件：之后的第 {later.sequence} 号已于 "
                              f"{later.at:%Y-%m-%d} 导入并包含了它的全部内容，无需再导入", where=where)
        raise BundleError(f"{label}的第 {manifest.sequence} 号数据包不是本机已导入的那个，而本机已导入到第 {last} 号："
                          f"{label}的{RESTORED}", where=where)
    if manifest.sequence == last + 1 and last > 0:
        previous = session.scalar(applied.where(SyncLedger.sequence == last).limit(1))
        if previous is not None and manifest.previous_sha256 != previous.sha256:
            raise BundleError(f"第 {manifest.sequence} 号数据包接不上本机已导入的第 {last} 号（数据链分叉）："
                              f"{label}的{RESTORED}", where=where)


def _state(opened: OpenedBundle, source_code: str, where: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The sender's ``sync_state`` row and the ``org_unit_codes`` of a bundle, checked."""
    state: dict[str, Any] = {}
    if SYNC_STATE_TABLE in opened.tables:
        rows = opened.rows(SYNC_STATE_TABLE)
        ints = ("up_to_seq", "acked_sequence", "acked_change_seq")
        if (len(rows) != 1 or rows[0].get("id") != source_code or not isinstance(rows[0].get("instance_id"), str)
                or any(isinstance(rows[0].get(k), bool) or not isinstance(rows[0].get(k), int)
                       or not 0 <= rows[0][k] <= MAX_COUNT for k in ints)):  # 10**30 poisoned the counters (fuzzing)
            raise BundleError("数据包中的同步状态（sync_state）格式不对", where=where)
        state = dict(rows[0])
    codes: dict[str, str] = {}
    if UNIT_CODES_TABLE in opened.tables:
        for row in opened.rows(UNIT_CODES_TABLE):
            if not isinstance(row.get("code"), str):
                raise BundleError("数据包中的单位代码表（org_unit_codes）格式不对", where=where)
            codes[row["id"]] = row["code"]
    return state, codes


def check_bundle(session: Session, path: Path | str) -> ImportCheck:
    """Every check of issue 6, items 6 and 9: an up bundle at this county, or a down bundle at this township
    from its county; touches nothing.

    Raises :class:`BundleError` / ValidationError (plain Chinese reason) or :class:`KeyNotAccepted`."""
    return _check(session, Path(path), rows=True)


def _check(session: Session, path: Path, *, rows: bool) -> ImportCheck:
    """:func:`check_bundle`; with ``rows=False`` the light check :func:`apply` runs before its backup: the same
    checks up to the signature, the members' hashes and the sequence, but nothing decrypted or decoded (the
    full check runs again inside the transaction; issue 6, item 11)."""
    where = path.name
    office = offices.office_info(session)
    if not office.initialized or office.level not in ("county", "township"):
        raise ValidationError("本机尚未设置单位，不能导入数据包", field="单位", where=where)
    info = inspect_bundle(path)
    manifest = info.manifest
    up = office.level == "county"
    if up and manifest.direction != "up":
        raise BundleError("这是县发给乡镇的数据包，不能在县里导入", where=where)
    if not up and manifest.direction != "down":
        raise BundleError("这是乡镇上报县里的数据包，不能在乡镇导入", where=where)
    if manifest.target_code != office.code:
        raise BundleError(f"此数据包是发给单位 {manifest.target_code} 的，不是本单位（{office.code}），"
                          "请检查是否拿错了文件", where=where)
    source = manifest.source
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == source.code,
                                                 SyncPeer.level == ("township" if up else "county")))
    if peer is None:
        what = "不是本县已登记的乡镇远程办" if up else "不是本机登记的县远程办"
        raise BundleError(f"{source.name}（{source.code}）{what}", where=where)
    done = session.scalar(select(SyncLedger).where(SyncLedger.bundle_id == manifest.bundle_id,
                                                    SyncLedger.status == "applied"))
    if done is not None:
        if done.sha256 != info.sha256:
            raise BundleError(f"编号相同的数据包已于 {done.at:%Y-%m-%d} 导入，但内容不同：此文件被改动过或来源可疑，"
                              "已拒收", where=where)
        return ImportCheck(path, manifest, info.sha256, done.at)
    accepted = office_keys.peer_keys(session, source.code)
    signers = {}
    if accepted is not None:
        signers = {crypto.key_id(crypto.raw_public(accepted.signing)): accepted.signing}
    if manifest.signer_key_id not in signers:
        if not up:
            raise BundleError(f"数据包的签名不是本机登记的{source.name}（{source.code}）的密钥，已拒收；"
                              "如县里换了密钥，请安装县里新发的登记文件", where=where)
        signing, exchange = _township_keys_from_bundle(session, path, manifest)
        # the bundle must really be signed by the key it carries before that key is worth a phone call
        read_bundle(path, signers={manifest.signer_key_id: Ed25519PublicKey.from_public_bytes(signing)},
                    recipient_key=office_keys.exchange_key(session), expected_target=office.code,
                    known_schemas=known_revisions())
        fp = office_keys.office_fingerprint(signing, exchange)
        what = "新的密钥" if accepted is not None else "密钥"
        raise KeyNotAccepted(
            f"{source.name}（{source.code}）的{what}尚未确认（指纹 {fp.short}）。{CONFIRM_FINGERPRINT}："
            f"remoteedu sync enroll --accept {source.code} --fingerprint 对方电话告知的指纹，然后再导入",
            where=where, code=source.code, signing=signing, exchange=exchange)
    if not rows:
        verified = verify_bundle(path, signers=signers, expected_target=office.code, known_schemas=known_revisions())
        if verified.sha256 != info.sha256:
            raise BundleError("数据包在检查时被改动", where=where)
        _sequence_checks(session, manifest, verified.sha256, peer, where)
        return ImportCheck(path, manifest, verified.sha256, None)
    opened = read_bundle(path, signers=signers, recipient_key=office_keys.exchange_key(session),
                         expected_target=office.code, known_schemas=known_revisions())
    if opened.sha256 != info.sha256:
        raise BundleError("数据包在检查时被改动", where=where)
    _sequence_checks(session, manifest, opened.sha256, peer, where)
    state, unit_codes = _state(opened, source.code, where)
    warnings: list[str] = []
    known = session.get(AppSetting, INSTANCE_PREFIX + source.code)
    if state and known is not None and json.loads(known.value_json)["id"] != state["instance_id"]:
        warnings.append(f"{source.name}（{source.code}）的程序实例编号变了（换了电脑、重装或数据库被复制）："
                        "如非本单位安排，请联系对方核实")
    values: dict[str, list[dict[str, Any]]] = {}
    for table in opened.tables:
        if table in META_TABLES:
            continue
        try:
            values[table] = [sync_rows.json_to_values(table, row) for row in opened.rows(table)]
        except ValidationError as exc:
            field_name = exc.field if exc.field and "." in exc.field else None  # "table.column" when it says
            raise BundleError(f"{exc.message}（{'字段 ' + field_name if field_name else '表 ' + table}）",
                              where=where) from exc
    edited: dict[tuple[str, str], frozenset[str] | None] = {}
    if EDITED_FIELDS_TABLE in opened.tables:
        try:
            edited = sync_edits.parse_edited(opened.rows(EDITED_FIELDS_TABLE))
        except ValueError as exc:
            raise BundleError("数据包中的修改字段表（edited_fields）格式不对", where=where) from exc
    return ImportCheck(path, manifest, opened.sha256, None, opened, values, state, unit_codes, warnings, edited)


# --- applying --------------------------------------------------------------------------------------------

def _parents_first(rows: list[dict[str, Any]], columns: Iterable[str]) -> list[dict[str, Any]]:
    """Rows ordered so that a row referenced by another row of the same table comes first."""
    columns = tuple(columns)
    if not columns:
        return rows
    by_id = {r["id"]: r for r in rows}
    done: set[str] = set()
    out: list[dict[str, Any]] = []

    def visit(row: dict[str, Any], depth: int = 0) -> None:
        if row["id"] in done or depth > len(rows):
            return
        done.add(row["id"])
        for c in columns:
            parent = by_id.get(row.get(c))  # type: ignore[arg-type]
            if parent is not None:
                visit(parent, depth + 1)
        out.append(row)

    for row in rows:
        visit(row)
    return out


#: Samples on which a C-speed conversion must give exactly what SQLAlchemy's own bind processor gives.
_FAST_BIND: dict[type, tuple[Callable[[Any], Any], tuple[Any, ...]]] = {
    dt.datetime: (lambda v: v.isoformat(" ", "microseconds"),
                  (dt.datetime(2026, 6, 30, 9, 5, 7, 123456), dt.datetime(1999, 1, 2), dt.datetime(2026, 12, 31, 23, 59))),
    dt.date: (dt.date.isoformat, (dt.date(2026, 6, 30), dt.date(1965, 1, 1))),
    dt.time: (lambda v: v.isoformat("microseconds"), (dt.time(9, 0), dt.time(23, 59, 58, 999))),
}


def _bind_processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column's bind processor on this dialect (None: values go as they are); a C-speed equivalent
    when one gives the same result on every sample (issue 6, item 11)."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return process
    if python_type is bool and process(True) == 1 and process(False) == 0:
        return None  # the sqlite3 driver stores True and False as 1 and 0 itself
    fast, samples = _FAST_BIND.get(python_type, (None, ()))
    if fast is not None and all(fast(v) == process(v) and type(fast(v)) is type(process(v)) for v in samples):
        return fast
    return process


_PROCESSORS: dict[tuple[str, str, str], tuple[Callable[[Any], Any] | None, ...]] = {}


def _bind_processors(t: Table, dialect: Dialect) -> tuple[Callable[[Any], Any] | None, ...]:
    """:func:`_bind_processor` of every column of *t*, worked out once per table and dialect."""
    key = (t.name, dialect.name, dialect.driver)
    if key not in _PROCESSORS:
        _PROCESSORS[key] = tuple(_bind_processor(c, dialect) for c in t.columns)
    return _PROCESSORS[key]


class _Applier:
    def __init__(self, session: Session, check: ImportCheck) -> None:
        self.session = session
        self.conn = session.connection()
        self.check = check
        self.source = check.manifest.source.code
        self.down = check.manifest.direction == "down"
        #: the township whose ownership decides: the sender of an up bundle, the recipient of a down bundle
        self.township = check.manifest.target_code if self.down else self.source
        self.ref_codes = dict(check.unit_codes)
        self.unit_map: dict[str, str] = {}  # bundle org_unit id → local id (matched by code)
        self.mapped_back: dict[str, str] = {}
        self.bundle_units = {r["id"]: r for r in check.values.get("org_unit", [])}
        self.plans = {r["id"]: r for r in check.values.get("training_plan", [])}
        self.sittings = {r["id"]: r["plan_id"] for r in check.values.get("training_session", [])}
        self.audit: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []
        self.data_cols: dict[str, list[str]] = {}
        self.inserts: dict[str, list[dict[str, Any]]] = {}
        self.updates: list[tuple[Table, str, dict[str, Any]]] = []
        self.restamp: list[tuple[Table, str]] = []
        self.restamp_seq: int | None = None
        self.since: dt.datetime | None | bool = False  # unacknowledged_since, asked once when needed
        self.own_code = offices.office_info(session).code
        self.now = utcnow()
        self.account = f"同步:{check.manifest.bundle_id[:8]}"

    def _bundle_code(self, unit_id: str) -> str | None:
        if unit_id in self.bundle_units:
            return self.bundle_units[unit_id]["code"]
        return self.ref_codes.get(unit_id)

    def unit_code(self, unit_id: str | None) -> str | None:
        if unit_id is None:
            return None
        if unit_id in self.mapped_back:
            return self._bundle_code(self.mapped_back[unit_id])
        if unit_id in self.bundle_units or unit_id in self.ref_codes:
            return self._bundle_code(unit_id)
        t = sync_rows.table("org_unit")
        return self.conn.execute(select(t.c.code).where(t.c.id == unit_id)).scalar()

    def plan_owned(self, plan_id: str | None) -> bool:
        if plan_id is None:
            return False
        plan = self.plans.get(plan_id)
        if plan is None:
            t = sync_rows.table("training_plan")
            found = self.conn.execute(select(t).where(t.c.id == plan_id)).mappings().first()
            plan = dict(found) if found is not None else None
        return plan is not None and sync_rows.township_owns(
            "training_plan", plan, self.township, self.unit_code, self.plan_owned)

    def session_plan(self, session_id: str | None) -> str | None:
        if session_id is None:
            return None
        if session_id in self.sittings:
            return self.sittings[session_id]
        t = sync_rows.table("training_session")
        return self.conn.execute(select(t.c.plan_id).where(t.c.id == session_id)).scalar()

    def owned(self, t: Table, values: dict[str, Any]) -> bool:
        """Whether the sender owns this row (issue 6, item 3): the township in an up bundle, the county in a
        down bundle."""
        if self.down:
            return sync_rows.county_owns(t.name, values, self.township, self.unit_code, self.plan_owned,
                                         self.session_plan)
        if sync_rows.UP_OWNERSHIP.get(t.name) == "township":  # every row of the table (what township_owns says)
            return True
        return sync_rows.township_owns(t.name, values, self.source, self.unit_code, self.plan_owned)

    def _map_units(self) -> None:
        t = sync_rows.table("org_unit")
        codes = {r["code"]: r["id"] for r in self.bundle_units.values() if r["code"]}
        codes.update({code: uid for uid, code in self.ref_codes.items() if code not in codes})
        if not codes:
            return
        for local_id, code in self.conn.execute(select(t.c.id, t.c.code).where(t.c.code.in_(list(codes)))):
            if codes[code] != local_id:
                self.unit_map[codes[code]] = local_id
        self.mapped_back = {local: bundle for bundle, local in self.unit_map.items()}

    def _remap(self, t: Table, values: dict[str, Any]) -> dict[str, Any]:
        """The row with org unit ids translated to local ones; *values* itself when nothing is translated
        (neither is changed afterwards)."""
        unit_map = self.unit_map
        out = values
        if t.name == "org_unit" and values["id"] in unit_map:
            out = dict(values)
            out["id"] = unit_map[values["id"]]
        for column in sync_rows.unit_references(t):
            if values.get(column) in unit_map:
                if out is values:
                    out = dict(values)
                out[column] = unit_map[values[column]]
        return out

    def _log(self, t: Table, record_id: str, action: str, fld: str | None = None, old: Any = None,
             new: Any = None) -> None:
        self.audit.append({"at": self.now, "account": self.account, "office": self.source, "table_name": t.name,
                           "record_id": record_id, "action": action, "field": fld,
                           "old_value": None if old is None else _show(old),
                           "new_value": None if new is None else _show(new)})

    # --- one record: the merge of issue 6, item 7 -------------------------------------------------------

    def _load(self, t: Table, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The local rows of *t* with these ids, in chunks (one SELECT per 500 records, not one per record; on
        PostgreSQL per 10,000, the ids as one array: 500 parameters cost more to render than to look up)."""
        found: dict[str, dict[str, Any]] = {}
        server = self.conn.dialect.name == "postgresql"
        size = 10_000 if server else 500
        for k in range(0, len(ids), size):
            chunk = ids[k:k + size]
            where = t.c.id == any_(bindparam("ids", chunk, type_=ARRAY(t.c.id.type))) if server else t.c.id.in_(chunk)
            for r in self.conn.execute(select(t).where(where)).mappings():
                found[r["id"]] = dict(r)
        return found

    def _our_edits(self, t: Table, rid: str, local: dict[str, Any]) -> frozenset[str] | None:
        """The fields this office changed in the record that the sender cannot know yet (see
        :mod:`sync_edits`; None: every field). Only asked for rows whose ``changed_by`` is this office, which
        after an import is rare: a row applied from a bundle keeps the sender's stamps."""
        if local["changed_by"] != self.own_code:
            return frozenset()
        if self.since is False:
            self.since = sync_edits.unacknowledged_since(self.session, self.own_code, self.source)
        edits = sync_edits.local_edits(self.conn, t.name, [rid], own_code=self.own_code, since=self.since)
        return edits.get(rid, frozenset())  # absent: no edit since the peer's acknowledgement

    def _conflict(self, t: Table, rid: str, name: str, kind: str, winner: str, fields: dict[str, tuple[Any, Any]],
                  owner_level: str) -> None:
        owner = self.check.manifest.source.name if winner == "there" else "本单位"
        if owner_level == "county" and not self.down:
            owner = "县远程办"
        self.conflicts.append({
            "bundle_id": self.check.manifest.bundle_id, "peer_code": self.source, "table_name": t.name,
            "record_id": rid, "record_label": name[:200], "kind": kind, "winner": winner, "owner": owner[:100],
            "fields_json": json.dumps({f: [sync_rows.encode_value(t.name, f, kept),
                                           sync_rows.encode_value(t.name, f, other)]
                                       for f, (kept, other) in sorted(fields.items())}, ensure_ascii=False),
            "at": self.now})

    def row(self, t: Table, values: dict[str, Any], mapped: dict[str, Any],
            local: dict[str, Any] | None) -> RecordResult:
        """Merge one record (issue 6, items 3 and 7). Each field has an owner (the table's, or
        :func:`sync_rows.field_owners`); for a field that differs:

        - the sender owns it: its value is taken; if this office had changed the field since the last bundle
          (a non-owner's edit, found in the audit log), that value goes to the conflict queue;
        - this office owns it: the local value stays and the sender's value goes to the conflict queue; the row
          is then re-stamped as this office's, so the next bundle carries the merged row back and both sides end
          up alike.

        Deletions are the ``deleted`` field: a deletion against an edit, or an edit against a deletion, is a
        conflict of kind ``deleted_there`` / ``deleted_here``, never a silent loss."""
        rid = mapped["id"]
        tomb = bool(mapped["deleted"])
        name = str(mapped.get("name") or mapped.get("title") or "")
        sender_level, own_level = ("county", "township") if self.down else ("township", "county")
        row_owner = sender_level if self.owned(t, mapped) else own_level
        overrides = sync_rows.field_owners(t.name, local or mapped, self.township)
        if local is None:
            if row_owner != sender_level:
                reason = sync_rows.TOWNSHIP_DATA if self.down else sync_rows.COUNTY_DATA
                return RecordResult(t.name, rid, "refused", reason=reason, tombstone=tomb, name=name)
            self.inserts.setdefault(t.name, []).append(mapped)
            return RecordResult(t.name, rid, "new", tombstone=tomb, name=name)
        diff = [c for c in self.data_cols[t.name] if local[c] != mapped[c]]
        if not diff:
            return RecordResult(t.name, rid, "unchanged", tombstone=tomb, name=name)
        take = [c for c in diff if overrides.get(c, row_owner) == sender_level]
        keep = [c for c in diff if c not in take]
        lost_here: dict[str, tuple[Any, Any]] = {}
        if take:
            ours = self._our_edits(t, rid, local)
            lost_here = {c: (mapped[c], local[c]) for c in take if ours is None or c in ours}
        changes = tuple(FieldChange(c, local[c], mapped[c]) for c in take)
        if take:
            written = {c: mapped[c] for c in take}
            if not keep:  # the sender's row as it is, stamps included
                written.update({k: mapped[k] for k in ("changed_by", "change_seq", "row_version", "updated_at")})
            self.updates.append((t, rid, written))
            for c in changes:
                self._log(t, rid, "update", c.field, c.old, c.new)
        if lost_here:
            kind = "deleted_there" if "deleted" in lost_here and tomb else (
                "deleted_here" if "deleted" in lost_here else "edit")
            if kind == "edit" and tomb and not local["deleted"]:
                kind = "deleted_there"
            self._conflict(t, rid, name, kind, "there", lost_here, sender_level)
        lost_there: dict[str, tuple[Any, Any]] = {}
        if keep:  # ours stays; a field the sender did not edit was only an older copy there, no conflict
            edited = self.check.edited.get((t.name, values["id"]), None)
            known = (t.name, values["id"]) in self.check.edited
            lost_there = {c: (local[c], mapped[c]) for c in keep if not known or edited is None or c in edited}
            self.restamp.append((t, rid))  # the next bundle carries the merged row back
        if lost_there:
            kind = "deleted_there" if "deleted" in lost_there and tomb else (
                "deleted_here" if "deleted" in lost_there else "edit")
            self._conflict(t, rid, name, kind, "here", lost_there, own_level)
        if lost_here or lost_there:
            reason = "；".join(filter(None, (
                f"{'、'.join(lost_here)} 采用{self.check.manifest.source.name}的值，本机原值已记入冲突" if lost_here else "",
                f"{'、'.join(lost_there)} 保留本机的值，对方的值已记入冲突" if lost_there else "")))
            return RecordResult(t.name, rid, "conflict", changes, reason=reason, tombstone=tomb, name=name)
        if not take:  # only older copies of our values: nothing changes here (the merged row goes back)
            return RecordResult(t.name, rid, "unchanged", tombstone=tomb, name=name)
        return RecordResult(t.name, rid, "changed", changes, tombstone=tomb, name=name)

    def _insert(self, t: Table, rows: list[dict[str, Any]]) -> None:
        """New rows in one ``executemany``. On SQLite straight to the driver with each column's own bind
        processor (the values SQLAlchemy itself would store), as ``services.bulk`` does: Core's per-row
        parameter handling cost more than the insert (issue 6, item 11). A server database gets one ``COPY``
        (:func:`server_rows.insert_many`, issue 10 item 1)."""
        if self.conn.dialect.name != "sqlite":
            server_rows.insert_dicts(self.conn, t, rows)
            return
        dialect = self.conn.dialect
        names = [c.name for c in t.columns]
        columns: list[Iterable[Any]] = []  # column by column: the conversions run in comprehensions, not per row
        for c, process in zip(t.columns, _bind_processors(t, dialect), strict=True):
            values = map(itemgetter(c.name), rows)
            columns.append(values if process is None else [None if v is None else process(v) for v in values])
        sql = f"INSERT INTO {t.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        driver = self.conn.connection.driver_connection
        driver.executemany(sql, zip(*columns, strict=True))  # type: ignore[union-attr]

    def _write(self, t: Table) -> None:
        """The table's new rows (one executemany), then its updates, then the re-stamps."""
        where = self.check.path.name
        try:
            rows = self.inserts.pop(t.name, [])
            if rows:
                self._insert(t, rows)
                self.audit.append({"at": self.now, "account": self.account, "office": self.source,
                                   "table_name": t.name, "record_id": None, "action": "bulk_insert", "field": None,
                                   "old_value": None, "new_value": f"同步导入 {len(rows)} 条"})
            # consecutive updates of the same fields in one executemany (or one UPDATE … FROM on a server)
            for (table, names), group in itertools.groupby(self.updates, key=lambda u: (u[0], tuple(u[2]))):
                server_rows.update_many(self.conn, table, names, [(rid, *written.values())
                                                                  for _, rid, written in group])
            self.updates.clear()
        except (IntegrityError, DataError, sqlite3.IntegrityError) as exc:  # DataError: PostgreSQL's type checks
            reason = exc.orig if isinstance(exc, IntegrityError | DataError) else exc
            raise ValidationError(f"{TABLE_LABEL.get(t.name, t.name)}的记录无法写入（引用的记录不存在或编号重复："
                                  f"{str(reason)[:80]}）", field=t.name, where=where) from exc
        if self.restamp:
            if self.restamp_seq is None:
                _, self.restamp_seq = next_change_seq(self.session)
            for table, group in itertools.groupby(self.restamp, key=itemgetter(0)):
                ids = [rid for _, rid in group]
                for k in range(0, len(ids), 500):  # one UPDATE per 500 rows, not one per row
                    self.conn.execute(update(table).where(table.c.id.in_(ids[k:k + 500])).values(
                        changed_by=self.own_code, change_seq=self.restamp_seq,
                        row_version=table.c.row_version + 1, updated_at=self.now))
            self.restamp.clear()

    def run(self) -> list[RecordResult]:
        self._map_units()
        results: list[RecordResult] = []
        for t in sync_rows.synced_tables():
            rows = self.check.values.get(t.name)
            if not rows:
                continue
            self.data_cols[t.name] = [c.name for c in t.columns
                                      if c.name not in sync_rows.STAMP_COLUMNS and c.name != "id"]
            ordered = _parents_first(rows, sync_rows.self_references(t))
            mapped = [self._remap(t, values) for values in ordered]
            local = self._load(t, [m["id"] for m in mapped])
            for values, m in zip(ordered, mapped, strict=True):
                results.append(self.row(t, values, m, local.get(m["id"])))
            self._write(t)
        if self.check.opened is not None and OFFICE_KEYS_TABLE in self.check.opened.tables:
            for row in self.check.opened.rows(OFFICE_KEYS_TABLE):
                results.append(RecordResult(OFFICE_KEYS_TABLE, str(row.get("id")), "unchanged"))
        for table, rows in ((AuditLog.__table__, self.audit), (SyncConflict.__table__, self.conflicts)):
            if not rows:
                continue
            if self.conn.dialect.name == "sqlite":
                self.conn.execute(insert(table), rows)
            else:
                server_rows.insert_dicts(self.conn, table, rows)
        return results


def _manifest_counts(manifest: Manifest) -> dict[str, int]:
    """Rows per table as the manifest says, without the bookkeeping tables that are not records
    (``sync_state``, ``org_unit_codes``); ``office_keys`` is reported as one record, as before."""
    return {t: c.rows for t, c in manifest.tables.items() if t not in META_TABLES or t == OFFICE_KEYS_TABLE}


def _report(check: ImportCheck, status: Literal["applied", "preview", "already", "refused"],
            records: list[RecordResult] | None = None) -> ImportReport:
    m = check.manifest
    return ImportReport(check.path, status, m.bundle_id, m.source.code, m.source.name, m.sequence, records or [],
                        _manifest_counts(m), already_at=check.already, warnings=list(check.warnings))


def _apply_checked(session: Session, check: ImportCheck) -> list[RecordResult]:
    """Apply a checked bundle in the caller's transaction: rows, audit, ledger, peer sequence."""
    session.info["sync_import"] = True  # our own ORM writes (ledger, peer) are not re-stamped
    records = _Applier(session, check).run()
    m = check.manifest
    ledger = session.scalar(select(SyncLedger).where(SyncLedger.bundle_id == m.bundle_id))
    if ledger is None:
        ledger = SyncLedger(bundle_id=m.bundle_id, direction=m.direction)
        session.add(ledger)
    ledger.direction = m.direction
    ledger.source_office, ledger.target_office, ledger.sequence = m.source.code, m.target_code, m.sequence
    ledger.sha256, ledger.previous_sha256, ledger.status = check.sha256, m.previous_sha256, "applied"
    state = check.state
    message = json.dumps({"up_to_seq": state["up_to_seq"], "instance_id": state["instance_id"]}) if state else None
    ledger.counts_json, ledger.message, ledger.at = m.counts_json(), message, utcnow()
    if state:  # items 4 and 9: the sender's acknowledgement of our changes, its counter, its instance id
        sync_export.set_acknowledged(session, m.source.code, state["acked_change_seq"])
        sync_export.set_received(session, m.source.code, state["up_to_seq"])
        instance = session.get(AppSetting, INSTANCE_PREFIX + m.source.code)
        value = json.dumps({"id": state["instance_id"]})
        if instance is None:
            session.add(AppSetting(key=INSTANCE_PREFIX + m.source.code, value_json=value))
        else:
            instance.value_json = value
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == m.source.code))
    assert peer is not None
    peer.last_received_seq = max(peer.last_received_seq or 0, m.sequence)
    session.flush()
    return records


def preview(session: Session, path: Path | str) -> ImportReport:
    """The real import inside a SAVEPOINT that is rolled back (issue 6, item 6): nothing changes."""
    check = check_bundle(session, path)
    if check.already is not None:
        return _report(check, "already")
    nested = session.begin_nested()
    try:
        records = _apply_checked(session, check)
    finally:
        nested.rollback()
        session.info.pop("sync_import", None)
    return _report(check, "preview", records)


def quarantine_dir(db: Database) -> Path:
    base = db.path.parent if db.path is not None else paths.data_dir()
    return base / "sync" / "quarantine"


def _quarantine(db: Database, path: Path) -> Path | None:
    if not path.is_file():
        return None
    folder = quarantine_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / path.name
    if dest.exists():
        dest = folder / f"{path.stem}-{utcnow():%Y%m%d%H%M%S%f}{path.suffix}"
    shutil.copy2(path, dest)
    return dest


def _record_refusal(db: Database, path: Path, message: str) -> tuple[Path | None, ImportReport]:
    """Quarantine copy and a ``refused`` ledger row (its own transaction)."""
    dest = _quarantine(db, path)
    report = ImportReport(path, "refused", message=message, quarantine=dest)
    try:
        data = path.read_bytes()
    except OSError:
        return dest, report
    sha = hashlib.sha256(data).hexdigest()
    manifest: Manifest | None = None
    try:
        manifest = inspect_bundle(path).manifest
    except ValidationError:
        manifest = None
    named = _NAME.match(path.name)
    with db.session() as s:
        s.info["sync_import"] = True
        own = offices.office_info(s).code
        bundle_id = manifest.bundle_id if manifest is not None else f"refused-{sha[:28]}"
        ledger = s.scalar(select(SyncLedger).where(SyncLedger.bundle_id == bundle_id))
        if ledger is not None and ledger.status == "applied":
            return dest, report  # an applied bundle's ledger row is never overwritten
        if ledger is None:
            down = manifest.direction == "down" if manifest else offices.office_info(s).level == "township"
            ledger = SyncLedger(bundle_id=bundle_id, direction="down" if down else "up")
            s.add(ledger)
        named_source = (named.group(1) or named.group(2)) if named else ""
        ledger.source_office = manifest.source.code if manifest else named_source
        ledger.target_office = manifest.target_code if manifest else own
        ledger.sequence = manifest.sequence if manifest else (int(named.group(3)) if named else 0)
        ledger.sha256, ledger.status, ledger.message, ledger.at = sha, "refused", message[:1000], utcnow()
        ledger.previous_sha256 = manifest.previous_sha256 if manifest else None
        if manifest is not None:
            report.bundle_id, report.source_code, report.source_name = (
                manifest.bundle_id, manifest.source.code, manifest.source.name)
            report.sequence = manifest.sequence
    return dest, report


def apply(db: Database, path: Path | str, *, backup_taken: Path | None = None) -> ImportReport:
    """Import one up bundle (issue 6, item 6): check, backup, one transaction; a refusal is quarantined and
    recorded in the ledger, and leaves every other table unchanged. Returns the report (never raises
    ValidationError for a bad bundle: ``report.status == "refused"`` and ``report.message`` say why).

    ``backup_taken``: a backup taken for this import already (a folder of bundles imported one after the other
    needs one before the first: :func:`apply_all`)."""
    path = Path(path)
    try:
        with db.session() as s:
            check = _check(s, path, rows=False)  # light: nothing decrypted or decoded before the backup
        if check.already is not None:
            return _report(check, "already")
        backup = backup_taken
        if backup is None and db.path is not None:  # a server database is backed up by its server (pg_dump)
            backup = db.backup(label="pre_import")
        with db.session() as s:
            check = check_bundle(s, path)  # again, inside the transaction that applies it
            if check.already is not None:
                return _report(check, "already")
            records = _apply_checked(s, check)
        report = _report(check, "applied", records)
        report.backup = backup
        return report
    except KeyNotAccepted as exc:
        with db.session() as s:
            sync_enrolment.pending_peer_key(s, exc.code, exc.signing, exc.exchange)
        _, report = _record_refusal(db, path, exc.message)
        return report
    except ValidationError as exc:
        _, report = _record_refusal(db, path, exc.message)
        return report


def apply_all(db: Database, files: list[Path]) -> Iterator[tuple[int, ImportReport]]:
    """Import bundles one after the other, each in its own transaction, with ONE backup before the first that is
    applied (issue 6, item 8: a folder of 30 townships): yields (index, report) as each is done."""
    taken: Path | None = None
    for index, file in enumerate(files):
        report = apply(db, file, backup_taken=taken)
        taken = taken or report.backup
        yield index, report
