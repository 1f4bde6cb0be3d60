"""The staff archive (R10): ID numbers checked, birth date and gender derived, every change audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import AuditLog, Person
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import offices, people
from remoteedu_desktop.services.people import PersonInput

State = Callable[[], dict[str, int]]
Refused = Callable[..., None]
TODAY = dt.date(2026, 6, 30)

VALID = "11010519491231002X"  # the public example: 1949-12-31, female
BAD_CHECK = "360426199101010072"  # check digit should be 1
OLD_15 = "370802940221002"  # upgrades to 370802199402210029


def _add(db: Database, data: PersonInput) -> people.PersonInfo:
    with db.session() as s:
        return people.add_person(s, data, today=TODAY)


def _stored(db: Database, person_id: str) -> Person:
    with db.session() as s:
        row = s.get(Person, person_id)
        assert row is not None
        return row


# --- ID numbers (R10) ------------------------------------------------------------------------------

def test_valid_id_number_derives_birth_date_and_gender(db: Database, office: offices.OfficeInfo) -> None:
    info = _add(db, PersonInput(name="王秀英", id_number=VALID, ethnicity="01", political_status="01",
                                education="21", phone="13807910001", source_category="VIL_COMMITTEE"))
    assert (info.name, info.gender, info.birth_date) == ("王秀英", "2", dt.date(1949, 12, 31))
    assert info.id_number_masked == "110105********002X"
    row = _stored(db, info.id)
    assert row.id_number == VALID and row.gender == "2" and row.birth_date == dt.date(1949, 12, 31)
    assert (row.ethnicity, row.political_status, row.education) == ("01", "01", "21")
    assert row.name_initials and row.origin == "360499100" and row.row_version == 1 and row.deleted is False


def test_invalid_check_digit_refused(db: Database, office: offices.OfficeInfo, state: State,
                                     refused: Refused) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name="刘洋", id_number=BAD_CHECK))
    refused(exc.value, field="身份证号码", says="校验码应为 1")
    assert state() == before


def test_old_15_digit_number_is_upgraded(db: Database, office: offices.OfficeInfo) -> None:
    info = _add(db, PersonInput(name="赵敏", id_number=OLD_15))
    assert (info.gender, info.birth_date) == ("2", dt.date(1994, 2, 21))
    assert _stored(db, info.id).id_number == "370802199402210029"


def test_lowercase_x_and_spaces_are_normalised(db: Database, office: offices.OfficeInfo) -> None:
    info = _add(db, PersonInput(name="王秀英", id_number=" 110105 19491231 002x "))
    assert _stored(db, info.id).id_number == VALID


@pytest.mark.parametrize(("raw", "says"), [
    ("", "不能为空"),
    ("11010519491231002", "17 位"),
    ("1101051949123100AX", "第17位"),
    ("99010519491231002X", "省级"),
    ("110105194902300021", "不是有效日期"),
    ("110105203001010011", "晚于今天"),
])
def test_malformed_id_numbers_refused(db: Database, office: offices.OfficeInfo, state: State, refused: Refused,
                                      raw: str, says: str) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name="刘洋", id_number=raw))
    refused(exc.value, field="身份证号码", says=says)
    assert state() == before


def test_entered_birth_date_and_gender_must_match_the_id_number(db: Database, office: offices.OfficeInfo,
                                                                state: State, refused: Refused) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name="王秀英", id_number=VALID, birth_date=dt.date(1949, 12, 30)))
    refused(exc.value, field="出生日期", says="1949-12-31")
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name="王秀英", id_number=VALID, gender="1"))
    refused(exc.value, field="性别", says="不一致")
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name="王秀英", id_number=VALID, gender="女"))  # a label, not a code
    refused(exc.value, field="性别")
    assert state() == before
    info = _add(db, PersonInput(name="王秀英", id_number=VALID, birth_date=dt.date(1949, 12, 31), gender="2"))
    assert (info.gender, info.birth_date) == ("2", dt.date(1949, 12, 31))


@pytest.mark.parametrize("again", [VALID, "11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ"])
def test_duplicate_id_number_refused(db: Database, office: offices.OfficeInfo, state: State, refused: Refused,
                                     again: str) -> None:
    _add(db, PersonInput(name="王秀英", id_number=VALID))
    before = state()
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name="王淑英", id_number=again))
    refused(exc.value, field="身份证号码", says="王秀英")
    assert VALID not in exc.value.text(), "the number is shown masked"
    assert state() == before


def test_duplicate_entered_in_15_digit_form_refused(db: Database, office: offices.OfficeInfo, state: State,
                                                    refused: Refused) -> None:
    _add(db, PersonInput(name="赵敏", id_number="370802199402210029"))
    before = state()
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name="赵明", id_number=OLD_15))
    refused(exc.value, field="身份证号码", says="赵敏")
    assert state() == before


# --- codes, phone, name ----------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "field"), [("ethnicity", "民族"), ("political_status", "政治面貌"),
                                            ("education", "学历"), ("source_category", "人员来源")])
def test_unknown_codes_refused_naming_the_field(db: Database, office: offices.OfficeInfo, state: State,
                                                refused: Refused, key: str, field: str) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name="王秀英", id_number=VALID, **{key: "ZZ"}))
    refused(exc.value, field=field, says="ZZ")
    assert state() == before


@pytest.mark.parametrize("phone", ["电话", "12", "138-0791-000a", "1" * 21])
def test_bad_phone_refused(db: Database, office: offices.OfficeInfo, state: State, refused: Refused,
                           phone: str) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name="王秀英", id_number=VALID, phone=phone))
    refused(exc.value, field="联系电话")
    assert state() == before


@pytest.mark.parametrize("phone", ["13807910001", "0791-8888 1234", "+86 (791) 88881234"])
def test_good_phone_accepted(db: Database, office: offices.OfficeInfo, phone: str) -> None:
    info = _add(db, PersonInput(name="王秀英", id_number=VALID, phone=f" {phone} "))
    assert _stored(db, info.id).phone == phone


@pytest.mark.parametrize(("name", "says"), [("  ", "不能为空"), ("王2", "数字"), ("王" * 51, "50")])
def test_bad_name_refused(db: Database, office: offices.OfficeInfo, state: State, refused: Refused,
                          name: str, says: str) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc:
        _add(db, PersonInput(name=name, id_number=VALID))
    refused(exc.value, field="姓名", says=says)
    assert state() == before


# --- corrections (R10: audited) --------------------------------------------------------------------

def _audit(db: Database, record_id: str) -> list[tuple[str, str | None, str | None, str | None]]:
    with db.session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.table_name == "person", AuditLog.record_id == record_id)
                         .order_by(AuditLog.id)).all()
        return [(r.action, r.field, r.old_value, r.new_value) for r in rows]


def test_update_person_is_audited_field_by_field(db: Database, office: offices.OfficeInfo) -> None:
    info = _add(db, PersonInput(name="王秀英", id_number=VALID, phone="13807910001", employer="龙潭镇政府"))
    with db.session() as s:
        people.update_person(s, info.id, phone="13907910002", employer="龙潭镇党委", today=TODAY)
    row = _stored(db, info.id)
    assert (row.phone, row.employer, row.row_version) == ("13907910002", "龙潭镇党委", 2)
    log = _audit(db, info.id)
    assert log[0][0] == "insert" and VALID in (log[0][3] or "")
    assert sorted(log[1:]) == [("update", "employer", "龙潭镇政府", "龙潭镇党委"),
                               ("update", "phone", "13807910001", "13907910002")]
    with db.session() as s:
        entry = s.scalar(select(AuditLog).where(AuditLog.field == "phone"))
        assert entry is not None and entry.account == "clerk1" and entry.office == "360499100"


def test_update_id_number_brings_its_own_birth_date_and_gender(db: Database, office: offices.OfficeInfo,
                                                               make_id: Callable[..., str]) -> None:
    info = _add(db, PersonInput(name="王秀英", id_number=VALID))
    corrected = make_id(dt.date(1950, 1, 2), 11)  # a man born 1950-01-02
    with db.session() as s:
        updated = people.update_person(s, info.id, id_number=corrected, today=TODAY)
    assert (updated.gender, updated.birth_date) == ("1", dt.date(1950, 1, 2))
    changes = {f: (old, new) for action, f, old, new in _audit(db, info.id) if action == "update"}
    assert changes == {"id_number": (VALID, corrected), "gender": ("2", "1"),
                       "birth_date": ("1949-12-31", "1950-01-02")}


def test_update_person_revalidates(db: Database, office: offices.OfficeInfo, state: State, refused: Refused,
                                   make_id: Callable[..., str]) -> None:
    info = _add(db, PersonInput(name="王秀英", id_number=VALID, phone="13807910001"))
    other = _add(db, PersonInput(name="赵敏", id_number=OLD_15))
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        people.update_person(s, info.id, phone="电话", today=TODAY)
    refused(exc.value, field="联系电话")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        people.update_person(s, info.id, id_number=BAD_CHECK, today=TODAY)
    refused(exc.value, field="身份证号码")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        people.update_person(s, info.id, gender="1", today=TODAY)
    refused(exc.value, field="性别")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        people.update_person(s, info.id, ethnicity="99x", today=TODAY)
    refused(exc.value, field="民族")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        people.update_person(s, other.id, id_number="11010519491231002x", today=TODAY)
    refused(exc.value, field="身份证号码", says="王秀英")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        people.update_person(s, info.id, shoe_size="42", today=TODAY)
    refused(exc.value, field="人员")
    assert state() == before
    row = _stored(db, info.id)
    assert (row.phone, row.gender, row.row_version) == ("13807910001", "2", 1)
    # Re-saving a person's own number (even in another form) is not a duplicate.
    with db.session() as s:
        people.update_person(s, other.id, id_number=OLD_15, today=TODAY)
    assert state() == before, "an unchanged value writes nothing"


def test_unknown_person_refused(db: Database, office: offices.OfficeInfo, refused: Refused) -> None:
    with pytest.raises(ValidationError) as exc, db.session() as s:
        people.update_person(s, "no-such-id", phone="13807910001")
    refused(exc.value, field="人员", says="找不到")


def test_hard_delete_refused_tombstone_instead(db: Database, office: offices.OfficeInfo, state: State,
                                               refused: Refused) -> None:
    info = _add(db, PersonInput(name="王秀英", id_number=VALID))
    before = state()
    with pytest.raises(RuntimeError, match="R1"), db.session() as s:
        s.delete(s.get(Person, info.id))
    assert state() == before
    with db.session() as s:
        row = s.get(Person, info.id)
        assert row is not None
        row.deleted = True  # the tombstone travels to the other office
    row = _stored(db, info.id)
    assert row.deleted is True and row.row_version == 2
    with pytest.raises(ValidationError) as exc, db.session() as s:
        people.get_person(s, info.id)
    refused(exc.value, field="人员", says="找不到")
