"""Fixtures for the service tests: a real SQLite file (and a PostgreSQL database, issue 10) per test, a township office, people with valid ID numbers.

No mocks: every test goes through ``open_database`` (migrations, stamping, audit log) and counts rows
in a fresh session to prove that a refusal wrote nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import Base, LocalOffice
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import offices, people, units
from remoteedu_desktop.services.id_number import check_digit

#: A fixed "today" for the services that take one (posts, checks), so that the tests do not age.
TODAY = dt.date(2026, 6, 30)

OFFICE_CODE = "360499100"
COUNTY_CODE = "360499"


def make_id_number(birth: dt.date, seq: int, region: str = COUNTY_CODE) -> str:
    """A valid 18-character ID number: region + birth date + 3-digit sequence + MOD 11-2 check.

    An odd sequence is a man, an even one a woman (GB 11643).
    """
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


@pytest.fixture
def db(database_url: Callable[..., str]) -> Iterator[Database]:
    """A database on each backend under test: a SQLite file, and PostgreSQL when a test server is set."""
    database = open_database(database_url(), account="clerk1")
    yield database
    database.dispose()


@pytest.fixture
def office(db: Database) -> offices.OfficeInfo:
    """This installation as the 龙潭镇 township office of 青山县."""
    with db.session() as s:
        return offices.init_office(s, level="township", code=OFFICE_CODE, name="龙潭镇", county_name="青山县")


@pytest.fixture
def township_id(office: offices.OfficeInfo) -> str:
    assert office.unit_id is not None
    return office.unit_id


@pytest.fixture
def make_id() -> Callable[..., str]:
    return make_id_number


@pytest.fixture
def new_person(db: Database) -> Callable[..., people.PersonInfo]:
    """Add a person (in *session*, or in a committed session of its own) with a fresh valid ID number."""
    seqs = itertools.count(1)

    def add(session: Session | None = None, name: str = "张三", *, birth: dt.date = dt.date(1980, 5, 17),
            female: bool = False, **fields: Any) -> people.PersonInfo:
        seq = next(seqs) * 2 + (0 if female else 1)
        data = people.PersonInput(name=name, id_number=make_id_number(birth, seq), **fields)
        if session is not None:
            return people.add_person(session, data, today=TODAY)
        with db.session() as s:
            return people.add_person(s, data, today=TODAY)

    return add


@pytest.fixture
def new_village(db: Database, township_id: str) -> Callable[..., units.UnitInfo]:
    """Add a village site under the office's township, numbered 360499100201, …202, …"""
    numbers = itertools.count(201)

    def add(name: str | None = None, *, parent_id: str | None = None, code: str | None = None) -> units.UnitInfo:
        n = next(numbers)
        with db.session() as s:
            return units.add_unit(s, kind="village", name=name or f"第{n}村", parent_id=parent_id or township_id,
                                  code=code or f"{OFFICE_CODE}{n:03d}")

    return add


def database_state(db: Database) -> dict[str, int]:
    """Row counts of every table and the office's change counter, read in a fresh session."""
    with db.session() as s:
        state = {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}
        office = s.get(LocalOffice, 1)
        state["change_counter"] = office.change_counter if office else -1
    return state


@pytest.fixture
def state(db: Database) -> Callable[[], dict[str, int]]:
    return lambda: database_state(db)


def check_refusal(exc: ValidationError, *, field: str, rule: str | None = None, says: str = "") -> None:
    """The refusal names the field (and the rule where the service sets one) in its Chinese text."""
    assert exc.field == field
    text = exc.text()
    assert f"【{field}】" in text
    assert str(exc) == text
    if rule is not None:
        assert exc.rule == rule
        assert f"规则 {rule}" in text
    if says:
        assert says in exc.message, exc.message


@pytest.fixture
def refused() -> Callable[..., None]:
    return check_refusal
