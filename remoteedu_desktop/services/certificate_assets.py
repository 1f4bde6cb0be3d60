"""Images printed on certificates (photos, the office seal), stored once by SHA-256 (R11).

A certificate's snapshot names its images by hash, never by person or setting, so a reprint uses
the very picture printed at issue time even after the person's photo or the seal changed. A row is
never changed once written: same bytes, same hash, same row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import CertificateAsset
from ..errors import ValidationError

MAX_BYTES = 2 * 1024 * 1024


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mime_type(data: bytes) -> str:
    """image/jpeg or image/png from the file's first bytes; ValidationError for anything else."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    raise ValidationError("图片应为 JPEG 或 PNG 文件", field="图片")


def store(session: Session, data: bytes) -> str:
    """Keep *data* (once) and return its SHA-256."""
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"图片 {len(data) // 1024} KB，最大 {MAX_BYTES // 1024} KB", field="图片")
    digest = sha256(data)
    if session.scalar(select(CertificateAsset.id).where(CertificateAsset.sha256 == digest)) is None:
        session.add(CertificateAsset(sha256=digest, mime_type=mime_type(data), data=data))
        session.flush()
    return digest


def load(session: Session, digest: str) -> bytes:
    """The bytes stored under *digest*; ValidationError when missing or altered."""
    return load_many(session, [digest])[digest]


def load_many(session: Session, digests: Iterable[str]) -> dict[str, bytes]:
    """digest → bytes for every digest; each is checked against its hash (an altered row is refused)."""
    wanted = sorted(set(digests))
    out: dict[str, bytes] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for digest, data in session.execute(select(CertificateAsset.sha256, CertificateAsset.data)
                                            .where(CertificateAsset.sha256.in_(chunk))).tuples():
            out[digest] = bytes(data)
    for digest in wanted:
        if digest not in out:
            raise ValidationError(f"证书图片 {digest[:12]}… 不在本机数据库中", field="证书图片")
        if sha256(out[digest]) != digest:
            raise ValidationError(f"证书图片 {digest[:12]}… 已被改动（SHA-256 不符）", field="证书图片")
    return out
