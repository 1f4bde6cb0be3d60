"""Certificate numbers (R11): gap-free per kind and year, never reused.

Default pattern: county code + year + kind code + 4-digit serial, without
separators: ``3604992026SG0001``. The pattern is configurable (step 4 adds
the setting).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..data.models import CertificateSerial
from ..data.stamping import next_change_seq, utcnow
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
    """Take the next serial of *kind* in *year* (the caller's transaction makes it final).

    The first statement is a write (the change counter, then ``UPDATE … RETURNING`` on the serial),
    so on SQLite the transaction holds the write lock before it reads the serial: two processes
    issuing at once wait for each other instead of reading the same last serial (R11). A read first
    would give both the same number (or, in WAL mode, a stale snapshot and "database is locked").
    """
    if kind not in KIND_CODE:
        raise ValidationError(f"“{kind}”不是证书类别", field="证书类别")
    office, seq = next_change_seq(session)
    taken = session.execute(
        update(CertificateSerial)
        .where(CertificateSerial.kind == kind, CertificateSerial.year == year)
        .values(last_serial=CertificateSerial.last_serial + 1, changed_by=office, change_seq=seq,
                row_version=CertificateSerial.row_version + 1, updated_at=utcnow())
        .returning(CertificateSerial.last_serial)
        .execution_options(synchronize_session="fetch")).scalar()
    if taken is not None:
        return int(taken)
    session.add(CertificateSerial(kind=kind, year=year, last_serial=1))  # stamped by the flush
    session.flush()
    return 1


def peek_serial(session: Session, kind: str, year: int) -> int:
    """The last serial taken of *kind* in *year* (0 when none): for previews, which take nothing."""
    return session.scalar(select(CertificateSerial.last_serial).where(
        CertificateSerial.kind == kind, CertificateSerial.year == year)) or 0


def next_number(session: Session, kind: str, year: int, *, county: str,
                pattern: str = DEFAULT_PATTERN) -> str:
    if kind in KIND_CODE:
        # Check the pattern before a serial is taken: a refusal must leave no gap (R11).
        format_number(pattern, county=county, year=year, kind=kind, serial=1)
    return format_number(pattern, county=county, year=year, kind=kind, serial=next_serial(session, kind, year))
