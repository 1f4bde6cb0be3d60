"""Up bundles, imported at the county (issue 6, items 1, 3, 6, 8 and 12, up direction).

Three steps, each usable on its own:

- :func:`check_bundle` (touches nothing): structure, hashes, the signature of the township (only its
  accepted key), target office = this county, a schema this program knows, the ledger (the same bundle
  id and hash already applied → ``already`` with the date; the same id with another hash → refused), a
  replayed older sequence (refused), known tables and columns. A township whose keys are not accepted yet
  raises :class:`KeyNotAccepted` carrying the keys from the bundle ("请电话核对指纹后确认").
- :func:`preview` runs the real apply inside a SAVEPOINT and rolls it back: per record new / changed
  (field: old → new) / unchanged / refused (reason), per-table counts that add up to the manifest.
- :func:`apply` takes a backup (``Database.backup(label="pre_import")``), then applies in ONE transaction with
  Core statements, so the rows keep the township's ``origin``/``changed_by``/``change_seq``; writes the audit
  log itself (account ``同步:<bundle id, 8 chars>``), a ``sync_ledger`` row (``applied``, counts) and
  ``SyncPeer.last_received_seq``. A refused bundle is copied to ``<data dir>/sync/quarantine/`` and recorded
  as ``refused`` in the ledger; the rest of the database is unchanged.

Ownership (item 3, first cut; :data:`sync_rows.UP_OWNERSHIP`): the township's row wins for township-owned
tables; any other row is ``refused`` ("县级数据，乡镇不能修改") unless it equals the county's row (then it is
``unchanged``: e.g. the county's own unit, which every township database also holds). Three-way merges and
conflicts come later.

Org units are matched by code as well as by id: the county and the township each made their own row for the
county and the township unit at enrolment, so a unit arriving under another id with a code the county has is
the county's row, and references to it are translated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import paths
from ..data.database import Database
from ..data.migrate import known_revisions
from ..data.models import AuditLog, SyncLedger, SyncPeer
from ..data.stamping import utcnow
from ..errors import ValidationError
from ..sync import crypto
from ..sync.bundle_format import (
    BundleError,
    Manifest,
    OpenedBundle,
    data_member,
    decode_table,
    inspect_bundle,
    read_bundle,
)
from . import office_keys, offices, sync_enrolment, sync_rows
from .sync_export import OFFICE_KEYS_TABLE

Status = Literal["new", "changed", "unchanged", "refused"]
STATUS_LABEL = {"new": "新增", "changed": "修改", "unchanged": "无变化", "refused": "拒收"}
TABLE_LABEL = {
    "org_unit": "单位/站点", "person": "人员", "person_photo": "照片", "post": "岗位", "post_served_site": "服务站点",
    "training_plan": "培训计划", "training_session": "培训课次", "enrolment": "参训", "attendance": "考勤",
    "activity": "活动", "activity_tutor": "活动辅导员", "equipment": "设备", "fault_ticket": "故障",
    OFFICE_KEYS_TABLE: "单位公钥",
}
CONFIRM_FINGERPRINT = "请电话核对指纹后确认"
_NAME = re.compile(r"TWN-(\d{9})-UP-(\d+)-")


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


@dataclass
class ImportCheck:
    """A bundle that passed :func:`check_bundle`. ``already`` is the date it was applied, if it was."""

    path: Path
    manifest: Manifest
    sha256: str
    already: dt.datetime | None
    opened: OpenedBundle | None = field(default=None, repr=False)
    values: dict[str, list[dict[str, Any]]] = field(default_factory=dict, repr=False)


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
        for table, per in self.counts().items():
            parts = "，".join(f"{STATUS_LABEL[s]} {n}" for s, n in per.items() if n)
            out.append(f"  {TABLE_LABEL.get(table, table)}：{parts}（共 {sum(per.values())}）")
        if details:
            for r in self.records:
                if r.status == "changed":
                    for c in r.changes:
                        out.append(f"    修改 {TABLE_LABEL.get(r.table, r.table)} {r.id[:8]} {c.field}："
                                   f"{_show(c.old)} → {_show(c.new)}")
                elif r.status == "refused":
                    out.append(f"    拒收 {TABLE_LABEL.get(r.table, r.table)} {r.id[:8]}：{r.reason}")
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


def check_bundle(session: Session, path: Path | str) -> ImportCheck:
    """Every check of issue 6, item 6 for an up bundle at this county; touches nothing.

    Raises :class:`BundleError` / ValidationError (plain Chinese reason) or :class:`KeyNotAccepted`."""
    path = Path(path)
    where = path.name
    office = offices.office_info(session)
    if not office.initialized or office.level != "county":
        raise ValidationError("只有县远程办可以导入乡镇上报的数据包", field="单位", where=where)
    info = inspect_bundle(path)
    manifest = info.manifest
    if manifest.direction != "up":
        raise BundleError("这是县发给乡镇的数据包，不能在县里导入", where=where)
    if manifest.target_code != office.code:
        raise BundleError(f"此数据包是发给单位 {manifest.target_code} 的，不是本单位（{office.code}），"
                          "请检查是否拿错了文件", where=where)
    source = manifest.source
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == source.code, SyncPeer.level == "township"))
    if peer is None:
        raise BundleError(f"{source.name}（{source.code}）不是本县已登记的乡镇远程办", where=where)
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
    opened = read_bundle(path, signers=signers, recipient_key=office_keys.exchange_key(session),
                         expected_target=office.code, known_schemas=known_revisions())
    if opened.sha256 != info.sha256:
        raise BundleError("数据包在检查时被改动", where=where)
    if manifest.sequence <= (peer.last_received_seq or 0):
        raise BundleError(f"第 {manifest.sequence} 号数据包比已导入的第 {peer.last_received_seq} 号旧，"
                          "且不是同一个数据包：可能是重放的旧文件，已拒收", where=where)
    values: dict[str, list[dict[str, Any]]] = {}
    for table in opened.tables:
        if table == OFFICE_KEYS_TABLE:
            continue
        try:
            values[table] = [sync_rows.json_to_values(table, row) for row in opened.rows(table)]
        except ValidationError as exc:
            raise BundleError(f"{exc.message}（表 {table}）", where=where) from exc
    return ImportCheck(path, manifest, opened.sha256, None, opened, values)


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


class _Applier:
    def __init__(self, session: Session, check: ImportCheck) -> None:
        self.session = session
        self.conn = session.connection()
        self.check = check
        self.source = check.manifest.source.code
        self.unit_map: dict[str, str] = {}  # bundle org_unit id → local id (matched by code)
        self.mapped_back: dict[str, str] = {}
        self.bundle_units = {r["id"]: r for r in check.values.get("org_unit", [])}
        self.plans = {r["id"]: r for r in check.values.get("training_plan", [])}
        self.audit: list[dict[str, Any]] = []
        self.now = utcnow()
        self.account = f"同步:{check.manifest.bundle_id[:8]}"

    def unit_code(self, unit_id: str | None) -> str | None:
        if unit_id is None:
            return None
        if unit_id in self.mapped_back:
            return self.bundle_units[self.mapped_back[unit_id]]["code"]
        if unit_id in self.bundle_units:
            return self.bundle_units[unit_id]["code"]
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
            "training_plan", plan, self.source, self.unit_code, self.plan_owned)

    def _map_units(self) -> None:
        t = sync_rows.table("org_unit")
        codes = {r["code"]: r["id"] for r in self.bundle_units.values() if r["code"]}
        if not codes:
            return
        for local_id, code in self.conn.execute(select(t.c.id, t.c.code).where(t.c.code.in_(list(codes)))):
            if codes[code] != local_id:
                self.unit_map[codes[code]] = local_id
        self.mapped_back = {local: bundle for bundle, local in self.unit_map.items()}

    def _remap(self, t: Table, values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        if t.name == "org_unit" and out["id"] in self.unit_map:
            out["id"] = self.unit_map[out["id"]]
        for column, target in sync_rows.references(t).items():
            if target == "org_unit" and out.get(column) in self.unit_map:
                out[column] = self.unit_map[out[column]]
        return out

    def _log(self, t: Table, record_id: str, action: str, fld: str | None = None, old: Any = None,
             new: Any = None) -> None:
        self.audit.append({"at": self.now, "account": self.account, "office": self.source, "table_name": t.name,
                           "record_id": record_id, "action": action, "field": fld,
                           "old_value": None if old is None else _show(old),
                           "new_value": None if new is None else _show(new)})

    def row(self, t: Table, values: dict[str, Any]) -> RecordResult:
        mapped = self._remap(t, values)
        rid = mapped["id"]
        tomb = bool(mapped["deleted"])
        local_row = self.conn.execute(select(t).where(t.c.id == rid)).mappings().first()
        local = dict(local_row) if local_row is not None else None
        data_cols = [c.name for c in t.columns if c.name not in sync_rows.STAMP_COLUMNS and c.name != "id"]
        changes = tuple(FieldChange(c, local[c], mapped[c]) for c in data_cols
                        if local is not None and local[c] != mapped[c])
        if not sync_rows.township_owns(t.name, mapped, self.source, self.unit_code, self.plan_owned):
            if local is not None and not changes:
                return RecordResult(t.name, rid, "unchanged", tombstone=tomb)
            return RecordResult(t.name, rid, "refused", reason=sync_rows.COUNTY_DATA, tombstone=tomb)
        try:
            if local is None:
                self.conn.execute(insert(t).values(**mapped))
                new_values = {c: mapped[c] for c in data_cols if mapped[c] is not None}
                self._log(t, rid, "insert", new=json.dumps({k: _show(v) for k, v in new_values.items()},
                                                          ensure_ascii=False, sort_keys=True))
                return RecordResult(t.name, rid, "new", tombstone=tomb)
            if not changes:
                return RecordResult(t.name, rid, "unchanged", tombstone=tomb)
            written = {k: v for k, v in mapped.items() if k != "id" and not (k == "origin" and rid != values["id"])}
            self.conn.execute(update(t).where(t.c.id == rid).values(**written))
        except IntegrityError as exc:
            raise ValidationError(f"{TABLE_LABEL.get(t.name, t.name)}记录 {rid} 无法写入（引用的记录不存在或编号重复："
                                  f"{str(exc.orig)[:80]}）", field=t.name, where=self.check.path.name) from exc
        for c in changes:
            self._log(t, rid, "update", c.field, c.old, c.new)
        return RecordResult(t.name, rid, "changed", changes, tombstone=tomb)

    def run(self) -> list[RecordResult]:
        self._map_units()
        results: list[RecordResult] = []
        for t in sync_rows.synced_tables():
            rows = self.check.values.get(t.name)
            if not rows:
                continue
            for values in _parents_first(rows, sync_rows.self_references(t)):
                results.append(self.row(t, values))
        if self.check.opened is not None:
            for row in self.check.opened.rows(OFFICE_KEYS_TABLE):
                results.append(RecordResult(OFFICE_KEYS_TABLE, str(row.get("id")), "unchanged"))
        if self.audit:
            self.conn.execute(insert(AuditLog.__table__), self.audit)
        return results


def _manifest_counts(manifest: Manifest) -> dict[str, int]:
    return {t: c.rows for t, c in manifest.tables.items()}


def _report(check: ImportCheck, status: Literal["applied", "preview", "already", "refused"],
            records: list[RecordResult] | None = None) -> ImportReport:
    m = check.manifest
    return ImportReport(check.path, status, m.bundle_id, m.source.code, m.source.name, m.sequence, records or [],
                        _manifest_counts(m), already_at=check.already)


def _apply_checked(session: Session, check: ImportCheck) -> list[RecordResult]:
    """Apply a checked bundle in the caller's transaction: rows, audit, ledger, peer sequence."""
    session.info["sync_import"] = True  # our own ORM writes (ledger, peer) are not re-stamped
    records = _Applier(session, check).run()
    m = check.manifest
    ledger = session.scalar(select(SyncLedger).where(SyncLedger.bundle_id == m.bundle_id))
    if ledger is None:
        ledger = SyncLedger(bundle_id=m.bundle_id, direction="up")
        session.add(ledger)
    ledger.source_office, ledger.target_office, ledger.sequence = m.source.code, m.target_code, m.sequence
    ledger.sha256, ledger.previous_sha256, ledger.status = check.sha256, m.previous_sha256, "applied"
    ledger.counts_json, ledger.message, ledger.at = m.counts_json(), None, utcnow()
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
            ledger = SyncLedger(bundle_id=bundle_id, direction="up")
            s.add(ledger)
        ledger.source_office = manifest.source.code if manifest else (named.group(1) if named else "")
        ledger.target_office = manifest.target_code if manifest else own
        ledger.sequence = manifest.sequence if manifest else (int(named.group(2)) if named else 0)
        ledger.sha256, ledger.status, ledger.message, ledger.at = sha, "refused", message[:1000], utcnow()
        ledger.previous_sha256 = manifest.previous_sha256 if manifest else None
        if manifest is not None:
            report.bundle_id, report.source_code, report.source_name = (
                manifest.bundle_id, manifest.source.code, manifest.source.name)
            report.sequence = manifest.sequence
    return dest, report


def apply(db: Database, path: Path | str) -> ImportReport:
    """Import one up bundle (issue 6, item 6): check, backup, one transaction; a refusal is quarantined and
    recorded in the ledger, and leaves every other table unchanged. Returns the report (never raises
    ValidationError for a bad bundle: ``report.status == "refused"`` and ``report.message`` say why)."""
    path = Path(path)
    try:
        with db.session() as s:
            check = check_bundle(s, path)
        if check.already is not None:
            return _report(check, "already")
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
