"""The in-memory staff search (R10 search as you type) gives exactly what the SQL of StaffQuery gives, on SQLite
and, when a test server is set, on PostgreSQL (issue 10 item 1)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import Person
from remoteedu_desktop.services import bulk, offices
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.staff_query import StaffFilter, StaffQuery
from remoteedu_desktop.services.staff_search import SearchIndex, build_search_index

TODAY = dt.date(2026, 6, 30)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙曾"
GIVEN = "伟芳娜秀英敏静丽强磊喆堃玥"


@pytest.fixture(scope="module")
def crowd(module_database_url: str) -> Iterator[Database]:
    """400 people: Chinese and Latin names, phones with dashes or none, ID numbers ending in X, some who
    left and some deleted."""
    db = open_database(module_database_url)
    rng = random.Random(7)
    rows = []
    seq = 0
    while len(rows) < 400:
        seq += 1
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15000))
        first17 = f"360499{birth:%Y%m%d}{seq % 1000:03d}"
        number = first17 + check_digit(first17)
        if len(rows) < 40 and not number.endswith("X"):
            continue  # the first 40 all end in X
        k = len(rows)
        name = ("Anna Lee" if k % 97 == 0 else rng.choice(SURNAMES) + rng.choice(GIVEN)
                + (rng.choice(GIVEN) if k % 3 else ""))
        phone = None if k % 11 == 0 else (f"0791-{rng.randrange(10**7):07d}" if k % 7 == 0
                                          else f"1{rng.choice('3589')}{rng.randrange(10**9):09d}")
        rows.append({"name": name, "id_number": number, "phone": phone})
    with db.session() as s:
        offices.init_office(s, level="county", code="360499", name="青山县")
        ids = bulk.add_people(s, rows, today=TODAY).ids
        s.execute(update(Person).where(Person.id.in_(ids[::13])).values(left_on=dt.date(2026, 3, 1)))
        s.execute(update(Person).where(Person.id.in_(ids[5::29])).values(deleted=True))
    yield db
    db.dispose()


TERMS = ["z", "zh", "w", "wang", "q", "an", "anna", "a", "lee", "王", "张喆", "喆", "玥 z", "z 138", "138", "0791",
         "-123", "123", "0000", "000", "12", "1", "x", "9x", "19x", "3x", "99 x", "李 王", "王 w", "王 l",
         "Ｚ", "１３８", "  z  ", "%", "_", "\\", "w%", "王_", "00x 王", "9999999999"]


@pytest.mark.parametrize("status", ["active", "left", "all"])
def test_the_index_matches_what_the_sql_query_matches(crowd: Database, status: str) -> None:
    with crowd.session() as s:
        index = build_search_index(s)
        for sort in ("name", "age", "unit"):
            base = StaffQuery(StaffFilter(status=status), sort, today=TODAY).ids(s)  # type: ignore[arg-type]
            for text in TERMS:
                expected = StaffQuery(StaffFilter(text=text, status=status), sort, today=TODAY).ids(s)  # type: ignore[arg-type]
                assert index.filter(base, text) == expected, (status, sort, text)


def test_random_terms_agree_with_sql(crowd: Database) -> None:
    rng = random.Random(11)
    with crowd.session() as s:
        index = build_search_index(s)
        base = StaffQuery(StaffFilter(status="all"), today=TODAY).ids(s)
        some = [t for t in (_random_term(rng, s) for _ in range(150)) if t]
        matched_any = 0
        for text in some:
            expected = StaffQuery(StaffFilter(text=text, status="all"), today=TODAY).ids(s)
            matched_any += bool(expected)
            assert index.filter(base, text) == expected, text
        assert matched_any > 50  # the random terms are taken from real data: most find someone


def _random_term(rng: random.Random, s: Session) -> str:
    name, initials, phone, number = s.execute(
        Person.__table__.select().with_only_columns(Person.name, Person.name_initials, Person.phone,
                                                    Person.id_number)
        .order_by(Person.id).offset(rng.randrange(400)).limit(1)).one()
    kind = rng.randrange(4)
    if kind == 0:
        return name[rng.randrange(len(name)):][:2]
    if kind == 1:
        return (initials or "")[:rng.randint(1, 3)]
    if kind == 2 and phone:
        start = rng.randrange(max(1, len(phone) - 3))
        return phone[start:start + rng.randint(3, 5)]
    return number[-rng.randint(3, 6):].lower()


def test_no_term_keeps_the_list_and_an_unmatched_term_empties_it() -> None:
    index = SearchIndex([("a", "张三", "zs", "13800138000", "36049919700301011X")])
    assert index.matching("") is None and index.matching("1 13") is None  # digit terms under 3 do not apply
    assert index.filter(["a"], "13") == ["a"]
    assert index.filter(["a"], "李") == []
    assert index.filter(["a"], "011x") == ["a"] and index.filter(["a"], "z 138") == ["a"]
    assert len(index) == 1


def test_an_empty_database_matches_nobody() -> None:
    index = SearchIndex([])
    assert len(index) == 0 and index.matching("z") == set() and index.filter([], "138") == []
