"""Offline verification codes of certificates (R11).

A code carries the certificate's number, name, kind and issue date, the id of the issuing
office's key, and an Ed25519 signature over all of it. It is printed as a QR code and as text
(RFC 4648 base32: capitals and digits 2–7, in groups of five, which QR encodes in its compact
alphanumeric mode). Checking it needs no network: the signature is verified against the keys
this office knows (its own and its peers'), and the local register supplies the current status.
A single changed character breaks the signature.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Certificate
from ..errors import ValidationError
from . import office_keys

VERSION = 1
PREFIX = "RE1"
_DOMAIN = b"REMOTEEDU-CERTIFICATE-v1\x00"
_KINDS = {"on_duty": 1, "appointment": 2}
_KIND_OF = {v: k for k, v in _KINDS.items()}
_EPOCH = dt.date(2000, 1, 1)
_SIG_LEN = 64
_TYPO = str.maketrans({"0": "O", "1": "I", "8": "B"})  # digits base32 does not use, read as letters


@dataclass(frozen=True)
class CodeContent:
    number: str
    name: str
    kind: str
    issue_date: dt.date
    key_id: bytes

    @property
    def kind_label(self) -> str:
        return codes.CERTIFICATE_KIND[self.kind]


@dataclass(frozen=True)
class Verification:
    """What the verify dialog and ``remoteedu certificates verify`` show."""

    genuine: bool  #: the signature is valid for a known office key
    message: str  #: one Chinese sentence: the verdict
    content: CodeContent | None  #: what the code says (None when it cannot be read at all)
    issuer: str = ""  #: the issuing office, when its key is known
    status: str | None = None  #: the register's status code, when this register holds the number
    status_label: str = ""
    status_reason: str = ""
    valid_until: dt.date | None = None
    unit: str = ""
    post: str = ""
    register_matches: bool | None = None  #: the register's name/kind/date agree with the code


def _payload(number: str, name: str, kind: str, issue_date: dt.date, kid: bytes) -> bytes:
    if kind not in _KINDS:
        raise ValidationError(f"“{kind}”不是证书类别", field="证书类别")
    num, nam = number.encode(), name.encode()
    if len(num) > 255 or len(nam) > 255:
        raise ValidationError("证书编号或姓名过长", field="验证码")
    days = (issue_date - _EPOCH).days
    if not 0 <= days <= 0xFFFF:
        raise ValidationError(f"发证日期 {issue_date} 超出范围", field="发证日期")
    return (struct.pack(">BBH4s", VERSION, _KINDS[kind], days, kid)
            + bytes([len(num)]) + num + bytes([len(nam)]) + nam)


def _format(raw: bytes) -> str:
    text = base64.b32encode(raw).decode().rstrip("=")
    return PREFIX + "-" + "-".join(text[i:i + 5] for i in range(0, len(text), 5))


def make_code(session: Session, *, number: str, name: str, kind: str, issue_date: dt.date) -> str:
    """Sign the certificate's content with this office's key and return the printable code.
    Ed25519 is deterministic: the same content always gives the same code."""
    key = office_keys.signing_key(session)
    kid = office_keys.key_id(office_keys.public_key_bytes(session))
    payload = _payload(number, name, kind, issue_date, kid)
    return _format(payload + key.sign(_DOMAIN + payload))


def decode(code: str) -> tuple[CodeContent, bytes, bytes]:
    """(content, signed payload, signature); ValidationError if the text is not a code at all."""
    text = re.sub(r"[\s\-_.]", "", code.strip().upper())
    if not text.startswith(PREFIX):
        raise ValidationError(f"验证码应以 {PREFIX} 开头", field="验证码")
    body = text[len(PREFIX):].translate(_TYPO)
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError as exc:
        raise ValidationError("验证码含有无效字符（只应有字母和数字 2–7）", field="验证码") from exc
    if base64.b32encode(raw).decode().rstrip("=") != body:  # unused low bits of the last character set
        raise ValidationError("验证码的最后一位不对", field="验证码")
    try:
        version, kind, days, kid = struct.unpack(">BBH4s", raw[:8])
        pos = 8
        num_len = raw[pos]
        number = raw[pos + 1:pos + 1 + num_len].decode()
        pos += 1 + num_len
        name_len = raw[pos]
        name = raw[pos + 1:pos + 1 + name_len].decode()
        pos += 1 + name_len
    except (struct.error, IndexError, UnicodeDecodeError) as exc:
        raise ValidationError("验证码不完整或已损坏", field="验证码") from exc
    if version != VERSION or kind not in _KIND_OF:
        raise ValidationError("验证码版本或证书类别不对", field="验证码")
    payload, signature = raw[:pos], raw[pos:]
    if len(signature) != _SIG_LEN:
        raise ValidationError("验证码不完整（签名长度不对）", field="验证码")
    content = CodeContent(number, name, _KIND_OF[kind], _EPOCH + dt.timedelta(days=days), kid)
    return content, payload, signature


def verify(session: Session, code: str, *, today: dt.date | None = None) -> Verification:
    """Check a scanned or typed code with no network: signature first, then the local register."""
    today = today or dt.date.today()
    try:
        content, payload, signature = decode(code)
    except ValidationError as exc:
        return Verification(False, f"无法识别：{exc.message}", None)
    key = office_keys.known_keys(session).get(content.key_id)
    issuer = (key.office_name or ("本单位" if key.own else key.office_code)) if key is not None else ""
    if key is None:
        return Verification(False, "签发单位的密钥未知：无法确认真伪（本机未登记该单位的公钥）。", content)
    try:
        key.public_key.verify(signature, _DOMAIN + payload)
    except InvalidSignature:
        return Verification(False, "签名不符：验证码被改动过，或不是本系统签发的。", content,
                            issuer=issuer)
    cert = session.scalar(select(Certificate).where(Certificate.number == content.number,
                                                    Certificate.deleted.is_(False)))
    if cert is None:
        return Verification(True, f"签名有效，由{issuer}签发；本机登记簿中没有这本证书，无法显示当前状态。",
                            content, issuer=issuer)
    from .certificate_status import current_status  # the register owns what "valid" means today

    status = current_status(cert, today)
    snapshot_name = _snapshot_name(cert)
    matches = (cert.kind == content.kind and cert.issue_date == content.issue_date
               and (snapshot_name is None or snapshot_name == content.name))
    label = codes.CERTIFICATE_STATUS[status]
    if not matches:
        message = "签名有效，但与本机登记簿的记录不一致，请核查。"
    elif status == "valid":
        message = f"真实有效：{issuer}签发的{content.kind_label}，当前状态：{label}。"
    else:
        message = f"证书真实，但当前状态为“{label}”，不能作为有效证书使用。"
    return Verification(True, message, content, issuer=issuer, status=status, status_label=label,
                        status_reason=cert.status_reason or "", valid_until=cert.valid_until,
                        unit=_snapshot_value(cert, "unit"), post=_snapshot_value(cert, "post"),
                        register_matches=matches)


def _snapshot_value(cert: Certificate, key: str) -> str:
    import json

    if not cert.snapshot_json:
        return ""
    data = json.loads(cert.snapshot_json)
    values = data.get("values", data)
    return str(values.get(key, "")) if isinstance(values, dict) else ""


def _snapshot_name(cert: Certificate) -> str | None:
    return _snapshot_value(cert, "name") or None
