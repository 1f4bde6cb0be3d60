"""Posts (R2, R3, R12): A/B slots of village sites, reasons for every change, history kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Person, Post
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, posts, units

State = Callable[[], dict[str, int]]
Refused = Callable[..., None]
NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]
TODAY = dt.date(2026, 6, 30)
START = dt.date(2024, 3, 1)


def _assign(db: Database, person: people.PersonInfo, unit_id: str, role: str = "village_manager",
            slot: str | None = "A", *, start: dt.date = START, reason: str | None = None) -> posts.PostInfo:
    with db.session() as s:
        return posts.assign_post(s, person_id=person.id, unit_id=unit_id, role=role, slot=slot,
                                 start_date=start, reason=reason, today=TODAY)


def _post(db: Database, post_id: str) -> Post:
    with db.session() as s:
        row = s.get(Post, post_id)
        assert row is not None
        return row


def _open_slots(db: Database, unit_id: str) -> dict[str | None, str]:
    with db.session() as s:
        return {p.slot: p.person_id for p in posts.open_posts(s, unit_id=unit_id, role="village_manager")}


# --- roles, units and slots (R2, R3) ---------------------------------------------------------------

def test_village_manager_needs_slot_a_or_b(db: Database, new_village: NewVillage, new_person: NewPerson,
                                           state: State, refused: Refused) -> None:
    village, person = new_village(), new_person()
    before = state()
    for slot in (None, "  ", "C"):
        with pytest.raises(ValidationError) as exc:
            _assign(db, person, village.id, slot=slot)
        refused(exc.value, field="岗位", rule="R3" if slot != "C" else None)
    assert state() == before
    info = _assign(db, person, village.id, slot=" a ")
    assert info.slot == "A" and info.role == "village_manager" and info.end_date is None
    assert _post(db, info.id).origin == "360499100"


def test_other_roles_have_no_slot(db: Database, township_id: str, new_person: NewPerson, state: State,
                                  refused: Refused) -> None:
    person = new_person()
    before = state()
    with pytest.raises(ValidationError) as exc:
        _assign(db, person, township_id, role="township_manager", slot="A")
    refused(exc.value, field="岗位", rule="R3", says="A岗/B岗")
    assert state() == before
    info = _assign(db, person, township_id, role="township_manager", slot=None)
    assert info.slot is None and info.tenure == "part_time"


@pytest.mark.parametrize(("role", "where", "rule"), [
    ("village_manager", "township", "R3"),
    ("township_manager", "village", "R2"),
    ("enterprise_manager", "village", "R2"),
    ("township_tutor", "village", "R2"),
    ("county_tutor", "township", "R2"),
])
def test_role_and_unit_kind_must_match(db: Database, township_id: str, new_village: NewVillage,
                                       new_person: NewPerson, state: State, refused: Refused,
                                       role: str, where: str, rule: str) -> None:
    unit_id = township_id if where == "township" else new_village("石桥村").id
    person = new_person()
    before = state()
    with pytest.raises(ValidationError) as exc:
        _assign(db, person, unit_id, role=role, slot="A" if role == "village_manager" else None)
    refused(exc.value, field="任职单位", rule=rule)
    assert state() == before


def test_unknown_role_or_tenure_refused(db: Database, township_id: str, new_person: NewPerson, state: State,
                                        refused: Refused) -> None:
    person = new_person()
    before = state()
    with pytest.raises(ValidationError) as exc:
        _assign(db, person, township_id, role="mayor", slot=None)
    refused(exc.value, field="职务类别")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        posts.assign_post(s, person_id=person.id, unit_id=township_id, role="township_manager",
                          tenure="sometimes", start_date=START, today=TODAY)
    refused(exc.value, field="专兼职")
    assert state() == before


def test_start_date_checked(db: Database, township_id: str, new_person: NewPerson, state: State,
                            refused: Refused) -> None:
    person = new_person()
    before = state()
    with pytest.raises(ValidationError) as exc:
        _assign(db, person, township_id, role="township_manager", slot=None, start=TODAY + dt.timedelta(days=1))
    refused(exc.value, field="任职日期", says="晚于今天")
    assert state() == before
    assert _assign(db, person, township_id, role="township_manager", slot=None, start=TODAY).start_date == TODAY


def test_same_role_twice_at_one_unit_refused(db: Database, township_id: str, new_person: NewPerson,
                                             state: State, refused: Refused) -> None:
    person = new_person(name="周平")
    _assign(db, person, township_id, role="township_manager", slot=None)
    before = state()
    with pytest.raises(ValidationError) as exc:
        _assign(db, person, township_id, role="township_manager", slot=None)
    refused(exc.value, field="职务类别", says="周平")
    assert state() == before
    _assign(db, person, township_id, role="township_tutor", slot=None)  # another role at the same unit is fine


def test_second_holder_of_slot_a_refused_naming_the_holder(db: Database, new_village: NewVillage,
                                                           new_person: NewPerson, state: State,
                                                           refused: Refused) -> None:
    village = new_village("石桥村")
    first, second = new_person(name="李建国"), new_person(name="陈红", female=True)
    _assign(db, first, village.id, slot="A")
    before = state()
    with pytest.raises(ValidationError) as exc:
        _assign(db, second, village.id, slot="A", reason="补充")
    refused(exc.value, field="岗位", rule="R3", says="李建国")
    assert "石桥村" in exc.value.message
    assert state() == before
    _assign(db, second, village.id, slot="B")
    assert _open_slots(db, village.id) == {"A": first.id, "B": second.id}


def test_same_person_on_a_and_b_refused(db: Database, new_village: NewVillage, new_person: NewPerson,
                                        state: State, refused: Refused) -> None:
    village, other_village = new_village("石桥村"), new_village("枫树村")
    person = new_person(name="李建国")
    _assign(db, person, village.id, slot="A")
    before = state()
    with pytest.raises(ValidationError) as exc:
        _assign(db, person, village.id, slot="B")
    refused(exc.value, field="岗位", rule="R3", says="同一人不能同时担任A岗和B岗")
    assert state() == before
    _assign(db, person, other_village.id, slot="B")  # another site is another matter


# --- the database's own guard (R3) -----------------------------------------------------------------

def _raw_post(person_id: str, unit_id: str, slot: str, end: dt.date | None = None) -> Post:
    return Post(person_id=person_id, unit_id=unit_id, role="village_manager", slot=slot, tenure="part_time",
                start_date=START, start_reason="直接写入", end_date=end, end_reason="测试" if end else None)


def test_partial_unique_index_refuses_a_second_open_slot(db: Database, new_village: NewVillage,
                                                         new_person: NewPerson, state: State) -> None:
    village, first, second = new_village(), new_person(), new_person()
    with db.session() as s:
        s.add(_raw_post(first.id, village.id, "A"))
    before = state()
    with pytest.raises(IntegrityError, match="(?i)unique"), db.session() as s:
        s.add(_raw_post(second.id, village.id, "A"))
    assert state() == before
    # The same person on A and B of one site: the second partial index.
    with pytest.raises(IntegrityError, match="(?i)unique"), db.session() as s:
        s.add(_raw_post(first.id, village.id, "B"))
    assert state() == before
    # Once the first post has ended, the slot may be taken again.
    with db.session() as s:
        old = s.scalar(select(Post).where(Post.person_id == first.id))
        assert old is not None
        old.end_date, old.end_reason = dt.date(2025, 1, 1), "辞职"
    with db.session() as s:
        s.add(_raw_post(second.id, village.id, "A"))
        s.add(_raw_post(first.id, village.id, "B"))
        s.add(_raw_post(first.id, village.id, "A", end=dt.date(2025, 1, 1)))  # closed posts never clash
    assert _open_slots(db, village.id) == {"A": second.id, "B": first.id}


# --- reasons (R12) ---------------------------------------------------------------------------------

def test_first_holder_needs_no_reason_later_holder_does(db: Database, new_village: NewVillage,
                                                        new_person: NewPerson, state: State,
                                                        refused: Refused) -> None:
    village = new_village()
    first, second, b_holder = new_person(), new_person(), new_person()
    a = _assign(db, first, village.id, slot="A")
    assert _post(db, a.id).start_reason == posts.DEFAULT_FIRST_REASON == "新任"
    with db.session() as s:
        posts.end_post(s, a.id, end_date=dt.date(2025, 6, 1), reason="外出务工", today=TODAY)
    before = state()
    for reason in (None, "   "):
        with pytest.raises(ValidationError) as exc:
            _assign(db, second, village.id, slot="A", start=dt.date(2025, 6, 1), reason=reason)
        refused(exc.value, field="任职原因", rule="R12")
    assert state() == before
    new_a = _assign(db, second, village.id, slot="A", start=dt.date(2025, 6, 1), reason="村两委换届补选")
    assert _post(db, new_a.id).start_reason == "村两委换届补选"
    # Slot B never had a holder: its first holder needs no reason, a given one is kept.
    b = _assign(db, b_holder, village.id, slot="B", reason="  团员青年推荐 ")
    assert _post(db, b.id).start_reason == "团员青年推荐"


def test_end_post_rules(db: Database, new_village: NewVillage, new_person: NewPerson, state: State,
                        refused: Refused) -> None:
    village, person = new_village(), new_person()
    info = _assign(db, person, village.id, slot="A", start=START)
    before = state()
    cases = [
        (dict(end_date=dt.date(2025, 1, 1), reason=" "), "离岗原因", "R12"),
        (dict(end_date=START - dt.timedelta(days=1), reason="辞职"), "离岗日期", None),
        (dict(end_date=TODAY + dt.timedelta(days=1), reason="辞职"), "离岗日期", None),
        (dict(end_date=None, reason="辞职"), "离岗日期", None),
    ]
    for kwargs, field, rule in cases:
        with pytest.raises(ValidationError) as exc, db.session() as s:
            posts.end_post(s, info.id, today=TODAY, **kwargs)  # type: ignore[arg-type]
        refused(exc.value, field=field, rule=rule)
    assert state() == before
    with db.session() as s:
        ended = posts.end_post(s, info.id, end_date=START, reason="辞职", today=TODAY)  # same day is allowed
    assert ended.end_date == START
    row = _post(db, info.id)
    assert (row.end_date, row.end_reason, row.row_version) == (START, "辞职", 2)
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        posts.end_post(s, info.id, end_date=TODAY, reason="再次离岗", today=TODAY)
    refused(exc.value, field="岗位", rule="R12", says="已于")
    assert state() == before
    with pytest.raises(ValidationError) as exc, db.session() as s:
        posts.end_post(s, "no-such-post", end_date=TODAY, reason="辞职", today=TODAY)
    refused(exc.value, field="岗位", says="找不到")


def test_transfer_closes_the_old_post_and_opens_a_new_one(db: Database, new_village: NewVillage,
                                                          new_person: NewPerson) -> None:
    source, target = new_village("石桥村"), new_village("枫树村")
    person = new_person()
    old = _assign(db, person, source.id, slot="B")
    on = dt.date(2026, 3, 15)
    with db.session() as s:
        new = posts.transfer_post(s, old.id, to_unit_id=target.id, to_slot="A", on=on, reason="枫树村A岗空缺",
                                  today=TODAY)
    assert (new.unit_id, new.slot, new.role, new.start_date, new.end_date) == (target.id, "A", "village_manager",
                                                                               on, None)
    closed, opened = _post(db, old.id), _post(db, new.id)
    assert (closed.end_date, closed.end_reason) == (on, "枫树村A岗空缺")
    assert opened.start_reason == "枫树村A岗空缺" and opened.person_id == person.id
    assert _open_slots(db, source.id) == {}
    assert _open_slots(db, target.id) == {"A": person.id}


def test_transfer_refusals_write_nothing(db: Database, new_village: NewVillage, new_person: NewPerson,
                                         state: State, refused: Refused) -> None:
    source, target = new_village("石桥村"), new_village("枫树村")
    mover, holder = new_person(name="李建国"), new_person(name="陈红", female=True)
    old = _assign(db, mover, source.id, slot="A")
    _assign(db, holder, target.id, slot="A")
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        posts.transfer_post(s, old.id, to_unit_id=target.id, to_slot="B", on=TODAY, reason="", today=TODAY)
    refused(exc.value, field="调动原因", rule="R12")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        posts.transfer_post(s, old.id, to_unit_id=source.id, to_slot="A", on=TODAY, reason="调整", today=TODAY)
    refused(exc.value, field="调入单位", says="相同")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        posts.transfer_post(s, old.id, to_unit_id=target.id, to_slot="A", on=TODAY, reason="调整", today=TODAY)
    refused(exc.value, field="岗位", rule="R3", says="陈红")
    assert state() == before
    assert _post(db, old.id).end_date is None


def test_refused_transfer_leaves_the_session_unchanged(db: Database, new_village: NewVillage,
                                                       new_person: NewPerson) -> None:
    source, target = new_village("石桥村"), new_village("枫树村")
    mover, holder = new_person(name="李建国"), new_person(name="陈红", female=True)
    old = _assign(db, mover, source.id, slot="A")
    _assign(db, holder, target.id, slot="A")
    with db.session() as s:
        with pytest.raises(ValidationError):
            posts.transfer_post(s, old.id, to_unit_id=target.id, to_slot="A", on=TODAY, reason="调整", today=TODAY)
        row = s.get(Post, old.id)
        assert row is not None and row.end_date is None, "ValidationError promises: nothing has been written"


def test_swap_slots_exchanges_a_and_b(db: Database, new_village: NewVillage, new_person: NewPerson,
                                      state: State, refused: Refused) -> None:
    village = new_village()
    p1, p2 = new_person(name="李建国"), new_person(name="陈红", female=True)
    a = _assign(db, p1, village.id, slot="A")
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        posts.swap_slots(s, village.id, on=TODAY, reason="AB岗互换", today=TODAY)
    refused(exc.value, field="岗位", rule="R3")
    b = _assign(db, p2, village.id, slot="B")
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        posts.swap_slots(s, village.id, on=TODAY, reason=" ", today=TODAY)
    refused(exc.value, field="调整原因", rule="R12")
    assert state() == before
    on = dt.date(2026, 5, 1)
    with db.session() as s:
        new_a, new_b = posts.swap_slots(s, village.id, on=on, reason="陈红熟悉设备", today=TODAY)
    assert (new_a.person_id, new_a.slot, new_b.person_id, new_b.slot) == (p2.id, "A", p1.id, "B")
    assert _open_slots(db, village.id) == {"A": p2.id, "B": p1.id}
    for old in (a, b):
        row = _post(db, old.id)
        assert (row.end_date, row.end_reason) == (on, "陈红熟悉设备")
    for new in (new_a, new_b):
        assert _post(db, new.id).start_reason == "陈红熟悉设备" and new.start_date == on


def test_post_history_keeps_everything_in_order(db: Database, township_id: str, new_village: NewVillage,
                                                new_person: NewPerson) -> None:
    v1, v2 = new_village("石桥村"), new_village("枫树村")
    person, partner = new_person(), new_person(female=True)
    first = _assign(db, person, v1.id, slot="B", start=dt.date(2020, 1, 6))
    _assign(db, partner, v2.id, slot="B", start=dt.date(2020, 1, 6))
    with db.session() as s:
        second = posts.transfer_post(s, first.id, to_unit_id=v2.id, to_slot="A", on=dt.date(2022, 4, 1),
                                     reason="枫树村A岗空缺", today=TODAY)
        tutor = posts.assign_post(s, person_id=person.id, unit_id=township_id, role="township_tutor",
                                  start_date=dt.date(2023, 9, 1), today=TODAY)
        posts.swap_slots(s, v2.id, on=dt.date(2025, 2, 3), reason="AB岗互换", today=TODAY)
    with db.session() as s:
        history = posts.post_history(s, person.id)
    assert [(h.unit_id, h.role, h.slot, h.start_date, h.end_date) for h in history] == [
        (v1.id, "village_manager", "B", dt.date(2020, 1, 6), dt.date(2022, 4, 1)),
        (v2.id, "village_manager", "A", dt.date(2022, 4, 1), dt.date(2025, 2, 3)),
        (township_id, "township_tutor", None, dt.date(2023, 9, 1), None),
        (v2.id, "village_manager", "B", dt.date(2025, 2, 3), None),
    ]
    assert history[0].id == first.id and history[1].id == second.id and history[2].id == tutor.id


def test_a_person_who_left_cannot_be_assigned(db: Database, new_village: NewVillage, new_person: NewPerson,
                                              state: State, refused: Refused) -> None:
    village, person, stayer = new_village(), new_person(name="李建国"), new_person(name="陈红", female=True)
    with db.session() as s:
        row = s.get(Person, person.id)
        assert row is not None
        row.left_on, row.left_reason = dt.date(2025, 12, 31), "外出务工"
    before = state()
    with pytest.raises(ValidationError) as exc:
        _assign(db, person, village.id, slot="A")
    refused(exc.value, field="人员", says="2025-12-31")
    assert state() == before
    assert _assign(db, stayer, village.id, slot="A").person_id == stayer.id
