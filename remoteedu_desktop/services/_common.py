"""Small helpers shared by the service modules."""

from __future__ import annotations

import re

from ..errors import ConcurrentEditError, ValidationError

_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")


def clean_text(value: str | None, *, field: str, required: bool = False, max_len: int | None = None) -> str | None:
    """Strip *value*; refuse it when required and empty, or longer than *max_len*."""
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError("不能为空", field=field)
        return None
    if max_len is not None and len(text) > max_len:
        raise ValidationError(f"最多 {max_len} 个字，实际 {len(text)} 个字", field=field)
    return text


def clean_phone(value: str | None, *, field: str = "联系电话") -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if not _PHONE.match(text) or sum(c.isdigit() for c in text) < 5:
        raise ValidationError(f"“{text}”不是有效的电话号码（只能含数字、空格、+、-、括号）", field=field)
    return text


def clean_digits(value: str | None, *, field: str, lengths: tuple[int, ...]) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) not in lengths:
        need = " 或 ".join(str(n) for n in lengths)
        raise ValidationError(f"“{text}”应为 {need} 位数字", field=field)
    return text


def check_version(row: object, expected: int | None, what: str) -> None:
    """Refuse to save over a change another clerk saved since this form was read (issue 10 item 1).

    *expected* is the ``row_version`` the form showed (None: the caller read the row in this transaction).
    The row versions of the flush then catch a change committed between this check and the write.
    """
    current = getattr(row, "row_version", None)
    if expected is not None and current != expected:
        raise ConcurrentEditError(
            f"{what}在您打开后已被其他用户（或另一个窗口）修改并保存（您打开时是第 {expected} 版，现在是第 {current} 版）。"
            "您的修改未保存：请关闭后重新打开，核对后再改。", field="并发修改")
