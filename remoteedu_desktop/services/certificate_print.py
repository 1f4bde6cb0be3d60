"""Printing issued certificates (R11) from their frozen snapshots, and the print log.

A certificate is rebuilt from its snapshot and the stored images only, never from the person or the
template as they are now: :func:`frozen_pdf` gives the very bytes hashed at issue time (and refuses
when it cannot), :func:`batch_pdf` puts many into one PDF with the printer's calibration applied,
:func:`log_prints` records who printed what, when, on which printer or into which file.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import Certificate, CertificatePrint
from ..data.stamping import os_account, utcnow
from ..errors import ValidationError
from ..printing.certificate_render import Calibration, CertificatePage, render_one, render_steps
from . import certificate_assets
from .certificate_layout import Layout
from .progress import Progress


def _certificates(session: Session, cert_ids: Sequence[str]) -> list[Certificate]:
    ids = list(dict.fromkeys(cert_ids))
    found: dict[str, Certificate] = {}
    for start in range(0, len(ids), 2000):
        for c in session.scalars(select(Certificate).where(Certificate.id.in_(ids[start:start + 2000]),
                                                           Certificate.deleted.is_(False))):
            found[c.id] = c
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(f"找不到 {len(missing)} 本证书（已删除或不在本机登记簿中）", field="证书")
    return [found[i] for i in ids]


class _Frozen(Protocol):
    """What printing reads of a certificate: a :class:`Certificate` or a row of those columns."""

    @property
    def id(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def snapshot_json(self) -> str | None: ...


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: reading a batch makes thousands of small acyclic objects,
    and every collection pass would also walk everything else the program holds."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _frozen_rows(session: Session, cert_ids: Sequence[str]) -> list[_Frozen]:
    """:func:`_certificates`, reading only the columns printing needs (a batch of 1,000: ~30 ms less)."""
    ids = list(dict.fromkeys(cert_ids))
    found: dict[str, _Frozen] = {}
    for start in range(0, len(ids), 2000):
        for row in session.execute(select(Certificate.id, Certificate.number, Certificate.snapshot_json)
                                   .where(Certificate.id.in_(ids[start:start + 2000]),
                                          Certificate.deleted.is_(False))):
            found[row.id] = row
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(f"找不到 {len(missing)} 本证书（已删除或不在本机登记簿中）", field="证书")
    return [found[i] for i in ids]


_DECODER = json.JSONDecoder()
_LAYOUT_KEY = '{"layout":'


class _SnapshotReader:
    """Parses the snapshots of a batch. A snapshot is written with sorted keys, so the layout comes
    first; certificates from the same template share its text, which is parsed once: when a snapshot
    starts with the previous ``{"layout":<layout>,`` text, only the rest is parsed and the layout
    (the same JSON value, a JSON value's extent being fixed by its own text) is shared. Anything
    else is parsed whole; the result is always what ``json.loads`` gives."""

    def __init__(self) -> None:
        self.prefix: str | None = None
        self.layout: object = None

    def parse(self, text: str) -> object:
        prefix = self.prefix
        if prefix is None or not text.startswith(prefix):
            self._learn(text)
            prefix = self.prefix
        if prefix is not None and text.startswith(prefix) and text[len(prefix):len(prefix) + 1] == '"':
            rest = json.loads("{" + text[len(prefix):])
            data = {"layout": self.layout}
            data.update(rest)  # a later "layout" key wins, as in json.loads
            return data
        return json.loads(text)

    def _learn(self, text: str) -> None:
        if not text.startswith(_LAYOUT_KEY):
            return
        try:
            layout, end = _DECODER.raw_decode(text, len(_LAYOUT_KEY))
        except ValueError:
            return
        if text[end:end + 1] == ",":
            self.prefix, self.layout = text[:end + 1], layout


def _snapshot(cert: _Frozen, reader: _SnapshotReader | None = None) -> dict[str, object]:
    try:
        text = cert.snapshot_json or ""
        data = reader.parse(text) if reader is not None else json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("v") != 1 or "layout" not in data:
        raise ValidationError(f"证书 {cert.number} 没有冻结的打印内容（可能是旧版数据），无法原样重印",
                              field="证书快照", rule="R11")
    return data


def _page(cert: _Frozen, data: dict[str, object], images: dict[str, bytes],
          layouts: list[tuple[object, Layout]] | None = None) -> CertificatePage:
    values = data.get("values")
    layout = data.get("layout")
    if not isinstance(values, dict) or not isinstance(layout, dict):
        raise ValidationError(f"证书 {cert.number} 的快照已损坏", field="证书快照", rule="R11")
    parsed = next((built for raw, built in layouts or () if raw is layout or raw == layout), None)
    if parsed is None:
        parsed = Layout.from_dict(layout)
        if layouts is not None:
            layouts.append((layout, parsed))
    photo, seal, matrix = data.get("photo"), data.get("seal"), data.get("qr")
    return CertificatePage(parsed, {str(k): str(v) for k, v in values.items()},
                           images[photo] if isinstance(photo, str) else None,
                           images[seal] if isinstance(seal, str) else None,
                           matrix if isinstance(matrix, str) else None)


def frozen_page(session: Session, cert_id: str) -> CertificatePage:
    """The certificate's page exactly as frozen at issue time."""
    cert = _certificates(session, [cert_id])[0]
    data = _snapshot(cert)
    shas = [s for s in (data.get("photo"), data.get("seal")) if isinstance(s, str)]
    return _page(cert, data, certificate_assets.load_many(session, shas))


def frozen_pdf(session: Session, cert_id: str) -> bytes:
    """The certificate's PDF rebuilt from its snapshot; ValidationError when its SHA-256 differs from
    the one stored at issue (a program or font update changed the drawing, or the data was altered)."""
    cert = _certificates(session, [cert_id])[0]
    pdf = render_one(frozen_page(session, cert_id))
    digest = hashlib.sha256(pdf).hexdigest()
    if digest != cert.pdf_sha256:
        raise ValidationError(
            f"证书 {cert.number} 重新生成的内容与签发时不一致（SHA-256 {digest[:12]}… ≠ "
            f"{(cert.pdf_sha256 or '无')[:12]}…）：程序或字体可能已更新，或数据被改动，已拒绝重印",
            field="证书快照", rule="R11")
    return pdf


def batch_pdf(session: Session, cert_ids: Sequence[str], *,
              calibration: Calibration | None = None) -> Generator[Progress, None, bytes]:
    """Many certificates in one PDF (one page each, in the given order), calibrated for a printer.
    Yields progress per page; closing the generator stops the rendering. Checked at once: an unknown
    certificate or one without a frozen snapshot is refused before the first ``next``."""
    with _gc_paused():
        certs = _frozen_rows(session, cert_ids)
        reader = _SnapshotReader()
        snapshots = [_snapshot(c, reader) for c in certs]
    return _batch_steps(session, certs, snapshots, calibration)


def _batch_steps(session: Session, certs: list[_Frozen], snapshots: list[dict[str, object]],
                 calibration: Calibration | None) -> Generator[Progress, None, bytes]:
    total = len(certs)
    yield 0, total, f"正在读取 {total} 本证书"
    shas = {s for d in snapshots for s in (d.get("photo"), d.get("seal")) if isinstance(s, str)}
    images = certificate_assets.load_many(session, shas)
    layouts: list[tuple[object, Layout]] = []  # one Layout per distinct layout, not one per certificate
    with _gc_paused():
        pages = [_page(c, d, images, layouts) for c, d in zip(certs, snapshots, strict=True)]
    steps = render_steps(pages, calibration=calibration)
    try:
        while True:
            try:
                done = next(steps)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            if done % 10 == 0 or done == total:
                yield done, total, f"正在生成第 {done}/{total} 页"
    finally:
        steps.close()


def log_prints(session: Session, cert_ids: Sequence[str], *, target: str) -> None:
    """One print-log row per certificate: who (the session's account), when, which printer or file."""
    where = (target or "").strip()
    if not where:
        raise ValidationError("请注明打印机或文件", field="打印去向")
    account = str(session.info.get("account") or os_account())[:50]
    now = utcnow()
    for cert in _certificates(session, cert_ids):
        session.add(CertificatePrint(certificate_id=cert.id, printed_at=now, account=account, target=where[:200],
                                     pdf_sha256=cert.pdf_sha256 or ""))
    session.flush()
