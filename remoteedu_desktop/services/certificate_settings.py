"""This office's certificate settings (R11): number pattern, appointment term, issuer, seal image.

Kept in the local ``app_setting`` table; the seal image itself goes to the certificate assets (by
SHA-256), so certificates issued before a new seal keep printing the old one.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from ..data.models import AppSetting
from ..errors import ValidationError
from ..printing.fonts import check_printable
from . import certificate_assets
from .certificate_numbers import DEFAULT_PATTERN, format_number
from .offices import office_info

PATTERN_KEY = "certificate.number_pattern"
TERM_KEY = "certificate.term_years"
ISSUER_KEY = "certificate.issuer_name"
SEAL_KEY = "certificate.seal_sha256"

DEFAULT_TERM_YEARS = 3
MAX_TERM_YEARS = 10


def _get(session: Session, key: str) -> Any:
    row = session.get(AppSetting, key)
    return None if row is None else json.loads(row.value_json)


def _set(session: Session, key: str, value: Any) -> None:
    row = session.get(AppSetting, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(AppSetting(key=key, value_json=text))
    else:
        row.value_json = text
    session.flush()


def number_pattern(session: Session) -> str:
    value = _get(session, PATTERN_KEY)
    return value if isinstance(value, str) and value else DEFAULT_PATTERN


def set_number_pattern(session: Session, pattern: str | None) -> None:
    """Set the pattern (``{county}{year}{kind}{serial:04d}`` by default; None or "" restores it)."""
    pattern = (pattern or "").strip()
    if pattern:
        sample = format_number(pattern, county="360499", year=2026, kind="on_duty", serial=1)
        if len(sample) > 40:
            raise ValidationError(f"编号“{sample}”超过 40 个字符", field="证书编号格式", rule="R11")
        check_printable(sample, "证书编号格式")
    _set(session, PATTERN_KEY, pattern or None)


def term_years(session: Session) -> int:
    value = _get(session, TERM_KEY)
    return value if isinstance(value, int) and 1 <= value <= MAX_TERM_YEARS else DEFAULT_TERM_YEARS


def set_term_years(session: Session, years: int) -> None:
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= MAX_TERM_YEARS:
        raise ValidationError(f"聘期应为 1 到 {MAX_TERM_YEARS} 年，实际为 {years}", field="聘期")
    _set(session, TERM_KEY, years)


def issuer_name(session: Session) -> str:
    """The issuing office printed on certificates; by default this office's name."""
    value = _get(session, ISSUER_KEY)
    return value if isinstance(value, str) and value else office_info(session).name


def set_issuer_name(session: Session, name: str | None) -> None:
    name = (name or "").strip()
    if len(name) > 60:
        raise ValidationError(f"最多 60 个字，实际 {len(name)} 个字", field="发证机关")
    if name:
        check_printable(name, "发证机关")
    _set(session, ISSUER_KEY, name or None)


def seal(session: Session) -> bytes | None:
    digest = _get(session, SEAL_KEY)
    return certificate_assets.load(session, digest) if isinstance(digest, str) and digest else None


def set_seal(session: Session, data: bytes | None) -> None:
    """The seal image (PNG with transparency, or JPEG); None removes it."""
    _set(session, SEAL_KEY, certificate_assets.store(session, data) if data else None)
