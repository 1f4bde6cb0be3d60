"""Certificate numbers (R11): gap-free per kind and year, never reused.

Default pattern: county code + year + kind code + 4-digit serial, without
separators: ``3604992026SG0001``. The pattern is configurable (step 4 adds
the setting).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import CertificateSerial
from ..errors import ValidationError

KIND_CODE = {"on_duty": "SG", "appointment": "PR"}  # 上岗 / 聘任
DEFAULT_PATTERN = "{county}{year}{kind}{serial:04d}"


def format_number(pattern: str, *, county: str, year: int, kind: str, serial: int) -> str:
    if "{serial" not in pattern:
        raise ValidationError(f"编号格式“{pattern}”缺少流水号 {{serial}}，所有证书将同号", field="证书编号格式",
                              rule="R11")
    try:
        return pattern.format(county=county, year=year, kind=KIND_CODE[kind], serial=serial)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        raise ValidationError(f"编号格式“{pattern}”无效：{exc}", field="证书编号格式", rule="R11") from exc


def next_serial(session: Session, kind: str, year: int) -> int:
    """Take the next serial of *kind* in *year* (the caller's transaction makes it final)."""
    if kind not in KIND_CODE:
        raise ValidationError(f"“{kind}”不是证书类别", field="证书类别")
    row = session.scalar(select(CertificateSerial).where(CertificateSerial.kind == kind,
                                                         CertificateSerial.year == year).with_for_update())
    if row is None:
        row = CertificateSerial(kind=kind, year=year, last_serial=0)
        session.add(row)
    row.last_serial += 1
    session.flush()
    return row.last_serial


def next_number(session: Session, kind: str, year: int, *, county: str,
                pattern: str = DEFAULT_PATTERN) -> str:
    if kind in KIND_CODE:
        # Check the pattern before a serial is taken: a refusal must leave no gap (R11).
        format_number(pattern, county=county, year=year, kind=kind, serial=1)
    return format_number(pattern, county=county, year=year, kind=kind, serial=next_serial(session, kind, year))
