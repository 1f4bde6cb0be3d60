"""Setting up the installation as a county or township office (R1), and the stamps that follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import LocalOffice, OrgUnit, Person
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import offices, people, units

State = Callable[[], dict[str, int]]


def test_fresh_database_is_not_initialised(db: Database) -> None:
    with db.session() as s:
        info = offices.office_info(s)
    assert not info.initialized
    assert (info.level, info.code, info.unit_id) == (None, "", None)


def test_init_county(db: Database) -> None:
    with db.session() as s:
        info = offices.init_office(s, level="county", code="360499", name="青山县")
    assert info.initialized and (info.level, info.code, info.name) == ("county", "360499", "青山县")
    with db.session() as s:
        stored = offices.office_info(s)
        assert (stored.level, stored.code, stored.name, stored.unit_id) == ("county", "360499", "青山县", info.unit_id)
        all_units = s.scalars(select(OrgUnit)).all()
        assert [(u.kind, u.code, u.name, u.parent_id) for u in all_units] == [("county", "360499", "青山县", None)]
        assert all_units[0].id == info.unit_id
        assert all_units[0].origin == "360499" and all_units[0].changed_by == "360499"


def test_init_township_creates_its_county_parent(db: Database) -> None:
    with db.session() as s:
        info = offices.init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
    assert (info.level, info.code, info.name) == ("township", "360499100", "龙潭镇")
    with db.session() as s:
        township = s.get(OrgUnit, info.unit_id)
        assert township is not None
        assert (township.kind, township.code, township.name) == ("township", "360499100", "龙潭镇")
        county = s.get(OrgUnit, township.parent_id)
        assert county is not None
        assert (county.kind, county.code, county.name, county.parent_id) == ("county", "360499", "青山县", None)
        for unit in (county, township):
            assert unit.origin == "360499100" and unit.changed_by == "360499100"
            assert unit.active and not unit.deleted


def test_init_township_without_county_name_names_the_county_by_code(db: Database) -> None:
    with db.session() as s:
        offices.init_office(s, level="township", code="360499100", name="龙潭镇")
    with db.session() as s:
        county = s.scalar(select(OrgUnit).where(OrgUnit.kind == "county"))
        assert county is not None and county.code == "360499" and "360499" in county.name


@pytest.mark.parametrize(("level", "code"), [
    ("county", "360499100"),  # a township's length for a county
    ("county", "36049"),
    ("township", "360499"),  # a county's length for a township
    ("township", "3604991000"),
    ("township", "36049910A"),
    ("township", "３６０４９９１００"),  # full-width digits are not a statistical code
])
def test_code_length_checked_by_level(db: Database, state: State, refused: Callable[..., None],
                                      level: str, code: str) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        offices.init_office(s, level=level, code=code, name="某单位")
    refused(exc.value, field="单位代码", says="位数字")
    assert state() == before
    with db.session() as s:
        assert not offices.office_info(s).initialized


def test_empty_code_name_and_bad_level_refused(db: Database, state: State, refused: Callable[..., None]) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        offices.init_office(s, level="county", code="  ", name="青山县")
    refused(exc.value, field="单位代码", says="不能为空")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        offices.init_office(s, level="county", code="360499", name=" ")
    refused(exc.value, field="单位名称", says="不能为空")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        offices.init_office(s, level="village", code="360499100201", name="某村")
    refused(exc.value, field="级别")
    assert state() == before


def test_second_init_refused(db: Database, office: offices.OfficeInfo, state: State,
                             refused: Callable[..., None]) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        offices.init_office(s, level="county", code="360400", name="某县")
    refused(exc.value, field="单位", says="龙潭镇")
    assert "360499100" in exc.value.message
    with pytest.raises(ValidationError), db.session() as s:
        offices.init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
    assert state() == before
    with db.session() as s:
        assert offices.office_info(s).code == "360499100"


def test_init_returns_what_is_stored(db: Database) -> None:
    with db.session() as s:
        returned = offices.init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
    with db.session() as s:
        stored = offices.office_info(s)
    assert (returned.level, returned.code, returned.name, returned.unit_id) == \
        (stored.level, stored.code, stored.name, stored.unit_id)


def test_init_returns_the_stored_change_counter(db: Database) -> None:
    with db.session() as s:
        returned = offices.init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
    with db.session() as s:
        stored = offices.office_info(s)
    assert stored.change_counter > 0
    assert returned.change_counter == stored.change_counter


def _counter(db: Database) -> int:
    with db.session() as s:
        office = s.get(LocalOffice, 1)
        assert office is not None
        return office.change_counter


def test_rows_after_init_carry_the_office_code_and_a_growing_counter(db: Database, office: offices.OfficeInfo,
                                                                     make_id: Callable[..., str]) -> None:
    assert office.unit_id is not None
    counters = [_counter(db)]
    seqs = []
    with db.session() as s:
        village = units.add_unit(s, kind="village", name="石桥村", parent_id=office.unit_id, code="360499100201")
    counters.append(_counter(db))
    with db.session() as s:
        unit = s.get(OrgUnit, village.id)
        assert unit is not None
        assert (unit.origin, unit.changed_by) == ("360499100", "360499100")
        seqs.append(unit.change_seq)
        assert unit.change_seq == counters[-1]
    with db.session() as s:
        units.rename_unit(s, village.id, name="石桥村（新）")
    counters.append(_counter(db))
    with db.session() as s:
        unit = s.get(OrgUnit, village.id)
        assert unit is not None and unit.row_version == 2
        seqs.append(unit.change_seq)
    with db.session() as s:
        person = people.add_person(s, people.PersonInput(name="李四", id_number=make_id(dt.date(1985, 3, 9), 11)))
    counters.append(_counter(db))
    with db.session() as s:
        row = s.get(Person, person.id)
        assert row is not None
        assert (row.origin, row.changed_by) == ("360499100", "360499100")
        seqs.append(row.change_seq)

    # A rolled-back change does not move the counter backwards (nor forwards).
    with pytest.raises(ValidationError), db.session() as s:
        units.rename_unit(s, village.id, name="石桥村（又改）")
        raise ValidationError("测试回滚", field="单位")
    counters.append(_counter(db))
    with db.session() as s:
        units.rename_unit(s, village.id, name="石桥村（三改）")
    counters.append(_counter(db))
    with db.session() as s:
        unit = s.get(OrgUnit, village.id)
        assert unit is not None
        seqs.append(unit.change_seq)
        assert unit.origin == "360499100"  # origin never changes

    assert all(b >= a for a, b in zip(counters, counters[1:], strict=False)), counters
    assert counters[4] == counters[3], "a rollback neither advances nor rewinds the counter"
    committed = [c for i, c in enumerate(counters) if i != 4]
    assert all(b > a for a, b in zip(committed, committed[1:], strict=False)), committed
    assert all(b > a for a, b in zip(seqs, seqs[1:], strict=False)), seqs
    assert seqs[-1] == counters[-1]
