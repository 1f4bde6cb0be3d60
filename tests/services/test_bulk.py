"""The bulk write path: a whole batch is checked first, then lands at once or not at all."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import (
    Attendance,
    AuditLog,
    LocalOffice,
    Person,
    Post,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import bulk, offices, people, posts, units
from remoteedu_desktop.services.id_number import parse_id_number

State = Callable[[], dict[str, int]]
Refused = Callable[..., None]
NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]
TODAY = dt.date(2026, 6, 30)
START = dt.date(2025, 1, 2)
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静丽强磊军洋"


def _rows(make_id: Callable[..., str], count: int, *, first_seq: int = 1) -> list[dict[str, Any]]:
    """*count* valid people: alternately men (odd sequence) and women, born on different days."""
    return [{"name": SURNAMES[n % 10] + GIVEN[n // 10 % 10] + GIVEN[n % 7], "id_number": make_id(dt.date(1970, 1, 1) + dt.timedelta(days=97 * n), first_seq + n),
             "ethnicity": "01", "political_status": "01" if n % 2 else "13", "education": "31",
             "phone": f"1380791{n:04d}", "employer": "石桥村委会", "job_title": "村委委员",
             "source_category": "VIL_COMMITTEE"} for n in range(count)]


def _bulk_audit(db: Database, table: str) -> list[str | None]:
    with db.session() as s:
        return list(s.scalars(select(AuditLog.new_value).where(AuditLog.action == "bulk_insert",
                                                               AuditLog.table_name == table)))


# --- people ----------------------------------------------------------------------------------------

def test_add_people_inserts_readable_rows(db: Database, office: offices.OfficeInfo,
                                          make_id: Callable[..., str]) -> None:
    rows = _rows(make_id, 60)
    rows[1]["id_number"] = rows[1]["id_number"].lower()  # an x is upper-cased, if there is one
    rows[2] = {"name": "赵敏", "id_number": "370802940221002"}  # 15 digits, nothing else
    with db.session() as s:
        result = bulk.add_people(s, rows, today=TODAY)
    assert (result.table, result.count, len(result.ids), len(set(result.ids))) == ("person", 60, 60, 60)
    with db.session() as s:
        office_row = s.get(LocalOffice, 1)
        assert office_row is not None
        stored = {p.id: p for p in s.scalars(select(Person))}
    assert set(stored) == set(result.ids)
    for person_id, data in zip(result.ids, rows, strict=True):
        p = stored[person_id]
        info = parse_id_number(data["id_number"], today=TODAY)
        assert p.id_number == info.number and p.name == data["name"]
        assert type(p.birth_date) is dt.date and p.birth_date == info.birth_date
        assert p.gender == info.gender
        assert p.deleted is False and p.row_version == 1
        assert isinstance(p.updated_at, dt.datetime)
        assert (p.origin, p.changed_by, p.change_seq) == ("360499100", "360499100", office_row.change_counter)
        assert p.name_initials
        for key in ("ethnicity", "political_status", "education", "phone", "employer", "source_category"):
            assert getattr(p, key) == data.get(key)
        assert p.left_on is None
    assert stored[result.ids[2]].id_number == "370802199402210029"
    assert {p.gender for p in stored.values()} == {"1", "2"}
    # Rows written in bulk behave like any other row afterwards.
    with db.session() as s:
        people.update_person(s, result.ids[0], phone="13900000000", today=TODAY)
    with db.session() as s:
        again = s.get(Person, result.ids[0])
        assert again is not None and again.row_version == 2 and again.change_seq > office_row.change_counter


def test_one_audit_row_per_batch(db: Database, office: offices.OfficeInfo, make_id: Callable[..., str]) -> None:
    with db.session() as s:
        bulk.add_people(s, _rows(make_id, 25), today=TODAY)
    with db.session() as s:
        bulk.add_people(s, _rows(make_id, 5, first_seq=100), today=TODAY)
        bulk.add_people(s, [], today=TODAY)  # an empty batch writes nothing at all
    assert _bulk_audit(db, "person") == ["25 行 人员", "5 行 人员"]
    with db.session() as s:
        per_row = s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.table_name == "person",
                                                                           AuditLog.action != "bulk_insert"))
        entry = s.scalar(select(AuditLog).where(AuditLog.action == "bulk_insert"))
    assert per_row == 0
    assert entry is not None and (entry.account, entry.office, entry.record_id) == ("clerk1", "360499100", None)


def test_bad_id_on_row_37_refuses_the_whole_batch(db: Database, office: offices.OfficeInfo, state: State,
                                                  refused: Refused, make_id: Callable[..., str]) -> None:
    rows = _rows(make_id, 50)
    good = rows[36]["id_number"]
    rows[36]["id_number"] = good[:17] + ("0" if good[17] != "0" else "1")  # a wrong check character
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.add_people(s, rows, today=TODAY)
    refused(exc.value, field="身份证号码", says="校验码")
    assert exc.value.where == "第 37 行"
    assert exc.value.text().startswith("第 37 行：【身份证号码】")
    assert state() == before
    rows[36]["id_number"] = good
    with db.session() as s:
        assert bulk.add_people(s, rows, where="花名册.xlsx 人员表 ", today=TODAY).count == 50


def test_where_names_the_file_and_sheet(db: Database, office: offices.OfficeInfo, state: State, refused: Refused,
                                        make_id: Callable[..., str]) -> None:
    rows = _rows(make_id, 5)
    rows[3]["name"] = "  "
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.add_people(s, rows, where="花名册.xlsx 人员表 ", today=TODAY)
    refused(exc.value, field="姓名", says="不能为空")
    assert exc.value.where == "花名册.xlsx 人员表 第 4 行"
    assert state() == before


@pytest.mark.parametrize(("key", "field"), [("ethnicity", "民族"), ("political_status", "政治面貌"),
                                            ("education", "学历"), ("source_category", "人员来源")])
def test_unknown_code_refuses_the_batch(db: Database, office: offices.OfficeInfo, state: State, refused: Refused,
                                        make_id: Callable[..., str], key: str, field: str) -> None:
    rows = _rows(make_id, 10)
    rows[6][key] = "ZZ"
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.add_people(s, rows, today=TODAY)
    refused(exc.value, field=field, says="ZZ")
    assert exc.value.where == "第 7 行"
    assert state() == before


def test_duplicate_within_the_batch_names_both_rows(db: Database, office: offices.OfficeInfo, state: State,
                                                    refused: Refused, make_id: Callable[..., str]) -> None:
    rows = _rows(make_id, 20)
    rows[4] = {"name": "赵敏", "id_number": "370802199402210029"}
    rows[11] = {"name": "赵明", "id_number": "370802940221002"}  # the same number in its old 15-digit form
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.add_people(s, rows, today=TODAY)
    refused(exc.value, field="身份证号码", says="第 5 行")
    assert exc.value.where == "第 12 行"
    assert state() == before


def test_duplicate_against_the_database_refused(db: Database, office: offices.OfficeInfo, state: State,
                                                refused: Refused, make_id: Callable[..., str]) -> None:
    with db.session() as s:
        people.add_person(s, people.PersonInput(name="王秀英", id_number="11010519491231002X"), today=TODAY)
    rows = _rows(make_id, 8)
    rows[2] = {"name": "王淑英", "id_number": "11010519491231002x"}
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.add_people(s, rows, today=TODAY)
    refused(exc.value, field="身份证号码", says="已登记")
    assert exc.value.where == "第 3 行"
    assert "11010519491231002X" not in exc.value.text(), "the number is shown masked"
    assert state() == before


def test_duplicate_against_the_database_names_the_registered_person(db: Database, office: offices.OfficeInfo,
                                                                    make_id: Callable[..., str]) -> None:
    with db.session() as s:
        people.add_person(s, people.PersonInput(name="王秀英", id_number="11010519491231002X"), today=TODAY)
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.add_people(s, [{"name": "王淑英", "id_number": "11010519491231002X"}], today=TODAY)
    assert "王秀英" in exc.value.text()


@pytest.mark.parametrize(("key", "value", "field"), [("phone", "电话", "联系电话"), ("name", "王2", "姓名")])
def test_add_people_checks_fields_like_add_person(db: Database, office: offices.OfficeInfo, state: State,
                                                  refused: Refused, make_id: Callable[..., str],
                                                  key: str, value: str, field: str) -> None:
    rows = _rows(make_id, 3)
    rows[1][key] = value
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.add_people(s, rows, today=TODAY)
    refused(exc.value, field=field)
    assert exc.value.where == "第 2 行"
    assert state() == before


# --- posts (R3) ------------------------------------------------------------------------------------

def _post(person: people.PersonInfo, unit_id: str, slot: str | None = "A", role: str = "village_manager",
          **extra: Any) -> dict[str, Any]:
    return {"person_id": person.id, "unit_id": unit_id, "role": role, "slot": slot, "start_date": START, **extra}


def test_assign_posts_inserts_a_valid_batch(db: Database, township_id: str, new_village: NewVillage,
                                            new_person: NewPerson) -> None:
    v1, v2 = new_village(), new_village()
    p = [new_person() for _ in range(5)]
    batch = [_post(p[0], v1.id, "A"), _post(p[1], v1.id, "B"), _post(p[0], v2.id, "B"),
             _post(p[2], v2.id, "A", tenure="full_time", start_reason="换届"),
             _post(p[3], township_id, None, "township_manager")]
    with db.session() as s:
        result = bulk.assign_posts(s, batch)
    assert result.count == 5
    with db.session() as s:
        stored = {r.id: r for r in s.scalars(select(Post))}
        assert {slot: pid for slot, pid in
                ((x.slot, x.person_id) for x in posts.open_posts(s, unit_id=v2.id))} == {"A": p[2].id, "B": p[0].id}
    rows = [stored[i] for i in result.ids]
    assert [(r.slot, r.tenure, r.start_reason) for r in rows] == [
        ("A", "part_time", "新任"), ("B", "part_time", "新任"), ("B", "part_time", "新任"),
        ("A", "full_time", "换届"), (None, "part_time", "新任")]
    assert all(type(r.start_date) is dt.date and r.start_date == START and r.end_date is None for r in rows)
    assert all(r.deleted is False and r.row_version == 1 and r.origin == "360499100" for r in rows)
    assert _bulk_audit(db, "post") == ["5 行 岗位"]


def test_assign_posts_refuses_a_slot_taken_within_the_batch(db: Database, new_village: NewVillage,
                                                            new_person: NewPerson, state: State,
                                                            refused: Refused) -> None:
    v1, v2 = new_village(), new_village()
    p = [new_person() for _ in range(3)]
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.assign_posts(s, [_post(p[0], v1.id, "A"), _post(p[1], v2.id, "A"), _post(p[2], v1.id, "A")])
    refused(exc.value, field="岗位", rule="R3", says="A岗已有人在岗")
    assert exc.value.where == "第 3 行"
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.assign_posts(s, [_post(p[0], v1.id, "B"), _post(p[0], v1.id, "A")], where="岗位表 ")
    refused(exc.value, field="岗位", rule="R3", says="同一人")
    assert exc.value.where == "岗位表 第 2 行"
    assert state() == before


def test_assign_posts_refuses_a_slot_taken_in_the_database(db: Database, new_village: NewVillage,
                                                           new_person: NewPerson, state: State,
                                                           refused: Refused) -> None:
    village, ended_village = new_village(), new_village()
    holder, other, newcomer = new_person(), new_person(), new_person()
    with db.session() as s:
        posts.assign_post(s, person_id=holder.id, unit_id=village.id, role="village_manager", slot="A",
                          start_date=START, today=TODAY)
        old = posts.assign_post(s, person_id=holder.id, unit_id=ended_village.id, role="village_manager",
                                slot="B", start_date=START, today=TODAY)
        posts.end_post(s, old.id, end_date=dt.date(2026, 1, 1), reason="辞职", today=TODAY)
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.assign_posts(s, [_post(other, village.id, "B"), _post(newcomer, village.id, "A")])
    refused(exc.value, field="岗位", rule="R3")
    assert exc.value.where == "第 2 行"
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.assign_posts(s, [_post(holder, village.id, "B")])
    refused(exc.value, field="岗位", rule="R3", says="同一人")
    assert state() == before
    # An ended post frees its slot.
    with db.session() as s:
        assert bulk.assign_posts(s, [_post(newcomer, ended_village.id, "B"), _post(other, village.id, "B")]).count == 2


def test_assign_posts_refuses_bad_roles_units_and_slots(db: Database, township_id: str, new_village: NewVillage,
                                                        new_person: NewPerson, state: State,
                                                        refused: Refused) -> None:
    village, person = new_village(), new_person()
    with db.session() as s:
        closed = units.add_unit(s, kind="village", name="撤并村", parent_id=township_id, code="360499100299")
        units.deactivate_unit(s, closed.id, reason="合村并组")
    cases = [
        (_post(person, village.id, "A", role="mayor"), "职务类别", None),
        (_post(person, township_id, "A"), "任职单位", "R3"),
        (_post(person, closed.id, "A"), "任职单位", "R3"),
        (_post(person, village.id, None), "岗位", "R3"),
        (_post(person, village.id, "C"), "岗位", "R3"),
        (_post(person, township_id, "A", role="township_manager"), "岗位", "R3"),
    ]
    before = state()
    for row, field, rule in cases:
        with pytest.raises(ValidationError) as exc, db.session() as s:
            bulk.assign_posts(s, [row])
        refused(exc.value, field=field, rule=rule)
        assert exc.value.where == "第 1 行"
    assert state() == before


# --- attendance (R8) -------------------------------------------------------------------------------

def _training_session(db: Database, township_id: str) -> str:
    with db.session() as s:
        plan = TrainingPlan(title="2026年村站点管理员培训", year=2026, organizer_level="township",
                            organizer_unit_id=township_id, target_role="village_manager", target_level="village",
                            topics=0b0110000, kind="regular", mode="lecture", planned_hours=4.0)
        s.add(plan)
        s.flush()
        sitting = TrainingSession(plan_id=plan.id, date=dt.date(2026, 5, 20), hours=4.0, place="龙潭镇政府会议室")
        s.add(sitting)
    return sitting.id


def test_record_attendance(db: Database, township_id: str, new_person: NewPerson) -> None:
    session_id = _training_session(db, township_id)
    p = [new_person() for _ in range(4)]
    rows = [(session_id, p[0].id, True, 4.0), (session_id, p[1].id, True, 2.5), (session_id, p[2].id, False, 0.0),
            (session_id, p[3].id, True, 24.0)]
    with db.session() as s:
        result = bulk.record_attendance(s, rows)
    assert result.count == 4
    with db.session() as s:
        stored = {a.person_id: a for a in s.scalars(select(Attendance))}
    assert {pid: (a.present, a.hours) for pid, a in stored.items()} == {
        p[0].id: (True, 4.0), p[1].id: (True, 2.5), p[2].id: (False, 0.0), p[3].id: (True, 24.0)}
    assert all(a.session_id == session_id and a.deleted is False and a.origin == "360499100"
               for a in stored.values())
    assert _bulk_audit(db, "attendance") == ["4 行 考勤"]


@pytest.mark.parametrize(("present", "hours"), [(True, 24.5), (True, -1.0), (False, 2.0), (True, float("nan"))])
def test_record_attendance_refuses_bad_hours(db: Database, township_id: str, new_person: NewPerson, state: State,
                                             refused: Refused, present: bool, hours: float) -> None:
    session_id = _training_session(db, township_id)
    p = [new_person() for _ in range(3)]
    rows = [(session_id, p[0].id, True, 4.0), (session_id, p[1].id, True, 4.0), (session_id, p[2].id, present, hours)]
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        bulk.record_attendance(s, rows)
    refused(exc.value, field="学时", rule="R8", says="无效")
    assert exc.value.where == "第 3 行"
    assert state() == before


def test_record_attendance_repeat_rolls_back_the_batch(db: Database, township_id: str, new_person: NewPerson,
                                                       state: State) -> None:
    session_id = _training_session(db, township_id)
    person, other = new_person(), new_person()
    before = state()
    with pytest.raises((sqlite3.IntegrityError, IntegrityError)), db.session() as s:  # SQLite's fast path or Core
        bulk.record_attendance(s, [(session_id, other.id, True, 4.0), (session_id, person.id, True, 4.0),
                                   (session_id, person.id, True, 2.0)])
    assert state() == before
