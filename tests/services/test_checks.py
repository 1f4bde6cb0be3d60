"""Rule warnings (R2, R3, R12): what the clerk should fix, computed over the whole database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import OrgUnit
from remoteedu_desktop.services import checks, people, posts, units

NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]
TODAY = dt.date(2026, 6, 30)
START = dt.date(2020, 1, 6)


def _warnings(db: Database, unit_id: str | None = None, rule: str | None = None) -> list[checks.RuleWarning]:
    with db.session() as s:
        found = checks.rule_warnings(s, today=TODAY)
    return [w for w in found if (unit_id is None or w.unit_id == unit_id) and (rule is None or w.rule == rule)]


def _assign(db: Database, person: people.PersonInfo, unit_id: str, role: str = "village_manager",
            slot: str | None = "A", *, start: dt.date = START, reason: str | None = None) -> posts.PostInfo:
    with db.session() as s:
        return posts.assign_post(s, person_id=person.id, unit_id=unit_id, role=role, slot=slot,
                                 start_date=start, reason=reason, today=TODAY)


def _staffed_village(db: Database, new_village: NewVillage, new_person: NewPerson,
                     name: str = "石桥村") -> tuple[units.UnitInfo, posts.PostInfo, posts.PostInfo]:
    village = new_village(name)
    a = _assign(db, new_person(), village.id, slot="A")
    b = _assign(db, new_person(female=True), village.id, slot="B")
    return village, a, b


def _replace(db: Database, post: posts.PostInfo, new_person: NewPerson, on: dt.date) -> posts.PostInfo:
    """The holder of *post* leaves on *on* and a new person takes the slot the same day (R12)."""
    with db.session() as s:
        posts.end_post(s, post.id, end_date=on, reason="外出务工", today=TODAY)
    return _assign(db, new_person(), post.unit_id, slot=post.slot, start=on, reason="补选")


# --- R3: post A and post B -------------------------------------------------------------------------

def test_missing_a_and_missing_b_per_village(db: Database, new_village: NewVillage, new_person: NewPerson) -> None:
    empty = new_village("空村")
    only_a = new_village("只有A岗村")
    only_b = new_village("只有B岗村")
    full, _, _ = _staffed_village(db, new_village, new_person, "齐全村")
    _assign(db, new_person(), only_a.id, slot="A")
    _assign(db, new_person(), only_b.id, slot="B")
    r3 = _warnings(db, rule="R3")
    by_unit = {(w.unit_id, w.message) for w in r3}
    assert by_unit == {(empty.id, "A岗空缺"), (empty.id, "B岗空缺"), (only_a.id, "B岗空缺"), (only_b.id, "A岗空缺")}
    assert not _warnings(db, full.id)
    text = next(w for w in r3 if w.unit_id == only_a.id).text()
    assert text == "[R3] 只有A岗村：B岗空缺"


def test_an_ended_post_leaves_its_slot_empty(db: Database, new_village: NewVillage, new_person: NewPerson) -> None:
    village, a, _ = _staffed_village(db, new_village, new_person)
    assert not _warnings(db, village.id)
    with db.session() as s:
        posts.end_post(s, a.id, end_date=dt.date(2026, 6, 1), reason="辞职", today=TODAY)
    assert [w.message for w in _warnings(db, village.id, "R3")] == ["A岗空缺"]


def test_other_site_kinds_have_no_slots(db: Database, township_id: str) -> None:
    with db.session() as s:
        enterprise = units.add_unit(s, kind="enterprise", name="青山水泥厂", parent_id=township_id)
    assert not _warnings(db, enterprise.id)


# --- R2: township managers -------------------------------------------------------------------------

def test_township_needs_at_least_two_managers(db: Database, township_id: str, new_person: NewPerson) -> None:
    r2 = _warnings(db, township_id, "R2")
    assert len(r2) == 1 and "0 人" in r2[0].message and "至少应有 2 人" in r2[0].message
    _assign(db, new_person(), township_id, role="township_manager", slot=None)
    r2 = _warnings(db, township_id, "R2")
    assert len(r2) == 1 and "只有 1 人" in r2[0].message
    assert r2[0].unit_name == "龙潭镇" and r2[0].text().startswith("[R2] 龙潭镇：")
    _assign(db, new_person(), township_id, role="township_manager", slot=None)
    assert _warnings(db, township_id, "R2") == []


def test_township_station_managers_count_for_their_township(db: Database, township_id: str,
                                                            new_person: NewPerson) -> None:
    with db.session() as s:
        station = units.add_unit(s, kind="township_station", name="龙潭镇站点", parent_id=township_id)
    _assign(db, new_person(), township_id, role="township_manager", slot=None)
    _assign(db, new_person(), station.id, role="township_manager", slot=None)
    assert _warnings(db, township_id, "R2") == []


def test_tutors_do_not_count_as_township_managers(db: Database, township_id: str, new_person: NewPerson) -> None:
    _assign(db, new_person(), township_id, role="township_manager", slot=None)
    _assign(db, new_person(), township_id, role="township_tutor", slot=None)
    _assign(db, new_person(), township_id, role="technician", slot=None)
    assert "只有 1 人" in _warnings(db, township_id, "R2")[0].message


# --- R12: frequent changes -------------------------------------------------------------------------

def test_two_change_dates_within_a_year_are_flagged(db: Database, new_village: NewVillage,
                                                    new_person: NewPerson) -> None:
    village, a, b = _staffed_village(db, new_village, new_person)
    new_a = _replace(db, a, new_person, dt.date(2025, 9, 1))
    assert _warnings(db, village.id) == [], "one change is not frequent"
    _replace(db, new_a, new_person, dt.date(2026, 3, 1))
    r12 = _warnings(db, village.id, "R12")
    assert len(r12) == 1 and "2 次" in r12[0].message
    assert _warnings(db, village.id, "R3") == []


def test_changes_of_a_and_b_on_two_dates_are_flagged(db: Database, new_village: NewVillage,
                                                     new_person: NewPerson) -> None:
    village, a, b = _staffed_village(db, new_village, new_person)
    _replace(db, a, new_person, dt.date(2025, 9, 1))
    _replace(db, b, new_person, dt.date(2026, 1, 15))
    assert len(_warnings(db, village.id, "R12")) == 1


def test_a_swap_is_one_change(db: Database, new_village: NewVillage, new_person: NewPerson) -> None:
    village, _, _ = _staffed_village(db, new_village, new_person)
    with db.session() as s:
        posts.swap_slots(s, village.id, on=dt.date(2026, 2, 1), reason="AB岗互换", today=TODAY)
    assert _warnings(db, village.id) == []


def test_changes_older_than_a_year_are_not_flagged(db: Database, new_village: NewVillage,
                                                   new_person: NewPerson) -> None:
    village, a, _ = _staffed_village(db, new_village, new_person)
    year_ago = TODAY - dt.timedelta(days=checks.FREQUENT_CHANGE_WINDOW_DAYS)
    new_a = _replace(db, a, new_person, dt.date(2024, 2, 1))
    newer_a = _replace(db, new_a, new_person, year_ago - dt.timedelta(days=1))
    assert _warnings(db, village.id) == [], "both changes are more than 365 days old"
    _replace(db, newer_a, new_person, dt.date(2026, 6, 1))
    assert _warnings(db, village.id) == [], "only one change in the last 365 days"


def test_change_exactly_365_days_ago_counts(db: Database, new_village: NewVillage, new_person: NewPerson) -> None:
    village, a, _ = _staffed_village(db, new_village, new_person)
    year_ago = TODAY - dt.timedelta(days=checks.FREQUENT_CHANGE_WINDOW_DAYS)
    new_a = _replace(db, a, new_person, year_ago)
    _replace(db, new_a, new_person, TODAY)
    assert len(_warnings(db, village.id, "R12")) == 1


# --- deactivated units -----------------------------------------------------------------------------

def test_deactivated_units_are_ignored(db: Database, township_id: str, new_village: NewVillage,
                                       new_person: NewPerson) -> None:
    village, a, b = _staffed_village(db, new_village, new_person)
    _replace(db, a, new_person, dt.date(2025, 9, 1))
    with db.session() as s:
        county = s.scalar(select(OrgUnit).where(OrgUnit.kind == "county"))
        assert county is not None
        other = units.add_unit(s, kind="township", name="白沙乡", parent_id=county.id, code="360499101")
    assert _warnings(db, other.id, "R2"), "an active township without managers is warned about"
    with db.session() as s:
        for post in posts.open_posts(s, unit_id=village.id):
            posts.end_post(s, post.id, end_date=dt.date(2026, 6, 1), reason="合村并组", today=TODAY)
        units.deactivate_unit(s, village.id, reason="合村并组")
        units.deactivate_unit(s, other.id, reason="撤乡并镇")
    assert _warnings(db, village.id) == [], "no R3 or R12 for a deactivated site"
    assert _warnings(db, other.id) == [], "no R2 for a deactivated township"
    assert _warnings(db, township_id, "R2"), "the active township is still checked"
