"""Enrolment of township offices with their county (issue 6, item 1), and the sync status of an office.

The trust path, step by step:

1. At the county, :func:`add_township_office` adds the township (its org unit and a ``sync_peer`` row with
   no keys yet) and :func:`write_enrolment` writes an *enrolment file* for it: a small JSON document with the
   county's two public keys, signed by the county (:func:`enrolment_file`). It holds nothing secret.
2. At the township, :func:`install_enrolment` checks the file and stores the county as an accepted peer
   (the clerk compares the county's short fingerprint over the phone; the file is the only channel the
   county's keys travel by, so installing it is accepting it). An empty database becomes that township.
3. The township's own public keys go up with its first bundle. The county records them as *pending*
   (:func:`pending_peer_key`) and trusts them only after its clerk types the short fingerprint that the
   township reads over the phone (:func:`accept_peer`). Until then ``sync_peer`` holds no key for the
   township, so nothing signed by that key is trusted anywhere (certificate codes, bundles).

Pending keys are kept in the local settings table (``app_setting``, key ``sync.pending_peer_key.<code>``),
not in ``sync_peer``: every key in ``sync_peer`` is a trusted one (see :func:`office_keys.known_keys`).

The enrolment file (``format`` ``remoteedu-enrolment``, ``version`` 1)::

    {"format": "remoteedu-enrolment", "version": 1, "created_at": "2026-11-29T08:00:00Z",
     "county": {"code": "360499", "name": "青山县", "signing_public_key": "<64 hex>",
                "exchange_public_key": "<64 hex>"},
     "township": {"code": "360499100", "name": "龙潭镇"},
     "signature": {"algorithm": "Ed25519", "key_id": "<8 hex>", "value": "<128 hex>"}}

The signature is over ``SIGNATURE_CONTEXT`` + the canonical JSON (sorted keys, UTF-8, no spaces) of the
document without ``signature``: layout and whitespace may change in transit, content may not.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import AppSetting, OrgUnit, SyncPeer
from ..data.stamping import utcnow
from ..errors import ValidationError
from ..sync.bundle_format import canonical_json
from ..sync.safe_write import write_file_safely
from . import office_keys, offices, units
from ._common import clean_digits, clean_text

FORMAT = "remoteedu-enrolment"
VERSION = 1
SIGNATURE_CONTEXT = b"remoteedu enrolment v1\0"
#: An enrolment file is well under 2 KB; anything much bigger is the wrong file.
MAX_FILE_SIZE = 64 * 1024
PENDING_KEY_PREFIX = "sync.pending_peer_key."

LEVEL_LABEL = {"county": "县", "township": "乡镇"}
STATE_LABEL = {
    "accepted": "已确认",
    "pending": "收到密钥，待电话核对指纹",
    "awaiting_key": "等待对方首个数据包",
    "key_changed": "已确认；又收到新密钥，待核对",
}


class UnknownOffice(ValidationError):
    """The office code names no township or peer known here (the CLI exits with 2)."""


@dataclass(frozen=True)
class TownshipOffice:
    code: str
    name: str
    unit_id: str
    new_unit: bool  #: the org unit was created now (not already in the county's tree)
    new_peer: bool  #: the sync peer was created now (not enrolled before)


@dataclass(frozen=True)
class PeerInfo:
    code: str
    name: str
    level: str
    state: str  #: a key of STATE_LABEL
    fingerprint: office_keys.OfficeFingerprint | None  #: of the accepted keys; None until accepted
    accepted_at: dt.datetime | None
    last_sent_seq: int
    last_received_seq: int

    @property
    def accepted(self) -> bool:
        return self.state in ("accepted", "key_changed")

    @property
    def level_label(self) -> str:
        return LEVEL_LABEL.get(self.level, self.level)

    @property
    def state_label(self) -> str:
        return STATE_LABEL[self.state]


@dataclass(frozen=True)
class InstalledEnrolment:
    """What :func:`install_enrolment` did: the county peer, and whether anything changed."""

    county: PeerInfo
    township: offices.OfficeInfo
    initialised_office: bool  #: the empty database became this township
    already_installed: bool  #: the same county keys were there already; nothing changed


@dataclass(frozen=True)
class SyncStatus:
    office: offices.OfficeInfo
    fingerprint: office_keys.OfficeFingerprint
    peers: list[PeerInfo]


# --- helpers ------------------------------------------------------------------------------------------

def _label(name: str, code: str) -> str:
    return f"{name}（{code}）"


def _county_office(session: Session, what: str) -> offices.OfficeInfo:
    office = offices.office_info(session)
    if office.level != "county":
        here = f"本机是{_label(office.name, office.code)}" if office.initialized else "本机尚未设置单位"
        raise ValidationError(f"只有县远程办可以{what}；{here}", field="单位")
    return office


def _peer(session: Session, code: str) -> SyncPeer | None:
    return session.scalar(select(SyncPeer).where(SyncPeer.code == code))


def _pending(session: Session, code: str) -> dict[str, str] | None:
    row = session.get(AppSetting, PENDING_KEY_PREFIX + code)
    return json.loads(row.value_json) if row is not None else None


def _fingerprint_of(signing: bytes | None, exchange: bytes | None) -> office_keys.OfficeFingerprint | None:
    if signing is None or exchange is None:
        return None
    return office_keys.office_fingerprint(signing, exchange)


def _peer_info(session: Session, peer: SyncPeer) -> PeerInfo:
    accepted = _fingerprint_of(peer.signing_public_key, peer.exchange_public_key)
    pending = _pending(session, peer.code)
    if accepted is not None:
        state = "key_changed" if pending is not None else "accepted"
    else:
        state = "pending" if pending is not None else "awaiting_key"
    return PeerInfo(peer.code, peer.name, peer.level, state, accepted, peer.accepted_at,
                    peer.last_sent_seq or 0, peer.last_received_seq or 0)


def _township_code(session: Session, county: offices.OfficeInfo, code: str) -> str:
    clean = clean_digits(code, field="乡镇代码", lengths=(9,))
    if not clean:
        raise ValidationError("不能为空", field="乡镇代码")
    if not clean.startswith(county.code):
        raise ValidationError(f"{clean} 应以本县代码 {county.code} 开头", field="乡镇代码", rule="R1")
    return clean


# --- county: townships and their enrolment files --------------------------------------------------------

def add_township_office(session: Session, code: str, name: str | None) -> TownshipOffice:
    """Add a township office to this county (issue 6, item 1): its org unit under the county (R1: 9 digits
    starting with the county's 6) unless the county's tree already has it, and a ``sync_peer`` with no keys.

    Adding the same township again changes nothing. A name that differs from the township already in the
    tree is refused, so a typo in the code is not silently taken for another township.
    """
    county = _county_office(session, "添加乡镇远程办")
    code = _township_code(session, county, code)
    name = clean_text(name, field="乡镇名称", max_len=100)
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    new_unit = unit is None
    if unit is None:
        if name is None:
            raise ValidationError("新乡镇须填写名称", field="乡镇名称")
        unit_id = units.add_unit(session, kind="township", name=name, parent_id=county.unit_id, code=code).id
        unit_name = name
    else:
        if unit.deleted or unit.kind != "township" or unit.parent_id != county.unit_id:
            raise ValidationError(f"代码 {code} 已被“{unit.name}”使用，它不是本县的乡镇", field="乡镇代码", rule="R1")
        if name is not None and name != unit.name:
            raise ValidationError(f"代码 {code} 是“{unit.name}”，与填写的名称“{name}”不符", field="乡镇名称")
        unit_id, unit_name = unit.id, unit.name
    peer = _peer(session, code)
    new_peer = peer is None
    if peer is None:
        session.add(SyncPeer(code=code, name=unit_name, level="township"))
        session.flush()
    elif peer.level != "township":
        raise ValidationError(f"代码 {code} 已登记为{LEVEL_LABEL.get(peer.level, peer.level)}", field="乡镇代码")
    return TownshipOffice(code, unit_name, unit_id, new_unit, new_peer)


def _township_peer(session: Session, code: str) -> SyncPeer:
    clean = (code or "").strip()
    peer = _peer(session, clean)
    if peer is None or peer.level != "township":
        raise UnknownOffice(f"本县未添加代码为 {clean or '（空）'} 的乡镇远程办", field="乡镇代码")
    return peer


def enrolment_document(session: Session, township_code: str) -> dict[str, Any]:
    """The signed enrolment document for township *township_code* (added before with
    :func:`add_township_office`), as a dict."""
    county = _county_office(session, "生成登记文件")
    peer = _township_peer(session, township_code)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": utcnow().replace(microsecond=0).isoformat() + "Z",
        "county": {
            "code": county.code,
            "name": county.name,
            "signing_public_key": office_keys.public_key_bytes(session).hex(),
            "exchange_public_key": office_keys.exchange_public_bytes(session).hex(),
        },
        "township": {"code": peer.code, "name": peer.name},
    }
    key = office_keys.signing_key(session)
    doc["signature"] = {
        "algorithm": "Ed25519",
        "key_id": office_keys.key_id(office_keys.public_key_bytes(session)).hex(),
        "value": key.sign(SIGNATURE_CONTEXT + canonical_json(doc)).hex(),
    }
    return doc


def enrolment_file(session: Session, township_code: str) -> bytes:
    """The enrolment file for township *township_code*: readable, indented UTF-8 JSON, signed."""
    doc = enrolment_document(session, township_code)
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def write_enrolment(session: Session, township_code: str, path: Path) -> Path:
    """Write the enrolment file for *township_code* to *path* safely: temporary file, fsync, rename, read back
    (:func:`..sync.safe_write.write_file_safely`), so a pulled stick never leaves a half-written file."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ValidationError(f"目录不存在：{path.parent}", field="登记文件")
    data = enrolment_file(session, township_code)
    try:
        write_file_safely(path, data, overwrite=True)
    except OSError as exc:
        raise ValidationError(f"无法写入 {path}：{exc.strerror or exc}", field="登记文件") from exc
    return path


# --- township: installing the county's enrolment file ----------------------------------------------------

@dataclass(frozen=True)
class _Enrolment:
    county_code: str
    county_name: str
    signing: bytes
    exchange: bytes
    township_code: str
    township_name: str


def _refuse(message: str, where: str | None) -> ValidationError:
    return ValidationError(message, field="登记文件", where=where)


def _text_field(obj: Any, key: str, where: str | None, part: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise _refuse(f"缺少或不正确的字段 {part}.{key}" if part else f"缺少或不正确的字段 {key}", where)
    return value.strip()


def _key_field(obj: Any, key: str, where: str | None) -> bytes:
    text = _text_field(obj, key, where, "county")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise _refuse(f"county.{key} 不是有效的公钥（应为 64 位十六进制）", where)
    return raw


def read_enrolment(data: bytes, *, where: str | None = None) -> _Enrolment:
    """Parse and check an enrolment file: format, version, codes, and the county's signature over it
    (self-consistent with the county key in the file; the phone check of the fingerprint is what makes the
    key trusted). Raises ValidationError with a plain reason; touches no database."""
    if len(data) > MAX_FILE_SIZE:
        raise _refuse(f"文件过大（{len(data)} 字节），不是登记文件", where)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _refuse(f"不是有效的登记文件（文件已损坏或被改动：{exc}）", where) from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _refuse("不是远程教育县乡登记文件", where)
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refuse("登记文件版本号不正确", where)
    if version > VERSION:
        raise _refuse("此登记文件由更新版本的程序生成，请先升级本程序", where)
    county, township = doc.get("county"), doc.get("township")
    county_code = _text_field(county, "code", where, "county")
    township_code = _text_field(township, "code", where, "township")
    if not (county_code.isascii() and county_code.isdigit() and len(county_code) == 6):
        raise _refuse(f"县代码“{county_code}”应为 6 位数字", where)
    if not (township_code.isascii() and township_code.isdigit() and len(township_code) == 9):
        raise _refuse(f"乡镇代码“{township_code}”应为 9 位数字", where)
    if not township_code.startswith(county_code):
        raise _refuse(f"乡镇代码 {township_code} 不属于县 {county_code}", where)
    enrolment = _Enrolment(county_code, _text_field(county, "name", where, "county"),
                           _key_field(county, "signing_public_key", where),
                           _key_field(county, "exchange_public_key", where),
                           township_code, _text_field(township, "name", where, "township"))
    signature = doc.get("signature")
    value = signature.get("value") if isinstance(signature, dict) else None
    if not isinstance(signature, dict) or not isinstance(value, str):
        raise _refuse("登记文件没有签名", where)
    # Every byte of the signature block is checked too: the algorithm, and the key id of the key in the file.
    expected = {"algorithm": "Ed25519", "key_id": office_keys.key_id(enrolment.signing).hex(), "value": value}
    if signature != expected:
        raise _refuse("签名信息不符：文件已损坏或被改动，请让县远程办重新生成", where)
    unsigned = {k: v for k, v in doc.items() if k != "signature"}
    try:
        Ed25519PublicKey.from_public_bytes(enrolment.signing).verify(
            bytes.fromhex(value), SIGNATURE_CONTEXT + canonical_json(unsigned))
    except (ValueError, InvalidSignature) as exc:
        raise _refuse("签名不符：文件已损坏或被改动，请让县远程办重新生成", where) from exc
    return enrolment


def install_enrolment(session: Session, data: bytes, *, where: str | None = None) -> InstalledEnrolment:
    """Install a county's enrolment file at its township (issue 6, item 1).

    Checks the file (:func:`read_enrolment`), then that this office is the township the file names; an
    uninitialised database becomes that township (``offices.init_office``). Stores the county as an accepted
    ``sync_peer`` with both public keys. The same file (or a newer one with the same keys) again changes
    nothing; different keys for the same county are refused: the clerk must not replace a trusted key by
    copying a file.
    """
    enrolment = read_enrolment(data, where=where)
    office = offices.office_info(session)
    initialised = False
    if not office.initialized:
        office = offices.init_office(session, level="township", code=enrolment.township_code,
                                     name=enrolment.township_name, county_name=enrolment.county_name)
        initialised = True
    elif office.level != "township":
        raise ValidationError(f"本机是县级单位{_label(office.name, office.code)}，登记文件只能在乡镇安装",
                              field="登记文件", where=where)
    elif office.code != enrolment.township_code:
        raise ValidationError(
            f"此登记文件是给{_label(enrolment.township_name, enrolment.township_code)}的，"
            f"本机是{_label(office.name, office.code)}", field="登记文件", where=where)
    fingerprint = office_keys.office_fingerprint(enrolment.signing, enrolment.exchange)
    if enrolment.signing == office_keys.public_key_bytes(session):
        raise ValidationError("登记文件中的县密钥就是本机的密钥，文件来源不对", field="登记文件", where=where)
    other = session.scalar(select(SyncPeer).where(SyncPeer.level == "county", SyncPeer.code != enrolment.county_code))
    if other is not None:
        raise ValidationError(f"本机已登记县{_label(other.name, other.code)}，不能再登记另一个县",
                              field="登记文件", where=where)
    peer = _peer(session, enrolment.county_code)
    if peer is not None and peer.signing_public_key is not None:
        old = _fingerprint_of(peer.signing_public_key, peer.exchange_public_key)
        if old is not None and old.hex == fingerprint.hex:
            return InstalledEnrolment(_peer_info(session, peer), office, initialised, already_installed=True)
        raise ValidationError(
            f"本机已登记{_label(peer.name, peer.code)}的密钥（指纹 {old.short if old else '不完整'}），"
            f"此文件中的密钥不同（指纹 {fingerprint.short}）。请先电话向县远程办核实；"
            "如县里确已更换密钥，须由技术人员处理，不能直接覆盖", field="登记文件", where=where)
    if peer is None:
        peer = SyncPeer(code=enrolment.county_code, name=enrolment.county_name, level="county")
        session.add(peer)
    elif peer.level != "county":
        raise ValidationError(f"代码 {peer.code} 已登记为{LEVEL_LABEL.get(peer.level, peer.level)}",
                              field="登记文件", where=where)
    peer.name = enrolment.county_name
    peer.signing_public_key = enrolment.signing
    peer.exchange_public_key = enrolment.exchange
    peer.fingerprint = fingerprint.hex
    peer.accepted_at = utcnow()
    session.flush()
    return InstalledEnrolment(_peer_info(session, peer), office, initialised, already_installed=False)


# --- county: a township's keys, pending until the fingerprint is checked ---------------------------------

def pending_peer_key(session: Session, code: str, signing_public: bytes, exchange_public: bytes) -> PeerInfo:
    """Record the public keys a township sent with a bundle, as pending (issue 6, item 1).

    Nothing is trusted yet: :func:`accept_peer` moves them into ``sync_peer`` once the clerk has typed the
    matching short fingerprint. Keys equal to the accepted ones change nothing; new keys for an accepted
    township wait beside the old ones (state ``key_changed``), so a copied or rebuilt township database
    cannot replace a trusted key without the phone check.
    """
    _county_office(session, "接收乡镇的密钥")
    peer = _township_peer(session, code)
    if len(signing_public) != 32 or len(exchange_public) != 32:
        raise ValidationError(f"{_label(peer.name, peer.code)}发来的公钥长度不对", field="密钥")
    accepted = _fingerprint_of(peer.signing_public_key, peer.exchange_public_key)
    fingerprint = office_keys.office_fingerprint(signing_public, exchange_public)
    setting = session.get(AppSetting, PENDING_KEY_PREFIX + peer.code)
    if accepted is not None and accepted.hex == fingerprint.hex:
        if setting is not None:  # the accepted keys came again: a stale pending pair is no longer wanted
            session.delete(setting)
            session.flush()
        return _peer_info(session, peer)
    value = json.dumps({"signing": signing_public.hex(), "exchange": exchange_public.hex(),
                        "received_at": utcnow().isoformat()})
    if setting is None:
        session.add(AppSetting(key=PENDING_KEY_PREFIX + peer.code, value_json=value))
    else:
        old = json.loads(setting.value_json)
        # The same keys again (a re-sent bundle) keep their first arrival; other keys replace them.
        if (old.get("signing"), old.get("exchange")) != (signing_public.hex(), exchange_public.hex()):
            setting.value_json = value
    session.flush()
    return _peer_info(session, peer)


def accept_peer(session: Session, code: str, fingerprint_typed: str) -> PeerInfo:
    """Accept a township's pending keys when *fingerprint_typed* (read over the phone) is their short or long
    fingerprint; case, spaces and dashes do not matter. A mismatch is refused and nothing changes."""
    _county_office(session, "确认乡镇的密钥")
    peer = _township_peer(session, code)
    pending = _pending(session, peer.code)
    if pending is None:
        if peer.signing_public_key is not None:
            raise ValidationError(f"{_label(peer.name, peer.code)}的密钥已确认，没有待核对的新密钥", field="指纹")
        raise ValidationError(f"尚未收到{_label(peer.name, peer.code)}的密钥：请先导入该乡镇的第一个数据包",
                              field="指纹")
    signing, exchange = bytes.fromhex(pending["signing"]), bytes.fromhex(pending["exchange"])
    fingerprint = office_keys.office_fingerprint(signing, exchange)
    typed = office_keys.normalise_fingerprint(fingerprint_typed)
    if len(typed) not in (16, 64):
        raise ValidationError(f"“{fingerprint_typed.strip()}”不完整：应为 16 位（如 1A2B-3C4D-5E6F-7A8B）",
                              field="指纹")
    if not fingerprint.matches(typed):
        raise ValidationError(f"与{_label(peer.name, peer.code)}发来的密钥不符。请再次电话核对；"
                              "如仍不符，此数据包可能不是该乡镇发出的，请勿确认", field="指纹")
    peer.signing_public_key, peer.exchange_public_key = signing, exchange
    peer.fingerprint = fingerprint.hex
    peer.accepted_at = utcnow()
    setting = session.get(AppSetting, PENDING_KEY_PREFIX + peer.code)
    if setting is not None:
        session.delete(setting)
    session.flush()
    return _peer_info(session, peer)


# --- status ------------------------------------------------------------------------------------------

def peer_info(session: Session, code: str) -> PeerInfo:
    peer = _peer(session, (code or "").strip())
    if peer is None:
        raise UnknownOffice(f"没有代码为 {code} 的对方单位", field="单位代码")
    return _peer_info(session, peer)


def sync_status(session: Session) -> SyncStatus:
    """This office, its fingerprint (keys made on first use) and every peer: the county first, then the
    townships by code, each with its state and the last sequence sent and received (issue 6, item 10)."""
    office = offices.office_info(session)
    fingerprint = office_keys.own_fingerprint(session)
    peers = session.scalars(select(SyncPeer).order_by((SyncPeer.level != "county"), SyncPeer.code)).all()
    return SyncStatus(office, fingerprint, [_peer_info(session, p) for p in peers])
