"""The staff list query (R10): each filter criterion, pinyin initials, last digits of the ID number,
ordering, masking of personal data in the rows — on a real SQLite file, and on PostgreSQL when a test server is
set (issue 10 item 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import Certificate, Person
from remoteedu_desktop.services import offices, people, posts, units
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.staff_query import (
    MIN_DIGITS,
    NO_CERTIFICATE,
    SORT_KEYS,
    StaffFilter,
    StaffQuery,
    mask_phone,
    rows_for,
    search_terms,
)

TODAY = dt.date(2026, 6, 30)


def id_number(birth: dt.date, seq: int, region: str = "360499") -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


@dataclass
class County:
    """青山县 with two townships; 龙潭镇 has two village sites and its township station."""

    db: Database
    county: str
    longtan: str
    village_1: str
    village_2: str
    station: str
    shima: str
    shima_village: str
    ids: dict[str, str]  # name → person id
    numbers: dict[str, str]  # name → ID number


@pytest.fixture(scope="module")
def county(module_database_url: str) -> Iterator[County]:
    """Built once per backend: the tests only read it, or write in a session they roll back."""
    db = open_database(module_database_url)
    try:
        with db.session() as s:
            office = offices.init_office(s, level="county", code="360499", name="青山县")
            county_id = office.unit_id or ""
            longtan = units.add_unit(s, kind="township", name="龙潭镇", parent_id=county_id, code="360499100").id
            shima = units.add_unit(s, kind="township", name="石马乡", parent_id=county_id, code="360499101").id
            v1 = units.add_unit(s, kind="village", name="新村", parent_id=longtan, code="360499100201").id
            v2 = units.add_unit(s, kind="village", name="大塘村", parent_id=longtan, code="360499100202").id
            station = units.add_unit(s, kind="township_station", name="龙潭镇站点", parent_id=longtan,
                                     code="360499100001").id
            sv = units.add_unit(s, kind="village", name="新村", parent_id=shima, code="360499101201").id
            # name, birth, sequence (odd: man), phone
            spec = [("张三丰", dt.date(1970, 3, 1), 11, "13800138000"),
                    ("张小明", dt.date(1990, 7, 9), 13, "13912345678"),
                    ("李四", dt.date(1985, 1, 20), 22, "15000000021"),
                    ("王五", dt.date(1962, 12, 31), 35, None),
                    ("赵六", dt.date(1978, 5, 5), 46, "18600001111"),
                    ("钱七", dt.date(1995, 2, 14), 57, "0791-8888123"),
                    ("曾八", dt.date(1980, 8, 8), 68, "13700008888")]
            ids, numbers = {}, {}
            for name, birth, seq, phone in spec:
                number = id_number(birth, seq)
                ids[name] = people.add_person(s, people.PersonInput(name=name, id_number=number, phone=phone),
                                              today=TODAY).id
                numbers[name] = number

            def post(name: str, unit: str, role: str, slot: str | None = None) -> str:
                return posts.assign_post(s, person_id=ids[name], unit_id=unit, role=role, slot=slot,
                                         start_date=dt.date(2024, 1, 1), today=TODAY).id

            post("张三丰", v1, "village_manager", "A")
            post("张小明", v1, "village_manager", "B")
            post("李四", v2, "village_manager", "A")
            post("王五", station, "township_manager")
            leaving = post("赵六", v2, "village_manager", "B")
            post("钱七", shima, "township_tutor")
            post("曾八", sv, "village_manager", "A")
            post("曾八", longtan, "technician")
            posts.end_post(s, leaving, end_date=dt.date(2026, 3, 1), reason="外出务工", today=TODAY)
            s.get(Person, ids["赵六"]).left_on = dt.date(2026, 3, 1)  # type: ignore[union-attr]
            for n, (name, status, until) in enumerate([("张三丰", "valid", dt.date(2028, 12, 31)),
                                                       ("张小明", "valid", dt.date(2025, 12, 31)),  # past its date
                                                       ("李四", "revoked", None),
                                                       ("王五", "valid", None),
                                                       ("王五", "replaced", None)], start=1):
                s.add(Certificate(kind="on_duty", number=f"3604992025SG{n:04d}", person_id=ids[name],
                                  issue_date=dt.date(2025, 6, 1), valid_until=until, status=status))
        yield County(db, county_id, longtan, v1, v2, station, shima, sv, ids, numbers)
    finally:
        db.dispose()


def names(county: County, flt: StaffFilter | None = None, sort: str = "name", descending: bool = False, *,
          session: Session | None = None, extra: dict[str, str] | None = None) -> list[str]:
    """The names StaffQuery lists (in *session*, else a fresh one); *extra*: name → id of people added there."""
    by_id = {v: k for k, v in {**county.ids, **(extra or {})}.items()}
    if session is not None:
        return [by_id[i] for i in StaffQuery(flt, sort, descending, today=TODAY).ids(session)]
    with county.db.session() as s:
        return [by_id[i] for i in StaffQuery(flt, sort, descending, today=TODAY).ids(s)]


@contextmanager
def rolled_back(county: County) -> Iterator[Session]:
    """A session whose changes are rolled back at the end: the module's county stays as built."""
    session = county.db.factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def test_everyone_on_the_team_in_pinyin_order(county: County) -> None:
    # Initials ls, qq, ww, zb (曾 as a surname reads zēng), zsf, zxm; 赵六 left the team.
    assert names(county) == ["李四", "钱七", "王五", "曾八", "张三丰", "张小明"]


def test_text_matches_chinese_characters_anywhere_in_the_name(county: County) -> None:
    assert names(county, StaffFilter(text="张")) == ["张三丰", "张小明"]
    assert names(county, StaffFilter(text="三丰")) == ["张三丰"]
    assert names(county, StaffFilter(text="丰三")) == []


def test_letters_match_the_start_of_the_pinyin_initials(county: County) -> None:
    assert names(county, StaffFilter(text="zs")) == ["张三丰"]
    assert names(county, StaffFilter(text="Z")) == ["曾八", "张三丰", "张小明"]
    assert names(county, StaffFilter(text="ＺＸ")) == ["张小明"]  # full-width letters from an input method
    assert names(county, StaffFilter(text="sf")) == []  # the start of the initials, not the middle
    assert names(county, StaffFilter(text="zb")) == ["曾八"]  # 曾 as a surname is zeng


def test_digits_match_the_end_of_the_id_number(county: County) -> None:
    tail = county.numbers["李四"][-4:]
    assert names(county, StaffFilter(text=tail)) == ["李四"]
    assert names(county, StaffFilter(text=county.numbers["王五"][-6:])) == ["王五"]
    # The start of an ID number (the region) is not a search: every number here begins 360499.
    assert names(county, StaffFilter(text="360499")) == []


def test_an_id_number_ending_in_x_is_found_with_either_case(county: County) -> None:
    with rolled_back(county) as s:
        seq = next(q for q in range(101, 999, 2) if id_number(dt.date(1988, 4, 4), q).endswith("X"))
        number = id_number(dt.date(1988, 4, 4), seq)
        pid = people.add_person(s, people.PersonInput(name="孙九", id_number=number), today=TODAY).id
        assert number.endswith("X")
        assert StaffQuery(StaffFilter(text=number[-4:].lower()), today=TODAY).ids(s) == [pid]
        assert StaffQuery(StaffFilter(text=number[-4:]), today=TODAY).ids(s) == [pid]


def test_digits_match_anywhere_in_the_phone(county: County) -> None:
    assert names(county, StaffFilter(text="12345")) == ["张小明"]
    assert names(county, StaffFilter(text="8888")) == ["钱七", "曾八"]  # 0791-8888123, 13700008888
    assert names(county, StaffFilter(text="138")) == ["张三丰"]


def test_short_digit_terms_are_not_applied_yet(county: County) -> None:
    assert MIN_DIGITS == 3
    assert search_terms("张 1 13 138") == ["张", "138"]
    assert names(county, StaffFilter(text="13")) == names(county)
    assert StaffFilter(text=" 张  1").normalized() == StaffFilter(text="张")


def test_terms_must_all_match(county: County) -> None:
    assert names(county, StaffFilter(text="张 zx")) == ["张小明"]
    assert names(county, StaffFilter(text="z 138")) == ["张三丰"]


def test_like_wildcards_in_the_text_are_plain_characters(county: County) -> None:
    assert names(county, StaffFilter(text="%")) == []
    assert names(county, StaffFilter(text="_")) == []
    assert names(county, StaffFilter(text="张%")) == []


def test_role(county: County) -> None:
    assert names(county, StaffFilter(role="village_manager")) == ["李四", "曾八", "张三丰", "张小明"]
    assert names(county, StaffFilter(role="township_tutor")) == ["钱七"]
    assert names(county, StaffFilter(role="county_tutor")) == []
    # Someone who left is found by the post they held.
    assert names(county, StaffFilter(role="village_manager", status="left")) == ["赵六"]


def test_unit_includes_the_units_below_it(county: County) -> None:
    assert names(county, StaffFilter(unit_id=county.longtan)) == ["李四", "王五", "曾八", "张三丰", "张小明"]
    assert names(county, StaffFilter(unit_id=county.village_1)) == ["张三丰", "张小明"]
    assert names(county, StaffFilter(unit_id=county.shima)) == ["钱七", "曾八"]
    assert names(county, StaffFilter(unit_id=county.county)) == names(county)
    assert names(county, StaffFilter(unit_id=county.village_2, status="all")) == ["李四", "赵六"]
    assert names(county, StaffFilter(unit_id=county.village_2, status="left")) == ["赵六"]


def test_role_and_unit_apply_to_the_same_post(county: County) -> None:
    # 曾八 is a village manager in 石马乡 and a technician in 龙潭镇: not a village manager in 龙潭镇.
    assert names(county, StaffFilter(unit_id=county.longtan, role="village_manager")) == ["李四", "张三丰", "张小明"]
    assert names(county, StaffFilter(unit_id=county.longtan, role="technician")) == ["曾八"]


def test_status(county: County) -> None:
    assert names(county, StaffFilter(status="left")) == ["赵六"]
    assert names(county, StaffFilter(status="all")) == ["李四", "钱七", "王五", "曾八", "赵六", "张三丰", "张小明"]
    with pytest.raises(ValueError):
        StaffQuery(StaffFilter(status="gone"))  # type: ignore[arg-type]


def test_valid_certificate(county: County) -> None:
    # 张小明's is past its date, 李四's was revoked; 王五 has a valid one beside a replaced one.
    assert names(county, StaffFilter(has_valid_certificate=True)) == ["王五", "张三丰"]
    assert names(county, StaffFilter(has_valid_certificate=False)) == ["李四", "钱七", "曾八", "张小明"]


def test_criteria_combine(county: County) -> None:
    flt = StaffFilter(text="z", unit_id=county.longtan, role="village_manager", has_valid_certificate=True)
    assert names(county, flt) == ["张三丰"]


def test_sort_by_age_gender_and_status(county: County) -> None:
    assert names(county, sort="age") == ["钱七", "张小明", "李四", "曾八", "张三丰", "王五"]
    assert names(county, sort="age", descending=True) == ["王五", "张三丰", "曾八", "李四", "张小明", "钱七"]
    assert names(county, sort="birth_date") == ["王五", "张三丰", "曾八", "李四", "张小明", "钱七"]
    # Gender from the ID number (odd sequence: man); then by name.
    assert names(county, sort="gender") == ["钱七", "王五", "张三丰", "张小明", "李四", "曾八"]
    assert names(county, StaffFilter(status="all"), sort="status")[-1] == "赵六"
    assert names(county, StaffFilter(status="all"), sort="status", descending=True)[0] == "赵六"


def test_sort_by_name_descending(county: County) -> None:
    assert names(county, descending=True) == list(reversed(names(county)))


def test_sort_by_unit_follows_what_the_list_shows(county: County) -> None:
    # What the list shows: 钱七 "石马乡", 曾八 "石马乡 / 新村" (before "龙潭镇"), 李四 "龙潭镇 / 大塘村",
    # 张三丰 and 张小明 "龙潭镇 / 新村", 王五 "龙潭镇 / 龙潭镇站点" — in code point order on SQLite.
    assert names(county, sort="unit") == ["钱七", "曾八", "李四", "张三丰", "张小明", "王五"]
    assert names(county, sort="unit", descending=True) == ["王五", "张三丰", "张小明", "李四", "曾八", "钱七"]


def test_sort_by_role_and_certificate_put_the_missing_last(county: County) -> None:
    with rolled_back(county) as s:
        lone = people.add_person(s, people.PersonInput(name="周十", id_number=id_number(dt.date(1991, 1, 1), 91)),
                                 today=TODAY).id
        for desc in (False, True):
            assert StaffQuery(sort="role", descending=desc, today=TODAY).ids(s)[-1] == lone
            assert StaffQuery(sort="certificate", descending=desc, today=TODAY).ids(s)[-1] == lone
        extra = {"周十": lone}
        # The order of the code table: township manager, village manager A, then B, …, township tutor.
        assert names(county, sort="role", session=s, extra=extra) == [
            "王五", "李四", "曾八", "张三丰", "张小明", "钱七", "周十"]
        assert names(county, sort="role", descending=True, session=s, extra=extra) == [
            "钱七", "张小明", "李四", "曾八", "张三丰", "王五", "周十"]
        # Valid, expired, revoked, then none.
        assert names(county, sort="certificate", session=s, extra=extra) == [
            "王五", "张三丰", "张小明", "李四", "钱七", "曾八", "周十"]
        assert names(county, sort="certificate", descending=True, session=s, extra=extra) == [
            "李四", "张小明", "王五", "张三丰", "钱七", "曾八", "周十"]


def test_unknown_sort_key_is_refused() -> None:
    with pytest.raises(ValueError):
        StaffQuery(sort="salary")


def test_limit_gives_the_first_of_the_same_order(county: County) -> None:
    with county.db.session() as s:
        assert StaffQuery(today=TODAY).ids(s, limit=2) == StaffQuery(today=TODAY).ids(s)[:2]


def test_rows_for_masks_personal_data_and_keeps_the_order(county: County) -> None:
    ids = [county.ids["张三丰"], county.ids["王五"], county.ids["曾八"], "no-such-id"]
    with county.db.session() as s:
        rows = rows_for(s, ids, today=TODAY)
    assert [r.name for r in rows] == ["张三丰", "王五", "曾八"]
    zhang, wang, zeng = rows
    number = county.numbers["张三丰"]
    assert zhang.id_number_masked == number[:6] + "********" + number[-4:]
    assert number[6:14] not in zhang.id_number_masked
    assert zhang.phone_masked == "138****8000"
    assert (zhang.gender, zhang.age, zhang.birth_date) == ("男", 56, dt.date(1970, 3, 1))
    assert zhang.units == "龙潭镇 / 新村"
    assert zhang.roles == "村站点管理员 A岗"
    assert zhang.certificate == "有效"
    assert zhang.active and zhang.left_on is None
    assert (wang.units, wang.roles, wang.phone_masked) == ("龙潭镇 / 龙潭镇站点", "乡镇站点管理员", "")
    assert wang.certificate == "有效"
    assert zeng.units == "石马乡 / 新村；龙潭镇"
    assert zeng.roles == "村站点管理员 A岗；技术服务员"
    assert zeng.certificate == NO_CERTIFICATE


def test_rows_for_certificate_status_and_leavers(county: County) -> None:
    with county.db.session() as s:
        rows = {r.name: r for r in rows_for(s, list(county.ids.values()), today=TODAY)}
    assert rows["张小明"].certificate == "已过期"  # valid on paper, past its date
    assert rows["李四"].certificate == "已吊销"
    left = rows["赵六"]
    assert not left.active and left.left_on == dt.date(2026, 3, 1)
    assert (left.units, left.roles) == ("龙潭镇 / 大塘村", "村站点管理员 B岗")  # the post held last
    assert rows["钱七"].phone_masked == "079****8123"
    with county.db.session() as s:
        assert rows_for(s, []) == []


def test_mask_phone() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone(" 138 0013 8000 ") == "138****8000"
    assert mask_phone("8888123") == "*****23"
    assert mask_phone(None) == mask_phone("") == ""


@pytest.mark.parametrize("sort", SORT_KEYS)
def test_every_statement_is_portable(sort: str) -> None:
    """The same statements compile for SQLite and PostgreSQL (no SQLite-only SQL): run above (on PostgreSQL
    too when a test server is set), compiled here for both with every criterion at once."""
    for status in ("active", "left", "all"):
        for unit in (None, "u1"):
            flt = StaffFilter(text="张 zs 0021 12x", role="village_manager", unit_id=unit, status=status,
                              has_valid_certificate=False)
            stmt = StaffQuery(flt, sort, True, today=TODAY).statement()
            pg = str(stmt.compile(dialect=postgresql.dialect()))
            assert ("WITH RECURSIVE unit_tree" in pg) == (unit is not None)
            assert "LIKE" in pg and "ESCAPE" in pg
            assert str(stmt.compile(dialect=sqlite.dialect()))
    from remoteedu_desktop.services.staff_query import _rows_statement

    assert "IN (__[POSTCOMPILE_ids])" in str(_rows_statement().compile(dialect=postgresql.dialect()))
