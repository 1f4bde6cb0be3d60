"""Resident ID numbers (居民身份证号码, GB 11643-1999).

An 18-character number: 6-digit region code, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for
men, even for women) and a MOD 11-2 check character (0–9 or X). Old 15-digit numbers (2-digit year, no
check character) are accepted and upgraded. Lists show numbers masked (see DOMAIN.md, "Personal data").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from remoteedu_desktop.codes import GENDER, require_code
from remoteedu_desktop.errors import ValidationError

_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_MAP = "10X98765432"

#: First two digits: the real province-level division codes (GB/T 2260).
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(n) for n in range(11, 16)]
    + [str(n) for n in range(21, 24)]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82"]
)

_EARLIEST_BIRTH = date(1900, 1, 1)

# Full-width digits and X typed through a Chinese input method count as their ASCII forms.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "X"})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class IdInfo:
    """A valid ID number and what it says about its holder."""

    number: str  # normalized: 18 characters, uppercase X
    region: str  # first 6 digits
    birth_date: date
    gender: str  # GB/T 2261.1: "1" male, "2" female

    def age_on(self, d: date) -> int:
        """Age in full years on day ``d`` (a 29 February birthday counts from 1 March in other years)."""
        had_birthday = (d.month, d.day) >= (self.birth_date.month, self.birth_date.day)
        return d.year - self.birth_date.year - (0 if had_birthday else 1)


def _normalize(raw: str) -> str:
    return _SPACES.sub("", raw.translate(_FULL_WIDTH)).upper()


def check_digit(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValidationError(f"计算校验码需要 17 位数字，实际为“{first17}”", field="身份证号码")
    total = sum(int(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_MAP[total % 11]


def upgrade_15(number15: str) -> str:
    """An old 15-digit number as 18 characters: "19" before the 2-digit year, check character appended."""
    if len(number15) != 15 or not number15.isascii() or not number15.isdigit():
        raise ValidationError(f"15 位旧号码应为 15 位数字，实际为“{number15}”", field="身份证号码")
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_digit(first17)


def _first_bad_char(text: str, *, allow_x_last: bool) -> tuple[int, str] | None:
    for i, ch in enumerate(text):
        if ch.isascii() and ch.isdigit():
            continue
        if allow_x_last and i == len(text) - 1 and ch == "X":
            continue
        return i + 1, ch
    return None


def parse_id_number(raw: str, *, field: str = "身份证号码", today: date | None = None) -> IdInfo:
    """Check an ID number as typed and return what it says; raise ValidationError naming the problem.

    Spaces are ignored, a lowercase x is accepted, a 15-digit old number is upgraded to 18 characters.
    """
    number = _normalize(raw or "")
    if not number:
        raise ValidationError("不能为空", field=field)
    if len(number) not in (15, 18):
        raise ValidationError(f"输入了 {len(number)} 位，应为 18 位（旧号码为 15 位）", field=field)

    bad = _first_bad_char(number, allow_x_last=len(number) == 18)
    if bad is not None:
        pos, ch = bad
        if pos == 18:
            raise ValidationError(f"第18位应为数字或 X，实际为“{ch}”", field=field)
        raise ValidationError(f"第{pos}位“{ch}”不是数字", field=field)

    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(f"前两位 {number[:2]} 不是有效的省级行政区划代码", field=field)

    given_check = None
    if len(number) == 15:
        number = upgrade_15(number)
    else:
        given_check = number[17]

    digits = number[6:14]
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(f"出生日期 {digits} 不是有效日期", field=field) from None
    today = today or date.today()
    if birth > today:
        raise ValidationError(f"出生日期 {birth.isoformat()} 晚于今天（{today.isoformat()}）", field=field)
    if birth < _EARLIEST_BIRTH:
        raise ValidationError(f"出生日期 {birth.isoformat()} 早于 1900 年", field=field)

    expected = check_digit(number[:17])
    if given_check is not None and given_check != expected:
        raise ValidationError(f"第18位校验码应为 {expected}，实际为 {given_check}", field=field)

    gender = "1" if int(number[16]) % 2 == 1 else "2"
    return IdInfo(number=number, region=number[:6], birth_date=birth, gender=gender)


def check_consistency(info: IdInfo, *, birth_date: date | None, gender: str | None) -> None:
    """Cross-check a separately entered birth date and gender against the ID number.

    ``None`` (or an empty gender) means "not entered" and is not checked.
    """
    if birth_date is not None and birth_date != info.birth_date:
        raise ValidationError(
            f"{birth_date.isoformat()} 与身份证号码中的出生日期 {info.birth_date.isoformat()} 不一致",
            field="出生日期")
    if gender:
        code = require_code(GENDER, gender, field="性别")
        if code != info.gender:
            raise ValidationError(
                f"“{GENDER[code]}”与身份证号码中的性别“{GENDER[info.gender]}”不一致", field="性别")


def mask_id_number(number: str) -> str:
    """The number for lists: first 6 and last 4 characters kept, the rest as "*".

    Numbers of 10 characters or fewer (not real ID numbers) are masked entirely.
    """
    text = _normalize(number or "")
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]
