"""Resident ID number validation (GB 11643-1999); see DOMAIN.md "Personal data"."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services.id_number import (
    PROVINCE_CODES,
    IdInfo,
    check_consistency,
    check_digit,
    mask_id_number,
    parse_id_number,
    upgrade_15,
)

TODAY = date(2024, 6, 1)


def _iso7064_check(first17: str) -> str:
    """Independent MOD 11-2 (ISO 7064) computation: weight of position i is 2^(17-i) mod 11."""
    total = sum(int(ch) * (2 ** (17 - i) % 11) for i, ch in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _error(raw: str, **kwargs: object) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        parse_id_number(raw, today=TODAY, **kwargs)  # type: ignore[arg-type]
    return exc.value


# --- public vectors --------------------------------------------------------------------------------

def test_public_vector_valid_female() -> None:
    info = parse_id_number("11010519491231002X", today=TODAY)
    assert info == IdInfo(number="11010519491231002X", region="110105", birth_date=date(1949, 12, 31),
                          gender="2")


def test_public_vector_bad_check_digit() -> None:
    err = _error("360426199101010072")
    assert "第18位校验码应为" in err.message
    assert "实际为 2" in err.message
    assert err.message == f"第18位校验码应为 {check_digit('36042619910101007')}，实际为 2"


def test_public_vector_15_digit_upgrade() -> None:
    assert upgrade_15("370802940221002") == "370802199402210029"
    info = parse_id_number("370802940221002", today=TODAY)
    assert info.number == "370802199402210029"
    assert info.birth_date == date(1994, 2, 21)
    assert info.gender == "2"
    assert info.region == "370802"


# --- normalization ---------------------------------------------------------------------------------

def test_lowercase_x_accepted_and_uppercased() -> None:
    assert parse_id_number("11010519491231002x", today=TODAY).number == "11010519491231002X"


def test_spaces_ignored() -> None:
    assert parse_id_number("  110105 19491231 002X ", today=TODAY).number == "11010519491231002X"


def test_full_width_input_accepted() -> None:
    assert parse_id_number("１１０１０５１９４９１２３１００２ｘ", today=TODAY).number == "11010519491231002X"


def test_male_gender_from_odd_sequence() -> None:
    first17 = "11010519800101001"
    info = parse_id_number(first17 + check_digit(first17), today=TODAY)
    assert info.gender == "1"


# --- error branches --------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["", "   ", "\u3000"])
def test_empty(raw: str) -> None:
    err = _error(raw)
    assert err.message == "不能为空"
    assert err.field == "身份证号码"
    assert "【身份证号码】" in str(err)


def test_field_name_is_used() -> None:
    err = _error("", field="配偶身份证号码")
    assert err.field == "配偶身份证号码"
    assert "【配偶身份证号码】" in err.text()


@pytest.mark.parametrize("raw", ["1101051949123100", "11010519491231002", "11010519491231002X1"])
def test_wrong_length(raw: str) -> None:
    err = _error(raw)
    assert err.message == f"输入了 {len(raw)} 位，应为 18 位（旧号码为 15 位）"


def test_non_digit_names_position_and_character() -> None:
    err = _error("1101A519491231002X")
    assert err.message == "第5位“A”不是数字"


def test_x_only_allowed_last() -> None:
    err = _error("110105194912310X2X")
    assert err.message == "第16位“X”不是数字"


def test_bad_last_character() -> None:
    err = _error("11010519491231002Y")
    assert err.message == "第18位应为数字或 X，实际为“Y”"


def test_x_not_allowed_in_15_digit_number() -> None:
    err = _error("37080294022100X")
    assert err.message == "第15位“X”不是数字"


@pytest.mark.parametrize("province", ["00", "10", "16", "20", "24", "30", "38", "40", "47", "49",
                                      "55", "60", "66", "70", "72", "80", "83", "91", "99"])
def test_unknown_province(province: str) -> None:
    first17 = province + "010519491231002"
    err = _error(first17 + check_digit(first17))
    assert err.message == f"前两位 {province} 不是有效的省级行政区划代码"


def test_all_real_provinces_accepted() -> None:
    for province in PROVINCE_CODES:
        first17 = province + "010519491231002"
        assert parse_id_number(first17 + check_digit(first17), today=TODAY).region == province + "0105"
    assert len(PROVINCE_CODES) == 34


@pytest.mark.parametrize("birth", ["19910231", "19900229", "19911301", "19910001", "19910100", "00000101"])
def test_impossible_birth_date(birth: str) -> None:
    first17 = "360426" + birth + "007"
    err = _error(first17 + check_digit(first17))
    assert err.message == f"出生日期 {birth} 不是有效日期"


def test_leap_day_birth_accepted() -> None:
    first17 = "36042620000229007"
    assert parse_id_number(first17 + check_digit(first17), today=TODAY).birth_date == date(2000, 2, 29)


def test_birth_in_future() -> None:
    first17 = "36042620240602007"
    err = _error(first17 + check_digit(first17))
    assert err.message == "出生日期 2024-06-02 晚于今天（2024-06-01）"


def test_birth_today_accepted() -> None:
    first17 = "36042620240601007"
    assert parse_id_number(first17 + check_digit(first17), today=TODAY).birth_date == TODAY


def test_birth_before_1900() -> None:
    first17 = "36042618991231007"
    err = _error(first17 + check_digit(first17))
    assert err.message == "出生日期 1899-12-31 早于 1900 年"


def test_15_digit_impossible_date() -> None:
    err = _error("370802940231002")
    assert err.message == "出生日期 19940231 不是有效日期"


def test_wrong_check_digit_says_expected_x() -> None:
    err = _error("110105194912310021")
    assert err.message == "第18位校验码应为 X，实际为 1"


def test_today_defaults_to_real_today() -> None:
    assert parse_id_number("11010519491231002X").birth_date == date(1949, 12, 31)


# --- check_digit / upgrade_15 ----------------------------------------------------------------------

@pytest.mark.parametrize(("first17", "expected"), [
    ("11010519491231002", "X"),
    ("37080219940221002", "9"),
    ("00000000000000000", "1"),
    ("11111111111111111", _iso7064_check("11111111111111111")),
    ("99999999999999999", _iso7064_check("99999999999999999")),
])
def test_check_digit_values(first17: str, expected: str) -> None:
    assert check_digit(first17) == expected


def test_check_digit_matches_iso7064_formula() -> None:
    rng = random.Random(7064)
    for _ in range(300):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        assert check_digit(first17) == _iso7064_check(first17)


@pytest.mark.parametrize("bad", ["", "1101051949123100", "110105194912310021", "1101051949123100A"])
def test_check_digit_refuses_bad_input(bad: str) -> None:
    with pytest.raises(ValidationError):
        check_digit(bad)


@pytest.mark.parametrize("bad", ["37080294022100", "3708029402210021", "37080294022100X"])
def test_upgrade_15_refuses_bad_input(bad: str) -> None:
    with pytest.raises(ValidationError):
        upgrade_15(bad)


# --- property-style: random valid numbers ----------------------------------------------------------

def test_random_prefixes_only_the_right_check_character_parses() -> None:
    rng = random.Random(11643)
    provinces = sorted(PROVINCE_CODES)
    start = date(1900, 1, 1)
    span = (TODAY - start).days
    for _ in range(500):
        birth = start + timedelta(days=rng.randint(0, span))
        prefix = (rng.choice(provinces) + f"{rng.randint(0, 9999):04d}" + birth.strftime("%Y%m%d")
                  + f"{rng.randint(0, 999):03d}")
        good = check_digit(prefix)
        info = parse_id_number(prefix + good, today=TODAY)
        assert info.number == prefix + good
        assert info.birth_date == birth
        assert info.gender == ("1" if int(prefix[16]) % 2 else "2")
        for other in "0123456789X":
            if other == good:
                continue
            with pytest.raises(ValidationError) as exc:
                parse_id_number(prefix + other, today=TODAY)
            assert exc.value.message == f"第18位校验码应为 {good}，实际为 {other}"


# --- consistency cross-check -----------------------------------------------------------------------

INFO = parse_id_number("11010519491231002X", today=TODAY)


def test_consistent_values_pass() -> None:
    check_consistency(INFO, birth_date=date(1949, 12, 31), gender="2")
    check_consistency(INFO, birth_date=None, gender=None)
    check_consistency(INFO, birth_date=None, gender="")


def test_birth_date_mismatch() -> None:
    with pytest.raises(ValidationError) as exc:
        check_consistency(INFO, birth_date=date(1950, 1, 1), gender=None)
    assert exc.value.field == "出生日期"
    assert exc.value.message == "1950-01-01 与身份证号码中的出生日期 1949-12-31 不一致"


def test_gender_mismatch() -> None:
    with pytest.raises(ValidationError) as exc:
        check_consistency(INFO, birth_date=None, gender="1")
    assert exc.value.field == "性别"
    assert exc.value.message == "“男”与身份证号码中的性别“女”不一致"


def test_gender_unknown_code() -> None:
    with pytest.raises(ValidationError) as exc:
        check_consistency(INFO, birth_date=None, gender="女")
    assert "不是有效的性别代码" in exc.value.message


# --- age -------------------------------------------------------------------------------------------

def test_age_on() -> None:
    assert INFO.age_on(date(2024, 12, 30)) == 74
    assert INFO.age_on(date(2024, 12, 31)) == 75
    leap = IdInfo(number="x", region="360426", birth_date=date(2000, 2, 29), gender="1")
    assert leap.age_on(date(2001, 2, 28)) == 0
    assert leap.age_on(date(2001, 3, 1)) == 1
    assert leap.age_on(date(2004, 2, 29)) == 4


# --- masking ---------------------------------------------------------------------------------------

def test_mask_18() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("11010519491231002x") == "110105********002X"
    assert mask_id_number(" 110105 19491231 002X") == "110105********002X"


def test_mask_15_and_short() -> None:
    assert mask_id_number("370802940221002") == "370802*****1002"
    assert mask_id_number("1234567890") == "**********"
    assert mask_id_number("") == ""
