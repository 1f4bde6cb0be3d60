"""Org units (R1): parents by kind, statistical codes, names, deactivation instead of deletion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import OrgUnit
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import offices, people, posts, units

TODAY = dt.date(2026, 6, 30)

State = Callable[[], dict[str, int]]
Refused = Callable[..., None]


def _county_id(db: Database) -> str:
    with db.session() as s:
        county = s.scalar(select(OrgUnit).where(OrgUnit.kind == "county"))
        assert county is not None
        return county.id


# --- parents by kind (R1) --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["village", "enterprise", "township_station"])
def test_site_under_township_accepted(db: Database, township_id: str, kind: str) -> None:
    with db.session() as s:
        info = units.add_unit(s, kind=kind, name="石桥", parent_id=township_id, code="360499100201")
    assert (info.kind, info.parent_id, info.code, info.active) == (kind, township_id, "360499100201", True)
    with db.session() as s:
        row = s.get(OrgUnit, info.id)
        assert row is not None and row.name == "石桥" and row.origin == "360499100"


def test_site_under_county_refused(db: Database, office: offices.OfficeInfo, state: State,
                                   refused: Refused) -> None:
    county_id = _county_id(db)
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="village", name="石桥村", parent_id=county_id, code="360499100201")
    refused(exc.value, field="上级单位", rule="R1", says="青山县")
    assert state() == before


def test_site_without_parent_refused(db: Database, office: offices.OfficeInfo, state: State,
                                     refused: Refused) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="village", name="石桥村")
    refused(exc.value, field="上级单位", rule="R1")
    assert state() == before


def test_township_under_county_accepted_and_under_township_refused(db: Database, township_id: str, state: State,
                                                                   refused: Refused) -> None:
    county_id = _county_id(db)
    with db.session() as s:
        info = units.add_unit(s, kind="township", name="白沙乡", parent_id=county_id, code="360499101")
    assert info.parent_id == county_id
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="township", name="黑石乡", parent_id=township_id, code="360499102")
    refused(exc.value, field="上级单位", rule="R1", says="龙潭镇")
    assert state() == before


def test_county_has_no_parent(db: Database, office: offices.OfficeInfo, state: State, refused: Refused) -> None:
    county_id = _county_id(db)
    with db.session() as s:
        info = units.add_unit(s, kind="county", name="绿水县", code="360500")
    assert info.parent_id is None
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="county", name="红土县", parent_id=county_id, code="360501")
    refused(exc.value, field="上级单位", rule="R1")
    assert state() == before


def test_unknown_kind_refused(db: Database, township_id: str, state: State, refused: Refused) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="school", name="中心小学", parent_id=township_id)
    refused(exc.value, field="单位类型")
    assert state() == before


# --- codes (R1) ------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["360499100", "3604991002011", "36049910020A", "36049910020"])
def test_village_code_must_have_12_digits(db: Database, township_id: str, state: State, refused: Refused,
                                          code: str) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="village", name="石桥村", parent_id=township_id, code=code)
    refused(exc.value, field="统计代码", says="12 位数字")
    assert state() == before


def test_township_code_must_have_9_digits(db: Database, office: offices.OfficeInfo, state: State,
                                          refused: Refused) -> None:
    county_id = _county_id(db)
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="township", name="白沙乡", parent_id=county_id, code="3604991")
    refused(exc.value, field="统计代码", says="9 位数字")
    assert state() == before


def test_code_may_be_left_empty(db: Database, township_id: str) -> None:
    with db.session() as s:
        info = units.add_unit(s, kind="enterprise", name="青山水泥厂", parent_id=township_id, code="  ")
    assert info.code is None


def test_code_must_start_with_the_parent_code(db: Database, township_id: str, state: State,
                                              refused: Refused) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="village", name="石桥村", parent_id=township_id, code="360499101201")
    refused(exc.value, field="统计代码", rule="R1", says="360499100")
    assert state() == before


def test_duplicate_code_refused(db: Database, township_id: str, state: State, refused: Refused) -> None:
    with db.session() as s:
        units.add_unit(s, kind="village", name="石桥村", parent_id=township_id, code="360499100201")
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="village", name="枫树村", parent_id=township_id, code="360499100201")
    refused(exc.value, field="统计代码", rule="R1", says="石桥村")
    assert state() == before


def test_rename_keeps_own_code_but_refuses_anothers(db: Database, township_id: str, state: State,
                                                    refused: Refused) -> None:
    with db.session() as s:
        a = units.add_unit(s, kind="village", name="石桥村", parent_id=township_id, code="360499100201")
        units.add_unit(s, kind="village", name="枫树村", parent_id=township_id, code="360499100202")
    with db.session() as s:
        renamed = units.rename_unit(s, a.id, name="石桥新村", code="360499100201")
    assert (renamed.name, renamed.code) == ("石桥新村", "360499100201")
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.rename_unit(s, a.id, name="石桥村", code="360499100202")
    refused(exc.value, field="统计代码", rule="R1", says="枫树村")
    assert state() == before


# --- names -----------------------------------------------------------------------------------------

def test_duplicate_name_under_the_same_parent_refused(db: Database, township_id: str, state: State,
                                                      refused: Refused) -> None:
    with db.session() as s:
        units.add_unit(s, kind="village", name="石桥村", parent_id=township_id, code="360499100201")
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="village", name=" 石桥村 ", parent_id=township_id, code="360499100202")
    refused(exc.value, field="单位名称", says="石桥村")
    assert state() == before


def test_same_name_under_another_parent_accepted(db: Database, township_id: str) -> None:
    county_id = _county_id(db)
    with db.session() as s:
        other = units.add_unit(s, kind="township", name="白沙乡", parent_id=county_id, code="360499101")
        units.add_unit(s, kind="village", name="石桥村", parent_id=township_id, code="360499100201")
        units.add_unit(s, kind="village", name="石桥村", parent_id=other.id, code="360499101201")
    with db.session() as s:
        assert len(s.scalars(select(OrgUnit).where(OrgUnit.name == "石桥村")).all()) == 2


def test_empty_or_long_name_and_bad_phone_refused(db: Database, township_id: str, state: State,
                                                  refused: Refused) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="village", name="  ", parent_id=township_id)
    refused(exc.value, field="单位名称", says="不能为空")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="village", name="村" * 101, parent_id=township_id)
    refused(exc.value, field="单位名称", says="100")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.add_unit(s, kind="village", name="石桥村", parent_id=township_id, contact_phone="电话号码")
    refused(exc.value, field="联系电话")
    assert state() == before
    with db.session() as s:
        info = units.add_unit(s, kind="village", name="石桥村", parent_id=township_id, contact_phone="0791-1234567")
    assert info.name == "石桥村"


# --- deactivation (R1, R12) ------------------------------------------------------------------------

def test_deactivate_needs_a_reason(db: Database, township_id: str, state: State, refused: Refused,
                                   new_village: Callable[..., units.UnitInfo]) -> None:
    village = new_village("石桥村")
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.deactivate_unit(s, village.id, reason="   ")
    refused(exc.value, field="停用原因", says="不能为空")
    assert state() == before
    with db.session() as s:
        info = units.deactivate_unit(s, village.id, reason="合村并组")
    assert not info.active


def test_deactivated_unit_stays_in_the_database(db: Database, township_id: str,
                                                new_village: Callable[..., units.UnitInfo],
                                                new_person: Callable[..., people.PersonInfo], state: State,
                                                refused: Refused) -> None:
    village = new_village("石桥村")
    with db.session() as s:
        units.deactivate_unit(s, village.id, reason="合村并组")
    with db.session() as s:
        row = s.get(OrgUnit, village.id)
        assert row is not None, "R1: deactivated, never deleted"
        assert row.active is False and row.deleted is False
        assert row.code == "360499100201" and "合村并组" in (row.notes or "")
        assert row.changed_by == "360499100"
    # Deactivating twice is refused.
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.deactivate_unit(s, village.id, reason="再次停用")
    refused(exc.value, field="单位", says="已经停用")
    assert state() == before
    # A deactivated unit takes no new posts.
    person = new_person(name="王五")
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        posts.assign_post(s, person_id=person.id, unit_id=village.id, role="village_manager", slot="A",
                          start_date=TODAY, today=TODAY)
    refused(exc.value, field="任职单位", rule="R1", says="已停用")
    assert state() == before


def test_deactivate_refused_while_posts_are_open(db: Database, new_village: Callable[..., units.UnitInfo],
                                                 new_person: Callable[..., people.PersonInfo], state: State,
                                                 refused: Refused) -> None:
    village = new_village("石桥村")
    person = new_person(name="王五")
    with db.session() as s:
        post = posts.assign_post(s, person_id=person.id, unit_id=village.id, role="village_manager",
                                 slot="A", start_date=TODAY, today=TODAY)
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.deactivate_unit(s, village.id, reason="合村并组")
    refused(exc.value, field="单位", rule="R12", says="1 个在岗岗位")
    assert state() == before
    with db.session() as s:
        posts.end_post(s, post.id, end_date=TODAY, reason="合村并组", today=TODAY)
        info = units.deactivate_unit(s, village.id, reason="合村并组")
    assert not info.active


def test_deactivate_refused_while_active_children_exist(db: Database, township_id: str,
                                                        new_village: Callable[..., units.UnitInfo],
                                                        state: State, refused: Refused) -> None:
    county_id = _county_id(db)
    with db.session() as s:
        other = units.add_unit(s, kind="township", name="白沙乡", parent_id=county_id, code="360499101")
    village = new_village("石桥村", parent_id=other.id, code="360499101201")
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.deactivate_unit(s, other.id, reason="撤乡并镇")
    refused(exc.value, field="单位", says="1 个启用的下级单位")
    assert state() == before
    with db.session() as s:
        units.deactivate_unit(s, village.id, reason="撤乡并镇")
        info = units.deactivate_unit(s, other.id, reason="撤乡并镇")
    assert not info.active
    with db.session() as s:
        assert s.get(OrgUnit, other.id) is not None and s.get(OrgUnit, village.id) is not None


def test_hard_delete_of_a_unit_refused(db: Database, new_village: Callable[..., units.UnitInfo],
                                       state: State) -> None:
    village = new_village("石桥村")
    before = state()
    with pytest.raises(RuntimeError, match="R1"), db.session() as s:
        row = s.get(OrgUnit, village.id)
        s.delete(row)
        s.flush()
    assert state() == before


def test_update_unit_corrects_contact_but_keeps_kind_and_parent(db: Database, office: offices.OfficeInfo) -> None:
    township = office.unit_id
    with db.session() as s:
        site = units.add_unit(s, kind="village", name="杨家村", parent_id=township)
    with db.session() as s:
        info = units.update_unit(s, site.id, name="杨家村", address="杨家村村委会", contact_person="王强",
                                 contact_phone="0792-1234567", notes="新址")
        assert info.kind == "village" and info.parent_id == township
    with db.session() as s:
        unit = units.get_unit(s, site.id)
        assert (unit.address, unit.contact_person, unit.contact_phone) == ("杨家村村委会", "王强", "0792-1234567")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        units.update_unit(s, site.id, name="杨家村", contact_phone="电话")
    assert exc.value.field == "联系电话"
    with db.session() as s:
        assert units.get_unit(s, site.id).contact_phone == "0792-1234567"
